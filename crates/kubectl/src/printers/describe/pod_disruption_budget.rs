//! `describePodDisruptionBudgetV1`.

use super::prelude::*;

/// `describePodDisruptionBudgetV1`: the budget (min available, else max unavailable), the
/// selector (`<unset>` without one) and the status counts, two levels in.
pub(super) fn pod_disruption_budget(w: &mut W, p: &PodDisruptionBudget, ctx: &Ctx) {
    let (m, spec, st) = (&p.metadata, &p.spec, &p.status);
    put!(w, 0, "Name:\t{}\n", m.name);
    put!(w, 0, "Namespace:\t{}\n", m.ns());
    if let Some(min) = &spec.min_available {
        put!(w, 0, "Min available:\t{min}\n");
    } else if let Some(max) = &spec.max_unavailable {
        put!(w, 0, "Max unavailable:\t{max}\n");
    }
    match &spec.selector {
        Some(s) => put!(w, 0, "Selector:\t{}\n", format_label_selector(s)),
        None => w.put(0, "Selector:\t<unset>\n"),
    }
    w.put(0, "Status:\n");
    put!(w, 2, "Allowed disruptions:\t{}\n", st.disruptions_allowed);
    put!(w, 2, "Current:\t{}\n", st.current_healthy);
    put!(w, 2, "Desired:\t{}\n", st.desired_healthy);
    put!(w, 2, "Total:\t{}\n", st.expected_pods);
    events(w, ctx.events(m), ctx.now);
}
