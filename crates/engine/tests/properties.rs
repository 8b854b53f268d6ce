//! Property tests over the engine: rolling updates stay within their budget for any replica
//! count and any maxSurge/maxUnavailable, and the same seed always gives the same history.

use kubelab_engine::api::*;
use kubelab_engine::{Cluster, ClusterConfig};
use proptest::prelude::*;

fn int_or_pct() -> impl Strategy<Value = IntOrString> {
    prop_oneof![
        (0i64..4).prop_map(IntOrString::Int),
        prop::sample::select(vec!["0%", "10%", "25%", "50%", "100%"]).prop_map(|s| IntOrString::Str(s.into())),
    ]
}

/// The budget computed independently of the engine: percentages of `replicas`, surge rounded up,
/// unavailability rounded down, and 1 unavailable when both come out 0.
fn budget(replicas: i64, surge: &IntOrString, unavailable: &IntOrString) -> (i64, i64) {
    let resolve = |v: &IntOrString, up: bool| match v {
        IntOrString::Int(i) => *i,
        IntOrString::Str(s) => {
            let pct: f64 = s.trim_end_matches('%').parse().unwrap();
            let x = pct * replicas as f64 / 100.0;
            (if up { x.ceil() } else { x.floor() }) as i64
        }
    };
    let (s, u) = (resolve(surge, true), resolve(unavailable, false));
    if s == 0 && u == 0 {
        (0, 1)
    } else {
        (s, u)
    }
}

fn is_zero(v: &IntOrString) -> bool {
    matches!(v, IntOrString::Int(0)) || matches!(v, IntOrString::Str(s) if s == "0%")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// During a rolling update: never more than replicas + maxSurge live pods, never fewer than
    /// replicas - maxUnavailable available ones (maxSurge rounds up, maxUnavailable down).
    #[test]
    fn rolling_update_respects_surge_and_availability(
        replicas in 1i64..7,
        surge in int_or_pct(),
        unavailable in int_or_pct(),
        seed in 0u64..1000,
    ) {
        prop_assume!(!(is_zero(&surge) && is_zero(&unavailable)));
        let mut c = Cluster::new(ClusterConfig { seed, workers: 3 });
        let mut d = Deployment { metadata: ObjectMeta::named("app", Some("default")), ..Default::default() };
        d.spec.replicas = Some(replicas);
        d.spec.selector.match_labels.insert("app".into(), "app".into());
        d.spec.template.metadata.labels.insert("app".into(), "app".into());
        d.spec.template.spec.containers.push(Container { name: "c".into(), image: "nginx:1.26".into(), ..Default::default() });
        let (max_surge, max_unavailable) = budget(replicas, &surge, &unavailable);
        d.spec.strategy.rolling_update = Some(RollingUpdate { max_surge: Some(surge), max_unavailable: Some(unavailable) });
        c.create(Object::Deployment(d)).unwrap();
        c.advance(60_000);
        let mut d = c.get(Kind::Deployment, "default", "app").unwrap().as_deployment().unwrap().clone();
        d.spec.template.spec.containers[0].image = "nginx:1.27".into();
        d.metadata.resource_version = None;
        c.update(Object::Deployment(d)).unwrap();
        let mut done = false;
        for _ in 0..1200 {
            c.advance(100);
            let pods: Vec<&Pod> = c.list(Kind::Pod, Some("default")).into_iter().filter_map(|o| o.as_pod()).collect();
            let live = pods.iter().filter(|p| !p.metadata.is_deleting()).count() as i64;
            let available = pods.iter().filter(|p| !p.metadata.is_deleting() && p.is_ready()).count() as i64;
            prop_assert!(live <= replicas + max_surge, "{live} live pods > {replicas} + {max_surge}");
            prop_assert!(available >= replicas - max_unavailable, "{available} available < {replicas} - {max_unavailable}");
            let updated = pods.iter().filter(|p| p.spec.containers[0].image == "nginx:1.27" && p.is_ready()).count() as i64;
            if updated == replicas && pods.len() as i64 == replicas {
                done = true;
                break;
            }
        }
        prop_assert!(done, "rollout did not finish in 120 s");
    }

    /// Same seed and commands, same objects, byte for byte.
    #[test]
    fn same_seed_same_objects(seed in 0u64..10_000, replicas in 1i64..6) {
        let run = || {
            let mut c = Cluster::new(ClusterConfig { seed, workers: 2 });
            let mut d = Deployment { metadata: ObjectMeta::named("w", Some("default")), ..Default::default() };
            d.spec.replicas = Some(replicas);
            d.spec.selector.match_labels.insert("app".into(), "w".into());
            d.spec.template.metadata.labels.insert("app".into(), "w".into());
            d.spec.template.spec.containers.push(Container { name: "c".into(), image: "nginx".into(), ..Default::default() });
            c.create(Object::Deployment(d)).unwrap();
            c.advance(15_000);
            let all: Vec<String> = Kind::ALL
                .iter()
                .flat_map(|k| c.list(*k, None).into_iter().map(|o| serde_json::to_string(&o.to_value()).unwrap()).collect::<Vec<_>>())
                .collect();
            (all, c.store().revision())
        };
        prop_assert_eq!(run(), run());
    }
}
