//! `describePod`.

use super::prelude::*;

/// `describePod`. Needs nothing from the cluster but the pod's events.
pub(super) fn pod(w: &mut W, p: &Pod, now: SimTime, pod_events: Option<Vec<Event>>) {
    let (m, spec, st) = (&p.metadata, &p.spec, &p.status);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    if let Some(prio) = spec.priority {
        put!(w, 0, "Priority:\t{prio}\n");
    }
    if let Some(pc) = spec.priority_class_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Priority Class Name:\t{pc}\n");
    }
    if let Some(sa) = spec.service_account_name.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Service Account:\t{sa}\n");
    }
    match spec.node_name.as_deref() {
        Some(n) if !n.is_empty() => {
            put!(w, 0, "Node:\t{n}/{}\n", st.host_ip.as_deref().unwrap_or(""))
        }
        _ => w.put(0, "Node:\t<none>\n"),
    }
    if let Some(t) = st.start_time {
        put!(w, 0, "Start Time:\t{}\n", rfc1123z(t));
    }
    labels_multiline(w, "", "Labels", &m.labels);
    annotations_multiline(w, "Annotations", &m.annotations);
    match m.deletion_timestamp {
        Some(t) if !p.is_terminal() => {
            put!(w, 0, "Status:\tTerminating (lasts {})\n", since(Some(t), now));
            put!(
                w,
                0,
                "Termination Grace Period:\t{}s\n",
                m.deletion_grace_period_seconds.unwrap_or(0)
            );
        }
        _ => put!(w, 0, "Status:\t{}\n", st.phase.as_deref().unwrap_or("")),
    }
    if let Some(r) = st.reason.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Reason:\t{r}\n");
    }
    if let Some(msg) = st.message.as_deref().filter(|s| !s.is_empty()) {
        put!(w, 0, "Message:\t{msg}\n");
    }
    put!(w, 0, "IP:\t{}\n", st.pod_ip.as_deref().unwrap_or(""));
    if st.pod_ips.is_empty() {
        w.put(0, "IPs:\t<none>\n");
    } else {
        w.put(0, "IPs:\n");
        for ip in &st.pod_ips {
            put!(w, 1, "IP:\t{}\n", ip.ip);
        }
    }
    if let Some(c) = m.controller() {
        put!(w, 0, "Controlled By:\t{}/{}\n", c.kind, c.name);
    }
    if !spec.init_containers.is_empty() {
        containers(
            w,
            "Init Containers",
            &spec.init_containers,
            Some(&st.init_container_statuses),
            Some(p),
            "",
        );
    }
    containers(
        w,
        "Containers",
        &spec.containers,
        Some(&st.container_statuses),
        Some(p),
        "",
    );
    if !st.conditions.is_empty() {
        w.put(0, "Conditions:\n  Type\tStatus\n");
        for c in &st.conditions {
            put!(w, 1, "{} \t{} \n", c.type_, c.status);
        }
    }
    volumes(w, &spec.volumes, "");
    put!(
        w,
        0,
        "QoS Class:\t{}\n",
        st.qos_class.as_deref().unwrap_or("BestEffort")
    );
    labels_multiline(w, "", "Node-Selectors", &spec.node_selector);
    tolerations(w, "Tolerations", &spec.tolerations);
    events(w, pod_events, now);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `captured/describe.txt`, `kubectl describe pod crashy`, rebuilt from the same fixture.
    #[test]
    fn crash_looping_pod_matches_the_capture() {
        let ts = |s: &str| Timestamp::parse(s).expect("fixture timestamps are RFC 3339");
        let p: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "crashy", "namespace": "default", "labels": {"run": "crashy"}},
            "spec": {
                "containers": [{"name": "crashy", "image": "busybox:1.36", "command": ["sh", "-c", "echo boom; exit 1"],
                    "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-rashy", "readOnly": true}]}],
                "nodeName": "kind-worker2", "priority": 0, "serviceAccountName": "default",
                "tolerations": [
                    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
                ],
                "volumes": [{"name": "kube-api-access-rashy", "projected": {"defaultMode": 420, "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                ]}}]
            },
            "status": {
                "phase": "Running",
                "qosClass": "BestEffort", "startTime": "2026-11-25T14:19:53Z",
                "conditions": [
                    {"type": "PodReadyToStartContainers", "status": "True"}, {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": "False"}, {"type": "ContainersReady", "status": "False"},
                    {"type": "PodScheduled", "status": "True"}
                ]
            }
        }))
        .expect("the fixture is a valid pod");
        let mut p = p;
        p.status.host_ip = Some("172.18.0.3".into());
        p.status.pod_ip = Some("10.244.2.7".into());
        p.status.pod_ips = vec![PodIp {
            ip: "10.244.2.7".into(),
        }];
        p.status.container_statuses.push(ContainerStatus {
            name: "crashy".into(),
            image: "docker.io/library/busybox:1.36".into(),
            ready: false,
            restart_count: 5,
            container_id: Some("containerd://9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0".into()),
            image_id:
                "docker.io/library/busybox@sha256:37f7b378a29ceb4c551b1b5582e27747b855bbfaa73fa11914fe0df028dc581f"
                    .into(),
            started: Some(false),
            state: ContainerState {
                waiting: Some(StateWaiting {
                    reason: Some("CrashLoopBackOff".into()),
                    message: None,
                }),
                ..Default::default()
            },
            last_state: ContainerState {
                terminated: Some(StateTerminated {
                    exit_code: 1,
                    reason: Some("Error".into()),
                    started_at: Some(ts("2026-11-25T14:33:38Z")),
                    finished_at: Some(ts("2026-11-25T14:33:38Z")),
                    ..Default::default()
                }),
                ..Default::default()
            },
        });
        let now = ts("2026-11-25T14:35:02Z").0;
        let ev = |name: &str, type_: &str, reason: &str, first: &str, last: &str, count: i64, msg: &str| Event {
            metadata: ObjectMeta::named(name, Some("default")),
            count: Some(count),
            first_timestamp: Some(ts(first)),
            last_timestamp: Some(ts(last)),
            reason: Some(reason.into()),
            message: Some(msg.into()),
            type_: Some(type_.into()),
            source: EventSource {
                component: Some(
                    if reason == "Scheduled" {
                        "default-scheduler"
                    } else {
                        "kubelet"
                    }
                    .into(),
                ),
                host: None,
            },
            ..Default::default()
        };
        let evs = vec![
            ev("crashy.5", "Warning", "BackOff", "2026-11-25T14:20:33Z", "2026-11-25T14:34:38Z", 40,
                "Back-off restarting failed container crashy in pod crashy_default(bd83c6ab-1acc-f84c-e71a-dde6f4039374)"),
            ev("crashy.1", "Normal", "Scheduled", "2026-11-25T14:19:53Z", "2026-11-25T14:19:53Z", 1,
                "Successfully assigned default/crashy to kind-worker2"),
            ev("crashy.2", "Normal", "Pulled", "2026-11-25T14:19:54Z", "2026-11-25T14:33:33Z", 6,
                "Container image \"busybox:1.36\" already present on machine"),
            ev("crashy.3", "Normal", "Created", "2026-11-25T14:19:54Z", "2026-11-25T14:33:33Z", 6, "Created container: crashy"),
            ev("crashy.4", "Normal", "Started", "2026-11-25T14:19:54Z", "2026-11-25T14:33:33Z", 6, "Started container crashy"),
        ];
        let out = render(|w| pod(w, &p, now, Some(evs)));
        let capture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/captured/describe.txt"
        ));
        let want = "\
Name:             crashy
Namespace:        default
Priority:         0
Service Account:  default
Node:             kind-worker2/172.18.0.3
Start Time:       Wed, 25 Nov 2026 14:19:53 +0000
Labels:           run=crashy
Annotations:      <none>
Status:           Running
IP:               10.244.2.7
IPs:
  IP:  10.244.2.7
