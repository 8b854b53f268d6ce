//! kubelab's simulated Kubernetes control plane.
//!
//! A [`Cluster`] is one plain value holding the API object store, a virtual clock, one seeded
//! RNG, the controllers, the scheduler and a simulated kubelet per node. It knows nothing of
//! the DOM, the wall clock or any I/O: the same calls on the same seed give the same cluster.
//!
//! Layers (each depends only on the ones above it):
//! - `api`, `time`, `quantity`, `selector`, `names`: data and pure helpers;
//! - `store`: objects, resourceVersions, indexes, the change log watches read;
//! - `admission`: defaults and validation (the API server's part);
//! - `controllers`, `scheduler`, `kubelet`: pure functions from observed state to actions;
//! - `runtime` (+ `shell`, `applets`, `vfs`, `images`, `servers`, `probe`, `backoff`): the
//!   simulated container runtime the kubelet drives; `pod_io`: the `log` and `exec`
//!   subresources;
//! - `cluster`: the runtime that applies actions and moves time.

pub mod admission;
pub mod api;
pub mod applets;
pub mod backoff;
pub mod base64;
pub mod bootstrap;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod cron;
pub mod error;
pub mod images;
pub mod kubelet;
pub mod names;
pub mod outside;
pub mod pod_io;
pub mod probe;
pub mod psa;
pub mod quantity;
pub mod rng;
pub mod runtime;
pub mod scheduler;
pub mod selector;
pub mod servers;
pub mod shell;
pub mod sort;
pub mod store;
pub mod time;
pub mod vfs;
pub mod volume_manager;

pub use cluster::{Cluster, ClusterConfig, DeleteOptions, Propagation};
pub use error::{ApiError, Reason};
pub use pod_io::{ExecError, ExecOutput, LogLine, ShellSession};
pub use store::{ChangeType, ObjKey};
pub use time::{SimTime, Timestamp};
