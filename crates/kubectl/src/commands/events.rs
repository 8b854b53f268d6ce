//! `kubectl events`: the Events of a namespace (or all, `-A`), oldest first, optionally only
//! those about one object (`--for TYPE/NAME`) or of some types (`--types=Warning`), as a table
//! of LAST SEEN, TYPE, REASON, OBJECT (`Kind/name`, unlike `get events`' `kind/name`) and
//! MESSAGE; `-w` keeps printing new ones as virtual time passes.
//!
//! Modelled rules (kubectl `pkg/cmd/events`): the list is sorted by `lastTimestamp` (else
//! `eventTime`), stably; LAST SEEN reads `AGE (xCOUNT over FIRST)` for repeated events; an
//! empty result prints `No events found in NS namespace.` (or `No events found.` with `-A`) on
//! stderr and succeeds; `--types` accepts Normal and Warning in any case; `--for` must be
//! `TYPE/NAME` and TYPE must be a served resource, while NAME need not exist. A watch lists
//! the existing events first (a watch from no resourceVersion replays them in store order).

use super::get::Watch;
use super::mutate;
use crate::engine::api::{Event, Kind, Object};
use crate::engine::SimTime;
use crate::errors;
use crate::flags::Invocation;
use crate::printers::duration::human_duration;
use crate::printers::table::TabWriter;
use crate::resources;
use crate::session::Session;
use crate::Output;
use kubelab_engine::sort::CompactSort;
use serde_json::{json, Value};

/// What `--for` and `--types` keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// `involvedObject.kind` and `.name` from `--for`.
    pub object: Option<(String, String)>,
    /// Lower-cased `--types`; empty keeps every type.
    pub types: Vec<String>,
}

impl Filter {
    pub fn matches(&self, e: &Event) -> bool {
        let object_ok = self.object.as_ref().is_none_or(|(k, n)| {
            e.involved_object.kind.as_deref() == Some(k.as_str())
                && e.involved_object.name.as_deref() == Some(n.as_str())
        });
        let type_ok = self.types.is_empty()
            || self
                .types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(e.type_.as_deref().unwrap_or("")));
        object_ok && type_ok
    }
}

pub fn run(s: &mut Session, inv: &Invocation) -> Output {
    let output = inv.get_str("output");
    let format = if output.is_empty() {
        None
    } else {
        match mutate::format_with_files(inv, |p| s.files.get(p).cloned()) {
            Ok(f) => Some(f),
            Err(e) => return e,
        }
    };
    let mut filter = Filter::default();
    let for_obj = inv.get_str("for");
    if !for_obj.is_empty() {
        match parse_for(for_obj) {
            Ok(o) => filter.object = o,
            Err(e) => return errors::error(e),
        }
    }
    let mut types: Vec<String> = inv.get_all("types").iter().map(|t| t.to_string()).collect();
    types.compact_sort();
    types.dedup();
    if types
        .iter()
        .any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return errors::error("valid --types are Normal or Warning");
    }
    filter.types = types;
    let all_ns = inv.get_bool("all-namespaces");
    let namespace = super::namespace(s, inv);
    let no_headers = inv.get_bool("no-headers");
    let listed: Vec<Event> = s
        .cluster
        .list(Kind::Event, (!all_ns).then_some(namespace.as_str()))
        .into_iter()
        .filter_map(|o| match &**o {
            Object::Event(e) => Some(e.clone()),
            _ => None,
        })
        .filter(|e| filter.matches(e))
        .collect();
    if inv.get_bool("watch") {
        if format.is_some() {
            return errors::error("watching events with -o is not simulated by kubelab yet");
        }
        let mut w = Watch::events(
            (!all_ns).then(|| namespace.clone()),
            s.cluster.store().revision(),
            Printer::new(no_headers, all_ns),
            filter,
        );
        let text = w.print_events(&listed, s.cluster.now());
        s.watch = Some(w);
        let mut out = Output::ok();
        out.out(text);
        return out;
    }
    if listed.is_empty() {
        let mut out = Output::ok();
        if all_ns {
            out.errln("No events found.");
        } else {
            out.errln(format!("No events found in {namespace} namespace."));
        }
        return out;
    }
    let mut sorted = listed;
    sorted.compact_sort_by_key(sort_time);
    let mut out = Output::ok();
    match format {
        None => {
            let mut p = Printer::new(no_headers, all_ns);
            out.out(p.print(&sorted, s.cluster.now()));
        }
        Some(f) => {
            let list = json!({
                "apiVersion": "v1",
                "items": sorted.iter().map(|e| {
                    let mut v = Object::Event(e.clone()).to_value();
                    if let Value::Object(m) = &mut v {
                        m.insert("apiVersion".into(), json!("v1"));
                        m.insert("kind".into(), json!("Event"));
                    }
                    v
                }).collect::<Vec<_>>(),
                "kind": "EventList",
                "metadata": {"resourceVersion": ""},
            });
            let mut p = mutate::Printer::new(f, mutate::DryRun::None);
            p.print(&mut out, &list, mutate::Encoding::Unstructured, "");
        }
    }
    out
}

