//! The cluster diagram: one SVG drawn from [`ClusterView`]. Nodes are rounded boxes that wrap
//! into columns; pods are small squares placed by [`layout`], keyed by uid and drawn in one flat
//! list, so a pod that gets bound slides from the Pending lane into its node and a pod that
//! changes status only re-colours (CSS transitions in `www/styles.css`).
//!
//! Cheap to redraw with a thousand pods: every pod and node box is its own component whose props
//! compare in O(1) when nothing about it changed (pods are shared `Rc`s, reused from the last
//! draw when equal, see [`PodCache`]), so a redraw builds one small props value per pod and
//! re-renders only the pods that moved or changed. New pods come in at most
//! [`NEW_PODS_PER_FRAME`] a frame (a Deployment scaled to 1,000 fills its nodes over a few
//! frames instead of one long one); counts in the headers are always the cluster's.

use std::collections::HashMap;
use std::rc::Rc;

use kubelab_kubectl::engine::sort::CompactSort;
use kubelab_kubectl::session::{ClusterView, NodeView, PodView};
use yew::prelude::*;

/// Width of the SVG's coordinate space; the element scales to its container.
pub const WIDTH: u32 = 960;
/// The coordinate width on narrow screens (phones): one column of nodes, readable text.
pub const NARROW_WIDTH: u32 = 480;
const MARGIN: u32 = 12;
const GAP: u32 = 14;
const NODE_HEADER: u32 = 52;
const LANE_HEADER: u32 = 30;
const PAD: u32 = 12;

/// Most pods drawn in one box (a node, the Pending lane). A box with more draws this many, in
/// its usual order, and its header says how many there are and how many are drawn: thousands
/// of dots would neither fit the page nor tell a learner more than the count does.
pub const MAX_PODS_PER_BOX: usize = 1000;

/// Most pods one draw adds; the rest are drawn on the next animation frames.
pub const NEW_PODS_PER_FRAME: usize = 80;

/// Pod cell sizes, largest first: (cell width, cell height, square side, label?, most rows).
/// The largest tier in which the fullest node fits in `most rows` wins, so 3 pods get big
/// labelled squares and 300 pods become a grid of dots.
const TIERS: [(u32, u32, u32, bool, u32); 4] = [
    (64, 58, 34, true, 2),
    (34, 34, 24, false, 4),
    (18, 18, 13, false, 8),
    (11, 11, 8, false, u32::MAX),
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// Where everything goes; pure, so it is tested natively.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    /// The Pending lane (pods no node has yet).
    pub lane: Rect,
    /// One box per node, in `view.nodes` order.
    pub nodes: Vec<Rect>,
    /// Top-left corner of every drawn pod's square (at most [`MAX_PODS_PER_BOX`] a box), lane
    /// pods first, then node by node.
    pub pods: Vec<(u32, u32)>,
    /// Side of a pod square.
    pub pod_size: u32,
    /// Whether pods carry a short name label.
    pub labels: bool,
}

