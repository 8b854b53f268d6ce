//! Builds compared with `kubectl kustomize` v1.32 (kustomize v5.5) on the same files.

use super::*;
use crate::printers::yaml::to_yaml;

fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
    list.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

fn render(files: &BTreeMap<String, String>, dir: &str) -> String {
    let built = build(files, dir).unwrap();
    built
        .docs
        .iter()
        .map(|d| to_yaml(&d.value))
        .collect::<Vec<_>>()
        .join("---\n")
}

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        envFrom:
        - configMapRef:
            name: app-config
        volumeMounts:
        - name: cfg
          mountPath: /etc/cfg
      volumes:
      - name: cfg
        configMap:
          name: app-config
";

#[test]
fn generated_names_hash_the_data_not_the_name() {
    // `mysql-pass-5m26tmdb5k`: the WordPress tutorial's secret as kubectl v1.32 names it.
    let f = files(&[(
        "kustomization.yaml",
        "secretGenerator:\n- name: mysql-pass\n  literals:\n  - password=YOUR_PASSWORD\n",
    )]);
    let out = render(&f, "./");
    assert_eq!(
        out,
        "apiVersion: v1\ndata:\n  password: WU9VUl9QQVNTV09SRA==\nkind: Secret\nmetadata:\n  name: mysql-pass-5m26tmdb5k\ntype: Opaque\n"
    );
}

#[test]
fn overlay_with_prefix_labels_images_and_references() {
    let f = files(&[
        ("base/kustomization.yaml", "resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: app-config\n  literals:\n  - color=blue\n"),
        ("base/deploy.yaml", DEPLOY),
        (
            "kustomization.yaml",
            "namespace: prod\nnamePrefix: prod-\nnameSuffix: -v1\ncommonLabels:\n  env: prod\ncommonAnnotations:\n  owner: team-a\nimages:\n- name: nginx\n  newTag: \"1.27\"\nresources:\n- base\nconfigMapGenerator:\n- name: extra\n  literals:\n  - a=1\nsecretGenerator:\n- name: creds\n  literals:\n  - user=admin\n",
        ),
    ]);
    let want = "apiVersion: v1
data:
  color: blue
kind: ConfigMap
metadata:
  annotations:
    owner: team-a
  labels:
    env: prod
  name: prod-app-config-v1-747dfcb89d
  namespace: prod
---
apiVersion: v1
data:
  a: \"1\"
kind: ConfigMap
metadata:
  annotations:
    owner: team-a
  labels:
    env: prod
  name: prod-extra-v1-h29d89cmmt
  namespace: prod
---
apiVersion: v1
data:
  user: YWRtaW4=
kind: Secret
metadata:
  annotations:
    owner: team-a
  labels:
    env: prod
  name: prod-creds-v1-hmbb7mfmdf
  namespace: prod
type: Opaque
---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    owner: team-a
  labels:
    env: prod
  name: prod-web-v1
  namespace: prod
spec:
  selector:
    matchLabels:
      app: web
      env: prod
  template:
    metadata:
      annotations:
        owner: team-a
      labels:
        app: web
        env: prod
    spec:
      containers:
      - envFrom:
        - configMapRef:
            name: prod-app-config-v1-747dfcb89d
        image: nginx:1.27
        name: web
        volumeMounts:
        - mountPath: /etc/cfg
          name: cfg
      volumes:
      - configMap:
          name: prod-app-config-v1-747dfcb89d
        name: cfg
";
    assert_eq!(render(&f, "."), want);
    let built = build(&f, ".").unwrap();
    assert_eq!(built.warnings.len(), 1);
}

#[test]
fn generator_sources_and_options() {
    let f = files(&[
        ("k/app.env", "FOO=bar\n# c\nQ=\"quoted\"\n"),
        ("k/greeting.txt", "hello\n"),
        (
            "k/kustomization.yaml",
            "configMapGenerator:
- name: a
  literals:
  - x=\"quoted value\"
  - y='single'
  - z=plain
  files:
  - greeting.txt
  - custom=greeting.txt
  envs:
  - app.env
  options:
    labels:
      l: v
    annotations:
      an: v
    disableNameSuffixHash: true
- name: b
  literals:
  - k=v
  options:
    immutable: true
secretGenerator:
- name: s
  type: kubernetes.io/tls
  literals:
  - tls.crt=c
  - tls.key=k
generatorOptions:
  labels:
    gen: \"yes\"
",
        ),
    ]);
    let want = "apiVersion: v1
data:
  FOO: bar
  Q: '\"quoted\"'
  custom: |
    hello
  greeting.txt: |
    hello
  x: quoted value
  \"y\": single
  z: plain
kind: ConfigMap
metadata:
  annotations:
    an: v
  labels:
    gen: \"yes\"
    l: v
  name: a
---
apiVersion: v1
data:
  k: v
immutable: true
kind: ConfigMap
metadata:
  labels:
    gen: \"yes\"
  name: b-bdg947hgcc
---
apiVersion: v1
data:
  tls.crt: Yw==
  tls.key: aw==
kind: Secret
metadata:
  labels:
    gen: \"yes\"
  name: s-d94tkf5ft2
type: kubernetes.io/tls
";
    assert_eq!(render(&f, "k"), want);
}

