//! Quick scale probe: `cargo run --release -p kubelab-engine --example scale -- 500 10000`.
use kubelab_engine::api::*;
use kubelab_engine::{Cluster, ClusterConfig};
use std::time::Instant;

fn main() {
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (nodes, pods) = (
        args.first().copied().unwrap_or(500),
        args.get(1).copied().unwrap_or(10_000),
    );
    let t0 = Instant::now();
    let mut c = Cluster::new(ClusterConfig {
        seed: 1,
        workers: nodes as u32,
    });
    let boot = t0.elapsed();
    let mut d = Deployment {
        metadata: ObjectMeta::named("web", Some("default")),
        ..Default::default()
    };
    d.spec.replicas = Some(pods as i64);
    d.spec.selector.match_labels.insert("app".into(), "web".into());
    d.spec.template.metadata.labels.insert("app".into(), "web".into());
    d.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: "nginx".into(),
        ..Default::default()
    });
    let t1 = Instant::now();
    c.create(Object::Deployment(d)).unwrap();
    let ok = c.run_until(600_000, |c| {
        c.get(Kind::Deployment, "default", "web")
            .and_then(|o| o.as_deployment().map(|d| d.status.available_replicas == pods as i64))
            .unwrap_or(false)
    });
    let run = t1.elapsed();
    let events = c.store().count(Kind::Event);
    println!(
        "boot {nodes} nodes: {boot:?}; {pods} pods steady={ok} in {run:?} (virtual {} s), writes {}, events {events}",
        c.now().0 / 1000,
        c.store().revision()
    );
}
