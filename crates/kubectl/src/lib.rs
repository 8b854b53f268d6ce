//! kubectl for kubelab: parses command lines the way kubectl v1.32 does, runs them against the
//! simulated cluster through the engine's API only, and prints exactly what real kubectl prints.
//!
//! Architecture invariant: this crate never touches the DOM and never formats anything the web app
//! re-formats; the web app shows [`Output`] text as it is.

pub mod commands;
pub mod errors;
pub mod flags;
pub mod kustomize;
pub mod manifest;
pub mod output;
pub mod printers;
pub mod resources;
pub mod script;
pub mod session;
pub mod terminal;
pub mod texts;
pub mod vfiles;

pub use kubelab_engine as engine;
pub use output::{Output, Stream};
pub use session::{ClusterView, NodeView, PodView, Session, SessionOptions};
