//! The image catalogue: what the simulated registry knows about the images tutorials use.
//!
//! Each entry says which tags exist (an unknown tag, or an unknown repository, fails to pull
//! exactly as containerd reports it), how big the image is (pull time and the `Pulled` event),
//! its ENTRYPOINT/CMD, the userland its shell sees (BusyBox or GNU), the programs and files it
//! ships (nginx's `/usr/share/nginx/html/index.html`), and its environment. What the programs do
//! when they run is in [`crate::servers`].

use crate::shell::Userland;
use crate::vfs::ImageFs;

/// What kubelab knows about one image repository.
#[derive(Clone, Copy, Debug)]
pub struct ImageInfo {
    /// The repository as the catalogue names it (`nginx`, `registry.k8s.io/nginx-slim`).
    pub repository: &'static str,
    /// Other names of the same repository (`k8s.gcr.io/...`).
    pub aliases: &'static [&'static str],
    pub size_bytes: u64,
    /// Exits promptly on SIGTERM (nginx, httpd, redis); `false` when PID 1 is a shell or `sleep`
    /// (PID 1 has no default signal handlers, so they wait for SIGKILL at the end of the grace
    /// period).
    pub stops_on_sigterm: bool,
    pub tags: fn(&str) -> bool,
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    pub os: Os,
    /// Image-specific programs (besides the OS's utilities): servers and clients.
    pub programs: &'static [&'static str],
    pub files: &'static [(&'static str, &'static str)],
    pub env: &'static [(&'static str, &'static str)],
    pub workdir: &'static str,
}

/// The base distribution: its directories and utilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Busybox,
    Alpine,
    Debian,
    /// No shell at all (pause, distroless, the control-plane images).
    Distroless,
}

impl Os {
    pub fn dirs(self) -> &'static [&'static str] {
        match self {
            Os::Busybox => &[
                "/bin",
                "/dev",
                "/etc",
                "/home",
                "/lib",
                "/lib64",
                "/proc",
                "/root",
                "/sys",
                "/tmp",
                "/usr",
                "/usr/sbin",
                "/var",
                "/var/spool",
                "/var/www",
            ],
            Os::Alpine => &[
                "/bin",
                "/dev",
                "/etc",
                "/home",
                "/lib",
                "/media",
                "/mnt",
                "/opt",
                "/proc",
                "/root",
                "/run",
                "/sbin",
                "/srv",
                "/sys",
                "/tmp",
                "/usr",
                "/usr/bin",
                "/usr/local",
                "/usr/local/bin",
                "/var",
                "/var/log",
            ],
            Os::Debian => &[
                "/bin",
                "/boot",
                "/dev",
                "/etc",
                "/home",
                "/lib",
                "/lib64",
                "/media",
                "/mnt",
                "/opt",
                "/proc",
                "/root",
                "/run",
                "/sbin",
                "/srv",
                "/sys",
                "/tmp",
                "/usr",
                "/usr/bin",
                "/usr/local",
                "/usr/local/bin",
                "/usr/sbin",
                "/var",
                "/var/log",
            ],
            Os::Distroless => &["/dev", "/etc", "/proc", "/sys"],
        }
    }
}

fn any(_: &str) -> bool {
    true
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `1.27`, `1.27.4`, with the patch at most `max_patch`.
fn version_in(tag: &str, major: u32, minors: std::ops::RangeInclusive<u32>, max_patch: u32) -> bool {
    let parts: Vec<&str> = tag.split('.').collect();
    match parts.as_slice() {
        [ma, mi] => num(ma) == Some(major) && num(mi).is_some_and(|m| minors.contains(&m)),
        [ma, mi, pa] => {
            num(ma) == Some(major)
                && num(mi).is_some_and(|m| minors.contains(&m))
                && num(pa).is_some_and(|p| p <= max_patch)
        }
        _ => false,
    }
}

/// The release an nginx tag runs (`nginx:1.27` is the last 1.27 patch; `latest`/`mainline` is
/// 1.29.1 and `stable` 1.28.0 at the simulated date, March 2026).
pub fn nginx_version(tag: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag);
    let latest_patch = |minor: u32| match minor {
        7 => 12,
        9 => 15,
        14 => 2,
        15 => 12,
        16 => 1,
        17 => 10,
        19 => 10,
        20 => 2,
        21 => 6,
        22 => 1,
        23 => 4,
        25 => 5,
        26 => 3,
        27 => 5,
        29 => 1,
        _ => 0,
    };
    match base.split('.').collect::<Vec<_>>().as_slice() {
        ["1", mi] => format!("1.{mi}.{}", latest_patch(mi.parse().unwrap_or(29))),
        ["1", mi, pa] => format!("1.{mi}.{pa}"),
        ["1"] | ["stable"] => "1.28.0".into(),
        _ => "1.29.1".into(),
    }
}

