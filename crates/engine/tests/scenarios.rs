//! End-to-end engine scenarios: a cluster boots, a Deployment rolls out and rolls over.

use kubelab_engine::api::*;
use kubelab_engine::{Cluster, ClusterConfig, DeleteOptions};

fn deployment(name: &str, image: &str, replicas: i64) -> Object {
    let mut d = Deployment {
        metadata: ObjectMeta::named(name, Some("default")),
        ..Default::default()
    };
    d.metadata.labels.insert("app".into(), name.into());
    d.spec.replicas = Some(replicas);
    d.spec.selector.match_labels.insert("app".into(), name.into());
    d.spec.template.metadata.labels.insert("app".into(), name.into());
    d.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: image.into(),
        ..Default::default()
    });
    Object::Deployment(d)
}

fn pods<'a>(c: &'a Cluster, prefix: &str) -> Vec<&'a Pod> {
    c.list(Kind::Pod, Some("default"))
        .into_iter()
        .filter_map(|o| o.as_pod())
        .filter(|p| p.metadata.name.starts_with(prefix))
        .collect()
}

#[test]
fn bootstrap_brings_up_a_ready_cluster() {
    let c = Cluster::new(ClusterConfig::default());
    let nodes = c.list(Kind::Node, None);
    assert_eq!(nodes.len(), 4);
    let system: Vec<&Pod> = c
        .list(Kind::Pod, Some("kube-system"))
        .into_iter()
        .filter_map(|o| o.as_pod())
        .collect();
    // 4 control-plane statics + kube-proxy and kindnet on 4 nodes + 2 coredns.
    assert_eq!(
        system.len(),
        4 + 8 + 2,
        "{:?}",
        system.iter().map(|p| &p.metadata.name).collect::<Vec<_>>()
    );
    assert!(system.iter().all(|p| p.phase() == "Running" && p.is_ready()));
    let svc = c.get(Kind::Service, "default", "kubernetes").unwrap();
    assert_eq!(svc.as_service().unwrap().spec.cluster_ip.as_deref(), Some("10.96.0.1"));
    // CoreDNS endpoints follow its ready pods.
    let ep = c
        .get(Kind::Endpoints, "kube-system", "kube-dns")
        .unwrap()
        .as_endpoints()
        .unwrap()
        .clone();
    assert_eq!(ep.subsets[0].addresses.len(), 2);
}

#[test]
fn deployment_rolls_out_and_updates_within_budget() {
    let mut c = Cluster::new(ClusterConfig::default());
    c.create(deployment("web", "nginx", 3)).unwrap();
    c.advance(30_000);
    let running = pods(&c, "web-");
    assert_eq!(running.len(), 3);
    assert!(
        running.iter().all(|p| p.phase() == "Running" && p.is_ready()),
        "{running:#?}"
    );
    // No pod on the tainted control plane.
    assert!(running
        .iter()
        .all(|p| p.spec.node_name.as_deref() != Some("kind-control-plane")));
    let rs = c.list(Kind::ReplicaSet, Some("default"));
    assert_eq!(rs.len(), 1);
    let old_rs = rs[0].name().to_string();
    assert!(old_rs.starts_with("web-"));

    // Roll to a new image: never more than 4 pods, never fewer than 3 available.
    let mut d = c
        .get(Kind::Deployment, "default", "web")
        .unwrap()
        .as_deployment()
        .unwrap()
        .clone();
    d.spec.template.spec.containers[0].image = "nginx:1.27".into();
    d.metadata.resource_version = None;
    c.update(Object::Deployment(d)).unwrap();
    for _ in 0..600 {
        c.advance(100);
        let ps = pods(&c, "web-");
        let available = ps.iter().filter(|p| p.is_ready() && !p.metadata.is_deleting()).count();
        let live = ps.iter().filter(|p| !p.metadata.is_deleting()).count();
        assert!(live <= 4, "surge exceeded: {live}");
        assert!(available >= 3, "availability dropped to {available}");
    }
    let ps = pods(&c, "web-");
    assert_eq!(ps.len(), 3);
    assert!(ps.iter().all(|p| p.spec.containers[0].image == "nginx:1.27"));
    let dep = c
        .get(Kind::Deployment, "default", "web")
        .unwrap()
        .as_deployment()
        .unwrap()
        .clone();
    assert_eq!(dep.status.updated_replicas, 3);
    assert_eq!(dep.status.available_replicas, 3);
    assert_eq!(dep.metadata.annotations["deployment.kubernetes.io/revision"], "2");
    let scaled: Vec<String> = c
        .events_for(dep.metadata.uid())
        .iter()
        .filter_map(|e| e.message.clone())
        .collect();
    assert!(
        scaled
            .iter()
            .any(|m| m == &format!("Scaled down replica set {old_rs} from 3 to 2")),
        "{scaled:?}"
    );

    // Deleting the deployment takes its ReplicaSets and pods with it.
    c.delete(Kind::Deployment, "default", "web", DeleteOptions::default())
        .unwrap();
    c.advance(60_000);
    assert!(pods(&c, "web-").is_empty());
    assert!(c.list(Kind::ReplicaSet, Some("default")).is_empty());
}

#[test]
fn same_seed_same_history() {
    let run = |seed| {
        let mut c = Cluster::new(ClusterConfig { seed, workers: 3 });
        c.create(deployment("web", "nginx", 5)).unwrap();
        c.advance(20_000);
        c.list(Kind::Pod, None)
            .iter()
            .map(|o| serde_json::to_string(&o.to_value()).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn deleting_a_namespace_empties_and_removes_it() {
    let mut c = Cluster::new(ClusterConfig::default());
    let ns = Namespace {
        metadata: ObjectMeta::named("team", None),
        ..Default::default()
    };
    c.create(Object::Namespace(ns)).unwrap();
    let mut d = deployment("web", "nginx", 2);
    if let Object::Deployment(d) = &mut d {
        d.metadata.namespace = Some("team".into());
    }
    c.create(d).unwrap();
    c.advance(20_000);
    assert_eq!(c.list(Kind::Pod, Some("team")).len(), 2);
    c.delete(Kind::Namespace, "", "team", DeleteOptions::default()).unwrap();
    let phase = c
        .get(Kind::Namespace, "", "team")
        .unwrap()
        .as_namespace()
        .unwrap()
        .status
        .phase
        .clone();
    assert_eq!(phase.as_deref(), Some("Terminating"));
    c.advance(60_000);
    assert!(c.get(Kind::Namespace, "", "team").is_none(), "namespace still there");
    assert!(c.list(Kind::Pod, Some("team")).is_empty());
    assert!(c.list(Kind::Event, Some("team")).is_empty());
}
