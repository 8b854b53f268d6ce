//! The status viewers of `kubectl rollout status` (`polymorphichelpers/rollout_status.go`):
//! for each kind, the line to print for what the controller reports and whether the rollout
//! is done. An `Err` is the viewer's error, which ends the command.

use crate::engine::api::{condition, DaemonSet, Deployment, Object, StatefulSet};
use crate::engine::controllers::deployment::revision_of;

/// The viewer of `obj`'s kind; `None` for kinds without one.
pub fn status(obj: &Object, revision: i64) -> Option<Result<(String, bool), String>> {
    match obj {
        Object::Deployment(d) => Some(deployment(d, revision)),
        Object::StatefulSet(s) => Some(stateful_set(s)),
        Object::DaemonSet(d) => Some(daemon_set(d)),
        _ => None,
    }
}

/// `DeploymentStatusViewer`: spec observed, then updated, old pending termination, available.
pub fn deployment(d: &Deployment, revision: i64) -> Result<(String, bool), String> {
    let name = &d.metadata.name;
    if revision > 0 {
        let current = revision_of(&d.metadata);
        if current != revision {
            return Err(format!(
                "desired revision ({revision}) is different from the running revision ({current})"
            ));
        }
    }
    if d.metadata.generation.unwrap_or(0) > d.status.observed_generation {
        return Ok(("Waiting for deployment spec update to be observed...".into(), false));
    }
    let progressing = condition(&d.status.conditions, "Progressing");
    if progressing.is_some_and(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded")) {
        return Err(format!("deployment \"{name}\" exceeded its progress deadline"));
    }
    let st = &d.status;
    let line = if let Some(r) = d.spec.replicas.filter(|r| st.updated_replicas < *r) {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {} out of {r} new replicas have been updated...",
            st.updated_replicas
        )
    } else if st.replicas > st.updated_replicas {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
            st.replicas - st.updated_replicas
        )
    } else if st.available_replicas < st.updated_replicas {
        format!(
            "Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...",
            st.available_replicas, st.updated_replicas
        )
    } else {
        return Ok((format!("deployment \"{name}\" successfully rolled out"), true));
    };
    Ok((line, false))
}

/// `StatefulSetStatusViewer`. Only RollingUpdate sets have a status; the API server defaults
/// `rollingUpdate.partition` to 0, so a set rolled out to the end reports the partitioned
/// message (`partitioned roll out complete: 3 new pods have been updated...`); the
/// revision-based lines are for sets stored without a `rollingUpdate`.
pub fn stateful_set(s: &StatefulSet) -> Result<(String, bool), String> {
    let strategy = &s.spec.update_strategy;
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let st = &s.status;
    if st.observed_generation == 0 || s.metadata.generation.unwrap_or(0) > st.observed_generation {
        return Ok(("Waiting for statefulset spec update to be observed...".into(), false));
    }
    let replicas = s.spec.replicas.unwrap_or(1);
    if st.ready_replicas < replicas {
        return Ok((
            format!("Waiting for {} pods to be ready...", replicas - st.ready_replicas),
            false,
        ));
    }
    if let Some(ru) = &strategy.rolling_update {
        if let Some(partition) = ru.partition {
            if st.updated_replicas < replicas - partition {
                return Ok((
                    format!(
                        "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...",
                        st.updated_replicas,
                        replicas - partition
                    ),
                    false,
                ));
            }
        }
        return Ok((
            format!(
                "partitioned roll out complete: {} new pods have been updated...",
                st.updated_replicas
            ),
            true,
        ));
    }
    if st.update_revision != st.current_revision {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {} pods at revision {}...",
                st.updated_replicas, st.update_revision
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...",
            st.current_replicas, st.current_revision
        ),
        true,
    ))
}