fn nginx_tags(tag: &str) -> bool {
    const NAMED: &[&str] = &[
        "1",
        "latest",
        "stable",
        "mainline",
        "alpine",
        "alpine-slim",
        "stable-alpine",
        "mainline-alpine",
        "perl",
        "alpine-perl",
        "bookworm",
        "stable-bookworm",
        "mainline-bookworm",
        "otel",
        "alpine-otel",
    ];
    if NAMED.contains(&tag) {
        return true;
    }
    let (version, variant) = match tag.split_once('-') {
        Some((v, var)) => (v, Some(var)),
        None => (tag, None),
    };
    let variant_ok = variant.is_none_or(|v| {
        [
            "alpine",
            "alpine-slim",
            "perl",
            "alpine-perl",
            "bookworm",
            "bullseye",
            "otel",
            "alpine-otel",
        ]
        .contains(&v)
    });
    variant_ok && version_in(version, 1, 7..=29, 12)
}

fn busybox_tags(tag: &str) -> bool {
    const NAMED: &[&str] = &[
        "latest",
        "stable",
        "musl",
        "glibc",
        "uclibc",
        "stable-musl",
        "stable-glibc",
        "stable-uclibc",
        "unstable",
    ];
    if NAMED.contains(&tag) {
        return true;
    }
    let version = tag.split('-').next().unwrap_or(tag);
    version_in(version, 1, 21..=37, 4)
}

fn alpine_tags(tag: &str) -> bool {
    ["latest", "edge"].contains(&tag) || version_in(tag, 3, 0..=21, 13) || num(tag) == Some(3)
}

fn httpd_tags(tag: &str) -> bool {
    [
        "latest",
        "alpine",
        "2",
        "2-alpine",
        "2.4",
        "2.4-alpine",
        "bookworm",
        "2.4-bookworm",
    ]
    .contains(&tag)
        || {
            let v = tag.trim_end_matches("-alpine").trim_end_matches("-bookworm");
            version_in(v, 2, 2..=4, 63)
        }
}

fn redis_tags(tag: &str) -> bool {
    if ["latest", "alpine", "bookworm"].contains(&tag) {
        return true;
    }
    let v = tag
        .trim_end_matches("-alpine")
        .trim_end_matches("-bookworm")
        .trim_end_matches("-alpine3.21");
    num(v).is_some_and(|m| (2..=7).contains(&m))
        || version_in(v, 7, 0..=4, 12)
        || version_in(v, 6, 0..=2, 20)
        || version_in(v, 5, 0..=0, 14)
        || version_in(v, 4, 0..=0, 14)
        || version_in(v, 3, 0..=2, 12)
}

fn mysql_tags(tag: &str) -> bool {
    if ["latest", "lts", "innovation", "oracle", "debian"].contains(&tag) {
        return true;
    }
    let v = tag.trim_end_matches("-oracle").trim_end_matches("-debian");
    num(v).is_some_and(|m| m == 5 || m == 8 || m == 9)
        || version_in(v, 5, 5..=7, 44)
        || version_in(v, 8, 0..=4, 41)
        || version_in(v, 9, 0..=2, 0)
}

fn mariadb_tags(tag: &str) -> bool {
    if ["latest", "lts", "jammy", "noble"].contains(&tag) {
        return true;
    }
    let v = tag.split('-').next().unwrap_or(tag);
    num(v).is_some_and(|m| m == 10 || m == 11) || version_in(v, 10, 0..=11, 30) || version_in(v, 11, 0..=7, 6)
}

fn wordpress_tags(tag: &str) -> bool {
    if ["latest", "apache", "fpm", "fpm-alpine", "cli", "beta"].contains(&tag) {
        return true;
    }
    let v = tag.split('-').next().unwrap_or(tag);
    let v = v
        .trim_start_matches("php8.1")
        .trim_start_matches("php8.2")
        .trim_start_matches("php8.3");
    num(v).is_some_and(|m| (4..=6).contains(&m))
        || version_in(v, 6, 0..=7, 4)
        || version_in(v, 5, 0..=9, 12)
        || version_in(v, 4, 0..=9, 30)
}

fn nginx_slim_tags(tag: &str) -> bool {
    tag.strip_prefix("0.")
        .and_then(num)
        .is_some_and(|n| (1..=27).contains(&n))
}

fn zookeeper_tags(tag: &str) -> bool {
    tag == "1.0-3.4.10"
}

fn stress_tags(tag: &str) -> bool {
    ["latest", "1.0.4"].contains(&tag)
}

fn pause_tags(tag: &str) -> bool {
    [
        "latest", "3.1", "3.2", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.10.1", "2.0", "0.8.0",
    ]
    .contains(&tag)
}

fn agnhost_tags(tag: &str) -> bool {
    tag.strip_prefix("2.")
        .and_then(num)
        .is_some_and(|n| (10..=53).contains(&n))
}

fn semverish(tag: &str) -> bool {
    tag == "latest"
        || tag.chars().next().is_some_and(|c| c.is_ascii_digit())
            && tag.chars().all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
}

/// The control-plane images kind preloads: whatever tag was preloaded is present anyway.
fn system_tags(tag: &str) -> bool {
    semverish(tag) || tag.starts_with('v')
}

const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

/// The welcome page before nginx 1.21 (no `color-scheme`).
pub const NGINX_INDEX_OLD: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

