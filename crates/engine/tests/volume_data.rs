//! What containers see in their volumes: PersistentVolume data that outlives pods and follows
//! the reclaim policy, `hostPath` per node, StatefulSet claims that come back with their data,
//! and ConfigMap/downward API files that follow their sources on the kubelet's schedule.

use kubelab_engine::api::*;
use kubelab_engine::{Cluster, ClusterConfig, DeleteOptions};
use serde_json::{json, Value};

fn create(c: &mut Cluster, v: Value) {
    c.create(Object::decode(v).unwrap()).unwrap();
}

fn delete(c: &mut Cluster, kind: Kind, ns: &str, name: &str) {
    c.delete(kind, ns, name, DeleteOptions::default()).unwrap();
}

/// `sh -c SCRIPT` in the pod's only container; stdout, or the error text.
fn sh(c: &mut Cluster, pod: &str, script: &str) -> String {
    let argv: Vec<String> = ["sh", "-c", script].iter().map(|s| s.to_string()).collect();
    match c.exec("default", pod, "", &argv, None) {
        Ok(o) => format!("{}{}", o.stdout, o.stderr),
        Err(e) => format!("{e:?}"),
    }
}

fn claim(name: &str, class: Option<&str>, mode: &str) -> Value {
    let mut v = json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"accessModes": [mode], "resources": {"requests": {"storage": "1Gi"}}}
    });
    if let Some(c) = class {
        v["spec"]["storageClassName"] = json!(c);
    }
    v
}

fn nfs_pv(name: &str, policy: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "storageClassName": "nfs", "accessModes": ["ReadWriteMany"],
            "capacity": {"storage": "1Gi"}, "persistentVolumeReclaimPolicy": policy,
            "nfs": {"server": "192.168.191.0", "path": "/tmp/nfs/1g-pv"}
        }
    })
}

/// A busybox pod mounting `volume` at `/data`, optionally pinned to a node.
fn pod(name: &str, volume: Value, node: Option<&str>) -> Value {
    let mut v = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
            "volumes": [volume]
        }
    });
    if let Some(n) = node {
        v["spec"]["nodeName"] = json!(n);
    }
    v
}

fn pvc_volume(claim: &str) -> Value {
    json!({"name": "data", "persistentVolumeClaim": {"claimName": claim}})
}

fn node_of(c: &Cluster, pod: &str) -> String {
    c.get(Kind::Pod, "default", pod)
        .and_then(|o| o.as_pod().and_then(|p| p.spec.node_name.clone()))
        .unwrap_or_default()
}

fn pv_phase(c: &Cluster, name: &str) -> Option<String> {
    c.get(Kind::PersistentVolume, "", name)
        .and_then(|o| o.as_pv().map(|v| v.phase().to_string()))
}

#[test]
fn claim_data_survives_restarts_pod_deletion_and_goes_with_reclaim_delete() {
    let mut c = Cluster::new(ClusterConfig::default());
    create(&mut c, claim("data", None, "ReadWriteOnce"));
    create(&mut c, pod("writer", pvc_volume("data"), None));
    c.advance(30_000);
    assert_eq!(sh(&mut c, "writer", "echo one > /data/a; cat /data/a"), "one\n");
    // A new container (the old one killed) mounts the same files.
    sh(&mut c, "writer", "kill 1");
    c.advance(30_000);
    assert_eq!(sh(&mut c, "writer", "cat /data/a"), "one\n");
    let pv = c.claim_volume("default", "data").unwrap();
    let node = node_of(&c, "writer");
    // The pod goes; a new pod with the same claim lands where the local volume is, and reads it.
    delete(&mut c, Kind::Pod, "default", "writer");
    c.advance(40_000);
    create(&mut c, pod("reader", pvc_volume("data"), None));
    c.advance(30_000);
    assert_eq!(node_of(&c, "reader"), node);
    assert_eq!(sh(&mut c, "reader", "cat /data/a"), "one\n");
    assert!(c.volume_data(&pv).is_some());
    // Reclaim policy Delete: the volume and its files go with the claim.
    delete(&mut c, Kind::Pod, "default", "reader");
    c.advance(40_000);
    delete(&mut c, Kind::PersistentVolumeClaim, "default", "data");
    c.advance(5_000);
    assert_eq!(pv_phase(&c, &pv), None);
    create(&mut c, claim("data", None, "ReadWriteOnce"));
    create(&mut c, pod("fresh", pvc_volume("data"), None));
    c.advance(30_000);
    assert_ne!(c.claim_volume("default", "data").as_deref(), Some(pv.as_str()));
    assert_eq!(sh(&mut c, "fresh", "ls /data"), "");
}

#[test]
fn nfs_volumes_are_shared_across_nodes_and_retained() {
    let mut c = Cluster::new(ClusterConfig::default());
    create(&mut c, nfs_pv("nfs-1g-pv", "Retain"));
    create(&mut c, claim("shared", Some("nfs"), "ReadWriteMany"));
    create(&mut c, pod("a", pvc_volume("shared"), Some("kind-worker")));
    create(&mut c, pod("b", pvc_volume("shared"), Some("kind-worker2")));
    c.advance(30_000);
    // ReadWriteMany: two pods on two nodes see each other's writes at once.
    sh(&mut c, "a", "echo from-a >> /data/log");
    sh(&mut c, "b", "echo from-b >> /data/log");
    assert_eq!(sh(&mut c, "a", "cat /data/log"), "from-a\nfrom-b\n");
    // Retain: the claim goes, the volume is Released with its files.
    for p in ["a", "b"] {
        delete(&mut c, Kind::Pod, "default", p);
    }
    c.advance(40_000);
    delete(&mut c, Kind::PersistentVolumeClaim, "default", "shared");
    c.advance(5_000);
    assert_eq!(pv_phase(&c, "nfs-1g-pv").as_deref(), Some("Released"));
    // The admin recreates the volume on the same export: a new claim binds and finds the files.
    delete(&mut c, Kind::PersistentVolume, "", "nfs-1g-pv");
    c.advance(1_000);
    create(&mut c, nfs_pv("nfs-1g-pv", "Retain"));
    create(&mut c, claim("again", Some("nfs"), "ReadWriteMany"));
    create(&mut c, pod("c", pvc_volume("again"), Some("kind-worker3")));
    c.advance(30_000);
    assert_eq!(sh(&mut c, "c", "cat /data/log"), "from-a\nfrom-b\n");
}

