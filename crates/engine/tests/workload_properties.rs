//! Properties of the workload controllers under random operations: an `OrderedReady`
//! StatefulSet never creates pod N+1 before pods 0..N are Running and Ready, whatever the
//! scaling and pod deletions, and the scheduler never commits more than a node's allocatable.

use kubelab_engine::api::*;
use kubelab_engine::{Cluster, ClusterConfig, DeleteOptions};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
enum Op {
    Scale(i64),
    DeletePod(usize),
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0i64..7).prop_map(Op::Scale),
        (0usize..7).prop_map(Op::DeletePod),
        (1u64..20).prop_map(|s| Op::Wait(s * 1000)),
    ]
}

fn statefulset(replicas: i64, cpu: &str, ready_delay: i64) -> Object {
    let mut s = StatefulSet {
        metadata: ObjectMeta::named("db", Some("default")),
        ..Default::default()
    };
    s.spec.replicas = Some(replicas);
    s.spec.service_name = "db".into();
    s.spec.selector.match_labels.insert("app".into(), "db".into());
    s.spec.template.metadata.labels.insert("app".into(), "db".into());
    let mut c = Container {
        name: "nginx".into(),
        image: "nginx:1.27".into(),
        ..Default::default()
    };
    c.resources.requests.insert("cpu".into(), json!(cpu));
    c.readiness_probe = Some(Probe {
        handler: Handler {
            exec: Some(ExecAction {
                command: vec!["true".into()],
            }),
            ..Default::default()
        },
        initial_delay_seconds: Some(ready_delay),
        period_seconds: Some(2),
        ..Default::default()
    });
    s.spec.template.spec.containers.push(c);
    Object::StatefulSet(s)
}

fn filler(replicas: i64, cpu: &str) -> Object {
    let mut d = Deployment {
        metadata: ObjectMeta::named("filler", Some("default")),
        ..Default::default()
    };
    d.spec.replicas = Some(replicas);
    d.spec.selector.match_labels.insert("app".into(), "filler".into());
    d.spec.template.metadata.labels.insert("app".into(), "filler".into());
    let mut c = Container {
        name: "c".into(),
        image: "nginx:1.27".into(),
        ..Default::default()
    };
    c.resources.requests.insert("cpu".into(), json!(cpu));
    c.resources.requests.insert("memory".into(), json!("1Gi"));
    d.spec.template.spec.containers.push(c);
    Object::Deployment(d)
}

fn set_pods(c: &Cluster) -> BTreeMap<i64, Pod> {
    c.list(Kind::Pod, Some("default"))
        .iter()
        .filter_map(|o| o.as_pod())
        .filter_map(|p| Some((p.metadata.name.strip_prefix("db-")?.parse().ok()?, p.clone())))
        .collect()
}

fn check_allocatable(c: &Cluster) -> Result<(), TestCaseError> {
    for n in c.list(Kind::Node, None).iter().filter_map(|o| o.as_node()) {
        let pods: Vec<&Pod> = c
            .store()
            .pods_on_node(&n.metadata.name)
            .filter_map(|o| o.as_pod())
            .filter(|p| !p.is_terminal())
            .collect();
        let cpu: i64 = pods.iter().map(|p| p.request("cpu")).sum();
        let mem: i64 = pods.iter().map(|p| p.request("memory")).sum();
        prop_assert!(
            cpu <= n.allocatable("cpu"),
            "{}: cpu {} > {}",
            n.metadata.name,
            cpu,
            n.allocatable("cpu")
        );
        prop_assert!(
            mem <= n.allocatable("memory"),
            "{}: memory over allocatable",
            n.metadata.name
        );
        prop_assert!(pods.len() as i64 <= n.allocatable("pods") / 1000);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn ordered_ready_never_starts_a_pod_before_its_predecessors_are_ready(
        replicas in 1i64..6,
        ready_delay in 0i64..8,
        fill in 0i64..12,
        ops in prop::collection::vec(op(), 1..12),
        seed in 0u64..1000,
    ) {
        let mut c = Cluster::new(ClusterConfig { seed, workers: 3 });
        // Fillers use most of the cluster's cpu so some set pods may not fit at all.
        c.create(filler(fill, "1")).unwrap();
        c.create(statefulset(replicas, "700m", ready_delay)).unwrap();
        let mut seen: BTreeMap<i64, String> = BTreeMap::new();
        let mut step = |c: &mut Cluster, ms: u64| -> Result<(), TestCaseError> {
            for _ in 0..(ms / 250).max(1) {
                c.advance(250);
                let pods = set_pods(c);
                for (ord, p) in &pods {
                    let uid = p.metadata.uid().to_string();
                    if seen.get(ord) != Some(&uid) {
                        seen.insert(*ord, uid);
                        for j in 0..*ord {
                            let prev = pods.get(&j);
                            prop_assert!(
                                prev.is_some_and(|q| q.phase() == "Running" && q.is_ready() && !q.metadata.is_deleting()),
                                "db-{ord} created while db-{j} was {:?}",
                                prev.map(|q| (q.phase().to_string(), q.is_ready(), q.metadata.is_deleting()))
                            );
                        }
                    }
                }
                check_allocatable(c)?;
            }
            Ok(())
        };
        step(&mut c, 5_000)?;
        for o in ops {
            match o {
                Op::Scale(n) => {
                    let mut s = c.get(Kind::StatefulSet, "default", "db").unwrap().as_statefulset().unwrap().clone();
                    s.spec.replicas = Some(n);
                    s.metadata.resource_version = None;
                    c.update(Object::StatefulSet(s)).unwrap();
                }
                Op::DeletePod(i) => {
                    let _ = c.delete(Kind::Pod, "default", &format!("db-{i}"), DeleteOptions::default());
                }
                Op::Wait(ms) => step(&mut c, ms)?,
            }
            step(&mut c, 1_000)?;
        }
        step(&mut c, 60_000)?;
    }
}