Containers:
  crashy:
    Container ID:  containerd://9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0
    Image:         busybox:1.36
    Image ID:      docker.io/library/busybox@sha256:37f7b378a29ceb4c551b1b5582e27747b855bbfaa73fa11914fe0df028dc581f
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      echo boom; exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Wed, 25 Nov 2026 14:33:38 +0000
      Finished:     Wed, 25 Nov 2026 14:33:38 +0000
    Ready:          False
    Restart Count:  5
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-rashy (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       False 
  ContainersReady             False 
  PodScheduled                True 
Volumes:
  kube-api-access-rashy:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                 From               Message
  ----     ------     ----                ----               -------
  Normal   Scheduled  15m                 default-scheduler  Successfully assigned default/crashy to kind-worker2
  Normal   Pulled     89s (x6 over 15m)   kubelet            Container image \"busybox:1.36\" already present on machine
  Normal   Created    89s (x6 over 15m)   kubelet            Created container: crashy
  Normal   Started    89s (x6 over 15m)   kubelet            Started container crashy
  Warning  BackOff    24s (x40 over 14m)  kubelet            Back-off restarting failed container crashy in pod crashy_default(bd83c6ab-1acc-f84c-e71a-dde6f4039374)
";
        assert_eq!(out, want);
        // The expected text is the capture's, byte for byte (when the reference is at hand).
        if let Ok(capture) = capture {
            assert!(capture.contains(&format!("$ kubectl describe pod crashy\n{want}[exit code 0]")));
        }
    }

    /// `captured/describe.txt`, `kubectl describe pod multi`: an init container, two app
    /// containers, no events.
    #[test]
    fn pod_with_init_and_sidecar_containers_matches_the_capture() {
        let ts = |s: &str| Timestamp::parse(s).expect("fixture timestamps are RFC 3339");
        let mount = serde_json::json!([{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-multi", "readOnly": true}]);
        let conditions: Vec<serde_json::Value> = [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled",
        ]
        .iter()
        .map(|t| serde_json::json!({"type": t, "status": "True"}))
        .collect();
        let mut p: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "multi", "namespace": "default", "labels": {"app": "multi"}},
            "spec": {
                "initContainers": [{"name": "init-db", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 2"]}],
                "containers": [
                    {"name": "app", "image": "nginx:1.27", "volumeMounts": mount},
                    {"name": "sidecar", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"], "volumeMounts": mount}
                ],
                "nodeName": "kind-worker2", "priority": 0, "serviceAccountName": "default",
                "tolerations": [
                    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
                ],
                "volumes": [{"name": "kube-api-access-multi", "projected": {"sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": []}}
                ]}}]
            },
            "status": {
                "phase": "Running", "qosClass": "BestEffort", "startTime": "2026-11-25T14:28:13Z",
                "conditions": conditions
            }
        }))
        .expect("the fixture is a valid pod");
        p.status.host_ip = Some("172.18.0.3".into());
        p.status.pod_ip = Some("10.244.2.9".into());
        p.status.pod_ips = vec![PodIp {
            ip: "10.244.2.9".into(),
        }];
        let running = |name: &str, id: &str, image_id: &str| ContainerStatus {
            name: name.into(),
            image: String::new(),
            image_id: image_id.into(),
            container_id: Some(id.into()),
            ready: true,
            restart_count: 0,
            started: Some(true),
            state: ContainerState {
                running: Some(StateRunning {
                    started_at: Some(ts("2026-11-25T14:28:23Z")),
                }),
                ..Default::default()
            },
            last_state: ContainerState::default(),
        };
        let mut init = running("init-db", "containerd://1111", "docker.io/library/busybox@sha256:37f7");
        init.state = ContainerState {
            terminated: Some(StateTerminated {
                exit_code: 0,
                reason: Some("Completed".into()),
                started_at: Some(ts("2026-11-25T14:28:15Z")),
                finished_at: Some(ts("2026-11-25T14:28:17Z")),
                ..Default::default()
            }),
            ..Default::default()
        };
        p.status.init_container_statuses.push(init);
        let sha = "sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a";
        p.status.container_statuses.push(running(
            "app",
            "containerd://4e624eb6c26a924d3c9ba3da58aa7b09abcdef0123456789abcdef0123456789",
            &format!("docker.io/library/nginx@{sha}"),
        ));
        p.status.container_statuses.push(running(
            "sidecar",
            "containerd://4c160729fe62e86b43820e23bdc34e5eabcdef0123456789abcdef0123456789",
            &format!("docker.io/library/busybox@{sha}"),
        ));
        let out = render(|w| pod(w, &p, ts("2026-11-25T14:35:02Z").0, Some(Vec::new())));
        let capture = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/captured/describe.txt"
        ));
        assert!(out.contains("\nInit Containers:\n  init-db:\n    Container ID:  containerd://1111\n    Image:         busybox:1.36\n"), "{out}");
        assert!(
            out.contains("\n    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n"),
            "{out}"
        );
        assert!(
            out.contains("\n    Environment:    <none>\n    Mounts:         <none>\nContainers:\n  app:\n"),
            "{out}"
        );
        assert!(out.ends_with("                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\nEvents:                      <none>\n"), "{out}");
        if let Ok(capture) = capture {
            assert!(
                capture.contains(&format!("$ kubectl describe pod multi\n{out}[exit code 0]")),
                "{out}"
            );
        }
    }
}
