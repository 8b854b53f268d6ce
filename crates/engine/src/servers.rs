//! What the programs in images do when they run: the long-running servers (nginx, httpd,
//! redis, mysql, …) with the ports they listen on, the lines they log at start-up, the files they
//! serve and how they react to SIGTERM; and the one-shot tools (`nginx -v`, `redis-cli ping`).
//!
//! Start-up logs are not stored as text: a container log keeps a [`ServerKind`] and its start
//! time, and [`start_lines`] renders the lines when someone reads the log, so 10,000 idle nginx
//! pods do not hold 10,000 copies of nginx's banner.

use crate::applets::{civil, Outcome};
use crate::images::{self, ImageInfo, Os};
use crate::time::{SimTime, Timestamp};

/// A server process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// nginx `1.<minor>.<patch>`, Alpine build or Debian.
    Nginx {
        minor: u32,
        patch: u32,
        alpine: bool,
    },
    Httpd,
    Redis,
    Mysql,
    Mariadb,
    /// Apache with PHP (wordpress, hpa-example).
    Apache {
        wordpress: bool,
    },
    Zookeeper,
    /// agnhost subcommands.
    AgnhostLiveness,
    AgnhostNetexec,
    AgnhostServeHostname,
    Goproxy,
    /// Echo servers (registry.k8s.io/echoserver, kicbase/echo-server, traefik/whoami).
    Echo {
        port: u16,
    },
    HelloApp {
        version: &'static str,
    },
    Postgres,
    Mongo,
    /// Anything else that runs until stopped (control-plane components, `pause`).
    Generic {
        name: &'static str,
        ports: &'static [u16],
        sigterm_exit: i32,
    },
}

/// How a running program ends on SIGTERM: exit code and how long it takes.
pub struct StopOnTerm {
    pub exit_code: i32,
    pub after_ms: u64,
}

impl ServerKind {
    pub fn ports(&self) -> Vec<u16> {
        match self {
            ServerKind::Nginx { .. } | ServerKind::Httpd | ServerKind::Apache { .. } => vec![80],
            ServerKind::Redis => vec![6379],
            ServerKind::Mysql | ServerKind::Mariadb => vec![3306, 33060],
            ServerKind::Zookeeper => vec![2181, 2888, 3888],
            ServerKind::AgnhostLiveness | ServerKind::AgnhostNetexec | ServerKind::Goproxy => {
                vec![8080]
            }
            ServerKind::AgnhostServeHostname => vec![9376],
            ServerKind::Echo { port } => vec![*port],
            ServerKind::HelloApp { .. } => vec![8080],
            ServerKind::Postgres => vec![5432],
            ServerKind::Mongo => vec![27017],
            ServerKind::Generic { ports, .. } => ports.to_vec(),
        }
    }

    /// How long after start the ports accept connections (databases initialise first).
    pub fn listen_after_ms(&self) -> u64 {
        match self {
            ServerKind::Mysql => 14_000,
            ServerKind::Mariadb => 6_000,
            ServerKind::Postgres => 3_000,
            ServerKind::Mongo => 2_000,
            ServerKind::Zookeeper => 4_000,
            ServerKind::Apache { .. } => 400,
            _ => 0,
        }
    }

    /// Resident memory once started, in bytes (compared with the memory limit: OOMKilled).
    pub fn memory_bytes(&self) -> u64 {
        const MI: u64 = 1 << 20;
        match self {
            ServerKind::Nginx { .. } => 9 * MI,
            ServerKind::Httpd => 12 * MI,
            ServerKind::Redis => 4 * MI,
            ServerKind::Mysql => 420 * MI,
            ServerKind::Mariadb => 95 * MI,
            ServerKind::Apache { .. } => 30 * MI,
            ServerKind::Zookeeper => 180 * MI,
            ServerKind::Postgres => 40 * MI,
            ServerKind::Mongo => 160 * MI,
            _ => 8 * MI,
        }
    }

    /// SIGTERM (or the image's STOPSIGNAL, which containerd honours: SIGQUIT for nginx,
    /// SIGWINCH for httpd) ends the server gracefully.
    pub fn on_term(&self) -> StopOnTerm {
        match self {
            ServerKind::Nginx { .. } | ServerKind::Httpd | ServerKind::Apache { .. } => StopOnTerm {
                exit_code: 0,
                after_ms: 150,
            },
            ServerKind::Redis => StopOnTerm {
                exit_code: 0,
                after_ms: 120,
            },
            ServerKind::Mysql | ServerKind::Mariadb => StopOnTerm {
                exit_code: 0,
                after_ms: 1800,
            },
            ServerKind::Postgres | ServerKind::Mongo => StopOnTerm {
                exit_code: 0,
                after_ms: 600,
            },
            ServerKind::Zookeeper => StopOnTerm {
                exit_code: 143,
                after_ms: 400,
            },
            // Go programs without a SIGTERM handler: the runtime re-raises, PID 1 survives the
            // default action, and Go exits with status 2.
            ServerKind::AgnhostLiveness
            | ServerKind::AgnhostNetexec
            | ServerKind::AgnhostServeHostname
            | ServerKind::Goproxy
            | ServerKind::Echo { .. }
            | ServerKind::HelloApp { .. } => StopOnTerm {
                exit_code: 2,
                after_ms: 20,
            },
            ServerKind::Generic { sigterm_exit, .. } => StopOnTerm {
                exit_code: *sigterm_exit,
                after_ms: 100,
            },
        }
    }

