//! Engine benchmarks: `cargo bench -p kubelab-engine` (or `--bench engine -- scale` for one group).
//!
//! - `boot/cold`: `Cluster::new` bootstrapping (what a session costs before the first paint);
//!   `boot/reused`: `Cluster::new` again with the same config (a clone of the kept cluster).
//! - `scale/N`: a Deployment of N pods from creation to every replica available, on a cluster with
//!   one node per 20 pods (100 pods on 5 nodes … 10,000 on 500: `kubelab run --nodes 500`). The
//!   cluster is built once; each iteration starts from a clone of it.
//! - `tick/N`: one second of virtual time on a steady cluster with N pods (what the browser's clock
//!   costs per tick when nothing happens).
//! - `controller/*`: one controller pass over N pods (ReplicaSet and Deployment reconcile).
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use kubelab_engine::api::*;
use kubelab_engine::{Cluster, ClusterConfig};
use std::hint::black_box;
use std::time::Duration;

fn deployment(replicas: i64) -> Object {
    let mut d = Deployment {
        metadata: ObjectMeta::named("web", Some("default")),
        ..Default::default()
    };
    d.spec.replicas = Some(replicas);
    d.spec.selector.match_labels.insert("app".into(), "web".into());
    d.spec.template.metadata.labels.insert("app".into(), "web".into());
    d.spec.template.spec.containers.push(Container {
        name: "nginx".into(),
        image: "nginx".into(),
        ..Default::default()
    });
    Object::Deployment(d)
}

fn available(c: &Cluster, pods: i64) -> bool {
    c.get(Kind::Deployment, "default", "web")
        .and_then(|o| o.as_deployment().map(|d| d.status.available_replicas == pods))
        .unwrap_or(false)
}

/// A cluster with `pods / 20` workers (at least 3).
fn cluster_for(pods: i64) -> Cluster {
    Cluster::new(ClusterConfig {
        seed: 1,
        workers: (pods as u32 / 20).max(3),
    })
}

/// A steady cluster running a Deployment of `pods` replicas.
pub fn steady(pods: i64) -> Cluster {
    let mut c = cluster_for(pods);
    c.create(deployment(pods)).unwrap();
    assert!(c.run_until(600_000, |c| available(c, pods)));
    c.advance(60_000);
    c
}

fn boot(cr: &mut Criterion) {
    // A new seed each time: a real bootstrap (`Cluster::new` reuses the last small cluster).
    let mut seed = 1_000;
    cr.bench_function("boot/cold", |b| {
        b.iter(|| {
            seed += 1;
            black_box(Cluster::new(ClusterConfig { seed, workers: 3 }))
        })
    });
    cr.bench_function("boot/reused", |b| {
        b.iter(|| black_box(Cluster::new(ClusterConfig::default())))
    });
}

fn scale(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("scale");
    g.sample_size(10);
    for pods in [100i64, 1_000, 10_000] {
        if pods == 10_000 {
            g.measurement_time(Duration::from_secs(40));
        }
        let base = cluster_for(pods);
        g.bench_with_input(BenchmarkId::from_parameter(pods), &pods, |b, &pods| {
            b.iter_batched(
                || base.clone(),
                |mut c| {
                    c.create(deployment(pods)).unwrap();
                    assert!(c.run_until(600_000, |c| available(c, pods)));
                    c
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn tick(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("tick");
    g.sample_size(10);
    for pods in [100i64, 1_000, 10_000] {
        let base = steady(pods);
        g.bench_with_input(BenchmarkId::from_parameter(pods), &pods, |b, _| {
            b.iter_batched(
                || base.clone(),
                |mut c| {
                    c.advance(1_000);
                    c
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn controllers(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("controller");
    g.sample_size(20);
    for pods in [100i64, 1_000, 10_000] {
        let c = steady(pods);
        let d = c
            .get(Kind::Deployment, "default", "web")
            .unwrap()
            .as_deployment()
            .unwrap()
            .clone();
        let rs_objs: Vec<_> = c.store().dependents(d.metadata.uid()).cloned().collect();
        let rs = rs_objs[0].as_replicaset().unwrap().clone();
        let pod_objs: Vec<_> = c.store().dependents(rs.metadata.uid()).cloned().collect();
        let pods_ref: Vec<&Pod> = pod_objs.iter().filter_map(|o| o.as_pod()).collect();
        let now = c.now();
        g.bench_with_input(BenchmarkId::new("replicaset", pods), &pods, |b, _| {
            b.iter(|| black_box(kubelab_engine::controllers::replicaset::reconcile(&rs, &pods_ref, now)))
        });
        let rss: Vec<&ReplicaSet> = rs_objs.iter().filter_map(|o| o.as_replicaset()).collect();
        g.bench_with_input(BenchmarkId::new("deployment", pods), &pods, |b, _| {
            b.iter(|| {
                let observed = kubelab_engine::controllers::deployment::Observed {
                    deployment: &d,
                    replica_sets: rss.clone(),
                    pods_per_rs: rss
                        .iter()
                        .map(|rs| {
                            (
                                rs.metadata.uid().to_string(),
                                c.store().dependents_count(rs.metadata.uid()),
                            )
                        })
                        .collect(),
                    now,
                };
                black_box(kubelab_engine::controllers::deployment::reconcile(&observed))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, boot, scale, tick, controllers);
criterion_main!(benches);
