//! The cluster a learner starts with, shaped like a fresh kind/kubeadm cluster: one
//! control-plane node (tainted NoSchedule) and N workers, the system namespaces, the static
//! control-plane pods, kube-proxy and kindnet on every node, CoreDNS behind `kube-dns`
//! (10.96.0.10) and the `kubernetes` service at 10.96.0.1.

use crate::api::*;
use crate::cluster::Cluster;
use crate::time::Timestamp;
use serde_json::json;
use std::collections::BTreeMap;

/// Images every kind node has loaded (the node image ships them).
pub const SYSTEM_IMAGES: [&str; 9] = [
    "registry.k8s.io/etcd:3.5.16-0",
    "registry.k8s.io/kube-apiserver:v1.32.2",
    "registry.k8s.io/kube-controller-manager:v1.32.2",
    "registry.k8s.io/kube-scheduler:v1.32.2",
    "registry.k8s.io/kube-proxy:v1.32.2",
    "docker.io/kindest/kindnetd:v20250214-acbabc1a",
    "registry.k8s.io/coredns/coredns:v1.11.3",
    "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
    "registry.k8s.io/pause:3.10",
];

/// How long the cluster has been up when the learner arrives.
pub const UPTIME_MS: u64 = 10 * 60 * 1000;

pub const KUBERNETES_VERSION: &str = "v1.32.2";
pub const CONTROL_PLANE: &str = "kind-control-plane";

/// Worker names as kind gives them: `kind-worker`, `kind-worker2`, `kind-worker3`, …
pub fn worker_name(i: u32) -> String {
    if i == 1 {
        "kind-worker".into()
    } else {
        format!("kind-worker{i}")
    }
}

/// Node i's pod subnet prefix: 10.244.i.0/24, continuing into 10.245.x for large clusters.
pub(crate) fn pod_subnet(i: u32) -> String {
    format!("10.{}.{}", 244 + i / 256, i % 256)
}

pub(crate) fn node_ip(i: u32) -> String {
    format!("172.18.{}.{}", i / 250, i % 250 + 2)
}