    /// The program name `ps` shows.
    pub fn command_line(&self) -> String {
        match self {
            ServerKind::Nginx { .. } => "nginx: master process nginx -g daemon off;".into(),
            ServerKind::Httpd => "httpd -DFOREGROUND".into(),
            ServerKind::Redis => "redis-server *:6379".into(),
            ServerKind::Mysql => "mysqld".into(),
            ServerKind::Mariadb => "mariadbd".into(),
            ServerKind::Apache { .. } => "apache2 -DFOREGROUND".into(),
            ServerKind::Zookeeper => "java -Dzookeeper.log.dir=/var/log/zookeeper org.apache.zookeeper.server.quorum.QuorumPeerMain /opt/zookeeper/conf/zoo.cfg".into(),
            ServerKind::AgnhostLiveness => "/agnhost liveness".into(),
            ServerKind::AgnhostNetexec => "/agnhost netexec".into(),
            ServerKind::AgnhostServeHostname => "/agnhost serve-hostname".into(),
            ServerKind::Goproxy => "/goproxy".into(),
            ServerKind::Echo { .. } => "/echo-server".into(),
            ServerKind::HelloApp { .. } => "/hello-app".into(),
            ServerKind::Postgres => "postgres".into(),
            ServerKind::Mongo => "mongod --bind_ip_all".into(),
            ServerKind::Generic { name, .. } => name.to_string(),
        }
    }

    /// The name `killall`/`pkill` match.
    pub fn process_name(&self) -> &'static str {
        match self {
            ServerKind::Nginx { .. } => "nginx",
            ServerKind::Httpd => "httpd",
            ServerKind::Redis => "redis-server",
            ServerKind::Mysql => "mysqld",
            ServerKind::Mariadb => "mariadbd",
            ServerKind::Apache { .. } => "apache2",
            ServerKind::Zookeeper => "java",
            ServerKind::AgnhostLiveness | ServerKind::AgnhostNetexec | ServerKind::AgnhostServeHostname => "agnhost",
            ServerKind::Goproxy => "goproxy",
            ServerKind::Echo { .. } => "echo-server",
            ServerKind::HelloApp { .. } => "hello-app",
            ServerKind::Postgres => "postgres",
            ServerKind::Mongo => "mongod",
            ServerKind::Generic { name, .. } => name,
        }
    }

    /// The directory it serves files from.
    pub fn docroot(&self) -> Option<&'static str> {
        match self {
            ServerKind::Nginx { .. } => Some("/usr/share/nginx/html"),
            ServerKind::Httpd => Some("/usr/local/apache2/htdocs"),
            ServerKind::Apache { .. } => Some("/var/www/html"),
            _ => None,
        }
    }
}

/// Context for rendering logs and answers: who the pod is.
pub struct Env<'a> {
    pub hostname: &'a str,
    pub pod_ip: &'a str,
    pub env: &'a [(String, String)],
}

fn nginx_time(t: SimTime) -> String {
    let (y, mo, d, h, mi, s, _) = civil(Timestamp(t));
    format!("{y}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `[02/Mar/2026:09:10:15 +0000]`
pub fn clf_time(t: SimTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s, _) = civil(Timestamp(t));
    format!("{d:02}/{}/{y}:{h:02}:{mi:02}:{s:02} +0000", MONTHS[mo - 1])
}

fn entrypoint_time(t: SimTime) -> String {
    let (y, mo, d, h, mi, s, _) = civil(Timestamp(t));
    format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}+00:00")
}

