//! Small commands: version, cluster-info, api-resources, config, and help.

use crate::flags::Invocation;
use crate::session::Session;
use crate::Output;

pub fn run(_s: &mut Session, inv: &Invocation, _stdin: Option<&str>) -> Output {
    super::not_simulated(inv)
}

/// `--help` / `-h` for a command.
pub fn help(inv: &Invocation) -> Output {
    super::not_simulated(inv)
}
