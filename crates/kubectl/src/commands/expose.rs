//! `kubectl expose` (being written).

use crate::flags::Invocation;
use crate::session::Session;
use crate::Output;

pub fn run(_s: &mut Session, inv: &Invocation) -> Output {
    super::not_simulated(inv)
}