/// The lines a server prints when it starts, with their times.
pub fn start_lines(kind: &ServerKind, at: SimTime, env: &Env<'_>) -> Vec<(SimTime, String)> {
    let mut v: Vec<(SimTime, String)> = Vec::new();
    let mut push = |dt: u64, s: String| v.push((at.plus_ms(dt), s));
    match kind {
        ServerKind::Nginx { minor, patch, alpine } => {
            if *minor >= 19 {
                push(
                    0,
                    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
                        .into(),
                );
                push(
                    0,
                    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/".into(),
                );
                push(
                    0,
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh".into(),
                );
                push(
                    0,
                    "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf"
                        .into(),
                );
                push(
                    0,
                    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"
                        .into(),
                );
                if *minor >= 25 {
                    push(
                        0,
                        "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh".into(),
                    );
                }
                push(
                    0,
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh".into(),
                );
                if *minor >= 21 {
                    push(
                        0,
                        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh".into(),
                    );
                }
                push(
                    0,
                    "/docker-entrypoint.sh: Configuration complete; ready for start up".into(),
                );
            }
            if *minor >= 21 {
                let ts = nginx_time(at);
                let gcc = if *alpine {
                    "built by gcc 14.2.0 (Alpine 14.2.0) "
                } else {
                    "built by gcc 12.2.0 (Debian 12.2.0-14) "
                };
                for line in [
                    "using the \"epoll\" event method".to_string(),
                    format!("nginx/1.{minor}.{patch}"),
                    gcc.to_string(),
                    "OS: Linux 6.8.0-51-generic".to_string(),
                    "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_string(),
                    "start worker processes".to_string(),
                ] {
                    push(0, format!("{ts} [notice] 1#1: {line}"));
                }
                let first = if *alpine { 30 } else { 29 };
                for w in 0..4 {
                    push(0, format!("{ts} [notice] 1#1: start worker process {}", first + w));
                }
            }
        }
        ServerKind::Httpd | ServerKind::Apache { .. } => {
            let (y, mo, d, h, mi, s, wd) = civil(Timestamp(at));
            const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let stamp = format!(
                "{} {} {d:02} {h:02}:{mi:02}:{s:02}.{:06} {y}",
                DAYS[wd],
                MONTHS[mo - 1],
                at.0 % 1000 * 1000 + 417
            );
            if let ServerKind::Apache { wordpress: true } = kind {
                push(0, "WordPress not found in /var/www/html - copying now...".into());
                push(
                    300,
                    "Complete! WordPress has been successfully copied to /var/www/html".into(),
                );
            }
            let ah = format!("AH00558: {}: Could not reliably determine the server's fully qualified domain name, using {}. Set the 'ServerName' directive globally to suppress this message", if matches!(kind, ServerKind::Httpd) { "httpd" } else { "apache2" }, env.pod_ip);
            push(350, ah.clone());
            push(360, ah);
            let (ident, pid) = if matches!(kind, ServerKind::Httpd) {
                ("Apache/2.4.63 (Unix)", "[pid 1:tid 1]")
            } else {
                ("Apache/2.4.62 (Debian) PHP/8.2.27", "[pid 1:tid 1]")
            };
            push(
                370,
                format!(
                    "[{stamp}] [mpm_{}:notice] {pid} AH00489: {ident} configured -- resuming normal operations",
                    if matches!(kind, ServerKind::Httpd) {
                        "event"
                    } else {
                        "prefork"
                    }
                ),
            );
            push(
                370,
                format!(
                    "[{stamp}] [core:notice] {pid} AH00094: Command line: '{}'",
                    if matches!(kind, ServerKind::Httpd) {
                        "httpd -D FOREGROUND"
                    } else {
                        "apache2 -D FOREGROUND"
                    }
                ),
            );
        }
        ServerKind::Redis => {
            let (y, mo, d, h, mi, s, _) = civil(Timestamp(at));
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let ts = format!("{d:02} {} {y} {h:02}:{mi:02}:{s:02}.{:03}", MONTHS[mo - 1], at.0 % 1000);
            for (role, line) in [
                ("C", "* oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
                ("C", "* Redis version=7.4.2, bits=64, commit=00000000, modified=0, pid=1, just started"),
                ("C", "# Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf"),
                ("M", "* monotonic clock: POSIX clock_gettime"),
                ("M", "* Running mode=standalone, port=6379."),
                ("M", "* Server initialized"),
                ("M", "* Ready to accept connections tcp"),
            ] {
                push(1, format!("1:{role} {ts} {line}"));
            }
        }
        ServerKind::Mysql => {
            let t = entrypoint_time(at);
            push(
                0,
                format!("{t} [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.2.0-1.el9 started."),
            );
            push(
                120,
                format!("{t} [Note] [Entrypoint]: Switching to dedicated user 'mysql'"),
            );
            push(
                140,
                format!("{t} [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.2.0-1.el9 started."),
            );
            push(300, format!("{t} [Note] [Entrypoint]: Initializing database files"));
            let t2 = entrypoint_time(at.plus_ms(9000));
            push(9000, format!("{t2} [Note] [Entrypoint]: Database files initialized"));
            push(9100, format!("{t2} [Note] [Entrypoint]: Starting temporary server"));
            push(
                12_000,
                format!(
                    "{} [Note] [Entrypoint]: Temporary server started.",
                    entrypoint_time(at.plus_ms(12_000))
                ),
            );
            push(
                13_500,
                format!(
                    "{} [Note] [Entrypoint]: Stopping temporary server",
                    entrypoint_time(at.plus_ms(13_500))
                ),
            );
            push(
                13_900,
                format!(
                    "{} [Note] [Entrypoint]: MySQL init process done. Ready for start up.",
                    entrypoint_time(at.plus_ms(13_900))
                ),
            );
            let (y, mo, d, h, mi, s, _) = civil(Timestamp(at.plus_ms(14_000)));
            push(14_000, format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}Z 0 [System] [MY-015015] [Server] MySQL Server - start.", 412_223));
            push(14_000, format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:06}Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '9.2.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.", 733_109));
        }
        ServerKind::Mariadb => {
            let t = entrypoint_time(at);
            push(
                0,
                format!(
                    "{t} [Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:11.7.2+maria~ubu2404 started."
                ),
            );
            push(
                200,
                format!("{t} [Note] [Entrypoint]: Switching to dedicated user 'mysql'"),
            );
            push(400, format!("{t} [Note] [Entrypoint]: Initializing database files"));
            push(
                6_000,
                format!(
                    "{} [Note] [Entrypoint]: MariaDB init process done. Ready for start up.",
                    entrypoint_time(at.plus_ms(6_000))
                ),
            );
            push(
                6_000,
                format!(
                    "{} 0 [Note] mariadbd: ready for connections.",
                    nginx_time(at.plus_ms(6_000)).replace('/', "-")
                ),
            );
        }
        ServerKind::Zookeeper => {
            push(0, "#This file was autogenerated DO NOT EDIT".into());
            push(0, "clientPort=2181".into());
            push(0, "dataDir=/var/lib/zookeeper/data".into());
            push(0, "dataLogDir=/var/lib/zookeeper/data/log".into());
            push(0, "tickTime=2000".into());
            push(0, "initLimit=10".into());
            push(0, "syncLimit=5".into());
            push(0, "maxClientCnxns=60".into());
            push(0, "minSessionTimeout=4000".into());
            push(0, "maxSessionTimeout=40000".into());
            push(0, "autopurge.snapRetainCount=3".into());
            push(0, "autopurge.purgeInteval=12".into());
            push(5, "Creating ZooKeeper log4j configuration".into());
            push(40, "ZooKeeper JMX enabled by default".into());
            push(40, "Using config: /usr/bin/../etc/zookeeper/zoo.cfg".into());
        }
        ServerKind::AgnhostNetexec => {
            push(
                0,
                "I0302 09:00:00.000000       1 log.go:245] Started HTTP server on port 8080".into(),
            );
            push(
                0,
                "I0302 09:00:00.000000       1 log.go:245] Started UDP server on port  8081".into(),
            );
        }
        ServerKind::AgnhostServeHostname => {
            push(0, "Serving on port 9376.".into());
        }
        ServerKind::HelloApp { .. } => push(0, "2026/03/02 09:00:00 Server listening on port 8080".into()),
        ServerKind::Postgres => {
            push(0, "PostgreSQL init process complete; ready for start up.".into());
            push(3000, "LOG:  database system is ready to accept connections".into());
        }
        _ => {}
    }
    // Rewrite fixed placeholders of Go/klog timestamps to the real time.
    if matches!(kind, ServerKind::AgnhostNetexec | ServerKind::HelloApp { .. }) {
        let (y, mo, d, h, mi, s, _) = civil(Timestamp(at));
        for (_, l) in v.iter_mut() {
            *l = l
                .replace(
                    "I0302 09:00:00.000000",
                    &format!("I{mo:02}{d:02} {h:02}:{mi:02}:{s:02}.{:06}", at.0 % 1000 * 1000),
                )
                .replace(
                    "2026/03/02 09:00:00",
                    &format!("{y}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}"),
                );
        }
    }
    v
}

/// The lines a server prints while shutting down gracefully.
pub fn stop_lines(kind: &ServerKind, at: SimTime) -> Vec<(SimTime, String)> {
    match kind {
        ServerKind::Nginx { minor, alpine, .. } if *minor >= 21 => {
            let ts = nginx_time(at);
            let first = if *alpine { 30 } else { 29 };
            let mut v = vec![format!("{ts} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down")];
            for w in 0..4 {
                v.push(format!(
                    "{ts} [notice] {}#{}: gracefully shutting down",
                    first + w,
                    first + w
                ));
                v.push(format!("{ts} [notice] {}#{}: exiting", first + w, first + w));
                v.push(format!("{ts} [notice] {}#{}: exit", first + w, first + w));
            }
            for w in 0..4 {
                v.push(format!(
                    "{ts} [notice] 1#1: signal 17 (SIGCHLD) received from {}",
                    first + w
                ));
                v.push(format!(
                    "{ts} [notice] 1#1: worker process {} exited with code 0",
                    first + w
                ));
            }
            v.push(format!("{ts} [notice] 1#1: exit"));
            v.into_iter().map(|l| (at, l)).collect()
        }
        ServerKind::Redis => {
            let (y, mo, d, h, mi, s, _) = civil(Timestamp(at));
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let ts = format!("{d:02} {} {y} {h:02}:{mi:02}:{s:02}.{:03}", MONTHS[mo - 1], at.0 % 1000);
            [
                "# Received SIGTERM scheduling shutdown...",
                "# User requested shutdown...",
                "* Saving the final RDB snapshot before exiting.",
                "* DB saved on disk",
                "# Redis is now ready to exit, bye bye...",
            ]
            .iter()
            .map(|l| (at, format!("1:M {ts} {l}")))
            .collect()
        }
        _ => Vec::new(),
    }
}

/// An HTTP answer and the log lines the server writes for it.
pub struct Served {
    pub status: u16,
    pub reason: &'static str,
    pub body: String,
    pub log: Vec<String>,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "OK",
    }
}