/// Lays `view` out in a `width`-wide space ([`WIDTH`], or [`NARROW_WIDTH`] on phones).
pub fn layout(view: &ClusterView, width: u32) -> Layout {
    let n = view.nodes.len() as u32;
    let cols = match n {
        _ if width < 2 * 400 => 1,
        0 | 1 => 1,
        2..=4 => 2,
        _ => 3,
    };
    let node_w = (width - 2 * MARGIN - (cols - 1) * GAP) / cols;
    let lane_w = width - 2 * MARGIN;
    let drawn = |n: usize| n.min(MAX_PODS_PER_BOX);
    let busiest = view.nodes.iter().map(|node| drawn(node.pods.len())).max().unwrap_or(0) as u32;
    let lane_pods = drawn(view.unscheduled.len()) as u32;

    let per_row = |cell_w: u32, w: u32| ((w - 2 * PAD) / cell_w).max(1);
    let rows = |count: u32, per_row: u32| count.div_ceil(per_row).max(1);
    let &(cell_w, cell_h, size, labels, _) = TIERS
        .iter()
        .find(|&&(cw, _, _, _, most)| {
            rows(busiest, per_row(cw, node_w)) <= most && rows(lane_pods, per_row(cw, lane_w)) <= most
        })
        .unwrap_or(&TIERS[TIERS.len() - 1]);
    // Centre the square in its cell horizontally; labels sit under it.
    let inset_x = (cell_w - size) / 2;
    let inset_y = if labels { 4 } else { (cell_h - size) / 2 };

    let mut pods =
        Vec::with_capacity(lane_pods as usize + view.nodes.iter().map(|nd| drawn(nd.pods.len())).sum::<usize>());
    let mut place = |area: &Rect, count: usize, top: u32| {
        let per = per_row(cell_w, area.w);
        for i in 0..count as u32 {
            let (r, c) = (i / per, i % per);
            pods.push((area.x + PAD + c * cell_w + inset_x, area.y + top + r * cell_h + inset_y));
        }
    };

    let lane_rows = if lane_pods == 0 {
        0
    } else {
        rows(lane_pods, per_row(cell_w, lane_w))
    };
    let lane = Rect {
        x: MARGIN,
        y: MARGIN,
        w: lane_w,
        h: LANE_HEADER + lane_rows * cell_h + if lane_rows > 0 { PAD } else { 0 },
    };
    place(&lane, lane_pods as usize, LANE_HEADER);

    // Every node box gets the height of the busiest one, so the grid stays tidy.
    let node_h = NODE_HEADER + rows(busiest, per_row(cell_w, node_w)) * cell_h + PAD;
    let top = lane.y + lane.h + GAP;
    let mut nodes = Vec::with_capacity(view.nodes.len());
    for (i, node) in view.nodes.iter().enumerate() {
        let (r, c) = (i as u32 / cols, i as u32 % cols);
        let rect = Rect {
            x: MARGIN + c * (node_w + GAP),
            y: top + r * (node_h + GAP),
            w: node_w,
            h: node_h,
        };
        place(&rect, drawn(node.pods.len()), NODE_HEADER);
        nodes.push(rect);
    }
    let node_rows = n.div_ceil(cols);
    let height = if n == 0 {
        top + 120
    } else {
        top + node_rows * (node_h + GAP) - GAP + MARGIN
    };
    Layout {
        width,
        height,
        lane,
        nodes,
        pods,
        pod_size: size,
        labels,
    }
}

/// The learner's pods first on every node, kube-system's after them (each group in the
/// engine's order), so one's own pods are always where the eye starts.
pub fn arrange(view: &ClusterView) -> ClusterView {
    let mut view = view.clone();
    for node in &mut view.nodes {
        node.pods.compact_sort_by_key(|p| p.namespace == "kube-system"); // stable
    }
    view
}

/// The order [`arrange`] draws a node's pods in, as indexes (no copy of the pods).
fn arranged(pods: &[PodView]) -> impl Iterator<Item = &PodView> {
    let own = pods.iter().filter(|p| p.namespace != "kube-system");
    own.chain(pods.iter().filter(|p| p.namespace == "kube-system"))
}

/// The pods of the last draw by uid, so an unchanged pod keeps its `Rc` and its component's
/// props compare equal by pointer.
#[derive(Default)]
pub struct PodCache {
    pods: HashMap<String, Rc<PodView>>,
}

impl PodCache {
    /// `pod` as a shared value: the previous one if equal, else a new one (remembered).
    pub fn share(&self, pod: &PodView, next: &mut HashMap<String, Rc<PodView>>) -> Rc<PodView> {
        let rc = match self.pods.get(&pod.uid) {
            Some(old) if **old == *pod => old.clone(),
            _ => Rc::new(pod.clone()),
        };
        next.insert(pod.uid.clone(), rc.clone());
        rc
    }

    /// Was this pod drawn last time?
    pub fn has(&self, uid: &str) -> bool {
        self.pods.contains_key(uid)
    }

