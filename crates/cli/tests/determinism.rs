//! Same script and seed, same transcript; another seed, other names. Covers the whole stack
//! (interpreter, kubectl, engine) through `kubelab run`'s code path.

use kubelab_cli::{replay, RunOptions};
use kubelab_kubectl::SessionOptions;

const SCRIPT: &str = "kubectl create deployment web --image=nginx --replicas=3
sleep 5
kubectl expose deployment web --port=80
kubectl scale deployment web --replicas=5
sleep 20
kubectl get pods -o wide
kubectl get svc,ep
kubectl set image deployment/web nginx=nginx:1.27
kubectl rollout status deployment/web
kubectl get rs
kubectl get events
";

fn run(seed: u64) -> String {
    replay(
        SCRIPT,
        &RunOptions {
            session: SessionOptions { seed, workers: 3 },
        },
    )
}

#[test]
fn same_seed_same_transcript() {
    let a = run(42);
    assert!(a.contains("deployment.apps/web created"), "{a}");
    assert_eq!(a, run(42));
}

#[test]
fn other_seed_other_names() {
    let (a, b) = (run(1), run(2));
    assert_ne!(a, b, "different seeds should give different pod names");
}