/// Answers `GET path` from a client. `read` looks files up in the container's file system.
pub fn serve(
    kind: &ServerKind,
    path: &str,
    client: &str,
    host_header: &str,
    user_agent: &str,
    now: SimTime,
    started: SimTime,
    request_no: u64,
    env: &Env<'_>,
    read: &mut dyn FnMut(&str) -> Option<Result<String, bool>>,
) -> Served {
    let path_only = path.split('?').next().unwrap_or("/");
    let (status, body, mut extra): (u16, String, Vec<String>) = match kind {
        ServerKind::Nginx { minor, patch, .. } => {
            let root = "/usr/share/nginx/html";
            let mut file = format!("{root}{path_only}");
            let dir_req = path_only.ends_with('/');
            if dir_req {
                file.push_str("index.html");
            }
            let ver = format!("nginx/1.{minor}.{patch}");
            let page = |code: u16, text: &str| format!("<html>\r\n<head><title>{code} {text}</title></head>\r\n<body>\r\n<center><h1>{code} {text}</h1></center>\r\n<hr><center>{ver}</center>\r\n</body>\r\n</html>\r\n");
            match read(&file) {
                Some(Ok(c)) => (200, c, Vec::new()),
                Some(Err(true)) => (301, page(301, "Moved Permanently"), Vec::new()),
                _ => {
                    let ts = nginx_time(now);
                    let worker = 29 + request_no % 4;
                    let msg = if dir_req {
                        format!("{ts} [error] {worker}#{worker}: *{request_no} directory index of \"{root}{path_only}\" is forbidden, client: {client}, server: localhost, request: \"GET {path} HTTP/1.1\", host: \"{host_header}\"")
                    } else {
                        format!("{ts} [error] {worker}#{worker}: *{request_no} open() \"{file}\" failed (2: No such file or directory), client: {client}, server: localhost, request: \"GET {path} HTTP/1.1\", host: \"{host_header}\"")
                    };
                    if dir_req {
                        (403, page(403, "Forbidden"), vec![msg])
                    } else {
                        (404, page(404, "Not Found"), vec![msg])
                    }
                }
            }
        }
        ServerKind::Httpd => {
            let mut file = format!("/usr/local/apache2/htdocs{path_only}");
            if path_only.ends_with('/') {
                file.push_str("index.html");
            }
            match read(&file) {
                Some(Ok(c)) => (200, c, Vec::new()),
                _ => (404, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".into(), Vec::new()),
            }
        }
        ServerKind::Apache { wordpress } => {
            if *wordpress {
                (500, "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>WordPress &rsaquo; Error</title>\n</head>\n<body id=\"error-page\">\n<div class=\"wp-die-message\"><h1>Error establishing a database connection</h1></div></body>\n</html>\n".into(), Vec::new())
            } else {
                (200, "OK!".into(), Vec::new())
            }
        }
        ServerKind::AgnhostLiveness => {
            let secs = now.since(started) as f64 / 1000.0;
            if path_only == "/healthz" && secs > 10.0 {
                (500, format!("error: {secs}"), Vec::new())
            } else if path_only == "/healthz" {
                (200, "ok".into(), Vec::new())
            } else {
                (404, "404 page not found\n".into(), Vec::new())
            }
        }
        ServerKind::AgnhostNetexec => match path_only {
            "/hostname" => (200, env.hostname.to_string(), Vec::new()),
            "/healthz" => (200, String::new(), Vec::new()),
            "/clientip" => (200, format!("{client}:{}", 40000 + request_no % 20000), Vec::new()),
            _ => (200, format!("NOW: {}", Timestamp(now)), Vec::new()),
        },
        ServerKind::AgnhostServeHostname => (200, env.hostname.to_string(), Vec::new()),
        ServerKind::HelloApp { version } => (200, format!("Hello, world!\nVersion: {version}\nHostname: {}\n", env.hostname), vec![format!("{} Serving request: {path_only}", nginx_time(now))]),
        ServerKind::Echo { .. } => (200, format!("\n\nHostname: {}\n\nRequest Information:\n\tclient_address={client}\n\tmethod=GET\n\treal path={path}\n\tquery=\n\trequest_version=1.1\n\trequest_uri=http://{host_header}:8080{path}\n\nRequest Headers:\n\taccept=*/*\n\thost={host_header}\n\tuser-agent={user_agent}\n\nRequest Body:\n\t-no body in request-\n\n", env.hostname), Vec::new()),
        _ => (200, String::new(), Vec::new()),
    };
    let mut log = Vec::new();
    match kind {
        ServerKind::Nginx { .. } => {
            log.append(&mut extra);
            log.push(format!(
                "{client} - - [{}] \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{user_agent}\" \"-\"",
                clf_time(now),
                body.len()
            ));
        }
        ServerKind::Httpd | ServerKind::Apache { .. } => log.push(format!(
            "{client} - - [{}] \"GET {path} HTTP/1.1\" {status} {}",
            clf_time(now),
            body.len()
        )),
        _ => log.append(&mut extra),
    }
    Served {
        status,
        reason: reason(status),
        body,
        log,
    }
}

/// What running `argv` in an image does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// A server: runs until stopped.
    Server(ServerKind, Vec<(u64, String)>),
    /// Prints and exits (`nginx -v`, mysql without a password, nginx daemonizing).
    Exit { code: i32, lines: Vec<String> },
    /// `stress --vm N --vm-bytes 250M`: allocates memory and spins.
    Stress { bytes: u64, lines: Vec<String> },
    /// A one-shot tool run from a shell.
    Tool(Outcome),
    /// Not a program of this image: the shell or the runtime decide.
    Unknown,
}