    /// Forgets pods that were not drawn this time.
    pub fn replace(&mut self, next: HashMap<String, Rc<PodView>>) {
        self.pods = next;
    }
}

/// The CSS class for a pod's colour: what a learner should notice first.
pub fn status_class(pod: &PodView) -> &'static str {
    let status = pod.status.as_str();
    let failed = pod.phase == "Failed"
        || [
            "Err",
            "BackOff",
            "Error",
            "OOMKilled",
            "Evicted",
            "Invalid",
            "ContainerStatusUnknown",
        ]
        .iter()
        .any(|bad| status.contains(bad));
    if failed {
        "failed"
    } else if pod.phase == "Succeeded" || status == "Completed" {
        "succeeded"
    } else if status == "ContainerCreating" || status == "PodInitializing" || status.starts_with("Init:") {
        "creating"
    } else if pod.phase == "Pending" {
        "pending"
    } else if pod.phase == "Running" && pod.ready {
        "running"
    } else if pod.phase == "Running" {
        "notready"
    } else {
        "unknown"
    }
}

/// A short label for a pod. A learner's pods show their random suffix, which tells replicas apart
/// (`web-7c5ddbdf54-x7k2p` → `x7k2p`); system pods show what they are (`etcd-kind-control-plane`
/// → `etcd`, `coredns-668d6bf9bc-2xk8d` → `coredns`, `kube-proxy-tnpjs` → `proxy`). At most 9
/// characters.
pub fn short_name(name: &str, node: Option<&str>, system: bool) -> String {
    let generated = |seg: &str| seg.len() == 5 && seg.bytes().all(|b| b.is_ascii_alphanumeric());
    let label = if system {
        let mut base = node
            .and_then(|n| name.strip_suffix(n)?.strip_suffix('-'))
            .unwrap_or(name);
        if let Some((head, tail)) = base.rsplit_once('-') {
            if generated(tail) {
                base = head;
                // A ReplicaSet's pod-template-hash before the suffix.
                if let Some((head, hash)) = base.rsplit_once('-') {
                    if (8..=10).contains(&hash.len()) && hash.bytes().any(|b| b.is_ascii_digit()) {
                        base = head;
                    }
                }
            }
        }
        base.strip_prefix("kube-").unwrap_or(base)
    } else {
        match name.rsplit_once('-') {
            Some((head, tail)) if !head.is_empty() && generated(tail) => tail,
            _ => name,
        }
    };
    if label.chars().count() > 9 {
        let cut: String = label.chars().take(8).collect();
        format!("{cut}…")
    } else {
        label.to_string()
    }
}

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub view: Rc<ClusterView>,
}

