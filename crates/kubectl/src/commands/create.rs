//! `kubectl create` (being written).

use crate::flags::Invocation;
use crate::session::Session;
use crate::Output;

pub fn run(_s: &mut Session, inv: &Invocation, _stdin: Option<&str>) -> Output {
    super::not_simulated(inv)
}
