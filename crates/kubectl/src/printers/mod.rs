//! Printers shared by every command: kubectl's tabwriter tables, its YAML and JSON encodings and
//! the human durations used in AGE columns.

pub mod columns;
pub mod describe;
pub mod duration;
pub mod gotemplate;
pub mod json;
pub mod pod_status;
pub mod table;
pub mod udiff;
pub mod yaml;

/// The backslash escapes of Go's quoted strings that templates use (`\n`, `\t`, `\r`; any
/// other escaped character stands for itself), shared by the JSONPath and go-template
/// printers. A trailing lone backslash is kept, as the JSONPath parser keeps it.
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}