/// The SVG picture of the cluster.
#[function_component]
pub fn Diagram(props: &DiagramProps) -> Html {
    let cache = use_mut_ref(PodCache::default);
    let redraw = use_force_update();
    let draws = use_mut_ref(|| 0u64);
    let view = &*props.view;
    let narrow = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 700.0);
    let lay = layout(view, if narrow { NARROW_WIDTH } else { WIDTH });
    let node_name = |nd: &NodeView| AttrValue::from(nd.name.clone());
    let pods = view
        .unscheduled
        .iter()
        .take(MAX_PODS_PER_BOX)
        .map(|p| (p, None))
        .chain(view.nodes.iter().flat_map(|nd| {
            let name = node_name(nd);
            arranged(&nd.pods)
                .take(MAX_PODS_PER_BOX)
                .map(move |p| (p, Some(name.clone())))
        }));
    let mut next = HashMap::with_capacity(lay.pods.len());
    let mut admitted = 0;
    let mut deferred = false;
    let pods: Html = {
        let cache = cache.borrow();
        pods.zip(lay.pods.iter())
            .filter(|((pod, _), _)| {
                if cache.has(&pod.uid) {
                    return true;
                }
                admitted += 1;
                deferred |= admitted > NEW_PODS_PER_FRAME;
                admitted <= NEW_PODS_PER_FRAME
            })
            .map(|((pod, node), &(x, y))| {
                let pod = cache.share(pod, &mut next);
                let key = pod.uid.clone();
                html! {
                    <PodShape key={key} pod={pod} node={node} x={x} y={y}
                        size={lay.pod_size} labels={lay.labels} />
                }
            })
            .collect()
    };
    cache.borrow_mut().replace(next);
    // Pods left for later: draw again on the next frame (each draw is a new effect key).
    let draw = {
        let mut d = draws.borrow_mut();
        *d += 1;
        *d
    };
    use_effect_with(draw, move |_| {
        let frame = deferred.then(|| gloo::render::request_animation_frame(move |_| redraw.force_update()));
        move || drop(frame)
    });
    let nodes: Html = view
        .nodes
        .iter()
        .zip(lay.nodes.iter())
        .map(|(node, rect)| {
            html! {
                <NodeBox key={node.name.clone()} name={node_name(node)} role={AttrValue::from(node.role.clone())}
                    ready={node.ready} unschedulable={node.unschedulable} count={node.pods.len()} rect={rect.clone()} />
            }
        })
        .collect();
    let lane = &lay.lane;
    let pending = view.unscheduled.len();
    html! {
        <svg class={classes!("diagram", (lay.pod_size < DOT_SIZE).then_some("dots"))} data-testid="cluster-diagram" viewBox={format!("0 0 {} {}", lay.width, lay.height)}
            role="img" aria-label="Cluster diagram: nodes and their pods" preserveAspectRatio="xMidYMin meet">
            <g class={classes!("lane", (pending > 0).then_some("busy"))} data-testid="pending-lane">
                <rect class="lane-box" x={lane.x.to_string()} y={lane.y.to_string()} width={lane.w.to_string()}
                    height={lane.h.to_string()} rx="10" />
                <text class="lane-title" x={(lane.x + 14).to_string()} y={(lane.y + 19).to_string()}>
                    { "Pending" }
                    <tspan class="lane-hint" dx="10">
                        { match pending {
                            0 => "no pods waiting for a node".to_string(),
                            n if n > MAX_PODS_PER_BOX => format!("{n} waiting for a node (the first {MAX_PODS_PER_BOX} drawn)"),
                            n => format!("{n} waiting for a node"),
                        } }
                    </tspan>
                </text>
            </g>
            { nodes }
            if view.nodes.is_empty() {
                <text class="empty" x={(lay.width / 2).to_string()} y={(lane.y + lane.h + 64).to_string()} text-anchor="middle">
                    { "No nodes yet: the cluster is starting…" }
                </text>
            }
            <g class="pods">{ pods }</g>
        </svg>
    }
}

#[derive(Properties, PartialEq)]
struct NodeBoxProps {
    name: AttrValue,
    role: AttrValue,
    ready: bool,
    unschedulable: bool,
    /// Pods on the node.
    count: usize,
    rect: Rect,
}

/// One node's box: name, role, pod count, Ready/NotReady/SchedulingDisabled.
#[function_component]
fn NodeBox(props: &NodeBoxProps) -> Html {
    let r = &props.rect;
    let ready = if props.ready { "Ready" } else { "NotReady" };
    let status = if props.unschedulable {
        format!("{ready},SchedulingDisabled")
    } else {
        ready.to_string()
    };
    let count = props.count;
    let mut meta = format!("{} · {} pod{}", props.role, count, if count == 1 { "" } else { "s" });
    if count > MAX_PODS_PER_BOX {
        meta.push_str(&format!(" ({MAX_PODS_PER_BOX} drawn)"));
    }
    let cp = props.role == "control-plane";
    html! {
        <g class={classes!("node", if props.ready { "ready" } else { "notready" },
                props.unschedulable.then_some("cordoned"), cp.then_some("control-plane"))}
            data-testid="node" data-name={props.name.clone()} data-role={props.role.clone()} data-status={status.clone()}>
            <title>{ format!("{} ({}) — {}", props.name, props.role, status) }</title>
            <rect class="node-box" x={r.x.to_string()} y={r.y.to_string()} width={r.w.to_string()} height={r.h.to_string()} rx="12" />
            <text class="node-name" x={(r.x + 16).to_string()} y={(r.y + 24).to_string()}>{ props.name.clone() }</text>
            <text class="node-meta" x={(r.x + 16).to_string()} y={(r.y + 41).to_string()}>{ meta }</text>
            <g class="node-status">
                <circle class="dot" cx={(r.x + r.w - 16 - status_width(&status)).to_string()} cy={(r.y + 20).to_string()} r="4" />
                <text class="node-state" x={(r.x + r.w - 16).to_string()} y={(r.y + 24).to_string()} text-anchor="end">{ status }</text>
            </g>
        </g>
    }
}

