//! kubectl benchmarks: `cargo bench -p kubelab-kubectl` (or `--bench kubectl -- get` for one).
//!
//! - `session_new/cold`: `Session::new` bootstrapping the cluster a learner starts with;
//!   `session_new/reused`: the same config again (the engine clones the cluster it kept).
//! - `get_pods/N`: `kubectl get pods` in a session running a Deployment of N pods (the console's
//!   per-command cost), plus `get pods -A -o wide` at 1,000.
//! - `describe_node/N`: `kubectl describe node kind-worker` with N pods in the cluster.
//! - `apply`: `kubectl apply -f` of a Deployment + Service manifest into a fresh session clone.
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use kubelab_kubectl::{Session, SessionOptions};
use std::hint::black_box;

fn argv(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

/// A session whose `web` Deployment runs `pods` replicas on `pods / 20` workers (at least 3).
fn session_with(pods: u32) -> Session {
    let mut s = Session::new(SessionOptions {
        seed: 1,
        workers: (pods / 20).max(3),
    });
    let out = s.kubectl(
        &argv(&format!(
            "kubectl create deployment web --image=nginx --replicas={pods}"
        )),
        None,
    );
    assert_eq!(out.exit_code, 0);
    let out = s.kubectl(&argv("kubectl rollout status deployment/web --timeout=10m"), None);
    assert_eq!(out.exit_code, 0, "{out:?}");
    s
}

const MANIFEST: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    app: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
  - port: 80
    targetPort: 80
";

fn session_new(c: &mut Criterion) {
    // A new seed each time: a real bootstrap (the engine reuses the last small cluster).
    let mut seed = 1_000;
    c.bench_function("session_new/cold", |b| {
        b.iter(|| {
            seed += 1;
            black_box(Session::new(SessionOptions { seed, workers: 3 }))
        })
    });
    c.bench_function("session_new/reused", |b| {
        b.iter(|| black_box(Session::new(SessionOptions::default())))
    });
}

fn get_and_describe(c: &mut Criterion) {
    let mut g = c.benchmark_group("get_pods");
    let sessions: Vec<(u32, Session)> = [100, 1_000, 10_000].into_iter().map(|n| (n, session_with(n))).collect();
    for (n, s) in &sessions {
        let mut s = s.clone();
        let get = argv("kubectl get pods");
        g.bench_with_input(BenchmarkId::from_parameter(n), n, |b, _| {
            b.iter(|| black_box(s.kubectl(&get, None)))
        });
    }
    {
        let mut s = sessions[1].1.clone();
        let wide = argv("kubectl get pods -A -o wide");
        g.bench_function("1000-all-namespaces-wide", |b| {
            b.iter(|| black_box(s.kubectl(&wide, None)))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("describe_node");
    for (n, s) in &sessions {
        let mut s = s.clone();
        let describe = argv("kubectl describe node kind-worker");
        g.bench_with_input(BenchmarkId::from_parameter(n), n, |b, _| {
            b.iter(|| black_box(s.kubectl(&describe, None)))
        });
    }
    g.finish();
}

fn apply(c: &mut Criterion) {
    let mut base = Session::new(SessionOptions::default());
    base.files.insert("shop.yaml".into(), MANIFEST.into());
    let apply = argv("kubectl apply -f shop.yaml");
    c.bench_function("apply", |b| {
        b.iter_batched(
            || base.clone(),
            |mut s| {
                let out = s.kubectl(&apply, None);
                assert_eq!(out.exit_code, 0);
                s
            },
            BatchSize::PerIteration,
        )
    });
}

criterion_group!(benches, session_new, get_and_describe, apply);
criterion_main!(benches);