#[test]
fn host_paths_belong_to_their_node() {
    let mut c = Cluster::new(ClusterConfig::default());
    let host = json!({"name": "data", "hostPath": {"path": "/var/data", "type": "DirectoryOrCreate"}});
    create(&mut c, pod("w1", host.clone(), Some("kind-worker")));
    create(&mut c, pod("w2", host.clone(), Some("kind-worker2")));
    c.advance(30_000);
    sh(&mut c, "w1", "echo node1 > /data/who");
    assert_eq!(
        sh(&mut c, "w2", "cat /data/who"),
        "cat: can't open '/data/who': No such file or directory\n"
    );
    delete(&mut c, Kind::Pod, "default", "w1");
    c.advance(40_000);
    create(&mut c, pod("w3", host, Some("kind-worker")));
    c.advance(30_000);
    assert_eq!(sh(&mut c, "w3", "cat /data/who"), "node1\n");
    assert!(c.host_path_data("kind-worker", "/var/data").is_some());
    assert!(c.host_path_data("kind-worker2", "/var/data").is_none());
}

#[test]
fn statefulset_pods_get_their_claims_back() {
    let mut c = Cluster::new(ClusterConfig::default());
    create(
        &mut c,
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "nginx", "namespace": "default"},
               "spec": {"clusterIP": "None", "selector": {"app": "nginx"}, "ports": [{"port": 80}]}}),
    );
    create(
        &mut c,
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "namespace": "default"},
               "spec": {"serviceName": "nginx", "replicas": 2, "selector": {"matchLabels": {"app": "nginx"}},
                        "template": {"metadata": {"labels": {"app": "nginx"}},
                                     "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25",
                                              "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
                        "volumeClaimTemplates": [{"metadata": {"name": "www"},
                                                  "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}}),
    );
    c.advance(120_000);
    for i in 0..2 {
        let p = format!("web-{i}");
        sh(&mut c, &p, "echo \"$(hostname)\" > /usr/share/nginx/html/index.html");
    }
    delete(&mut c, Kind::Pod, "default", "web-0");
    delete(&mut c, Kind::Pod, "default", "web-1");
    c.advance(120_000);
    assert_eq!(sh(&mut c, "web-0", "cat /usr/share/nginx/html/index.html"), "web-0\n");
    assert_eq!(sh(&mut c, "web-1", "cat /usr/share/nginx/html/index.html"), "web-1\n");
}

#[test]
fn config_volumes_follow_their_sources_on_the_kubelet_resync() {
    let mut c = Cluster::new(ClusterConfig::default());
    create(
        &mut c,
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": "default"},
               "data": {"color": "blue"}}),
    );
    create(
        &mut c,
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app", "namespace": "default", "labels": {"tier": "web"}},
               "spec": {"containers": [{"name": "main", "image": "busybox:1.36", "command": ["sleep", "3600"],
                        "env": [{"name": "COLOR", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "color"}}}],
                        "volumeMounts": [{"name": "config", "mountPath": "/etc/app"},
                                         {"name": "config", "mountPath": "/etc/color", "subPath": "conf/color"},
                                         {"name": "info", "mountPath": "/etc/podinfo"}]}],
                        "volumes": [{"name": "config", "configMap": {"name": "app", "items": [{"key": "color", "path": "conf/color"}]}},
                                    {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}]}}),
    );
    c.advance(20_000);
    assert_eq!(sh(&mut c, "app", "cat /etc/app/conf/color"), "blue");
    assert_eq!(
        sh(&mut c, "app", "echo x > /etc/app/x"),
        "sh: can't create /etc/app/x: Read-only file system\n"
    );
    let mut cm = c
        .get(Kind::ConfigMap, "default", "app")
        .unwrap()
        .as_configmap()
        .unwrap()
        .clone();
    cm.data.insert("color".into(), "green".into());
    cm.metadata.resource_version = None;
    c.update(Object::ConfigMap(cm)).unwrap();
    // The pod was admitted about 20 s ago: its next resync is at most 60 s away.
    c.advance(30_000);
    assert_eq!(sh(&mut c, "app", "cat /etc/app/conf/color"), "blue");
    c.advance(30_000);
    assert_eq!(sh(&mut c, "app", "cat /etc/app/conf/color"), "green");
    // A subPath mount and the environment keep what the container started with.
    assert_eq!(sh(&mut c, "app", "cat /etc/color"), "blue");
    assert_eq!(sh(&mut c, "app", "echo $COLOR"), "blue\n");
    // Labels reach the downward API file with the pod update itself.
    let mut p = c.get(Kind::Pod, "default", "app").unwrap().as_pod().unwrap().clone();
    p.metadata.labels.insert("version".into(), "v2".into());
    p.metadata.resource_version = None;
    c.update(Object::Pod(p)).unwrap();
    c.advance(100);
    assert_eq!(
        sh(&mut c, "app", "cat /etc/podinfo/labels"),
        "tier=\"web\"\nversion=\"v2\""
    );
}