const NGINX_50X: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then please check\nthe <a href=\"http://nginx.org/r/error_log\">error log</a> for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";

const NGINX_DEFAULT_CONF: &str = "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    #access_log  /var/log/nginx/host.access.log  main;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    #error_page  404              /404.html;\n\n    # redirect server error pages to the static page /50x.html\n    #\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n";

const NGINX_CONF: &str = "\nuser  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\n\nevents {\n    worker_connections  1024;\n}\n\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n\n    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '\n                      '$status $body_bytes_sent \"$http_referer\" '\n                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';\n\n    access_log  /var/log/nginx/access.log  main;\n\n    sendfile        on;\n    #tcp_nopush     on;\n\n    keepalive_timeout  65;\n\n    #gzip  on;\n\n    include /etc/nginx/conf.d/*.conf;\n}\n";

const NGINX_FILES: &[(&str, &str)] = &[
    ("/usr/share/nginx/html/index.html", NGINX_INDEX),
    ("/usr/share/nginx/html/50x.html", NGINX_50X),
    ("/etc/nginx/nginx.conf", NGINX_CONF),
    ("/etc/nginx/conf.d/default.conf", NGINX_DEFAULT_CONF),
    ("/docker-entrypoint.sh", "#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n"),
    ("/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", "#!/bin/sh\n"),
    ("/docker-entrypoint.d/15-local-resolvers.envsh", "#!/bin/sh\n"),
    ("/docker-entrypoint.d/20-envsubst-on-templates.sh", "#!/bin/sh\n"),
    ("/docker-entrypoint.d/30-tune-worker-processes.sh", "#!/bin/sh\n"),
    ("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n"),
    ("/var/log/nginx/access.log", ""),
    ("/var/log/nginx/error.log", ""),
];