pub(crate) fn node_object(name: &str, index: u32, control_plane: bool) -> Node {
    let mut labels = BTreeMap::new();
    for (k, v) in [
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/hostname", name),
        ("kubernetes.io/os", "linux"),
    ] {
        labels.insert(k.to_string(), v.to_string());
    }
    let mut taints = Vec::new();
    if control_plane {
        labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
        labels.insert(
            "node.kubernetes.io/exclude-from-external-load-balancers".into(),
            String::new(),
        );
        taints.push(Taint {
            effect: "NoSchedule".into(),
            key: "node-role.kubernetes.io/control-plane".into(),
            time_added: None,
            value: None,
        });
    }
    let mut annotations = BTreeMap::new();
    annotations.insert(
        "kubeadm.alpha.kubernetes.io/cri-socket".to_string(),
        "unix:///run/containerd/containerd.sock".to_string(),
    );
    annotations.insert("node.alpha.kubernetes.io/ttl".to_string(), "0".to_string());
    annotations.insert(
        "volumes.kubernetes.io/controller-managed-attach-detach".to_string(),
        "true".to_string(),
    );
    let resources: BTreeMap<String, String> = [
        ("cpu", "4"),
        ("ephemeral-storage", "102626232Ki"),
        ("hugepages-1Gi", "0"),
        ("hugepages-2Mi", "0"),
        ("memory", "8148080Ki"),
        ("pods", "110"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let cidr = format!("{}.0/24", pod_subnet(index));
    let cond = |t: &str, s: &str, reason: &str, msg: &str| Condition {
        last_heartbeat_time: Some(Timestamp(Default::default())),
        last_transition_time: Some(Timestamp(Default::default())),
        message: Some(msg.into()),
        reason: Some(reason.into()),
        status: s.into(),
        type_: t.into(),
        ..Default::default()
    };
    Node {
        metadata: ObjectMeta {
            name: name.into(),
            labels,
            annotations,
            ..Default::default()
        },
        spec: NodeSpec {
            pod_cidr: Some(cidr.clone()),
            pod_cidrs: vec![cidr],
            provider_id: Some(format!("kind://docker/kind/{name}")),
            taints,
            unschedulable: None,
        },
        status: NodeStatus {
            addresses: vec![
                NodeAddress {
                    address: node_ip(index),
                    type_: "InternalIP".into(),
                },
                NodeAddress {
                    address: name.into(),
                    type_: "Hostname".into(),
                },
            ],
            allocatable: resources.clone(),
            capacity: resources,
            conditions: vec![
                cond(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                cond(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                cond(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            daemon_endpoints: Some(json!({"kubeletEndpoint": {"Port": 10250}})),
            images: Vec::new(),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: format!("{:08x}-boot", crate::names::stable_hash(&[name, "boot"]) as u32),
                container_runtime_version: "containerd://2.0.3".into(),
                kernel_version: "6.8.0-51-generic".into(),
                kube_proxy_version: KUBERNETES_VERSION.into(),
                kubelet_version: KUBERNETES_VERSION.into(),
                machine_id: format!("{:016x}", crate::names::stable_hash(&[name, "machine"])),
                operating_system: "linux".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                system_uuid: format!("{:016x}", crate::names::stable_hash(&[name, "uuid"])),
            }),
        },
    }
}

fn container(name: &str, image: &str) -> Container {
    Container {
        name: name.into(),
        image: image.into(),
        ..Default::default()
    }
}

fn system_pod(name: &str, node: &str, labels: &[(&str, &str)], c: Container, owner: OwnerReference) -> Pod {
    let mut p = Pod {
        metadata: ObjectMeta {
            name: name.into(),
            namespace: Some("kube-system".into()),
            labels: labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            owner_references: vec![owner],
            ..Default::default()
        },
        ..Default::default()
    };
    p.spec.containers.push(c);
    p.spec.node_name = Some(node.into());
    p.spec.priority_class_name = Some("system-node-critical".into());
    p.spec.priority = Some(2_000_001_000);
    p.spec.tolerations.push(Toleration {
        operator: Some("Exists".into()),
        ..Default::default()
    });
    p.spec.automount_service_account_token = Some(false);
    p
}

pub fn bootstrap(c: &mut Cluster) {
    for ns in [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
        "local-path-storage",
    ] {
        let _ = c.create(Object::Namespace(Namespace {
            metadata: ObjectMeta::named(ns, None),
            ..Default::default()
        }));
    }
    let mut nodes = vec![(CONTROL_PLANE.to_string(), true)];
    for i in 1..=c.config().workers {
        nodes.push((worker_name(i), false));
    }
    let system_images = SYSTEM_IMAGES;
    // kube-proxy and kindnet are real DaemonSets; their pods are written here as the
    // DaemonSet controller made them while the cluster came up.
    let proxy_ds = system_daemonset(
        c,
        "kube-proxy",
        system_images[4],
        &[("k8s-app", "kube-proxy")],
        &[("k8s-app", "kube-proxy")],
        true,
    );
    let kindnet_ds = system_daemonset(
        c,
        "kindnet-cni",
        system_images[5],
        &[("app", "kindnet"), ("k8s-app", "kindnet"), ("tier", "node")],
        &[("app", "kindnet")],
        false,
    );
    for (i, (name, cp)) in nodes.iter().enumerate() {
        let created = c.create(Object::Node(node_object(name, i as u32, *cp)));
        c.add_agent(name, pod_subnet(i as u32));
        for img in system_images {
            c.preload_image(name, img);
        }
        let Ok(node) = created else { continue };
        let node_owner = OwnerReference {
            api_version: "v1".into(),
            controller: true,
            kind: "Node".into(),
            name: name.clone(),
            uid: node.meta().uid().to_string(),
            ..Default::default()
        };
        if *cp {
            for (component, image) in [
                ("etcd", system_images[0]),
                ("kube-apiserver", system_images[1]),
                ("kube-controller-manager", system_images[2]),
                ("kube-scheduler", system_images[3]),
            ] {
                let pod = system_pod(
                    &format!("{component}-{name}"),
                    name,
                    &[("component", component), ("tier", "control-plane")],
                    container(component, image),
                    node_owner.clone(),
                );
                let _ = c.create(Object::Pod(pod));
            }
        }
        for ds in [&proxy_ds, &kindnet_ds] {
            let Some(ds) = ds else { continue };
            let suffix = c.rng().name_suffix(5);
            let hash =
                crate::controllers::history::hash_of(&crate::controllers::history::patch_of(&ds.spec.template), None);
            let mut pod = crate::controllers::daemonset::new_pod(ds, name, &hash);
            pod.metadata.name = format!("{}-{suffix}", ds.metadata.name);
            pod.metadata.generate_name = None;
            pod.spec.node_name = Some(name.clone());
            pod.spec.priority = Some(2_000_001_000);
            let _ = c.create(Object::Pod(pod));
        }
    }

    // kind's default StorageClass: local-path volumes, bound once a pod needs them.
    let mut sc = StorageClass {
        metadata: ObjectMeta::named("standard", None),
        ..Default::default()
    };
    sc.metadata
        .annotations
        .insert(DEFAULT_CLASS_ANNOTATION.into(), "true".into());
    sc.provisioner = crate::controllers::volume::LOCAL_PATH.into();
    sc.reclaim_policy = Some("Delete".into());
    sc.volume_binding_mode = Some("WaitForFirstConsumer".into());
    c.ensure(Object::StorageClass(sc));

    // CoreDNS: a real Deployment, so its ReplicaSet and pods are made by the controllers.
    let mut dns = Deployment {
        metadata: ObjectMeta::named("coredns", Some("kube-system")),
        ..Default::default()
    };
    dns.metadata.labels.insert("k8s-app".into(), "kube-dns".into());
    dns.spec.replicas = Some(2);
    dns.spec
        .selector
        .match_labels
        .insert("k8s-app".into(), "kube-dns".into());
    dns.spec
        .template
        .metadata
        .labels
        .insert("k8s-app".into(), "kube-dns".into());
    let mut core = container("coredns", system_images[6]);
    core.ports = vec![
        ContainerPort {
            container_port: 53,
            name: Some("dns".into()),
            protocol: Some("UDP".into()),
            host_port: None,
        },
        ContainerPort {
            container_port: 53,
            name: Some("dns-tcp".into()),
            protocol: Some("TCP".into()),
            host_port: None,
        },
        ContainerPort {
            container_port: 9153,
            name: Some("metrics".into()),
            protocol: Some("TCP".into()),
            host_port: None,
        },
    ];
    dns.spec.template.spec.containers.push(core);
    dns.spec.template.spec.priority_class_name = Some("system-cluster-critical".into());
    dns.spec.template.spec.tolerations = vec![
        Toleration {
            key: Some("CriticalAddonsOnly".into()),
            operator: Some("Exists".into()),
            ..Default::default()
        },
        Toleration {
            effect: Some("NoSchedule".into()),
            key: Some("node-role.kubernetes.io/control-plane".into()),
            ..Default::default()
        },
    ];
    let _ = c.create(Object::Deployment(dns));

    let mut lpp = Deployment {
        metadata: ObjectMeta::named("local-path-provisioner", Some("local-path-storage")),
        ..Default::default()
    };
    lpp.spec
        .selector
        .match_labels
        .insert("app".into(), "local-path-provisioner".into());
    lpp.spec
        .template
        .metadata
        .labels
        .insert("app".into(), "local-path-provisioner".into());
    lpp.spec
        .template
        .spec
        .containers
        .push(container("local-path-provisioner", system_images[7]));
    lpp.spec.template.spec.tolerations = vec![Toleration {
        effect: Some("NoSchedule".into()),
        key: Some("node-role.kubernetes.io/control-plane".into()),
        operator: Some("Equal".into()),
        ..Default::default()
    }];
    let _ = c.create(Object::Deployment(lpp));

    // The API server's own service and its hand-kept endpoints.
    c.reserve_service_ip("10.96.0.1");
    c.reserve_service_ip("10.96.0.10");
    let mut k8s = Service {
        metadata: ObjectMeta::named("kubernetes", Some("default")),
        ..Default::default()
    };
    k8s.metadata.labels.insert("component".into(), "apiserver".into());
    k8s.metadata.labels.insert("provider".into(), "kubernetes".into());
    k8s.spec.cluster_ip = Some("10.96.0.1".into());
    k8s.spec.ports.push(ServicePort {
        name: Some("https".into()),
        port: 443,
        protocol: Some("TCP".into()),
        target_port: Some(IntOrString::Int(6443)),
        ..Default::default()
    });
    let _ = c.create(Object::Service(k8s));
    let mut ep = Endpoints {
        metadata: ObjectMeta::named("kubernetes", Some("default")),
        ..Default::default()
    };
    ep.metadata
        .labels
        .insert("endpointslice.kubernetes.io/skip-mirror".into(), "true".into());
    ep.subsets.push(EndpointSubset {
        addresses: vec![EndpointAddress {
            ip: node_ip(0),
            ..Default::default()
        }],
        not_ready_addresses: Vec::new(),
        ports: vec![EndpointPort {
            name: Some("https".into()),
            port: 6443,
            protocol: Some("TCP".into()),
        }],
    });
    let _ = c.create(Object::Endpoints(ep));

    let mut dns_svc = Service {
        metadata: ObjectMeta::named("kube-dns", Some("kube-system")),
        ..Default::default()
    };
    for (k, v) in [
        ("k8s-app", "kube-dns"),
        ("kubernetes.io/cluster-service", "true"),
        ("kubernetes.io/name", "CoreDNS"),
    ] {
        dns_svc.metadata.labels.insert(k.into(), v.into());
    }
    dns_svc.spec.cluster_ip = Some("10.96.0.10".into());
    dns_svc.spec.selector.insert("k8s-app".into(), "kube-dns".into());
    for (name, port, proto) in [("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")] {
        dns_svc.spec.ports.push(ServicePort {
            name: Some(name.into()),
            port,
            protocol: Some(proto.into()),
            target_port: Some(IntOrString::Int(port)),
            ..Default::default()
        });
    }
    let _ = c.create(Object::Service(dns_svc));
}

/// One of kind's system DaemonSets (`kube-proxy`, `kindnet`): every node, any taint.
fn system_daemonset(
    c: &mut Cluster,
    container_name: &str,
    image: &str,
    labels: &[(&str, &str)],
    selector: &[(&str, &str)],
    linux_only: bool,
) -> Option<DaemonSet> {
    let name = container_name.trim_end_matches("-cni");
    let map = |kv: &[(&str, &str)]| {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>()
    };
    let mut ds = DaemonSet {
        metadata: ObjectMeta::named(name, Some("kube-system")),
        ..Default::default()
    };
    ds.metadata.labels = map(labels);
    ds.spec.selector.match_labels = map(selector);
    ds.spec.template.metadata.labels = map(labels);
    let t = &mut ds.spec.template.spec;
    t.containers.push(container(container_name, image));
    if linux_only {
        t.node_selector.insert("kubernetes.io/os".into(), "linux".into());
    }
    t.priority_class_name = Some("system-node-critical".into());
    t.tolerations.push(Toleration {
        operator: Some("Exists".into()),
        ..Default::default()
    });
    t.automount_service_account_token = Some(false);
    c.create(Object::DaemonSet(ds))
        .ok()
        .and_then(|o| o.as_daemonset().cloned())
}