#[test]
fn errors_name_the_directory() {
    let f = files(&[("x.yaml", "a: b\n")]);
    assert_eq!(
        build(&f, "x.yaml").err().unwrap(),
        "must build at directory: 'x.yaml': file is not directory"
    );
    assert_eq!(
        build(&f, "nope").err().unwrap(),
        "must build at directory: not a valid directory: evalsymlink failure on 'nope' : lstat /root/nope: no such file or directory"
    );
    let f = files(&[
        ("b/kustomization.yaml", "resources:\n- missing.yaml\n"),
        ("c/other.yaml", "x: 1\n"),
        ("d/kustomization.yaml", "resources:\n- ../c\n"),
        ("e/kustomization.yaml", "resources:\n- x.yaml\n- x.yaml\n"),
        ("e/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"),
    ]);
    assert_eq!(build(&f, "b").err().unwrap(), "accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/root/b/missing.yaml' : lstat /root/b/missing.yaml: no such file or directory': must build at directory: not a valid directory: evalsymlink failure on '/root/b/missing.yaml' : lstat /root/b/missing.yaml: no such file or directory");
    assert_eq!(
        build(&f, "c").err().unwrap(),
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/root/c'"
    );
    assert_eq!(build(&f, "d").err().unwrap(), "accumulating resources: accumulation err='accumulating resources from '../c': '/root/c' must resolve to a file': couldn't make target for path '/root/c': unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/root/c'");
    assert_eq!(build(&f, "e").err().unwrap(), "accumulating resources: accumulation err='merging resources from 'x.yaml': may not add resource with an already registered id: ConfigMap.v1.[noGrp]/x.[noNs]': must build at directory: '/root/e/x.yaml': file is not directory");
    let f = files(&[("k/kustomization.yaml", "resourcez: []\n")]);
    assert_eq!(
        build(&f, "k").err().unwrap(),
        "invalid Kustomization: json: unknown field \"resourcez\""
    );
}

#[test]
fn labels_images_replicas_and_legacy_order() {
    let f = files(&[
        (
            "k4/kustomization.yaml",
            r#"labels:
- pairs:
    team: a
- pairs:
    app.kubernetes.io/part-of: shop
  includeSelectors: true
- pairs:
    tmpl: "yes"
  includeTemplates: true
images:
- name: nginx
  newName: registry.example.com/nginx
  digest: sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3
- name: busybox
  newTag: "1.37"
replicas:
- name: web
  count: 3
resources:
- all.yaml
"#,
        ),
        (
            "k4/all.yaml",
            r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
      - name: init
        image: busybox:1.36
      containers:
      - name: web
        image: nginx:1.25
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"#,
        ),
    ]);
    // `kubectl kustomize k4` (v1.32) on the same files, byte for byte.
    let want = r#"apiVersion: v1
kind: Service
metadata:
  labels:
    app.kubernetes.io/part-of: shop
    team: a
    tmpl: "yes"
  name: web
spec:
  ports:
  - port: 80
  selector:
    app: web
    app.kubernetes.io/part-of: shop
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  labels:
    app.kubernetes.io/part-of: shop
    team: a
    tmpl: "yes"
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
      app.kubernetes.io/part-of: shop
  serviceName: web
  template:
    metadata:
      labels:
        app: web
        app.kubernetes.io/part-of: shop
        tmpl: "yes"
    spec:
      containers:
      - image: registry.example.com/nginx@sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3
        name: web
      initContainers:
      - image: busybox:1.37
        name: init
  volumeClaimTemplates:
  - metadata:
      labels:
        app.kubernetes.io/part-of: shop
        tmpl: "yes"
      name: www
    spec:
      accessModes:
      - ReadWriteOnce
      resources:
        requests:
          storage: 1Gi
---
apiVersion: batch/v1
kind: CronJob
metadata:
  labels:
    app.kubernetes.io/part-of: shop
    team: a
    tmpl: "yes"
  name: tick
spec:
  jobTemplate:
    metadata:
      labels:
        app.kubernetes.io/part-of: shop
        tmpl: "yes"
    spec:
      template:
        metadata:
          labels:
            app.kubernetes.io/part-of: shop
            tmpl: "yes"
        spec:
          containers:
          - image: busybox:1.37
            name: c
          restartPolicy: OnFailure
  schedule: '* * * * *'
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  labels:
    app.kubernetes.io/part-of: shop
    team: a
    tmpl: "yes"
  name: web
spec:
  rules:
  - http:
      paths:
      - backend:
          service:
            name: web
            port:
              number: 80
        path: /
        pathType: Prefix
"#;
    assert_eq!(render(&f, "k4"), want);
}

#[test]
fn odd_documents_do_not_panic() {
    let f = files(&[
        (
            "k/kustomization.yaml",
            "namePrefix: p-\nnamespace: x\nreplicas:\n- name: a\n  count: 2\nresources:\n- odd.yaml\n",
        ),
        (
            "k/odd.yaml",
            "- 1\n- 2\n---\nkind: Deployment\nmetadata: str\nspec: 3\n---\njust a string\n",
        ),
    ]);
    let _ = build(&f, "k");
    let f = files(&[("k/kustomization.yaml", "- a\n")]);
    assert_eq!(
        build(&f, "k").err().unwrap(),
        "invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization"
    );
}
