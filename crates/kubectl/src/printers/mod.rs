//! Printers shared by every command: kubectl's tabwriter tables, its YAML and JSON encodings and
//! the human durations used in AGE columns.

pub mod columns;
pub mod describe;
pub mod duration;
pub mod json;
pub mod pod_status;
pub mod table;
pub mod yaml;
