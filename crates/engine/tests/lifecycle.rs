//! Pod lifecycle scenarios: container processes, exits and restarts with the crash back-off,
//! init containers, image pull failures, probes, hooks, termination, OOM, logs and exec — each
//! checked against what a v1.32 cluster shows (`kubectl-behaviour.md` §4, §11.4–11.5,
//! `describe-formats.md` §7.1).

use kubelab_engine::api::*;
use kubelab_engine::{Cluster, ClusterConfig, DeleteOptions, ExecError, SimTime};
use proptest::prelude::*;
use serde_json::json;

fn cluster() -> Cluster {
    Cluster::new(ClusterConfig::default())
}

fn container(name: &str, image: &str) -> Container {
    Container {
        name: name.into(),
        image: image.into(),
        ..Default::default()
    }
}

fn sh(name: &str, image: &str, script: &str) -> Container {
    Container {
        command: vec!["sh".into(), "-c".into(), script.into()],
        ..container(name, image)
    }
}

fn pod(name: &str, containers: Vec<Container>) -> Pod {
    let mut p = Pod {
        metadata: ObjectMeta::named(name, Some("default")),
        ..Default::default()
    };
    p.metadata.labels.insert("app".into(), name.into());
    p.spec.containers = containers;
    p
}

fn create(c: &mut Cluster, p: Pod) {
    c.create(Object::Pod(p)).unwrap();
}

fn get(c: &Cluster, name: &str) -> Pod {
    c.get(Kind::Pod, "default", name)
        .and_then(|o| o.as_pod().cloned())
        .unwrap_or_else(|| panic!("pod {name} is gone"))
}