fn base(argv0: &str) -> &str {
    argv0.rsplit('/').next().unwrap_or(argv0)
}

fn env_has(env: &[(String, String)], keys: &[&str]) -> bool {
    env.iter().any(|(k, v)| keys.contains(&k.as_str()) && !v.is_empty())
}

/// Parses a size as stress does (`250M`, `1G`, `512K`, bytes).
fn stress_size(s: &str) -> u64 {
    let (n, mult) = match s.chars().last() {
        Some('K') | Some('k') => (&s[..s.len() - 1], 1u64 << 10),
        Some('M') | Some('m') => (&s[..s.len() - 1], 1 << 20),
        Some('G') | Some('g') => (&s[..s.len() - 1], 1 << 30),
        Some('B') | Some('b') => (&s[..s.len() - 1], 1),
        _ => (s, 1),
    };
    n.parse::<u64>().unwrap_or(0).saturating_mul(mult)
}

/// The program `argv` names in this image, and what it does.
pub fn program(info: &ImageInfo, image: &str, argv: &[String], env: &[(String, String)]) -> Program {
    let Some(first) = argv.first() else {
        return Program::Unknown;
    };
    let name = base(first);
    let shipped = info.programs.iter().any(|p| *p == first.as_str() || base(p) == name);
    if !shipped {
        return Program::Unknown;
    }
    let (_, tag) = images::split(image);
    let alpine = images::variant_os(image) == Os::Alpine;
    let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    match name {
        // ingress-nginx's PID 1: execs the arguments after its own flags and `--`.
        "dumb-init" => {
            let rest: Vec<String> = argv[1..].iter().skip_while(|a| a.starts_with('-')).cloned().collect();
            program(info, image, &rest, env)
        }
        "docker-entrypoint.sh" | "/docker-entrypoint.sh" | "docker-php-entrypoint" | "entrypoint.sh" => {
            // The official images' entrypoints set things up, then `exec "$@"`.
            if argv.len() == 1 {
                return Program::Exit { code: 0, lines: Vec::new() };
            }
            let rest = &argv[1..];
            if rest[0].starts_with('-') {
                // `docker-entrypoint.sh --flag` means "the default server with these flags".
                let mut full: Vec<String> = info.cmd.iter().map(|s| s.to_string()).collect();
                full.extend(rest.iter().cloned());
                return program(info, image, &full, env);
            }
            program(info, image, rest, env)
        }
        "nginx" | "nginx-debug" => {
            let v = images::nginx_version(&tag);
            let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0)).skip(1);
            let (minor, patch) = (parts.next().unwrap_or(27), parts.next().unwrap_or(0));
            let minor = if info.repository == "registry.k8s.io/nginx-slim" { 11 } else { minor };
            match args.as_slice() {
                ["-v"] => Program::Tool(Outcome::fail(0, format!("nginx version: nginx/{v}\n"))),
                ["-V"] => Program::Tool(Outcome::fail(0, format!("nginx version: nginx/{v}\nbuilt by gcc 12.2.0 (Debian 12.2.0-14) \n"))),
                ["-t"] => Program::Tool(Outcome::fail(0, "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n")),
                ["-s", _] => Program::Tool(Outcome::ok("")),
                _ => {
                    let foreground = args.windows(2).any(|w| w[0] == "-g" && w[1].replace(' ', "").contains("daemonoff;"));
                    let kind = ServerKind::Nginx { minor, patch, alpine };
                    if foreground {
                        Program::Server(kind, Vec::new())
                    } else {
                        // The image's nginx.conf does not say `daemon off;`: nginx forks into
                        // the background and the foreground process exits at once.
                        Program::Exit { code: 0, lines: Vec::new() }
                    }
                }
            }
        }
        "httpd-foreground" => Program::Server(ServerKind::Httpd, Vec::new()),
        "httpd" => {
            if args.iter().any(|a| a.contains("FOREGROUND")) {
                Program::Server(ServerKind::Httpd, Vec::new())
            } else if args.first() == Some(&"-v") {
                Program::Tool(Outcome::ok("Server version: Apache/2.4.63 (Unix)\nServer built:   Jan 23 2025 00:00:00\n"))
            } else {
                Program::Exit { code: 0, lines: Vec::new() }
            }
        }
        "apache2-foreground" => Program::Server(ServerKind::Apache { wordpress: info.repository == "wordpress" }, Vec::new()),
        "redis-server" => Program::Server(ServerKind::Redis, Vec::new()),
        "redis-cli" => {
            let cmd: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
            Program::Tool(match cmd.first().map(|c| c.to_ascii_lowercase()).as_deref() {
                Some("ping") => Outcome::ok("PONG\n"),
                Some("set") => Outcome::ok("OK\n"),
                Some("get") => Outcome::ok("\n"),
                _ => Outcome::ok(""),
            })
        }
        "mysqld" | "mariadbd" => {
            let maria = info.repository == "mariadb";
            let ok = if maria {
                env_has(env, &["MARIADB_ROOT_PASSWORD", "MYSQL_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_RANDOM_ROOT_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD_HASH"])
            } else {
                env_has(env, &["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"])
            };
            if ok {
                Program::Server(if maria { ServerKind::Mariadb } else { ServerKind::Mysql }, Vec::new())
            } else if maria {
                Program::Exit {
                    code: 1,
                    lines: vec![
                        "[Note] [Entrypoint]: Entrypoint script for MariaDB Server 1:11.7.2+maria~ubu2404 started.".into(),
                        "[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified".into(),
                        "\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD".into(),
                    ],
                }
            } else {
                Program::Exit {
                    code: 1,
                    lines: vec![
                        "[Note] [Entrypoint]: Entrypoint script for MySQL Server 9.2.0-1.el9 started.".into(),
                        "[Note] [Entrypoint]: Switching to dedicated user 'mysql'".into(),
                        "[Note] [Entrypoint]: Entrypoint script for MySQL Server 9.2.0-1.el9 started.".into(),
                        "[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified".into(),
                        "    You need to specify one of the following as an environment variable:".into(),
                        "    - MYSQL_ROOT_PASSWORD".into(),
                        "    - MYSQL_ALLOW_EMPTY_PASSWORD".into(),
                        "    - MYSQL_RANDOM_ROOT_PASSWORD".into(),
                    ],
                }
            }
        }
        "mysql" | "mariadb" | "mysqladmin" => Program::Tool(Outcome::fail(1, "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)\n")),
        "start-zookeeper" => Program::Server(ServerKind::Zookeeper, Vec::new()),
        "zookeeper-ready" => Program::Tool(Outcome::ok("imok")),
        "stress" => {
            let mut bytes = 0u64;
            let mut workers = 0u64;
            let mut i = 0;
            while i < args.len() {
                match args[i] {
                    "--vm" | "-m" => {
                        workers = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(1);
                        i += 1;
                    }
                    "--vm-bytes" => {
                        bytes = args.get(i + 1).map(|v| stress_size(v)).unwrap_or(256 << 20);
                        i += 1;
                    }
                    _ => {}
                }
                i += 1;
            }
            if args.is_empty() || args.contains(&"--help") || args.contains(&"-?") {
                return Program::Exit { code: 1, lines: vec!["`stress' imposes certain types of compute stress on your system".into(), "".into(), "Usage: stress [OPTION [ARG]] ...".into()] };
            }
            if workers > 0 && bytes == 0 {
                bytes = 256 << 20;
            }
            let total = bytes.saturating_mul(workers.max(1));
            Program::Stress { bytes: total, lines: vec![format!("stress: info: [1] dispatching hogs: 0 cpu, 0 io, {workers} vm, 0 hdd")] }
        }
        "/agnhost" | "agnhost" => match args.first().copied() {
            Some("liveness") => Program::Server(ServerKind::AgnhostLiveness, Vec::new()),
            Some("netexec") => Program::Server(ServerKind::AgnhostNetexec, Vec::new()),
            Some("serve-hostname") => Program::Server(ServerKind::AgnhostServeHostname, Vec::new()),
            Some("pause") | None => Program::Server(ServerKind::Generic { name: "agnhost", ports: &[], sigterm_exit: 0 }, vec![(0, "Paused".into())]),
            Some(other) => Program::Exit { code: 1, lines: vec![format!("Error: unknown command \"{other}\" for \"agnhost\"")] },
        },
        "/goproxy" | "goproxy" => Program::Server(ServerKind::Goproxy, Vec::new()),
        "/echo-server" | "echo-server" | "/usr/local/bin/run.sh" | "run.sh" => Program::Server(ServerKind::Echo { port: 8080 }, Vec::new()),
        "/whoami" | "whoami" => Program::Server(ServerKind::Echo { port: 80 }, Vec::new()),
        "/hello-app" | "hello-app" => Program::Server(ServerKind::HelloApp { version: if tag == "2.0" { "2.0.0" } else { "1.0.0" } }, Vec::new()),
        "/hello" | "hello" => Program::Exit {
            code: 0,
            lines: "\nHello from Docker!\nThis message shows that your installation appears to be working correctly.\n\nTo generate this message, Docker took the following steps:\n 1. The Docker client contacted the Docker daemon.\n 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub.\n    (amd64)\n 3. The Docker daemon created a new container from that image which runs the\n    executable that produces the output you are currently reading.\n 4. The Docker daemon streamed that output to the Docker client, which sent it\n    to your terminal.\n\nTo try something more ambitious, you can run an Ubuntu container with:\n $ docker run -it ubuntu bash\n\nShare images, debug containers, and discover more features with a free Docker ID:\n https://hub.docker.com/\n\nFor more examples and ideas, visit:\n https://docs.docker.com/get-started/\n".lines().map(str::to_string).collect(),
        },
        "postgres" => {
            if env_has(env, &["POSTGRES_PASSWORD"]) || env.iter().any(|(k, v)| k == "POSTGRES_HOST_AUTH_METHOD" && v == "trust") {
                Program::Server(ServerKind::Postgres, Vec::new())
            } else {
                Program::Exit {
                    code: 1,
                    lines: vec![
                        "Error: Database is uninitialized and superuser password is not specified.".into(),
                        "       You must specify POSTGRES_PASSWORD to a non-empty value for the".into(),
                        "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".".into(),
                    ],
                }
            }
        }
        "mongod" => Program::Server(ServerKind::Mongo, Vec::new()),
        "node" | "python" | "python3" | "perl" if argv.len() == 1 => Program::Exit { code: 0, lines: Vec::new() },
        "perl" => {
            // The Job tutorial: `perl -Mbignum=bpi -wle 'print bpi(2000)'`.
            if args.iter().any(|a| a.contains("bpi(")) {
                Program::Exit { code: 0, lines: vec![pi_digits(2000)] }
            } else {
                Program::Exit { code: 0, lines: Vec::new() }
            }
        }
        "curl" => Program::Unknown,
        "pause" | "/pause" => Program::Server(ServerKind::Generic { name: "/pause", ports: &[], sigterm_exit: 0 }, Vec::new()),
        "etcd" => Program::Server(ServerKind::Generic { name: "etcd", ports: &[2379, 2380], sigterm_exit: 0 }, Vec::new()),
        "kube-apiserver" => Program::Server(ServerKind::Generic { name: "kube-apiserver", ports: &[6443], sigterm_exit: 0 }, Vec::new()),
        "kube-controller-manager" => Program::Server(ServerKind::Generic { name: "kube-controller-manager", ports: &[10257], sigterm_exit: 0 }, Vec::new()),
        "kube-scheduler" => Program::Server(ServerKind::Generic { name: "kube-scheduler", ports: &[10259], sigterm_exit: 0 }, Vec::new()),
        "kube-proxy" => Program::Server(ServerKind::Generic { name: "kube-proxy", ports: &[10249, 10256], sigterm_exit: 0 }, Vec::new()),
        "coredns" => Program::Server(ServerKind::Generic { name: "/coredns", ports: &[53, 8080, 8181, 9153], sigterm_exit: 0 }, Vec::new()),
        "kindnetd" => Program::Server(ServerKind::Generic { name: "/bin/kindnetd", ports: &[], sigterm_exit: 0 }, Vec::new()),
        "nginx-ingress-controller" => Program::Server(ServerKind::Generic { name: "/nginx-ingress-controller", ports: &[80, 443, 8443, 10254], sigterm_exit: 0 }, Vec::new()),
        "local-path-provisioner" => Program::Server(ServerKind::Generic { name: "local-path-provisioner", ports: &[], sigterm_exit: 0 }, Vec::new()),
        "rabbitmq-server" => Program::Server(ServerKind::Generic { name: "rabbitmq-server", ports: &[5672, 15672], sigterm_exit: 0 }, Vec::new()),
        "memcached" => Program::Server(ServerKind::Generic { name: "memcached", ports: &[11211], sigterm_exit: 0 }, Vec::new()),
        // Clients and tools (curl, wget, bash, php…): the shell's applets or nothing.
        _ => Program::Unknown,
    }
}

