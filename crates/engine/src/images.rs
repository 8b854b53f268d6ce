//! The image catalogue: what the simulated registry knows about the images tutorials use. Sizes
//! drive pull times; `stops_on_sigterm` decides whether deletion takes a moment or the whole grace
//! period (a shell or `sleep` as PID 1 ignores SIGTERM and is killed after 30 s).

/// What kubelab knows about one image repository.
#[derive(Clone, Copy, Debug)]
pub struct ImageInfo {
    pub repository: &'static str,
    pub size_bytes: u64,
    /// Exits promptly on SIGTERM (nginx, httpd, redis); `false` for shells and `sleep`.
    pub stops_on_sigterm: bool,
}

const CATALOGUE: &[ImageInfo] = &[
    ImageInfo { repository: "nginx", size_bytes: 72_195_292, stops_on_sigterm: true },
    ImageInfo { repository: "httpd", size_bytes: 58_036_742, stops_on_sigterm: true },
    ImageInfo { repository: "redis", size_bytes: 45_124_536, stops_on_sigterm: true },
    ImageInfo { repository: "busybox", size_bytes: 2_155_601, stops_on_sigterm: false },
    ImageInfo { repository: "alpine", size_bytes: 3_645_890, stops_on_sigterm: false },
    ImageInfo { repository: "mysql", size_bytes: 172_436_096, stops_on_sigterm: true },
    ImageInfo { repository: "mariadb", size_bytes: 122_013_514, stops_on_sigterm: true },
    ImageInfo { repository: "wordpress", size_bytes: 253_771_620, stops_on_sigterm: true },
    ImageInfo { repository: "registry.k8s.io/nginx-slim", size_bytes: 20_453_142, stops_on_sigterm: true },
    ImageInfo { repository: "registry.k8s.io/pause", size_bytes: 320_368, stops_on_sigterm: true },
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

/// The catalogue entry for an image, or a plausible small generic image for unknown names.
pub fn lookup(image: &str) -> ImageInfo {
    let (repo, _) = split(image);
    CATALOGUE.iter().copied().find(|i| i.repository == repo).unwrap_or(ImageInfo {
        repository: "",
        size_bytes: 10_000_000 + crate::names::stable_hash(&[&repo]) % 40_000_000,
        stops_on_sigterm: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_containerd() {
        assert_eq!(normalized("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(normalized("nginx:1.27"), "docker.io/library/nginx:1.27");
        assert_eq!(normalized("bitnami/redis:7"), "docker.io/bitnami/redis:7");
        assert_eq!(normalized("registry.k8s.io/nginx-slim:0.8"), "registry.k8s.io/nginx-slim:0.8");
        assert_eq!(lookup("nginx:1.27").size_bytes, 72_195_292);
        assert!(!lookup("busybox").stops_on_sigterm);
    }
}