fn events(c: &Cluster, name: &str) -> Vec<(String, String)> {
    let p = get(c, name);
    c.events_for(p.metadata.uid())
        .iter()
        .map(|e| {
            (
                e.reason.clone().unwrap_or_default(),
                e.message.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn has_event(c: &Cluster, name: &str, reason: &str, message: &str) -> bool {
    events(c, name).iter().any(|(r, m)| r == reason && m == message)
}

fn count_of(c: &Cluster, name: &str, reason: &str, message: &str) -> i64 {
    let p = get(c, name);
    c.events_for(p.metadata.uid())
        .iter()
        .filter(|e| e.reason.as_deref() == Some(reason) && e.message.as_deref() == Some(message))
        .map(|e| e.count.unwrap_or(1))
        .sum()
}

/// kubectl's STATUS column (`printPod`, kubectl-behaviour.md §4.2).
fn status(p: &Pod) -> String {
    let mut reason = p.status.reason.clone().unwrap_or_else(|| p.phase().to_string());
    let mut initializing = false;
    let n = p.spec.init_containers.len();
    for (i, s) in p.status.init_container_statuses.iter().enumerate() {
        let sidecar = p
            .spec
            .init_containers
            .get(i)
            .is_some_and(|c| c.restart_policy.as_deref() == Some("Always"));
        if let Some(t) = &s.state.terminated {
            if t.exit_code == 0 {
                continue;
            }
            reason = format!(
                "Init:{}",
                t.reason.clone().unwrap_or_else(|| format!("ExitCode:{}", t.exit_code))
            );
        } else if sidecar && s.started == Some(true) {
            continue;
        } else if let Some(w) = s
            .state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.clone())
            .filter(|r| r != "PodInitializing")
        {
            reason = format!("Init:{w}");
        } else {
            reason = format!("Init:{i}/{n}");
        }
        initializing = true;
        break;
    }
    if !initializing {
        let mut has_running = false;
        for s in p.status.container_statuses.iter().rev() {
            if let Some(w) = s.state.waiting.as_ref().and_then(|w| w.reason.clone()) {
                reason = w;
            } else if let Some(t) = &s.state.terminated {
                reason = t.reason.clone().unwrap_or_else(|| format!("ExitCode:{}", t.exit_code));
            } else if s.ready && s.state.running.is_some() {
                has_running = true;
            }
        }
        if reason == "Completed" && has_running {
            reason = if p.is_ready() {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if p.metadata.is_deleting() && !p.is_terminal() {
        reason = "Terminating".into();
    }
    reason
}

fn ready(p: &Pod) -> String {
    let total = p.spec.containers.len();
    let r = p
        .status
        .container_statuses
        .iter()
        .filter(|s| s.ready && s.state.running.is_some())
        .count();
    format!("{r}/{total}")
}

fn restarts(p: &Pod) -> i64 {
    p.status.container_statuses.iter().map(|s| s.restart_count).sum()
}

/// Advances in 100 ms steps until `f` holds (at most `max_ms`), returning the time it took.
fn wait_for(c: &mut Cluster, max_ms: u64, mut f: impl FnMut(&Cluster) -> bool) -> u64 {
    let start = c.now();
    for _ in 0..max_ms / 100 {
        if f(c) {
            return c.now().0 - start.0;
        }
        c.advance(100);
    }
    assert!(f(c), "condition not reached within {max_ms} ms");
    c.now().0 - start.0
}

fn exec(c: &mut Cluster, pod: &str, container: &str, argv: &[&str]) -> (String, String, i32) {
    let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
    match c.exec("default", pod, container, &argv, None) {
        Ok(o) => (o.stdout, o.stderr, o.exit_code),
        Err(e) => panic!("exec failed: {e:?}"),
    }
}

// ------------------------------------------------------------------------------------------------

#[test]
fn nginx_runs_serves_and_logs_its_banner() {
    let mut c = cluster();
    create(&mut c, pod("web", vec![container("nginx", "nginx:1.27")]));
    assert_eq!(status(&get(&c, "web")), "Pending");
    wait_for(&mut c, 30_000, |c| status(&get(c, "web")) == "Running");
    let p = get(&c, "web");
    assert_eq!(ready(&p), "1/1");
    assert!(has_event(&c, "web", "Pulling", "Pulling image \"nginx:1.27\""));
    assert!(has_event(&c, "web", "Created", "Created container: nginx"));
    assert!(has_event(&c, "web", "Started", "Started container nginx"));
    let logs = c.logs("default", "web", "nginx", false).unwrap();
    assert!(
        logs.starts_with(
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n"
        ),
        "{logs}"
    );
    assert!(logs.contains("[notice] 1#1: nginx/1.27.5\n"), "{logs}");
    // The welcome page is served, and exec sees the image's files.
    let (out, _, code) = exec(&mut c, "web", "nginx", &["cat", "/usr/share/nginx/html/index.html"]);
    assert_eq!(code, 0);
    assert!(out.contains("<title>Welcome to nginx!</title>"));
    let (out, _, _) = exec(&mut c, "web", "nginx", &["curl", "-s", "localhost"]);
    assert!(out.contains("Welcome to nginx!"), "{out}");
    // No wakeups for a pod that just runs.
    let before = c.now();
    c.advance(3_600_000);
    assert_eq!(restarts(&get(&c, "web")), 0);
    assert!(c.now() > before);
}

#[test]
fn crashing_container_backs_off_10_20_40_seconds() {
    let mut c = cluster();
    let mut p = pod("crashy", vec![sh("crashy", "busybox:1.36", "echo boom; exit 1")]);
    p.spec.containers[0].image_pull_policy = Some("IfNotPresent".into());
    create(&mut c, p);
    wait_for(&mut c, 30_000, |c| {
        get(c, "crashy")
            .status
            .container_statuses
            .first()
            .is_some_and(|s| s.state.terminated.is_some())
    });
    let p = get(&c, "crashy");
    assert_eq!(status(&p), "Error");
    let t = p.status.container_statuses[0].state.terminated.clone().unwrap();
    assert_eq!((t.exit_code, t.reason.as_deref()), (1, Some("Error")));
    // The first restart is immediate, the next ones wait 10 s, 20 s, 40 s.
    wait_for(&mut c, 5_000, |c| restarts(&get(c, "crashy")) == 1);
    wait_for(&mut c, 5_000, |c| status(&get(c, "crashy")) == "CrashLoopBackOff");
    let p = get(&c, "crashy");
    let w = p.status.container_statuses[0].state.waiting.clone().unwrap();
    assert_eq!(
        w.message.unwrap(),
        format!(
            "back-off 10s restarting failed container=crashy pod=crashy_default({})",
            p.metadata.uid()
        )
    );
    assert_eq!(
        p.status.container_statuses[0]
            .last_state
            .terminated
            .as_ref()
            .unwrap()
            .reason
            .as_deref(),
        Some("Error")
    );
    let waited = wait_for(&mut c, 30_000, |c| restarts(&get(c, "crashy")) == 2);
    assert!((9_000..=11_000).contains(&waited), "{waited}");
    wait_for(&mut c, 5_000, |c| status(&get(c, "crashy")) == "CrashLoopBackOff");
    let waited = wait_for(&mut c, 60_000, |c| restarts(&get(c, "crashy")) == 3);
    assert!((19_000..=21_000).contains(&waited), "{waited}");
    let msg = format!(
        "Back-off restarting failed container crashy in pod crashy_default({})",
        get(&c, "crashy").metadata.uid()
    );
    assert!(count_of(&c, "crashy", "BackOff", &msg) >= 2);
    // The log is the last instance's; --previous the one before.
    assert_eq!(c.logs("default", "crashy", "crashy", false).unwrap(), "boom\n");
    assert_eq!(c.logs("default", "crashy", "crashy", true).unwrap(), "boom\n");
    assert_eq!(get(&c, "crashy").phase(), "Running");
}

#[test]
fn restart_policies_decide_the_phase() {
    let mut c = cluster();
    for (name, policy, code) in [
        ("ok-never", "Never", 0),
        ("bad-never", "Never", 3),
        ("ok-onfailure", "OnFailure", 0),
    ] {
        let mut p = pod(
            name,
            vec![sh("main", "busybox:1.36", &format!("echo done; exit {code}"))],
        );
        p.spec.restart_policy = Some(policy.into());
        create(&mut c, p);
    }
    c.advance(30_000);
    let p = get(&c, "ok-never");
    assert_eq!(
        (p.phase(), status(&p).as_str(), ready(&p).as_str()),
        ("Succeeded", "Completed", "0/1")
    );
    let ready_cond = condition(&p.status.conditions, "Ready").unwrap();
    assert_eq!(ready_cond.reason.as_deref(), Some("PodCompleted"));
    assert_eq!(
        condition(&p.status.conditions, "PodReadyToStartContainers")
            .unwrap()
            .status,
        "False"
    );
    let p = get(&c, "bad-never");
    assert_eq!((p.phase(), status(&p).as_str()), ("Failed", "Error"));
    assert_eq!(
        p.status.container_statuses[0]
            .state
            .terminated
            .as_ref()
            .unwrap()
            .exit_code,
        3
    );
    let p = get(&c, "ok-onfailure");
    assert_eq!(p.phase(), "Succeeded");
    assert_eq!(c.logs("default", "ok-never", "main", false).unwrap(), "done\n");
}

#[test]
fn busybox_without_a_command_completes_and_crash_loops() {
    // `kubectl run b --image=busybox`: `sh` with no terminal exits at once.
    let mut c = cluster();
    create(&mut c, pod("b", vec![container("b", "busybox")]));
    wait_for(&mut c, 60_000, |c| status(&get(c, "b")) == "CrashLoopBackOff");
    let p = get(&c, "b");
    assert_eq!(
        p.status.container_statuses[0]
            .last_state
            .terminated
            .as_ref()
            .unwrap()
            .reason
            .as_deref(),
        Some("Completed")
    );
}

#[test]
fn unknown_tags_fail_to_pull_and_back_off() {
    let mut c = cluster();
    create(&mut c, pod("badimg", vec![container("badimg", "nginx:does-not-exist")]));
    wait_for(&mut c, 10_000, |c| status(&get(c, "badimg")) == "ErrImagePull");
    let p = get(&c, "badimg");
    assert_eq!(p.phase(), "Pending");
    let err = "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:does-not-exist\": failed to resolve reference \"docker.io/library/nginx:does-not-exist\": docker.io/library/nginx:does-not-exist: not found";
    assert_eq!(
        p.status.container_statuses[0]
            .state
            .waiting
            .as_ref()
            .unwrap()
            .message
            .as_deref(),
        Some(err)
    );
    assert!(has_event(
        &c,
        "badimg",
        "Failed",
        &format!("Failed to pull image \"nginx:does-not-exist\": {err}")
    ));
    assert!(has_event(&c, "badimg", "Failed", "Error: ErrImagePull"));
    wait_for(&mut c, 30_000, |c| status(&get(c, "badimg")) == "ImagePullBackOff");
    assert!(has_event(
        &c,
        "badimg",
        "BackOff",
        "Back-off pulling image \"nginx:does-not-exist\""
    ));
    assert!(has_event(&c, "badimg", "Failed", "Error: ImagePullBackOff"));
    // It keeps alternating, with more pulls over time.
    c.advance(180_000);
    assert!(count_of(&c, "badimg", "Pulling", "Pulling image \"nginx:does-not-exist\"") >= 3);
    let err = c.logs("default", "badimg", "badimg", false).unwrap_err();
    assert!(
        err.message
            .starts_with("container \"badimg\" in pod \"badimg\" is waiting to start: "),
        "{}",
        err.message
    );
}

#[test]
fn unknown_repositories_are_denied() {
    let mut c = cluster();
    create(&mut c, pod("typo", vec![container("app", "ngnix")]));
    wait_for(&mut c, 10_000, |c| status(&get(c, "typo")) == "ErrImagePull");
    let p = get(&c, "typo");
    let msg = p.status.container_statuses[0]
        .state
        .waiting
        .as_ref()
        .unwrap()
        .message
        .clone()
        .unwrap();
    assert!(msg.ends_with("pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"), "{msg}");
}

#[test]
fn init_containers_wait_for_services() {
    // busybox 1.28's nslookup walks the search path, so `nslookup myservice` resolves once the
    // Service exists (the Kubernetes docs' init-container example).
    let mut c = cluster();
    let mut p = pod(
        "myapp-pod",
        vec![sh(
            "myapp-container",
            "busybox:1.28",
            "echo The app is running! && sleep 3600",
        )],
    );
    p.spec.init_containers = vec![
        sh(
            "init-myservice",
            "busybox:1.28",
            "until nslookup myservice; do echo waiting for myservice; sleep 2; done;",
        ),
        sh(
            "init-mydb",
            "busybox:1.28",
            "until nslookup mydb; do echo waiting for mydb; sleep 2; done;",
        ),
    ];
    create(&mut c, p);
    c.advance(20_000);
    let p = get(&c, "myapp-pod");
    assert_eq!((status(&p).as_str(), p.phase()), ("Init:0/2", "Pending"));
    let init = condition(&p.status.conditions, "Initialized").unwrap();
    assert_eq!(
        init.message.as_deref(),
        Some("containers with incomplete status: [init-myservice init-mydb]")
    );
    let logs = c.logs("default", "myapp-pod", "init-myservice", false).unwrap();
    assert!(
        logs.contains("nslookup: can't resolve 'myservice'\n") || logs.contains("waiting for myservice\n"),
        "{logs}"
    );
    assert!(logs.contains("waiting for myservice\n"));
    // The app container cannot be logged yet.
    let err = c.logs("default", "myapp-pod", "myapp-container", false).unwrap_err();
    assert_eq!(
        err.message,
        "container \"myapp-container\" in pod \"myapp-pod\" is waiting to start: PodInitializing"
    );
    for name in ["myservice", "mydb"] {
        let mut s = Service {
            metadata: ObjectMeta::named(name, Some("default")),
            ..Default::default()
        };
        s.spec.ports.push(ServicePort {
            port: 80,
            target_port: Some(IntOrString::Int(9376)),
            ..Default::default()
        });
        c.create(Object::Service(s)).unwrap();
        wait_for(&mut c, 10_000, |c| status(&get(c, "myapp-pod")) != "Init:0/2");
    }
    wait_for(&mut c, 20_000, |c| status(&get(c, "myapp-pod")) == "Running");
    let p = get(&c, "myapp-pod");
    assert_eq!(ready(&p), "1/1");
    assert!(p.status.init_container_statuses.iter().all(|s| s
        .state
        .terminated
        .as_ref()
        .is_some_and(|t| t.reason.as_deref() == Some("Completed"))
        && s.ready));
    assert_eq!(
        c.logs("default", "myapp-pod", "myapp-container", false).unwrap(),
        "The app is running!\n"
    );
    let logs = c.logs("default", "myapp-pod", "init-mydb", false).unwrap();
    assert!(logs.contains("Name:      mydb\n"), "{logs}");
}

#[test]
fn busybox_1_32_nslookup_ignores_the_search_path() {
    // BusyBox 1.29–1.32 rewrote nslookup without search domains: a bare Service name never
    // resolves in a pod (docker-library/busybox#48), so this init container waits for ever.
    let mut c = cluster();
    let mut s = Service {
        metadata: ObjectMeta::named("myservice", Some("default")),
        ..Default::default()
    };
    s.spec.ports.push(ServicePort {
        port: 80,
        ..Default::default()
    });
    c.create(Object::Service(s)).unwrap();
    let mut p = pod("old", vec![sh("app", "busybox:1.32.0", "sleep 3600")]);
    p.spec.init_containers = vec![sh(
        "init",
        "busybox:1.32.0",
        "until nslookup myservice; do echo waiting for myservice; sleep 2; done;",
    )];
    create(&mut c, p);
    c.advance(30_000);
    assert_eq!(status(&get(&c, "old")), "Init:0/1");
    let logs = c.logs("default", "old", "init", false).unwrap();
    assert!(logs.contains("** server can't find myservice: NXDOMAIN\n"), "{logs}");
    // The fully qualified name works.
    let (out, _, code) = exec(
        &mut c,
        "old",
        "init",
        &["nslookup", "myservice.default.svc.cluster.local"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Name:\tmyservice.default.svc.cluster.local\n"), "{out}");
}

#[test]
fn failing_init_container_under_never_fails_the_pod() {
    let mut c = cluster();
    let mut p = pod("initfail", vec![sh("app", "busybox:1.36", "sleep 3600")]);
    p.spec.restart_policy = Some("Never".into());
    p.spec.init_containers = vec![sh("setup", "busybox:1.36", "echo nope; exit 2")];
    create(&mut c, p);
    c.advance(30_000);
    let p = get(&c, "initfail");
    assert_eq!((p.phase(), status(&p).as_str()), ("Failed", "Init:Error"));
    // Under Always it crash-loops instead.
    let mut p = pod("initloop", vec![sh("app", "busybox:1.36", "sleep 3600")]);
    p.spec.init_containers = vec![sh("setup", "busybox:1.36", "exit 1")];
    create(&mut c, p);
    wait_for(&mut c, 60_000, |c| {
        status(&get(c, "initloop")) == "Init:CrashLoopBackOff"
    });
    assert_eq!(get(&c, "initloop").phase(), "Pending");
}

#[test]
fn sidecars_start_and_keep_running() {
    let mut c = cluster();
    let mut p = pod("withsidecar", vec![sh("app", "busybox:1.36", "echo app; sleep 3600")]);
    let mut side = sh("logger", "busybox:1.36", "while true; do echo tick; sleep 5; done");
    side.restart_policy = Some("Always".into());
    p.spec.init_containers = vec![side];
    create(&mut c, p);
    wait_for(&mut c, 30_000, |c| status(&get(c, "withsidecar")) == "Running");
    c.advance(20_000);
    let p = get(&c, "withsidecar");
    assert!(p.status.init_container_statuses[0].state.running.is_some());
    assert!(p.status.init_container_statuses[0].started == Some(true));
    let logs = c.logs("default", "withsidecar", "logger", false).unwrap();
    assert!(logs.matches("tick\n").count() >= 4, "{logs}");
}

#[test]
fn readiness_probe_gates_ready_until_the_file_exists() {
    let mut c = cluster();
    let mut nginx = container("readinessprobe-pod", "nginx:1.17.10-alpine");
    nginx.readiness_probe = Some(Probe {
        handler: Handler {
            http_get: Some(HttpGetAction {
                host: None,
                http_headers: Vec::new(),
                path: Some("/index1.html".into()),
                port: IntOrString::Int(80),
                scheme: None,
            }),
            ..Default::default()
        },
        initial_delay_seconds: Some(1),
        period_seconds: Some(3),
        ..Default::default()
    });
    create(&mut c, pod("readinessprobe-pod", vec![nginx]));
    c.advance(30_000);
    let p = get(&c, "readinessprobe-pod");
    assert_eq!((status(&p).as_str(), ready(&p).as_str()), ("Running", "0/1"));
    assert!(
        count_of(
            &c,
            "readinessprobe-pod",
            "Unhealthy",
            "Readiness probe failed: HTTP probe failed with statuscode: 404"
        ) >= 3
    );
    // nginx logged each probe.
    let logs = c.logs("default", "readinessprobe-pod", "", false).unwrap();
    assert!(
        logs.contains("\"GET /index1.html HTTP/1.1\" 404 154 \"-\" \"kube-probe/1.32\" \"-\""),
        "{logs}"
    );
    let argv: Vec<String> = ["sh"].iter().map(|s| s.to_string()).collect();
    let out = c
        .exec(
            "default",
            "readinessprobe-pod",
            "",
            &argv,
            Some("cd /usr/share/nginx/html/\necho \"welcome lagou\" >> index1.html\n"),
        )
        .unwrap();
    assert_eq!(out.exit_code, 0, "{out:?}");
    wait_for(&mut c, 10_000, |c| ready(&get(c, "readinessprobe-pod")) == "1/1");
}

#[test]
fn liveness_http_probe_restarts_nginx_after_index_html_is_deleted() {
    let mut c = cluster();
    let mut nginx = container("livenessprobenginx-pod", "nginx:1.17.10-alpine");
    nginx.ports = vec![ContainerPort {
        container_port: 80,
        name: Some("nginxhttpget".into()),
        ..Default::default()
    }];
    nginx.liveness_probe = Some(Probe {
        handler: Handler {
            http_get: Some(HttpGetAction {
                host: None,
                http_headers: Vec::new(),
                path: Some("/index.html".into()),
                port: IntOrString::Int(80),
                scheme: None,
            }),
            ..Default::default()
        },
        ..Default::default()
    });
    create(&mut c, pod("livenessprobenginx-pod", vec![nginx]));
    wait_for(&mut c, 30_000, |c| ready(&get(c, "livenessprobenginx-pod")) == "1/1");
    let (_, _, code) = exec(
        &mut c,
        "livenessprobenginx-pod",
        "",
        &["rm", "-rf", "/usr/share/nginx/html/index.html"],
    );
    assert_eq!(code, 0);
    let took = wait_for(&mut c, 60_000, |c| restarts(&get(c, "livenessprobenginx-pod")) == 1);
    assert!(took >= 20_000, "three failures 10 s apart: {took}");
    assert!(has_event(
        &c,
        "livenessprobenginx-pod",
        "Unhealthy",
        "Liveness probe failed: HTTP probe failed with statuscode: 404"
    ));
    assert!(has_event(
        &c,
        "livenessprobenginx-pod",
        "Killing",
        "Container livenessprobenginx-pod failed liveness probe, will be restarted"
    ));
    // nginx exits 0 on its stop signal; the new container has the image's index.html again.
    let p = get(&c, "livenessprobenginx-pod");
    let last = p.status.container_statuses[0].last_state.terminated.clone().unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref()), (0, Some("Completed")));
    c.advance(60_000);
    assert_eq!(restarts(&get(&c, "livenessprobenginx-pod")), 1);
    let (out, _, _) = exec(&mut c, "livenessprobenginx-pod", "", &["ls", "/usr/share/nginx/html"]);
    assert_eq!(out, "50x.html\nindex.html\n");
}

#[test]
fn liveness_exec_probe_kills_a_shell_after_the_grace_period() {
    let mut c = cluster();
    let mut b = Container {
        command: vec![
            "/bin/sh".into(),
            "-c".into(),
            "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600".into(),
        ],
        ..container("liveness", "registry.k8s.io/busybox")
    };
    b.liveness_probe = Some(Probe {
        handler: Handler {
            exec: Some(ExecAction {
                command: vec!["cat".into(), "/tmp/healthy".into()],
            }),
            ..Default::default()
        },
        initial_delay_seconds: Some(5),
        period_seconds: Some(5),
        ..Default::default()
    });
    create(&mut c, pod("liveness-exec", vec![b]));
    wait_for(&mut c, 120_000, |c| restarts(&get(c, "liveness-exec")) == 1);
    assert!(has_event(
        &c,
        "liveness-exec",
        "Unhealthy",
        "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"
    ));
    let p = get(&c, "liveness-exec");
    let last = p.status.container_statuses[0].last_state.terminated.clone().unwrap();
    // A shell as PID 1 ignores SIGTERM: SIGKILL after 30 s.
    assert_eq!((last.exit_code, last.reason.as_deref()), (137, Some("Error")));
    let ran = last.finished_at.unwrap().0 .0 - last.started_at.unwrap().0 .0;
    assert!((60_000..=80_000).contains(&ran), "{ran}");
}

#[test]
fn tcp_probe_on_a_port_nobody_listens_on_restarts() {
    let mut c = cluster();
    let mut n = container("livenessprobenginx-pod2", "nginx:1.17.10-alpine");
    n.liveness_probe = Some(Probe {
        handler: Handler {
            tcp_socket: Some(TcpSocketAction {
                host: None,
                port: IntOrString::Int(8080),
            }),
            ..Default::default()
        },
        initial_delay_seconds: Some(10),
        period_seconds: Some(3),
        timeout_seconds: Some(5),
        ..Default::default()
    });
    create(&mut c, pod("tcp", vec![n]));
    wait_for(&mut c, 60_000, |c| restarts(&get(c, "tcp")) >= 1);
    let ip = get(&c, "tcp").status.pod_ip.unwrap();
    assert!(has_event(
        &c,
        "tcp",
        "Unhealthy",
        &format!("Liveness probe failed: dial tcp {ip}:8080: connect: connection refused")
    ));
}

#[test]
fn startup_probe_holds_back_liveness() {
    let mut c = cluster();
    let mut b = sh("app", "busybox:1.36", "sleep 20; touch /tmp/started; sleep 3600");
    b.startup_probe = Some(Probe {
        handler: Handler {
            exec: Some(ExecAction {
                command: vec!["test".into(), "-e".into(), "/tmp/started".into()],
            }),
            ..Default::default()
        },
        period_seconds: Some(5),
        failure_threshold: Some(10),
        ..Default::default()
    });
    b.liveness_probe = Some(Probe {
        handler: Handler {
            exec: Some(ExecAction {
                command: vec!["test".into(), "-e".into(), "/tmp/started".into()],
            }),
            ..Default::default()
        },
        ..Default::default()
    });
    create(&mut c, pod("slow", vec![b]));
    c.advance(10_000);
    let p = get(&c, "slow");
    assert_eq!(
        (p.status.container_statuses[0].started, ready(&p).as_str()),
        (Some(false), "0/1")
    );
    wait_for(&mut c, 40_000, |c| ready(&get(c, "slow")) == "1/1");
    c.advance(60_000);
    assert_eq!(restarts(&get(&c, "slow")), 0);
}

#[test]
fn post_start_hook_runs_before_running_and_pre_stop_before_sigterm() {
    let mut c = cluster();
    let mut b = sh("lifecycle-pod1", "busybox:1.32.0", "sleep 5000");
    b.lifecycle = Some(Lifecycle {
        post_start: Some(Handler {
            exec: Some(ExecAction {
                command: vec!["mkdir".into(), "-p".into(), "/lagou/k8s/index.html".into()],
            }),
            ..Default::default()
        }),
        pre_stop: None,
    });
    create(&mut c, pod("lifecycle-pod1", vec![b]));
    wait_for(&mut c, 30_000, |c| status(&get(c, "lifecycle-pod1")) == "Running");
    let (out, _, _) = exec(&mut c, "lifecycle-pod1", "", &["ls", "/lagou/k8s"]);
    assert_eq!(out, "index.html\n");

    // A failing hook: FailedPostStartHook, the container is killed and restarted.
    let mut b = sh("c", "busybox:1.36", "sleep 5000");
    b.lifecycle = Some(Lifecycle {
        post_start: Some(Handler {
            exec: Some(ExecAction {
                command: vec!["sh".into(), "-c".into(), "exit 1".into()],
            }),
            ..Default::default()
        }),
        pre_stop: None,
    });
    let mut p = pod("badhook", vec![b]);
    p.spec.termination_grace_period_seconds = Some(2);
    create(&mut c, p);
    wait_for(&mut c, 60_000, |c| restarts(&get(c, "badhook")) >= 1);
    let p = get(&c, "badhook");
    let msg = format!("Exec lifecycle hook ([sh -c exit 1]) for Container \"c\" in Pod \"badhook_default({})\" failed - error: command 'sh -c exit 1' exited with 1: , message: \"\"", p.metadata.uid());
    assert!(
        has_event(&c, "badhook", "FailedPostStartHook", &msg),
        "{:?}",
        events(&c, "badhook")
    );

    // preStop: nginx told to quit by the hook, then the pod goes quickly.
    let mut n = container("nginx", "nginx:1.27");
    n.lifecycle = Some(Lifecycle {
        post_start: None,
        pre_stop: Some(Handler {
            exec: Some(ExecAction {
                command: vec!["/bin/sh".into(), "-c".into(), "sleep 5".into()],
            }),
            ..Default::default()
        }),
    });
    create(&mut c, pod("stopper", vec![n]));
    wait_for(&mut c, 30_000, |c| ready(&get(c, "stopper")) == "1/1");
    c.delete(Kind::Pod, "default", "stopper", DeleteOptions::default())
        .unwrap();
    assert_eq!(status(&get(&c, "stopper")), "Terminating");
    let took = wait_for(&mut c, 40_000, |c| c.get(Kind::Pod, "default", "stopper").is_none());
    assert!((5_000..7_000).contains(&took), "preStop 5 s then nginx stops: {took}");
}

#[test]
fn termination_waits_the_grace_period_for_shells_not_for_nginx() {
    let mut c = cluster();
    create(&mut c, pod("sleeper", vec![sh("s", "busybox:1.36", "sleep 3600")]));
    create(&mut c, pod("nginx", vec![container("nginx", "nginx:1.27")]));
    wait_for(&mut c, 30_000, |c| {
        status(&get(c, "sleeper")) == "Running" && status(&get(c, "nginx")) == "Running"
    });
    c.delete(Kind::Pod, "default", "sleeper", DeleteOptions::default())
        .unwrap();
    c.delete(Kind::Pod, "default", "nginx", DeleteOptions::default())
        .unwrap();
    c.advance(100);
    assert!(has_event(&c, "sleeper", "Killing", "Stopping container s"));
    let nginx_took = wait_for(&mut c, 40_000, |c| c.get(Kind::Pod, "default", "nginx").is_none());
    assert!(nginx_took < 2_000, "{nginx_took}");
    let sleeper_took =
        wait_for(&mut c, 40_000, |c| c.get(Kind::Pod, "default", "sleeper").is_none()) + nginx_took + 100;
    assert!((29_000..=31_000).contains(&sleeper_took), "{sleeper_took}");
}

#[test]
fn memory_over_the_limit_is_oom_killed() {
    let mut c = cluster();
    let mut s = Container {
        command: vec!["stress".into()],
        args: vec![
            "--vm".into(),
            "1".into(),
            "--vm-bytes".into(),
            "250M".into(),
            "--vm-hang".into(),
            "1".into(),
        ],
        ..container("memory-demo-2-ctr", "polinux/stress")
    };
    s.resources.limits.insert("memory".into(), json!("100Mi"));
    s.resources.requests.insert("memory".into(), json!("50Mi"));
    create(&mut c, pod("memory-demo-2", vec![s]));
    wait_for(&mut c, 30_000, |c| status(&get(c, "memory-demo-2")) == "OOMKilled");
    let t = get(&c, "memory-demo-2").status.container_statuses[0]
        .state
        .terminated
        .clone()
        .unwrap();
    assert_eq!((t.exit_code, t.reason.as_deref()), (137, Some("OOMKilled")));
    wait_for(&mut c, 60_000, |c| {
        status(&get(c, "memory-demo-2")) == "CrashLoopBackOff"
    });
    // Within its limit it runs.
    let mut s = Container {
        command: vec!["stress".into()],
        args: vec![
            "--vm".into(),
            "1".into(),
            "--vm-bytes".into(),
            "150M".into(),
            "--vm-hang".into(),
            "1".into(),
        ],
        ..container("memory-demo-ctr", "polinux/stress")
    };
    s.resources.limits.insert("memory".into(), json!("200Mi"));
    create(&mut c, pod("memory-demo", vec![s]));
    c.advance(30_000);
    assert_eq!(status(&get(&c, "memory-demo")), "Running");
}

#[test]
fn missing_executables_are_start_errors() {
    let mut c = cluster();
    create(
        &mut c,
        pod(
            "noexec",
            vec![Container {
                command: vec!["foo".into()],
                ..container("c", "busybox:1.36")
            }],
        ),
    );
    wait_for(&mut c, 30_000, |c| {
        get(c, "noexec")
            .status
            .container_statuses
            .first()
            .is_some_and(|s| s.state.terminated.is_some() || s.last_state.terminated.is_some())
    });
    let p = get(&c, "noexec");
    let s = &p.status.container_statuses[0];
    let t = s.state.terminated.clone().or(s.last_state.terminated.clone()).unwrap();
    assert_eq!((t.exit_code, t.reason.as_deref()), (128, Some("StartError")));
    assert!(t
        .message
        .unwrap()
        .contains("exec: \"foo\": executable file not found in $PATH"));
}

#[test]
fn logs_and_exec_errors() {
    let mut c = cluster();
    let e = c.logs("default", "nosuch", "", false).unwrap_err();
    assert_eq!(e.message, "pods \"nosuch\" not found");
    create(&mut c, pod("web", vec![container("nginx", "nginx:1.27")]));
    c.advance(100);
    let e = c.logs("default", "web", "nginx", false).unwrap_err();
    assert!(
        e.message
            .starts_with("container \"nginx\" in pod \"web\" is waiting to start: ContainerCreating")
            || e.message.is_empty(),
        "{}",
        e.message
    );
    wait_for(&mut c, 30_000, |c| status(&get(c, "web")) == "Running");
    let e = c.logs("default", "web", "nginx", true).unwrap_err();
    assert_eq!(
        e.message,
        "previous terminated container \"nginx\" in pod \"web\" not found"
    );
    let e = c.logs("default", "web", "nosuch", false).unwrap_err();
    assert_eq!(e.message, "container nosuch is not valid for pod web");
    // exec: a missing program, a failing command, the environment.
    let argv = vec!["ps".to_string()];
    match c.exec("default", "web", "nginx", &argv, None) {
        Err(ExecError::Stream(m)) => assert!(m.ends_with("OCI runtime exec failed: exec failed: unable to start container process: exec: \"ps\": executable file not found in $PATH: unknown"), "{m}"),
        other => panic!("{other:?}"),
    }
    let (_, err, code) = exec(&mut c, "web", "nginx", &["ls", "/nope"]);
    assert_eq!(
        (err.as_str(), code),
        ("ls: cannot access '/nope': No such file or directory\n", 2)
    );
    let (out, _, _) = exec(
        &mut c,
        "web",
        "nginx",
        &["printenv", "KUBERNETES_SERVICE_HOST", "HOSTNAME"],
    );
    assert_eq!(out, "10.96.0.1\nweb\n");
    let (_, err, code) = exec(&mut c, "web", "nginx", &["sh", "-c", "foo"]);
    assert_eq!((err.as_str(), code), ("sh: 1: foo: not found\n", 127));
    // A sleeping exec lets time pass.
    let before = c.now();
    let _ = exec(&mut c, "web", "nginx", &["sleep", "5"]);
    assert!(c.now().0 - before.0 >= 5_000);
}

#[test]
fn service_traffic_reaches_ready_endpoints() {
    let mut c = cluster();
    for i in 0..2 {
        let mut p = pod(&format!("web-{i}"), vec![container("nginx", "nginx:1.27")]);
        p.metadata.labels.insert("app".into(), "web".into());
        create(&mut c, p);
    }
    let mut s = Service {
        metadata: ObjectMeta::named("web", Some("default")),
        ..Default::default()
    };
    s.spec.selector.insert("app".into(), "web".into());
    s.spec.ports.push(ServicePort {
        port: 80,
        ..Default::default()
    });
    c.create(Object::Service(s)).unwrap();
    create(&mut c, pod("client", vec![sh("c", "busybox:1.36", "sleep 3600")]));
    c.advance(30_000);
    let (out, err, code) = exec(&mut c, "client", "", &["wget", "-qO-", "http://web"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Welcome to nginx!"));
    let (_, err, code) = exec(&mut c, "client", "", &["wget", "-qO-", "http://nosuch"]);
    assert_eq!((err.as_str(), code), ("wget: bad address 'nosuch'\n", 1));
    // Both pods got a request (round-robin).
    let _ = exec(&mut c, "client", "", &["wget", "-qO-", "http://web"]);
    for i in 0..2 {
        let logs = c.logs("default", &format!("web-{i}"), "", false).unwrap();
        assert!(
            logs.contains("\"GET / HTTP/1.1\" 200 615 \"-\" \"Wget\" \"-\""),
            "{logs}"
        );
    }
}

#[test]
fn counter_pod_logs_every_second_on_the_virtual_clock() {
    let mut c = cluster();
    let p = pod(
        "counter",
        vec![Container {
            args: vec![
                "/bin/sh".into(),
                "-c".into(),
                "i=0; while true; do echo \"$i: $(date)\"; i=$((i+1)); sleep 1; done".into(),
            ],
            ..container("count", "busybox:1.28")
        }],
    );
    create(&mut c, p);
    wait_for(&mut c, 30_000, |c| status(&get(c, "counter")) == "Running");
    c.advance(10_000);
    let logs = c.logs("default", "counter", "", false).unwrap();
    let lines: Vec<&str> = logs.lines().collect();
    assert!(lines.len() >= 10, "{logs}");
    assert!(lines[0].starts_with("0: Mon Mar  2 09:"), "{}", lines[0]);
    assert!(lines[3].starts_with("3: "));
    let l = c.log_lines("default", "counter", "", false).unwrap();
    assert_eq!(l[1].time.0 - l[0].time.0, 1000);
}

#[test]
fn ten_thousand_nginx_pods_cost_no_wakeups() {
    let mut c = Cluster::new(ClusterConfig { seed: 7, workers: 100 });
    let mut d = Deployment {
        metadata: ObjectMeta::named("many", Some("default")),
        ..Default::default()
    };
    d.spec.replicas = Some(2000);
    d.spec.selector.match_labels.insert("app".into(), "many".into());
    d.spec.template.metadata.labels.insert("app".into(), "many".into());
    d.spec.template.spec.containers.push(container("nginx", "nginx:1.27"));
    c.create(Object::Deployment(d)).unwrap();
    c.advance(120_000);
    let running = c
        .list(Kind::Pod, Some("default"))
        .iter()
        .filter(|o| o.as_pod().is_some_and(|p| p.phase() == "Running"))
        .count();
    assert_eq!(running, 2000);
    assert!(
        c.next_wakeup().is_none_or(|t| t > SimTime(c.now().0 + 60_000)),
        "idle pods still wake the clock"
    );
}

#[test]
fn missing_configmaps_block_containers_until_created() {
    let mut c = cluster();
    let mut app = sh(
        "app",
        "busybox:1.36",
        "echo $GREETING; cat /etc/cfg/greeting; sleep 3600",
    );
    app.env = vec![EnvVar {
        name: "GREETING".into(),
        value: None,
        value_from: Some(json!({"configMapKeyRef": {"name": "app-config", "key": "greeting"}})),
    }];
    create(&mut c, pod("envpod", vec![app]));
    c.advance(20_000);
    let p = get(&c, "envpod");
    assert_eq!(status(&p), "CreateContainerConfigError");
    assert!(has_event(
        &c,
        "envpod",
        "Failed",
        "Error: configmap \"app-config\" not found"
    ));
    let mut withvol = sh("app", "busybox:1.36", "cat /etc/cfg/greeting; sleep 3600");
    withvol.volume_mounts.push(VolumeMount {
        mount_path: "/etc/cfg".into(),
        name: "cfg".into(),
        read_only: None,
        sub_path: None,
    });
    let mut p = pod("volpod", vec![withvol]);
    let mut v = Volume {
        name: "cfg".into(),
        ..Default::default()
    };
    v.source.insert("configMap".into(), json!({"name": "app-config"}));
    p.spec.volumes.push(v);
    create(&mut c, p);
    c.advance(10_000);
    assert_eq!(status(&get(&c, "volpod")), "ContainerCreating");
    assert!(has_event(
        &c,
        "volpod",
        "FailedMount",
        "MountVolume.SetUp failed for volume \"cfg\" : configmap \"app-config\" not found"
    ));
    let mut cm = ConfigMap {
        metadata: ObjectMeta::named("app-config", Some("default")),
        ..Default::default()
    };
    cm.data.insert("greeting".into(), "hello".into());
    c.create(Object::ConfigMap(cm)).unwrap();
    wait_for(&mut c, 130_000, |c| {
        status(&get(c, "envpod")) == "Running" && status(&get(c, "volpod")) == "Running"
    });
    assert_eq!(
        c.logs("default", "envpod", "", false).unwrap(),
        "hello\ncat: can't open '/etc/cfg/greeting': No such file or directory\n"
    );
    assert_eq!(c.logs("default", "volpod", "", false).unwrap(), "hello\n");
}

#[test]
fn changing_a_pods_image_restarts_the_container() {
    let mut c = cluster();
    create(&mut c, pod("web", vec![container("nginx", "nginx:1.27")]));
    wait_for(&mut c, 30_000, |c| ready(&get(c, "web")) == "1/1");
    let mut p = get(&c, "web");
    p.spec.containers[0].image = "nginx:1.28".into();
    p.metadata.resource_version = None;
    c.update(Object::Pod(p)).unwrap();
    wait_for(&mut c, 30_000, |c| {
        restarts(&get(c, "web")) == 1 && ready(&get(c, "web")) == "1/1"
    });
    assert!(has_event(
        &c,
        "web",
        "Killing",
        "Container nginx definition changed, will be restarted"
    ));
    assert_eq!(
        get(&c, "web").status.container_statuses[0].image,
        "docker.io/library/nginx:1.28"
    );
}

#[test]
fn active_deadline_fails_the_pod() {
    let mut c = cluster();
    let mut p = pod("deadline", vec![sh("s", "busybox:1.36", "sleep 3600")]);
    p.spec.active_deadline_seconds = Some(20);
    p.spec.termination_grace_period_seconds = Some(1);
    create(&mut c, p);
    wait_for(&mut c, 60_000, |c| get(c, "deadline").phase() == "Failed");
    let p = get(&c, "deadline");
    assert_eq!(status(&p), "DeadlineExceeded");
    assert_eq!(
        p.status.message.as_deref(),
        Some("Pod was active on the node longer than the specified deadline")
    );
}

#[test]
fn an_interactive_shell_keeps_its_directory_between_lines() {
    let mut c = cluster();
    create(&mut c, pod("web", vec![container("nginx", "nginx:1.17.10-alpine")]));
    wait_for(&mut c, 30_000, |c| status(&get(c, "web")) == "Running");
    let mut s = c.open_shell("default", "web", "", &["sh".to_string()]).unwrap();
    assert_eq!(s.prompt, "/ # ");
    c.shell_line(&mut s, "cd /usr/share/nginx/html/").unwrap();
    assert_eq!(s.prompt, "/usr/share/nginx/html # ");
    c.shell_line(&mut s, "echo \"welcome lagou\" >> index1.html").unwrap();
    let out = c.shell_line(&mut s, "ls; X=1; echo $X").unwrap();
    assert_eq!(out.stdout, "50x.html\nindex.html\nindex1.html\n1\n");
    let out = c.shell_line(&mut s, "nope").unwrap();
    assert_eq!((out.stderr.as_str(), out.exit_code), ("sh: nope: not found\n", 127));
    c.shell_line(&mut s, "exit").unwrap();
    assert!(s.closed);
    let bash = c.open_shell("default", "web", "", &["/bin/bash".to_string()]);
    assert!(
        matches!(bash, Err(ExecError::Stream(m)) if m.contains("exec: \"/bin/bash\": stat /bin/bash: no such file or directory"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Restart delays of a crashing container follow 0, 10, 20, 40, 80, 160, 300, 300 s
    /// (plus the kubelet noticing the exit within a second).
    #[test]
    fn restart_delays_follow_the_backoff(run_ms in 0u64..5_000, seed in 1u64..1000) {
        let mut c = Cluster::new(ClusterConfig { seed, workers: 1 });
        let script = if run_ms < 1000 { "exit 1".to_string() } else { format!("sleep {}; exit 1", run_ms / 1000) };
        create(&mut c, pod("crash", vec![sh("crash", "busybox:1.36", &script)]));
        let mut finished_at = Vec::new();
        let mut started_at = Vec::new();
        let mut seen = 0;
        for _ in 0..(40 * 60 * 10) {
            c.advance(100);
            let p = get(&c, "crash");
            let Some(s) = p.status.container_statuses.first() else { continue };
            if s.restart_count > seen {
                seen = s.restart_count;
                let prev = s.last_state.terminated.clone().unwrap();
                finished_at.push(prev.finished_at.unwrap().0 .0);
                started_at.push(s.state.running.as_ref().and_then(|r| r.started_at).map(|t| t.0 .0).unwrap_or(c.now().0));
            }
            if seen >= 8 {
                break;
            }
        }
        prop_assert!(seen >= 8, "only {} restarts", seen);
        let expected = [0u64, 10, 20, 40, 80, 160, 300, 300];
        for i in 0..8 {
            let delay = started_at[i] - finished_at[i];
            prop_assert!(delay >= expected[i] * 1000 && delay <= expected[i] * 1000 + 2000, "restart {}: {} ms", i + 1, delay);
        }
    }
}