/// `DaemonSetStatusViewer`: updated pods on every node that should run one, then available.
/// (Its strategy error names the StatefulSet constant; both read `RollingUpdate`.)
pub fn daemon_set(d: &DaemonSet) -> Result<(String, bool), String> {
    if d.spec.update_strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let (name, st) = (&d.metadata.name, &d.status);
    if d.metadata.generation.unwrap_or(0) > st.observed_generation {
        return Ok(("Waiting for daemon set spec update to be observed...".into(), false));
    }
    if st.updated_number_scheduled < st.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set \"{name}\" rollout to finish: {} out of {} new pods have been updated...",
                st.updated_number_scheduled, st.desired_number_scheduled
            ),
            false,
        ));
    }
    if st.number_available < st.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set \"{name}\" rollout to finish: {} of {} updated pods are available...",
                st.number_available, st.desired_number_scheduled
            ),
            false,
        ));
    }
    Ok((format!("daemon set \"{name}\" successfully rolled out"), true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::api::StatefulSetRollingUpdate;

    fn set(replicas: i64, ready: i64, updated: i64, partition: Option<i64>) -> StatefulSet {
        let mut s = StatefulSet::default();
        s.metadata.name = "web".into();
        s.metadata.generation = Some(2);
        s.spec.replicas = Some(replicas);
        s.spec.update_strategy.type_ = Some("RollingUpdate".into());
        s.spec.update_strategy.rolling_update = partition.map(|p| StatefulSetRollingUpdate {
            partition: Some(p),
            ..Default::default()
        });
        s.status.observed_generation = 2;
        s.status.ready_replicas = ready;
        s.status.updated_replicas = updated;
        s
    }

    #[test]
    fn statefulsets_report_readiness_then_the_partitioned_rollout() {
        assert_eq!(
            stateful_set(&set(3, 1, 3, Some(0))),
            Ok(("Waiting for 2 pods to be ready...".into(), false))
        );
        assert_eq!(
            stateful_set(&set(3, 3, 1, Some(0))),
            Ok((
                "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...".into(),
                false
            ))
        );
        // With partition 2 only web-2 is updated: one pod is the whole rollout.
        assert_eq!(
            stateful_set(&set(3, 3, 1, Some(2))),
            Ok((
                "partitioned roll out complete: 1 new pods have been updated...".into(),
                true
            ))
        );
        let mut s = set(3, 3, 3, None);
        s.status.update_revision = "web-7c9d".into();
        s.status.current_revision = "web-5db4".into();
        assert_eq!(
            stateful_set(&s),
            Ok((
                "waiting for statefulset rolling update to complete 3 pods at revision web-7c9d...".into(),
                false
            ))
        );
        s.status.current_revision = "web-7c9d".into();
        s.status.current_replicas = 3;
        assert_eq!(
            stateful_set(&s),
            Ok((
                "statefulset rolling update complete 3 pods at revision web-7c9d...".into(),
                true
            ))
        );
        s.spec.update_strategy.type_ = Some("OnDelete".into());
        assert_eq!(
            stateful_set(&s),
            Err("rollout status is only available for RollingUpdate strategy type".into())
        );
        s.spec.update_strategy.type_ = Some("RollingUpdate".into());
        s.status.observed_generation = 1;
        assert_eq!(
            stateful_set(&s),
            Ok(("Waiting for statefulset spec update to be observed...".into(), false))
        );
    }

    #[test]
    fn daemon_sets_report_updated_then_available_pods() {
        let mut d = DaemonSet::default();
        d.metadata.name = "agent".into();
        d.status.desired_number_scheduled = 3;
        d.status.updated_number_scheduled = 1;
        assert_eq!(
            daemon_set(&d),
            Ok((
                "Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been updated...".into(),
                false
            ))
        );
        d.status.updated_number_scheduled = 3;
        d.status.number_available = 2;
        assert_eq!(
            daemon_set(&d),
            Ok((
                "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available...".into(),
                false
            ))
        );
        d.status.number_available = 3;
        assert_eq!(
            daemon_set(&d),
            Ok(("daemon set \"agent\" successfully rolled out".into(), true))
        );
    }
}
