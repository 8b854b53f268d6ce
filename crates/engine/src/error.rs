//! API errors, shaped like the API server's `Status` so kubectl can print them the way real
//! kubectl does (`Error from server (NotFound): pods "x" not found`, `The Deployment "web" is
//! invalid: ...`).

use crate::api::Kind;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    /// 429, as the Eviction API answers when a PodDisruptionBudget allows no disruption.
    TooManyRequests,
    InternalError,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Conflict => "Conflict",
            Reason::Invalid => "Invalid",
            Reason::BadRequest => "BadRequest",
            Reason::Forbidden => "Forbidden",
            Reason::MethodNotAllowed => "MethodNotAllowed",
            Reason::TooManyRequests => "TooManyRequests",
            Reason::InternalError => "InternalError",
        }
    }
}

/// One field error of an `Invalid` response (`spec.replicas: Invalid value: -1: must be greater
/// than or equal to 0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError(pub String);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    /// The Status message, e.g. `pods "x" not found`.
    pub message: String,
    /// For `Invalid`: the kind and name the error is about, and each field error.
    pub invalid: Option<(Kind, String, Vec<FieldError>)>,
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> Self {
        ApiError {
            reason: Reason::NotFound,
            message: format!("{} \"{name}\" not found", kind.info().group_resource()),
            invalid: None,
        }
    }
    pub fn already_exists(kind: Kind, name: &str) -> Self {
        ApiError {
            reason: Reason::AlreadyExists,
            message: format!("{} \"{name}\" already exists", kind.info().group_resource()),
            invalid: None,
        }
    }
    pub fn conflict(kind: Kind, name: &str) -> Self {
        ApiError {
            reason: Reason::Conflict,
            message: format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                kind.info().group_resource()
            ),
            invalid: None,
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            reason: Reason::BadRequest,
            message: message.into(),
            invalid: None,
        }
    }
    pub fn too_many_requests(message: impl Into<String>) -> Self {
        ApiError {
            reason: Reason::TooManyRequests,
            message: message.into(),
            invalid: None,
        }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError {
            reason: Reason::InternalError,
            message: message.into(),
            invalid: None,
        }
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError {
            reason: Reason::Forbidden,
            message: message.into(),
            invalid: None,
        }
    }
    /// `Deployment.apps "web" is invalid: [cause, cause]` as the server words the Status message.
    pub fn invalid(kind: Kind, name: &str, causes: Vec<FieldError>) -> Self {
        let info = kind.info();
        let qualified = if info.group.is_empty() {
            info.kind.to_string()
        } else {
            format!("{}.{}", info.kind, info.group)
        };
        let list = if causes.len() == 1 {
            causes[0].0.clone()
        } else {
            format!(
                "[{}]",
                causes.iter().map(|c| c.0.as_str()).collect::<Vec<_>>().join(", ")
            )
        };
        ApiError {
            reason: Reason::Invalid,
            message: format!("{qualified} \"{name}\" is invalid: {list}"),
            invalid: Some((kind, name.to_string(), causes)),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
