//! The console's `curl` (curl 8.x in a shell on the control-plane node, not in a pod): pod
//! IPs, Service cluster IPs and node IPs with host ports or NodePorts answer, as do an open
//! `kubectl port-forward` on `localhost` and kind's mapped ports 80/443 (an ingress controller
//! with host ports); see [`crate::engine::outside`]. Cluster DNS names do not resolve on a node,
//! and an address nothing answers times out after curl's ~134 s of SYN retries, on the virtual
//! clock.
//!
//! Supported: `-s -S -f -i -I -k -o FILE -H 'Host: …'` (`--header`), `-m`, `-L`, `-v`-less
//! output; `https://` needs `-k` (ingress-nginx serves its self-signed "Kubernetes Ingress
//! Controller Fake Certificate").

use super::port_forward;
use crate::engine::outside::HostTarget;
use crate::engine::shell::Http;
use crate::session::Session;
use crate::Output;

const USER_AGENT: &str = "curl/8.11.1";
/// curl's connect timeout on Linux: the kernel's SYN retries (`tcp_syn_retries` = 6).
const CONNECT_TIMEOUT_MS: u64 = 134_807;

pub fn run(s: &mut Session, argv: &[String]) -> Output {
    let mut silent = false;
    let mut show_err = false;
    let mut fail = false;
    let mut head = false;
    let mut include = false;
    let mut insecure = false;
    let mut out_file: Option<String> = None;
    let mut host_header: Option<String> = None;
    let mut url: Option<String> = None;
    let mut i = 1;
    while i < argv.len() {
        let a = argv[i].as_str();
        let mut value = || {
            i += 1;
            argv.get(i).cloned()
        };
        match a {
            "-o" | "--output" => out_file = value(),
            "-H" | "--header" => {
                if let Some(h) = value() {
                    if let Some((k, v)) = h.split_once(':') {
                        if k.trim().eq_ignore_ascii_case("host") {
                            host_header = Some(v.trim().to_string());
                        }
                    }
                }
            }
            "-m" | "--max-time" | "--connect-timeout" | "-A" | "--user-agent" | "-X" | "--request" | "-d"
            | "--data" | "-w" | "--write-out" | "--resolve" => {
                value();
            }
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_err = true,
            "-f" | "--fail" => fail = true,
            "-I" | "--head" => head = true,
            "-i" | "--include" => include = true,
            "-k" | "--insecure" => insecure = true,
            _ if a.starts_with("--") => {}
            _ if a.starts_with('-') && a.len() > 1 => {
                for c in a.chars().skip(1) {
                    match c {
                        's' => silent = true,
                        'S' => show_err = true,
                        'f' => fail = true,
                        'I' => head = true,
                        'i' => include = true,
                        'k' => insecure = true,
                        _ => {}
                    }
                }
            }
            _ => url = Some(a.to_string()),
        }
        i += 1;
    }
    let quiet = silent && !show_err;
    let err = |code: i32, msg: String| -> Output {
        let mut o = Output::ok();
        if !quiet {
            o.errln(format!("curl: ({code}) {msg}"));
        }
        o.exit_code = code;
        o
    };
    let Some(url) = url else {
        return err(2, "no URL specified".into()).tap_hint();
    };
    let Some((tls, host, port, path)) = parse_url(&url) else {
        return err(3, "URL rejected: Malformed input to a URL function".into());
    };
    let loopback = host == "localhost" || host == "127.0.0.1";
    let ipv4 = host.split('.').count() == 4 && host.split('.').all(|p| p.parse::<u8>().is_ok());
    if !loopback && !ipv4 {
        return err(6, format!("Could not resolve host: {host}"));
    }
    let mut out = Output::ok();
    let target = if loopback {
        port_forward::connect(s, port, &mut out).unwrap_or(HostTarget::Address {
            ip: "127.0.0.1".into(),
            port,
        })
    } else {
        HostTarget::Address { ip: host.clone(), port }
    };
    if tls && !insecure {
        if let HostTarget::Address { port: 443, .. } = target {
            out.extend(err(60, "SSL certificate problem: self-signed certificate".into()));
            return out;
        }
    }
    if let HostTarget::Address { port: 0, .. } = target {
        // The forward accepted the connection, then kubectl exited: nothing comes back.
        out.extend(err(52, "Empty reply from server".into()));
        return out;
    }
    let header = host_header.unwrap_or_else(|| host.clone());
    let answer = s.cluster.host_http(&target, &path, &header, USER_AGENT);
    if let (HostTarget::Pod { port: remote, .. }, Http::Refused) = (&target, &answer) {
        let uid = s
            .forwards
            .iter()
            .find(|f| f.local == port)
            .map(|f| f.uid.clone())
            .unwrap_or_default();
        out.errln(port_forward::refused_line(s, port, *remote, &uid));
        out.extend(err(52, "Empty reply from server".into()));
        return out;
    }
    match answer {
        Http::BadHost => out.extend(err(6, format!("Could not resolve host: {host}"))),
        Http::Refused => out.extend(err(
            7,
            format!("Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"),
        )),
        Http::Timeout => {
            out.extend(s.advance(CONNECT_TIMEOUT_MS));
            out.extend(err(
                28,
                format!(
                    "Failed to connect to {host} port {port} after {CONNECT_TIMEOUT_MS} ms: Couldn't connect to server"
                ),
            ));
        }
        Http::Response { status, reason, body } => {
            if fail && status >= 400 {
                out.extend(err(22, format!("The requested URL returned error: {status}")));
                return out;
            }
            let headers = format!(
                "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            let text = if head {
                headers
            } else if include {
                format!("{headers}{body}")
            } else {
                body
            };
            match out_file {
                Some(f) => {
                    s.files.insert(f, text);
                }
                None => {
                    out.out(text);
                }
            }
        }
    }
    out
}

trait Hint {
    fn tap_hint(self) -> Self;
}

impl Hint for Output {
    /// curl's usage hint after an argument error.
    fn tap_hint(mut self) -> Self {
        self.errln("curl: try 'curl --help' or 'curl --manual' for more information");
        self
    }
}

/// `[http[s]://]host[:port][/path]` → (tls, host, port, path).
fn parse_url(url: &str) -> Option<(bool, String, u16, String)> {
    let (tls, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else if url.contains("://") {
        return None;
    } else {
        (false, url)
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().ok()?),
        None => (authority, if tls { 443 } else { 80 }),
    };
    if host.is_empty() {
        return None;
    }
    Some((tls, host.to_ascii_lowercase(), port, path))
}

#[cfg(test)]
mod tests {
    use super::parse_url;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("localhost:8080"),
            Some((false, "localhost".into(), 8080, "/".into()))
        );
        assert_eq!(
            parse_url("http://localhost/blog"),
            Some((false, "localhost".into(), 80, "/blog".into()))
        );
        assert_eq!(
            parse_url("https://127.0.0.1/x"),
            Some((true, "127.0.0.1".into(), 443, "/x".into()))
        );
        assert_eq!(parse_url("ftp://x"), None);
    }
}