/// Approximate width of the status text (monospace-ish, 6.6 units a character at 11px).
fn status_width(s: &str) -> u32 {
    (s.len() as u32 * 66).div_ceil(10) + 12
}

#[derive(Properties, PartialEq)]
struct PodShapeProps {
    pod: Rc<PodView>,
    /// The node it is bound to (`None`: the Pending lane).
    node: Option<AttrValue>,
    x: u32,
    y: u32,
    /// Side of the square.
    size: u32,
    labels: bool,
}

/// Below this square size the diagram is a grid of dots (hundreds of pods).
const DOT_SIZE: u32 = 16;

/// One pod: a square coloured by its status, at its spot. Big squares move there and pop in
/// with CSS transitions; dots (hundreds of pods) are one plain square placed by an SVG
/// `transform` attribute, with no motion: animating hundreds of SVG elements repaints the whole
/// diagram every frame, and the grid is read for its colours, which still fade.
#[function_component]
fn PodShape(props: &PodShapeProps) -> Html {
    let pod = &*props.pod;
    let node = props.node.as_deref();
    let (x, y, s) = (props.x, props.y, props.size);
    let class = status_class(pod);
    let terminating = pod.status == "Terminating";
    let system = pod.namespace == "kube-system";
    let title = format!(
        "{}/{} — {}{}{}",
        pod.namespace,
        pod.name,
        pod.status,
        if pod.ready { ", ready" } else { "" },
        node.map(|nd| format!(" on {nd}")).unwrap_or_default()
    );
    let classes = classes!(
        "pod",
        class,
        terminating.then_some("terminating"),
        system.then_some("system")
    );
    let rx = (s / 4).max(2).to_string();
    if s < DOT_SIZE {
        return html! {
            <g class={classes} data-testid="pod" data-name={pod.name.clone()} data-namespace={pod.namespace.clone()}
                data-phase={pod.phase.clone()} data-status={pod.status.clone()} data-ready={pod.ready.to_string()}
                data-node={node.unwrap_or_default().to_string()} transform={format!("translate({x},{y})")}>
                <title>{ title }</title>
                <rect class="pod-shape" width={s.to_string()} height={s.to_string()} rx={rx} />
            </g>
        };
    }
    let label = props.labels.then(|| {
        html! {
            <text class="pod-label" x={(s / 2).to_string()} y={(s + 14).to_string()} text-anchor="middle">
                { short_name(&pod.name, node, system) }
            </text>
        }
    });
    html! {
        <g class={classes}
            data-testid="pod" data-name={pod.name.clone()} data-namespace={pod.namespace.clone()}
            data-phase={pod.phase.clone()} data-status={pod.status.clone()} data-ready={pod.ready.to_string()}
            data-node={node.unwrap_or_default().to_string()}
            style={format!("transform:translate({x}px,{y}px)")}>
            <title>{ title }</title>
            <g class="pod-body" style={format!("transform-origin:{}px {}px", s / 2, s / 2)}>
                <rect class="pod-shape" width={s.to_string()} height={s.to_string()} rx={rx} />
                if props.labels {
                    // The pod's one container, drawn inside it.
                    <rect class="pod-ctr" x={(s * 3 / 10).to_string()} y={(s * 3 / 10).to_string()}
                        width={(s * 4 / 10).to_string()} height={(s * 4 / 10).to_string()} rx="3" />
                }
                { for label }
            </g>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(i: usize, status: &str) -> PodView {
        PodView {
            uid: format!("uid-{i}"),
            namespace: "default".into(),
            name: format!("web-7c5ddbdf54-{i:05}"),
            phase: if status == "Running" {
                "Running".into()
            } else {
                "Pending".into()
            },
            status: status.into(),
            ready: status == "Running",
            owner: None,
            app: Some("web".into()),
        }
    }

    fn cluster(workers: usize, pods: usize) -> ClusterView {
        let mut nodes: Vec<NodeView> = (0..=workers)
            .map(|i| NodeView {
                name: if i == 0 {
                    "control-plane".into()
                } else {
                    format!("worker-{i}")
                },
                role: if i == 0 {
                    "control-plane".into()
                } else {
                    "worker".into()
                },
                ready: true,
                unschedulable: false,
                pods: vec![],
            })
            .collect();
        for i in 0..pods {
            nodes[1 + i % workers].pods.push(pod(i, "Running"));
        }
        ClusterView {
            now_ms: 0,
            nodes,
            unscheduled: vec![pod(pods, "Pending")],
        }
    }

    fn inside(p: (u32, u32), size: u32, r: &Rect) -> bool {
        p.0 >= r.x && p.1 >= r.y && p.0 + size <= r.x + r.w && p.1 + size <= r.y + r.h
    }

    fn disjoint(a: &Rect, b: &Rect) -> bool {
        a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y
    }

    fn check(view: &ClusterView) -> Layout {
        check_at(view, WIDTH)
    }

    fn check_at(view: &ClusterView, width: u32) -> Layout {
        let lay = layout(view, width);
        assert_eq!(lay.width, width);
        assert_eq!(lay.nodes.len(), view.nodes.len());
        let total = view.unscheduled.len() + view.nodes.iter().map(|n| n.pods.len()).sum::<usize>();
        assert_eq!(lay.pods.len(), total);
        let mut k = 0;
        for _ in &view.unscheduled {
            assert!(
                inside(lay.pods[k], lay.pod_size, &lay.lane),
                "lane pod {k} at {:?}",
                lay.pods[k]
            );
            k += 1;
        }
        for (node, rect) in view.nodes.iter().zip(&lay.nodes) {
            assert!(
                rect.x + rect.w <= width && rect.y + rect.h <= lay.height,
                "{rect:?} fits"
            );
            assert!(disjoint(rect, &lay.lane));
            for _ in &node.pods {
                assert!(
                    inside(lay.pods[k], lay.pod_size, rect),
                    "pod {k} at {:?} in {rect:?}",
                    lay.pods[k]
                );
                assert!(lay.pods[k].1 >= rect.y + NODE_HEADER, "below the header");
                k += 1;
            }
        }
        for (i, a) in lay.nodes.iter().enumerate() {
            for b in &lay.nodes[i + 1..] {
                assert!(disjoint(a, b), "{a:?} overlaps {b:?}");
            }
        }
        let mut spots = lay.pods.clone();
        spots.compact_sort();
        spots.dedup();
        assert_eq!(spots.len(), lay.pods.len(), "no two pods share a spot");
        lay
    }

    #[test]
    fn four_nodes_and_three_pods_get_big_labelled_pods() {
        let lay = check(&cluster(3, 3));
        assert!(lay.labels);
        assert_eq!(lay.nodes[0].w, lay.nodes[1].w);
        assert_eq!(lay.nodes[0].y, lay.nodes[1].y, "two columns");
        assert!(lay.nodes[2].y > lay.nodes[0].y, "the grid wraps");
    }

    #[test]
    fn three_hundred_pods_become_dots_and_stay_compact() {
        let lay = check(&cluster(3, 320));
        assert!(!lay.labels);
        assert!(lay.pod_size <= 13);
        assert!(lay.height < 900, "height {}", lay.height);
    }

    #[test]
    fn phones_get_one_column() {
        let lay = check_at(&cluster(3, 12), NARROW_WIDTH);
        assert!(lay.nodes.iter().all(|r| r.x == lay.nodes[0].x));
        check_at(&cluster(3, 320), NARROW_WIDTH);
    }

    #[test]
    fn many_nodes_wrap_into_three_columns() {
        let lay = check(&cluster(8, 40));
        assert_eq!(lay.nodes[0].y, lay.nodes[2].y);
        assert!(lay.nodes[3].y > lay.nodes[0].y);
    }

    #[test]
    fn empty_cluster() {
        let lay = check(&ClusterView::default());
        assert!(lay.height > 100);
    }

    #[test]
    fn many_pending_pods_fit_the_lane() {
        let mut view = cluster(3, 0);
        view.unscheduled = (0..500).map(|i| pod(i, "Pending")).collect();
        check(&view);
    }

    /// Thousands of pods in one box: the first MAX_PODS_PER_BOX are drawn, the box stays finite.
    #[test]
    fn a_box_draws_at_most_its_maximum() {
        let mut view = cluster(3, 3 * (MAX_PODS_PER_BOX + 200));
        view.unscheduled = (0..MAX_PODS_PER_BOX + 500).map(|i| pod(i, "Pending")).collect();
        let lay = layout(&view, WIDTH);
        assert_eq!(lay.pods.len(), 4 * MAX_PODS_PER_BOX);
        let capped = layout(&cluster(3, 3 * MAX_PODS_PER_BOX), WIDTH);
        assert_eq!(lay.nodes[1].h, capped.nodes[1].h, "no taller than a full box");
    }

    #[test]
    fn own_pods_come_first() {
        let mut view = cluster(1, 2);
        let mut sys = pod(9, "Running");
        sys.namespace = "kube-system".into();
        view.nodes[1].pods.insert(0, sys);
        let names: Vec<_> = arrange(&view).nodes[1]
            .pods
            .iter()
            .map(|p| p.namespace.clone())
            .collect();
        assert_eq!(names, ["default", "default", "kube-system"]);
        let order: Vec<_> = arranged(&view.nodes[1].pods).cloned().collect();
        assert_eq!(order, arrange(&view).nodes[1].pods, "the drawing order without a copy");
    }

    #[test]
    fn colours_and_labels() {
        let mut p = pod(1, "ContainerCreating");
        assert_eq!(status_class(&p), "creating");
        p.status = "Pending".into();
        assert_eq!(status_class(&p), "pending");
        p.status = "ImagePullBackOff".into();
        assert_eq!(status_class(&p), "failed");
        p.phase = "Running".into();
        p.status = "Running".into();
        p.ready = false;
        assert_eq!(status_class(&p), "notready");
        p.ready = true;
        assert_eq!(status_class(&p), "running");
        assert_eq!(short_name("web-7c5ddbdf54-x7k2p", Some("kind-worker"), false), "x7k2p");
        assert_eq!(short_name("nginx", None, false), "nginx");
        assert_eq!(short_name("a-very-long-pod-name", None, false), "a-very-l…");
        let cp = Some("kind-control-plane");
        assert_eq!(short_name("etcd-kind-control-plane", cp, true), "etcd");
        assert_eq!(short_name("kube-apiserver-kind-control-plane", cp, true), "apiserver");
        assert_eq!(
            short_name("kube-controller-manager-kind-control-plane", cp, true),
            "controll…"
        );
        assert_eq!(short_name("coredns-668d6bf9bc-2xk8d", cp, true), "coredns");
        assert_eq!(short_name("kube-proxy-tnpjs", cp, true), "proxy");
        assert_eq!(short_name("kindnet-x9z2q", None, true), "kindnet");
    }
}