/// `--for pod/web`: the kind to filter on, or kubectl's complaint.
fn parse_for(arg: &str) -> Result<Option<(String, String)>, String> {
    let Some((ty, name)) = arg.split_once('/') else {
        return Err("--for must be in resource/name form".into());
    };
    if name.contains('/') {
        return Err("arguments in resource/name form may not have more than one slash".into());
    }
    let kind = resources::resolve(ty).ok_or_else(|| resources::unknown_type(ty))?;
    Ok(Some((kind.info().kind.to_string(), name.to_string())))
}

/// The sort key (`eventTime` of kubectl's `SortableEvents`): `lastTimestamp`, else `eventTime`.
fn sort_time(e: &Event) -> SimTime {
    e.last_timestamp
        .or(e.event_time)
        .or(e.first_timestamp)
        .map(|t| t.0)
        .unwrap_or_default()
}

/// kubectl's `EventPrinter`: one tabwriter, the header once.
#[derive(Clone, Debug)]
pub struct Printer {
    tw: Box<TabWriter>,
    no_headers: bool,
    all_namespaces: bool,
    printed_header: bool,
}

impl Printer {
    pub fn new(no_headers: bool, all_namespaces: bool) -> Self {
        Printer {
            tw: Box::new(TabWriter::get_table()),
            no_headers,
            all_namespaces,
            printed_header: false,
        }
    }

    /// Rows for `events`, flushed together.
    pub fn print(&mut self, events: &[Event], now: SimTime) -> String {
        if !self.no_headers && !self.printed_header {
            let mut head = vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
            if self.all_namespaces {
                head.insert(0, "NAMESPACE");
            }
            self.tw.write_row(&head);
            self.printed_header = true;
        }
        for e in events {
            let mut row = vec![
                interval(e, now),
                cell(e.type_.as_deref().unwrap_or("")),
                cell(e.reason.as_deref().unwrap_or("")),
                format!(
                    "{}/{}",
                    cell(e.involved_object.kind.as_deref().unwrap_or("")),
                    cell(e.involved_object.name.as_deref().unwrap_or(""))
                ),
                cell(e.message.as_deref().unwrap_or("").trim()),
            ];
            if self.all_namespaces {
                row.insert(0, e.metadata.ns().to_string());
            }
            self.tw.write_row(&row);
        }
        self.tw.flush();
        self.tw.take_output()
    }
}

/// A cell is cut at the first line break (`escapeCell`).
fn cell(s: &str) -> String {
    match s.find(['\n', '\r', '\x0c']) {
        Some(i) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

/// LAST SEEN: the age of the first sighting, or `AGE (xN over FIRST)` for repeats.
fn interval(e: &Event, now: SimTime) -> String {
    let since = |t: Option<crate::engine::Timestamp>| match t {
        Some(t) => human_duration(now.0 as i64 - (t.0 .0 / 1000 * 1000) as i64),
        None => "<unknown>".to_string(),
    };
    let first = match e.event_time {
        Some(t) => since(Some(t)),
        None => since(e.first_timestamp),
    };
    match e.count {
        Some(n) if n > 1 => format!("{} (x{n} over {first})", since(e.last_timestamp)),
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SessionOptions;

    fn kubectl(s: &mut Session, line: &str) -> Output {
        let argv: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        s.kubectl(&argv, None)
    }

    #[test]
    fn usage_errors_read_like_kubectl() {
        let mut s = Session::new(SessionOptions::default());
        assert_eq!(
            kubectl(&mut s, "kubectl events --types=Bad").text(),
            "error: valid --types are Normal or Warning\n"
        );
        assert_eq!(
            kubectl(&mut s, "kubectl events --for web").text(),
            "error: --for must be in resource/name form\n"
        );
        assert_eq!(
            kubectl(&mut s, "kubectl events --for foo/web").text(),
            "error: the server doesn't have a resource type \"foo\"\n"
        );
        let o = kubectl(&mut s, "kubectl events -n empty");
        assert_eq!(
            (o.text().as_str(), o.exit_code),
            ("No events found in empty namespace.\n", 0)
        );
    }
}
