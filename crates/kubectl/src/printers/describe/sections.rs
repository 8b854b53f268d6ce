//! Sections every describer shares: labels, annotations, taints, tolerations, conditions,
//! the pods of a controller and the Events table.

use super::prelude::*;
use kubelab_engine::sort::CompactSort;

/// `printLabelsMultilineWithIndent`: `Title:\tk=v`, further pairs on their own lines under the
/// first value, `<none>` when empty.
pub(super) fn labels_multiline(w: &mut W, indent: &str, title: &str, labels: &BTreeMap<String, String>) {
    put!(w, 0, "{indent}{title}:\t");
    if labels.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            put!(w, 0, "{indent}\t");
        }
        put!(w, 0, "{k}={v}\n");
    }
}

/// `printAnnotationsMultiline`: `key: value`; long (over 140 characters) or multi-line values
/// go on their own lines, clipped at 138 characters. The last-applied configuration is hidden.
pub(super) fn annotations_multiline(w: &mut W, title: &str, annotations: &BTreeMap<String, String>) {
    const MAX: usize = 140;
    put!(w, 0, "{title}:\t");
    let keys: Vec<&String> = annotations
        .keys()
        .filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    for (i, k) in keys.into_iter().enumerate() {
        if i != 0 {
            w.put(0, "\t");
        }
        let value = annotations[k].strip_suffix('\n').unwrap_or(&annotations[k]);
        if value.len() + k.len() + 2 > MAX || value.contains('\n') {
            put!(w, 0, "{k}:\n");
            for line in value.split('\n') {
                put!(w, 0, "\t  {}\n", shorten(line, MAX - 2));
            }
        } else {
            put!(w, 0, "{k}: {value}\n");
        }
    }
}

/// Go's `s[:n] + "..."` on bytes, kept on a character boundary.
pub(super) fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `printTaintsMultilineWithIndent`: sorted by effect then key, `key=value:effect`.
pub(super) fn taints(w: &mut W, taints: &[Taint]) {
    w.put(0, "Taints:\t");
    if taints.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Taint> = taints.iter().collect();
    sorted.compact_sort_by(|a, b| format!("{},{}", a.effect, a.key).cmp(&format!("{},{}", b.effect, b.key)));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.put(0, "\t");
        }
        let mut s = t.key.clone();
        if let Some(v) = t.value.as_deref().filter(|v| !v.is_empty()) {
            s.push('=');
            s.push_str(v);
        }
        if !t.effect.is_empty() {
            s.push(':');
            s.push_str(&t.effect);
        }
        put!(w, 0, "{s}\n");
    }
}