const BUSYBOX_FILES: &[(&str, &str)] = &[
    ("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
    ("/etc/group", "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nusers:x:100:\nnogroup:x:65534:\n"),
];

const ALPINE_FILES: &[(&str, &str)] = &[
    ("/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.21.3\nPRETTY_NAME=\"Alpine Linux v3.21\"\nHOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n"),
    ("/etc/alpine-release", "3.21.3\n"),
    ("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"),
];

const HTTPD_FILES: &[(&str, &str)] = &[
    ("/usr/local/apache2/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n"),
    ("/usr/local/apache2/conf/httpd.conf", "ServerRoot \"/usr/local/apache2\"\nListen 80\nDocumentRoot \"/usr/local/apache2/htdocs\"\n"),
    ("/usr/local/bin/httpd-foreground", "#!/bin/sh\nset -e\n\n# Apache gets grumpy about PID files pre-existing\nrm -f /usr/local/apache2/logs/httpd.pid\n\nexec httpd -DFOREGROUND \"$@\"\n"),
];

const WORDPRESS_FILES: &[(&str, &str)] = &[(
    "/var/www/html/index.php",
    "<?php\ndefine( 'WP_USE_THEMES', true );\nrequire __DIR__ . '/wp-blog-header.php';\n",
)];

const DEBIAN_ENV: &[(&str, &str)] = &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")];
const BUSYBOX_ENV: &[(&str, &str)] = &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")];

const CATALOGUE: &[ImageInfo] = &[
    ImageInfo {
        repository: "nginx",
        aliases: &[],
        size_bytes: 72_195_292,
        stops_on_sigterm: true,
        tags: nginx_tags,
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        os: Os::Debian,
        programs: &["/docker-entrypoint.sh", "nginx", "nginx-debug", "curl", "bash", "envsubst"],
        files: NGINX_FILES,
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("NGINX_VERSION", "1.29.1"), ("NJS_VERSION", "0.8.9"), ("NJS_RELEASE", "1~bookworm"), ("PKG_RELEASE", "1~bookworm"), ("DYNPKG_RELEASE", "1~bookworm")],
        workdir: "/",
    },
    ImageInfo {
        repository: "busybox",
        aliases: &["registry.k8s.io/busybox", "k8s.gcr.io/busybox", "gcr.io/google-containers/busybox"],
        size_bytes: 2_155_601,
        stops_on_sigterm: false,
        tags: busybox_tags,
        entrypoint: &[],
        cmd: &["sh"],
        os: Os::Busybox,
        programs: &["wget"],
        files: BUSYBOX_FILES,
        env: BUSYBOX_ENV,
        workdir: "/",
    },
    ImageInfo {
        repository: "alpine",
        aliases: &[],
        size_bytes: 3_645_890,
        stops_on_sigterm: false,
        tags: alpine_tags,
        entrypoint: &[],
        cmd: &["/bin/sh"],
        os: Os::Alpine,
        programs: &["wget", "apk"],
        files: ALPINE_FILES,
        env: BUSYBOX_ENV,
        workdir: "/",
    },
    ImageInfo {
        repository: "httpd",
        aliases: &[],
        size_bytes: 58_036_742,
        stops_on_sigterm: true,
        tags: httpd_tags,
        entrypoint: &[],
        cmd: &["httpd-foreground"],
        os: Os::Debian,
        programs: &["httpd", "httpd-foreground", "apachectl", "bash"],
        files: HTTPD_FILES,
        env: &[("PATH", "/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("HTTPD_PREFIX", "/usr/local/apache2"), ("HTTPD_VERSION", "2.4.63")],
        workdir: "/usr/local/apache2",
    },
    ImageInfo {
        repository: "redis",
        aliases: &[],
        size_bytes: 45_124_536,
        stops_on_sigterm: true,
        tags: redis_tags,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        os: Os::Debian,
        programs: &["redis-server", "redis-cli", "docker-entrypoint.sh", "bash"],
        files: &[],
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("REDIS_VERSION", "7.4.2")],
        workdir: "/data",
    },
    ImageInfo {
        repository: "mysql",
        aliases: &[],
        size_bytes: 172_436_096,
        stops_on_sigterm: true,
        tags: mysql_tags,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        os: Os::Debian,
        programs: &["mysqld", "mysql", "mysqladmin", "docker-entrypoint.sh", "bash"],
        files: &[],
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("MYSQL_MAJOR", "9.2"), ("MYSQL_VERSION", "9.2.0-1.el9")],
        workdir: "/",
    },
    ImageInfo {
        repository: "mariadb",
        aliases: &[],
        size_bytes: 122_013_514,
        stops_on_sigterm: true,
        tags: mariadb_tags,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mariadbd"],
        os: Os::Debian,
        programs: &["mariadbd", "mysqld", "mariadb", "mysql", "docker-entrypoint.sh", "bash"],
        files: &[],
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("MARIADB_VERSION", "1:11.7.2+maria~ubu2404")],
        workdir: "/",
    },
    ImageInfo {
        repository: "wordpress",
        aliases: &[],
        size_bytes: 253_771_620,
        stops_on_sigterm: true,
        tags: wordpress_tags,
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["apache2-foreground"],
        os: Os::Debian,
        programs: &["apache2-foreground", "docker-entrypoint.sh", "curl", "bash", "php"],
        files: WORDPRESS_FILES,
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("PHP_VERSION", "8.2.27")],
        workdir: "/var/www/html",
    },
    ImageInfo {
        repository: "registry.k8s.io/nginx-slim",
        aliases: &["k8s.gcr.io/nginx-slim", "gcr.io/google_containers/nginx-slim"],
        size_bytes: 20_453_142,
        stops_on_sigterm: true,
        tags: nginx_slim_tags,
        entrypoint: &[],
        cmd: &["nginx", "-g", "daemon off;"],
        os: Os::Debian,
        programs: &["nginx", "bash"],
        files: &[("/usr/share/nginx/html/index.html", NGINX_INDEX_OLD), ("/usr/share/nginx/html/50x.html", NGINX_50X)],
        env: DEBIAN_ENV,
        workdir: "/",
    },
    ImageInfo {
        repository: "registry.k8s.io/kubernetes-zookeeper",
        aliases: &["k8s.gcr.io/kubernetes-zookeeper", "gcr.io/google_containers/kubernetes-zookeeper"],
        size_bytes: 116_214_420,
        stops_on_sigterm: true,
        tags: zookeeper_tags,
        entrypoint: &[],
        cmd: &["start-zookeeper"],
        os: Os::Debian,
        programs: &["start-zookeeper", "zookeeper-ready", "zkCli.sh", "zkServer.sh", "bash", "java"],
        files: &[],
        env: DEBIAN_ENV,
        workdir: "/",
    },
    ImageInfo {
        repository: "polinux/stress",
        aliases: &[],
        size_bytes: 4_041_923,
        stops_on_sigterm: false,
        tags: stress_tags,
        entrypoint: &[],
        cmd: &["stress", "--help"],
        os: Os::Alpine,
        programs: &["stress"],
        files: ALPINE_FILES,
        env: BUSYBOX_ENV,
        workdir: "/",
    },
    ImageInfo {
        repository: "registry.k8s.io/pause",
        aliases: &["k8s.gcr.io/pause", "gcr.io/google_containers/pause"],
        size_bytes: 320_368,
        stops_on_sigterm: true,
        tags: pause_tags,
        entrypoint: &["/pause"],
        cmd: &[],
        os: Os::Distroless,
        programs: &["/pause", "pause"],
        files: &[],
        env: &[],
        workdir: "/",
    },
    ImageInfo {
        repository: "registry.k8s.io/e2e-test-images/agnhost",
        aliases: &["k8s.gcr.io/e2e-test-images/agnhost"],
        size_bytes: 51_918_203,
        stops_on_sigterm: true,
        tags: agnhost_tags,
        entrypoint: &["/agnhost"],
        cmd: &["pause"],
        os: Os::Alpine,
        programs: &["/agnhost", "agnhost"],
        files: ALPINE_FILES,
        env: BUSYBOX_ENV,
        workdir: "/",
    },
    ImageInfo {
        repository: "registry.k8s.io/goproxy",
        aliases: &["k8s.gcr.io/goproxy"],
        size_bytes: 2_478_412,
        stops_on_sigterm: true,
        tags: |t| t == "0.1",
        entrypoint: &["/goproxy"],
        cmd: &[],
        os: Os::Distroless,
        programs: &["/goproxy", "goproxy"],
        files: &[],
        env: &[],
        workdir: "/",
    },
    ImageInfo {
        repository: "registry.k8s.io/echoserver",
        aliases: &["k8s.gcr.io/echoserver", "gcr.io/google_containers/echoserver"],
        size_bytes: 46_238_812,
        stops_on_sigterm: true,
        tags: |t| ["1.4", "1.10"].contains(&t),
        entrypoint: &[],
        cmd: &["/usr/local/bin/run.sh"],
        os: Os::Debian,
        programs: &["/usr/local/bin/run.sh", "run.sh", "nginx"],
        files: &[],
        env: DEBIAN_ENV,
        workdir: "/",
    },
    ImageInfo {
        repository: "kicbase/echo-server",
        aliases: &[],
        size_bytes: 2_372_971,
        stops_on_sigterm: true,
        tags: |t| ["1.0", "latest"].contains(&t),
        entrypoint: &["/echo-server"],
        cmd: &[],
        os: Os::Distroless,
        programs: &["/echo-server", "echo-server"],
        files: &[],
        env: &[],
        workdir: "/",
    },
    ImageInfo {
        repository: "gcr.io/google-samples/hello-app",
        aliases: &["us-docker.pkg.dev/google-samples/containers/gke/hello-app"],
        size_bytes: 11_279_442,
        stops_on_sigterm: true,
        tags: |t| ["1.0", "2.0"].contains(&t),
        entrypoint: &["/hello-app"],
        cmd: &[],
        os: Os::Distroless,
        programs: &["/hello-app", "hello-app"],
        files: &[],
        env: &[],
        workdir: "/",
    },
    ImageInfo {
        repository: "registry.k8s.io/hpa-example",
        aliases: &["k8s.gcr.io/hpa-example"],
        size_bytes: 180_263_102,
        stops_on_sigterm: true,
        tags: |t| t == "latest",
        entrypoint: &["docker-php-entrypoint"],
        cmd: &["apache2-foreground"],
        os: Os::Debian,
        programs: &["apache2-foreground", "docker-php-entrypoint", "php"],
        files: &[("/var/www/html/index.php", "<?php\n  $x = 0.0001;\n  for ($i = 0; $i <= 1000000; $i++) {\n    $x += sqrt($x);\n  }\n  echo \"OK!\";\n?>\n")],
        env: DEBIAN_ENV,
        workdir: "/var/www/html",
    },
    // General-purpose images often used in examples: any version-like tag exists.
    ImageInfo { repository: "ubuntu", aliases: &[], size_bytes: 29_754_290, stops_on_sigterm: false, tags: |t| semverish(t) || ["jammy", "noble", "focal", "rolling", "devel"].contains(&t), entrypoint: &[], cmd: &["/bin/bash"], os: Os::Debian, programs: &["bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "debian", aliases: &[], size_bytes: 48_493_212, stops_on_sigterm: false, tags: |t| semverish(t) || ["bookworm", "bookworm-slim", "bullseye", "bullseye-slim", "stable", "stable-slim", "trixie"].contains(&t), entrypoint: &[], cmd: &["bash"], os: Os::Debian, programs: &["bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "centos", aliases: &[], size_bytes: 79_652_216, stops_on_sigterm: false, tags: |t| ["latest", "7", "8", "centos7", "centos8"].contains(&t), entrypoint: &[], cmd: &["/bin/bash"], os: Os::Debian, programs: &["bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "perl", aliases: &[], size_bytes: 345_093_004, stops_on_sigterm: false, tags: semverish, entrypoint: &[], cmd: &["perl", "-de0"], os: Os::Debian, programs: &["perl", "bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "python", aliases: &[], size_bytes: 381_312_430, stops_on_sigterm: false, tags: |t| semverish(t) || t.starts_with("3") || ["slim", "alpine", "bookworm"].contains(&t), entrypoint: &[], cmd: &["python3"], os: Os::Debian, programs: &["python", "python3", "pip", "bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "node", aliases: &[], size_bytes: 399_541_124, stops_on_sigterm: false, tags: |t| semverish(t) || ["lts", "alpine", "slim", "current"].contains(&t) || t.starts_with("lts-"), entrypoint: &["docker-entrypoint.sh"], cmd: &["node"], os: Os::Debian, programs: &["node", "npm", "docker-entrypoint.sh", "bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "postgres", aliases: &[], size_bytes: 158_466_080, stops_on_sigterm: true, tags: |t| semverish(t) || ["alpine", "bookworm"].contains(&t), entrypoint: &["docker-entrypoint.sh"], cmd: &["postgres"], os: Os::Debian, programs: &["postgres", "psql", "docker-entrypoint.sh", "bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "mongo", aliases: &[], size_bytes: 284_209_518, stops_on_sigterm: true, tags: |t| semverish(t) || t == "latest", entrypoint: &["docker-entrypoint.sh"], cmd: &["mongod"], os: Os::Debian, programs: &["mongod", "mongosh", "docker-entrypoint.sh", "bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "memcached", aliases: &[], size_bytes: 33_540_816, stops_on_sigterm: true, tags: |t| semverish(t) || t == "alpine", entrypoint: &["docker-entrypoint.sh"], cmd: &["memcached"], os: Os::Debian, programs: &["memcached", "docker-entrypoint.sh"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "rabbitmq", aliases: &[], size_bytes: 94_311_270, stops_on_sigterm: true, tags: |t| semverish(t) || ["management", "alpine", "management-alpine"].contains(&t), entrypoint: &["docker-entrypoint.sh"], cmd: &["rabbitmq-server"], os: Os::Debian, programs: &["rabbitmq-server", "docker-entrypoint.sh", "bash"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "hello-world", aliases: &[], size_bytes: 3_208, stops_on_sigterm: true, tags: |t| t == "latest" || t == "linux", entrypoint: &[], cmd: &["/hello"], os: Os::Distroless, programs: &["/hello", "hello"], files: &[], env: &[], workdir: "/" },
    ImageInfo { repository: "traefik/whoami", aliases: &["containous/whoami"], size_bytes: 3_058_614, stops_on_sigterm: true, tags: semverish, entrypoint: &["/whoami"], cmd: &[], os: Os::Distroless, programs: &["/whoami", "whoami"], files: &[], env: &[], workdir: "/" },
    ImageInfo { repository: "curlimages/curl", aliases: &[], size_bytes: 11_264_118, stops_on_sigterm: false, tags: semverish, entrypoint: &["/entrypoint.sh"], cmd: &["curl"], os: Os::Alpine, programs: &["curl", "/entrypoint.sh"], files: &[], env: BUSYBOX_ENV, workdir: "/home/curl_user" },
    // The images the kind cluster itself runs (preloaded on every node).
    ImageInfo { repository: "registry.k8s.io/etcd", aliases: &[], size_bytes: 57_680_541, stops_on_sigterm: true, tags: system_tags, entrypoint: &[], cmd: &["etcd"], os: Os::Distroless, programs: &["etcd"], files: &[], env: &[], workdir: "/" },
    ImageInfo { repository: "registry.k8s.io/kube-apiserver", aliases: &[], size_bytes: 28_670_731, stops_on_sigterm: true, tags: system_tags, entrypoint: &[], cmd: &["kube-apiserver"], os: Os::Distroless, programs: &["kube-apiserver"], files: &[], env: &[], workdir: "/" },
    ImageInfo { repository: "registry.k8s.io/kube-controller-manager", aliases: &[], size_bytes: 26_259_392, stops_on_sigterm: true, tags: system_tags, entrypoint: &[], cmd: &["kube-controller-manager"], os: Os::Distroless, programs: &["kube-controller-manager"], files: &[], env: &[], workdir: "/" },
    ImageInfo { repository: "registry.k8s.io/kube-scheduler", aliases: &[], size_bytes: 20_657_902, stops_on_sigterm: true, tags: system_tags, entrypoint: &[], cmd: &["kube-scheduler"], os: Os::Distroless, programs: &["kube-scheduler"], files: &[], env: &[], workdir: "/" },
    ImageInfo { repository: "registry.k8s.io/kube-proxy", aliases: &[], size_bytes: 30_907_858, stops_on_sigterm: true, tags: system_tags, entrypoint: &[], cmd: &["/usr/local/bin/kube-proxy"], os: Os::Debian, programs: &["/usr/local/bin/kube-proxy", "kube-proxy", "iptables"], files: &[], env: DEBIAN_ENV, workdir: "/" },
    ImageInfo { repository: "registry.k8s.io/coredns/coredns", aliases: &[], size_bytes: 18_562_039, stops_on_sigterm: true, tags: system_tags, entrypoint: &["/coredns"], cmd: &[], os: Os::Distroless, programs: &["/coredns", "coredns"], files: &[], env: &[], workdir: "/" },
    ImageInfo { repository: "docker.io/kindest/kindnetd", aliases: &["kindest/kindnetd"], size_bytes: 39_008_320, stops_on_sigterm: true, tags: system_tags, entrypoint: &[], cmd: &["/bin/kindnetd"], os: Os::Distroless, programs: &["/bin/kindnetd", "kindnetd"], files: &[], env: &[], workdir: "/" },
    // Not preloaded: the ingress-nginx controller a learner installs (kind's ingress guide).
    ImageInfo { repository: "registry.k8s.io/ingress-nginx/controller", aliases: &[], size_bytes: 105_472_832, stops_on_sigterm: true, tags: system_tags, entrypoint: &["/usr/bin/dumb-init", "--"], cmd: &["/nginx-ingress-controller"], os: Os::Alpine, programs: &["/nginx-ingress-controller", "nginx-ingress-controller", "/usr/bin/dumb-init", "dumb-init", "nginx"], files: &[], env: BUSYBOX_ENV, workdir: "/etc/nginx" },
    ImageInfo { repository: "docker.io/kindest/local-path-provisioner", aliases: &["kindest/local-path-provisioner"], size_bytes: 22_541_737, stops_on_sigterm: true, tags: system_tags, entrypoint: &[], cmd: &["local-path-provisioner", "--debug", "start", "--helper-image", "docker.io/kindest/local-path-helper:v20241212-8ac705d0", "--config", "/etc/config/config.json"], os: Os::Distroless, programs: &["local-path-provisioner"], files: &[], env: &[], workdir: "/" },
];

/// Splits `repo[:tag][@digest]` into the repository as the catalogue names it and the tag.
pub fn split(image: &str) -> (String, String) {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last_slash = no_digest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (repo, tag) = match no_digest[last_slash..].rfind(':') {
        Some(i) => (&no_digest[..last_slash + i], &no_digest[last_slash + i + 1..]),
        None => (no_digest, "latest"),
    };
    let repo = repo
        .strip_prefix("docker.io/library/")
        .or_else(|| repo.strip_prefix("docker.io/"))
        .or_else(|| repo.strip_prefix("library/"))
        .unwrap_or(repo);
    (repo.to_string(), tag.to_string())
}

/// The fully qualified name containerd reports (`docker.io/library/nginx:1.27`).
pub fn normalized(image: &str) -> String {
    let (repo, tag) = split(image);
    let first = repo.split('/').next().unwrap_or("");
    let qualified = if !repo.contains('/') {
        format!("docker.io/library/{repo}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        repo.clone()
    } else {
        format!("docker.io/{repo}")
    };
    format!("{qualified}:{tag}")
}

fn find(repo: &str) -> Option<&'static ImageInfo> {
    let bare = repo.strip_prefix("docker.io/").unwrap_or(repo);
    CATALOGUE.iter().find(|i| {
        let cat = i.repository.strip_prefix("docker.io/").unwrap_or(i.repository);
        cat == bare || i.aliases.iter().any(|a| *a == repo || *a == bare)
    })
}

/// The catalogue entry for an image (whatever its tag), or a plausible small generic image for
/// names the catalogue does not know.
pub fn lookup(image: &str) -> ImageInfo {
    let (repo, _) = split(image);
    find(&repo).copied().unwrap_or(ImageInfo {
        repository: "",
        aliases: &[],
        size_bytes: 10_000_000 + crate::names::stable_hash(&[&repo]) % 40_000_000,
        stops_on_sigterm: true,
        tags: any,
        entrypoint: &[],
        cmd: &[],
        os: Os::Distroless,
        programs: &[],
        files: &[],
        env: &[],
        workdir: "/",
    })
}

/// The size containerd reports for the image at this tag (Alpine variants are smaller).
pub fn size(image: &str) -> u64 {
    let (repo, tag) = split(image);
    let info = lookup(image);
    if tag.contains("alpine") {
        return match repo.as_str() {
            "nginx"
                if nginx_version(&tag)
                    .split('.')
                    .nth(1)
                    .and_then(|m| m.parse::<u32>().ok())
                    .is_some_and(|m| m < 19) =>
            {
                8_953_917
            }
            "nginx" => 20_512_382,
            "httpd" => 22_134_003,
            "redis" => 17_236_409,
            _ => info.size_bytes / 3,
        };
    }
    if repo == "busybox" && tag.starts_with("1.2") {
        return 1_360_340;
    }
    info.size_bytes
}

/// Why a pull fails: the containerd error text after `Failed to pull image "x": `.
pub fn pull_error(image: &str) -> Option<String> {
    let (repo, tag) = split(image);
    let norm = normalized(image);
    if image.contains('@') {
        return None;
    }
    let bad_ref = image.chars().any(|c| c.is_ascii_uppercase()) || image.contains(' ');
    if bad_ref {
        return None;
    }
    let first = repo.split('/').next().unwrap_or("");
    let custom_registry = repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    match find(&repo) {
        Some(info) if (info.tags)(&tag) => None,
        Some(_) => Some(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{norm}\": failed to resolve reference \"{norm}\": {norm}: not found"
        )),
        None if custom_registry && !first.ends_with("docker.io") => {
            let host = first;
            Some(format!(
                "rpc error: code = Unknown desc = failed to pull and unpack image \"{norm}\": failed to resolve reference \"{norm}\": failed to do request: Head \"https://{host}/v2/{}/manifests/{tag}\": dial tcp: lookup {host}: no such host",
                repo.split_once('/').map(|(_, r)| r).unwrap_or(&repo)
            ))
        }
        None => Some(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{norm}\": failed to resolve reference \"{norm}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        )),
    }
}

/// `InvalidImageName`: references containerd cannot parse (upper case, spaces).
pub fn invalid_reference(image: &str) -> bool {
    image.chars().any(|c| c.is_ascii_uppercase() || c.is_whitespace()) || image.ends_with(':') || image.starts_with(':')
}

/// The userland of an image at a tag (BusyBox's version decides `nslookup`'s behaviour).
pub fn userland(image: &str) -> Userland {
    let (repo, tag) = split(image);
    let info = lookup(image);
    match variant_os(image) {
        Os::Busybox => {
            let minor = if repo.ends_with("busybox") && info.repository == "busybox" {
                let v = tag.split('-').next().unwrap_or("");
                v.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(37)
            } else {
                // registry.k8s.io/busybox is the ancient 1.24 build.
                24
            };
            Userland::Busybox { minor }
        }
        Os::Alpine => {
            let minor = if info.repository == "alpine" {
                match tag.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()) {
                    Some(m) if m <= 8 => 28,
                    Some(9) | Some(10) => 30,
                    Some(11) | Some(12) => 31,
                    Some(13) => 32,
                    Some(14) => 33,
                    Some(15) => 34,
                    Some(16) | Some(17) => 35,
                    Some(18..=20) => 36,
                    _ => 37,
                }
            } else if repo == "nginx"
                && nginx_version(&tag)
                    .split('.')
                    .nth(1)
                    .and_then(|m| m.parse::<u32>().ok())
                    .is_some_and(|m| m < 19)
            {
                // nginx:1.17-alpine is built on Alpine 3.11.
                31
            } else {
                36
            };
            Userland::Busybox { minor }
        }
        Os::Debian => Userland::Gnu,
        Os::Distroless => Userland::Bare,
    }
}

/// Whether the image variant is Alpine-based (`nginx:1.27-alpine`): BusyBox utilities instead
/// of GNU ones.
pub fn variant_os(image: &str) -> Os {
    let (_, tag) = split(image);
    let info = lookup(image);
    if info.os == Os::Debian && tag.contains("alpine") {
        Os::Alpine
    } else {
        info.os
    }
}

/// The files of the image at this tag (old nginx releases had a different welcome page).
pub fn fs(image: &str) -> ImageFs {
    let info = lookup(image);
    let os = variant_os(image);
    let (repo, tag) = split(image);
    if repo == "nginx" {
        let v = nginx_version(&tag);
        let minor: u32 = v.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(27);
        if minor < 21 {
            return ImageFs {
                dirs: os.dirs(),
                files: &[
                    ("/usr/share/nginx/html/index.html", NGINX_INDEX_OLD),
                    ("/usr/share/nginx/html/50x.html", NGINX_50X),
                    ("/etc/nginx/nginx.conf", NGINX_CONF),
                    ("/etc/nginx/conf.d/default.conf", NGINX_DEFAULT_CONF),
                ],
            };
        }
    }
    ImageFs {
        dirs: os.dirs(),
        files: info.files,
    }
}

/// The base layer of the image's OS, under the image's own files.
pub fn base_fs(image: &str) -> ImageFs {
    match variant_os(image) {
        Os::Busybox => ImageFs {
            dirs: Os::Busybox.dirs(),
            files: BUSYBOX_FILES,
        },
        Os::Alpine => ImageFs {
            dirs: Os::Alpine.dirs(),
            files: ALPINE_FILES,
        },
        os => ImageFs {
            dirs: os.dirs(),
            files: &[],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_containerd() {
        assert_eq!(normalized("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalized("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(normalized("bitnami/redis:7"), "docker.io/bitnami/redis:7");
        assert_eq!(
            normalized("registry.k8s.io/nginx-slim:0.8"),
            "registry.k8s.io/nginx-slim:0.8"
        );
        assert_eq!(lookup("nginx:1.27").size_bytes, 72_195_292);
        assert!(!lookup("busybox").stops_on_sigterm);
    }

    #[test]
    fn tags_exist_or_not() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "nginx:1.17.10-alpine",
            "nginx:1.7.9",
            "nginx:alpine",
            "busybox:1.32.0",
            "busybox:1.28",
            "alpine:3.19",
            "httpd:2.4",
            "redis:7.2",
            "mysql:8.0",
            "mysql:5.6",
            "mariadb:10.6",
            "wordpress:6.2.1-apache",
            "wordpress:4.8-apache",
            "registry.k8s.io/nginx-slim:0.8",
            "k8s.gcr.io/nginx-slim:0.8",
            "registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10",
            "polinux/stress",
            "registry.k8s.io/pause:3.10",
            "registry.k8s.io/busybox",
        ] {
            assert_eq!(pull_error(ok), None, "{ok}");
        }
        assert_eq!(
            pull_error("nginx:does-not-exist").unwrap(),
            "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:does-not-exist\": failed to resolve reference \"docker.io/library/nginx:does-not-exist\": docker.io/library/nginx:does-not-exist: not found"
        );
        assert!(pull_error("nginx:1.161").is_some());
        assert!(pull_error("ngnix").unwrap().contains("pull access denied"));
        assert_eq!(userland("busybox:1.32.0"), Userland::Busybox { minor: 32 });
        assert_eq!(userland("busybox:1.28"), Userland::Busybox { minor: 28 });
        assert_eq!(userland("busybox"), Userland::Busybox { minor: 37 });
        assert_eq!(nginx_version("1.17.10-alpine"), "1.17.10");
        assert_eq!(nginx_version("latest"), "1.29.1");
        assert_eq!(nginx_version("1.27"), "1.27.5");
    }
}