/// π to `n` significant digits, rounded, as Perl's `bignum` prints `bpi(n)` (the Job tutorial
/// runs `perl -Mbignum=bpi -wle 'print bpi(2000)'`). Machin's formula on base-10⁴ limbs.
pub fn pi_digits(n: usize) -> String {
    const BASE: u32 = 10_000;
    let limbs = (n + 16) / 4 + 2;
    let div = |v: &mut [u32], d: u32| {
        let mut rem: u64 = 0;
        for x in v.iter_mut() {
            let cur = rem * u64::from(BASE) + u64::from(*x);
            *x = (cur / u64::from(d)) as u32;
            rem = cur % u64::from(d);
        }
    };
    let add = |a: &mut [u32], b: &[u32]| {
        let mut carry = 0;
        for i in (0..a.len()).rev() {
            let s = a[i] + b[i] + carry;
            a[i] = s % BASE;
            carry = s / BASE;
        }
    };
    let sub = |a: &mut [u32], b: &[u32]| {
        let mut borrow = 0i64;
        for i in (0..a.len()).rev() {
            let mut s = i64::from(a[i]) - i64::from(b[i]) - borrow;
            borrow = 0;
            if s < 0 {
                s += i64::from(BASE);
                borrow = 1;
            }
            a[i] = s as u32;
        }
    };
    let arctan_inv = |x: u32, mult: u32| -> Vec<u32> {
        let mut result = vec![0u32; limbs];
        let mut term = vec![0u32; limbs];
        term[0] = mult;
        div(&mut term, x);
        let mut k: u32 = 0;
        while term.iter().any(|&t| t != 0) {
            let mut t = term.clone();
            div(&mut t, 2 * k + 1);
            if k % 2 == 0 {
                add(&mut result, &t);
            } else {
                sub(&mut result, &t);
            }
            div(&mut term, x * x);
            k += 1;
        }
        result
    };
    let mut pi = arctan_inv(5, 16);
    sub(&mut pi, &arctan_inv(239, 4));
    let mut digits: Vec<u8> = pi[0].to_string().bytes().map(|b| b - b'0').collect();
    for l in &pi[1..] {
        digits.extend(format!("{l:04}").bytes().map(|b| b - b'0'));
    }
    let mut keep: Vec<u8> = digits[..n].to_vec();
    if digits[n] >= 5 {
        let mut i = n;
        while i > 0 {
            i -= 1;
            if keep[i] == 9 {
                keep[i] = 0;
            } else {
                keep[i] += 1;
                break;
            }
        }
    }
    let mut s = String::with_capacity(n + 1);
    s.push((b'0' + keep[0]) as char);
    s.push('.');
    s.extend(keep[1..].iter().map(|d| (b'0' + d) as char));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pi_for_the_job_tutorial() {
        let p = pi_digits(2000);
        assert_eq!(p.len(), 2001);
        assert!(p.starts_with("3.14159265358979323846264338327950288419716939937510"));
    }

    #[test]
    fn nginx_404_page_is_153_bytes() {
        let env = Env {
            hostname: "web",
            pod_ip: "10.244.1.5",
            env: &[],
        };
        let mut read = |_: &str| None;
        let s = serve(
            &ServerKind::Nginx {
                minor: 27,
                patch: 4,
                alpine: false,
            },
            "/x.html",
            "10.244.1.1",
            "10.244.1.5:80",
            "kube-probe/1.32",
            SimTime(0),
            SimTime(0),
            1,
            &env,
            &mut read,
        );
        assert_eq!(s.status, 404);
        assert_eq!(s.body.len(), 153);
        assert!(
            s.log[1].ends_with("\"GET /x.html HTTP/1.1\" 404 153 \"-\" \"kube-probe/1.32\" \"-\""),
            "{:?}",
            s.log
        );
    }

    #[test]
    fn entrypoints_exec_their_arguments() {
        let info = images::lookup("nginx");
        let argv: Vec<String> = ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(matches!(
            program(&info, "nginx", &argv, &[]),
            Program::Server(ServerKind::Nginx { minor: 29, .. }, _)
        ));
        let argv: Vec<String> = ["nginx"].iter().map(|s| s.to_string()).collect();
        assert!(matches!(
            program(&info, "nginx", &argv, &[]),
            Program::Exit { code: 0, .. }
        ));
        let info = images::lookup("mysql:8.0");
        let argv: Vec<String> = ["docker-entrypoint.sh", "mysqld"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(matches!(
            program(&info, "mysql:8.0", &argv, &[]),
            Program::Exit { code: 1, .. }
        ));
    }
}