/// `printTolerationsMultilineWithIndent`: sorted by key, `key=value:effect op=Exists for Ns`.
pub(super) fn tolerations(w: &mut W, title: &str, tolerations: &[Toleration]) {
    put!(w, 0, "{title}:\t");
    if tolerations.is_empty() {
        w.put(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    sorted.compact_sort_by(|a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.put(0, "\t");
        }
        let key = t.key.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        let mut s = key.to_string();
        if !value.is_empty() {
            s.push('=');
            s.push_str(value);
        }
        if !effect.is_empty() {
            s.push(':');
            s.push_str(effect);
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            s.push_str(if key.is_empty() && effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(secs) = t.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        put!(w, 0, "{s}\n");
    }
}

/// `Conditions:` with Type, Status and Reason (deployments, replica sets).
pub(super) fn conditions_with_reason(w: &mut W, conds: &[Condition]) {
    if conds.is_empty() {
        return;
    }
    w.put(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.put(1, "----\t------\t------\n");
    for c in conds {
        put!(
            w,
            1,
            "{} \t{}\t{}\n",
            c.type_,
            c.status,
            c.reason.as_deref().unwrap_or("")
        );
    }
}

/// `getPodStatusForController`: pods whose controller is `owner`, counted by phase.
pub(super) fn pod_phases(ctx: &Ctx, owner: &ObjectMeta) -> (usize, usize, usize, usize) {
    let mut counts = (0, 0, 0, 0);
    for p in ctx
        .cluster
        .list(Kind::Pod, Some(owner.ns()))
        .into_iter()
        .filter_map(|o| o.as_pod())
    {
        if p.metadata.controller().is_none_or(|c| c.uid != owner.uid()) {
            continue;
        }
        match p.phase() {
            "Running" => counts.0 += 1,
            "Pending" => counts.1 += 1,
            "Succeeded" => counts.2 += 1,
            "Failed" => counts.3 += 1,
            _ => {}
        }
    }
    counts
}

/// `DescribeEvents`: `Events:\t<none>`, or a table sorted by last timestamp (stable over the
/// server's name order), ages as `89s (x6 over 15m)` for repeated events.
pub(super) fn events(w: &mut W, list: Option<Vec<Event>>, now: SimTime) {
    let Some(mut list) = list else { return };
    if list.is_empty() {
        w.put(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    list.compact_sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    list.dedup_by(|a, b| a.metadata.name == b.metadata.name);
    // SortableEvents compares lastTimestamp, which the server keeps to the second.
    list.compact_sort_by_key(|e| e.last_timestamp.map(|t| t.0 .0 / 1000));
    w.put(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.put(1, "----\t------\t----\t----\t-------\n");
    for e in &list {
        let first = match e.event_time {
            Some(t) => since(Some(t), now),
            None => since(e.first_timestamp, now),
        };
        let count = e.count.unwrap_or(0);
        let interval = if count > 1 {
            format!("{} (x{count} over {first})", since(e.last_timestamp, now))
        } else {
            first
        };
        let source = match e.source.component.as_deref() {
            Some(c) if !c.is_empty() => c.to_string(),
            _ => e.reporting_component.clone(),
        };
        put!(
            w,
            1,
            "{}\t{}\t{interval}\t{source}\t{}\n",
            e.type_.as_deref().unwrap_or(""),
            e.reason.as_deref().unwrap_or(""),
            e.message.as_deref().unwrap_or("").trim()
        );
    }
}

/// `Pods Status:` of a controller: its pods counted by phase (`getPodStatusForController`).
pub(super) fn pods_status(w: &mut W, ctx: &Ctx, owner: &ObjectMeta) {
    let (running, waiting, succeeded, failed) = pod_phases(ctx, owner);
    put!(
        w,
        0,
        "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    );
}

/// `printBool`: `True` or `False`.
pub(super) fn print_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// `printBoolPtr`: `True`, `False`, or `<unset>` for a field left out.
pub(super) fn bool_or_unset(b: Option<bool>) -> &'static str {
    b.map_or("<unset>", print_bool)
}

/// Go's `%v` of a `[]string`: `[a b]`, `[]` when empty (Finalizers, Access Modes).
pub(super) fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_annotations_align_under_the_first_value() {
        let labels: BTreeMap<String, String> = [("app", "web"), ("pod-template-hash", "7c5")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let out = render(|w| {
            put!(w, 0, "Name:\t{}\n", "web-1");
            labels_multiline(w, "", "Labels", &labels);
            annotations_multiline(w, "Annotations", &BTreeMap::new());
        });
        assert_eq!(
            out,
            "Name:         web-1\nLabels:       app=web\n              pod-template-hash=7c5\nAnnotations:  <none>\n"
        );
        let long: BTreeMap<String, String> = [("k".to_string(), "x".repeat(150))].into_iter().collect();
        let out = render(|w| annotations_multiline(w, "Annotations", &long));
        assert_eq!(
            out,
            format!("Annotations:  k:\n{}  {}...\n", " ".repeat(14), "x".repeat(138))
        );
    }

    #[test]
    fn tolerations_and_taints_read_like_kubectl() {
        let t = |key: Option<&str>, op: &str, effect: Option<&str>, secs: Option<i64>| Toleration {
            key: key.map(str::to_string),
            operator: Some(op.into()),
            effect: effect.map(str::to_string),
            toleration_seconds: secs,
            value: None,
        };
        let out = render(|w| {
            tolerations(
                w,
                "Tolerations",
                &[
                    t(
                        Some("node.kubernetes.io/unreachable"),
                        "Exists",
                        Some("NoExecute"),
                        Some(300),
                    ),
                    t(None, "Exists", None, None),
                ],
            )
        });
        assert_eq!(
            out,
            "Tolerations:  op=Exists\n              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        );
        let taint = Taint {
            effect: "NoSchedule".into(),
            key: "node-role.kubernetes.io/control-plane".into(),
            ..Default::default()
        };
        assert_eq!(
            render(|w| taints(w, &[taint])),
            "Taints:  node-role.kubernetes.io/control-plane:NoSchedule\n"
        );
    }

    #[test]
    fn events_table_shows_repeats_and_none() {
        assert_eq!(render(|w| events(w, Some(Vec::new()), SimTime(0))), "Events:  <none>\n");
        let ev = |name: &str, reason: &str, first: u64, last: u64, count: i64| Event {
            metadata: ObjectMeta::named(name, Some("default")),
            count: Some(count),
            first_timestamp: Some(Timestamp(SimTime(first))),
            last_timestamp: Some(Timestamp(SimTime(last))),
            reason: Some(reason.into()),
            message: Some(format!("{reason} message")),
            type_: Some("Normal".into()),
            source: EventSource {
                component: Some("kubelet".into()),
                host: None,
            },
            ..Default::default()
        };
        let out = render(|w| {
            events(
                w,
                Some(vec![
                    ev("p.2", "Pulled", 0, 900_000 - 89_000, 6),
                    ev("p.1", "Scheduled", 0, 0, 1),
                ]),
                SimTime(900_000),
            )
        });
        let want = [
            "Events:",
            "  Type    Reason     Age                From     Message",
            "  ----    ------     ----               ----     -------",
            "  Normal  Scheduled  15m                kubelet  Scheduled message",
            "  Normal  Pulled     89s (x6 over 15m)  kubelet  Pulled message",
            "",
        ];
        assert_eq!(out, want.join("\n"));
    }
}
