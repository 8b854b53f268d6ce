//! How kubectl prints errors (`cmd/util/helpers.go` `CheckErr`): API Status errors as
//! `Error from server (Reason): message`, `Invalid` ones as `The Kind "name" is invalid: ...`,
//! everything else as `error: message`. All on stderr, exit code 1.

use crate::engine::{ApiError, Reason};
use crate::Output;

/// The text kubectl prints for an API error (without trailing newline).
pub fn api_error_text(e: &ApiError) -> String {
    match (&e.reason, &e.invalid) {
        (Reason::Invalid, Some((kind, name, causes))) => {
            let head = format!("The {} \"{name}\" is invalid: ", kind.info().kind);
            if causes.len() == 1 {
                format!("{head}{}", causes[0].0)
            } else {
                let list: Vec<String> = causes.iter().map(|c| format!("* {}", c.0)).collect();
                format!("{head}\n{}", list.join("\n"))
            }
        }
        _ => format!("Error from server ({}): {}", e.reason.as_str(), e.message),
    }
}

/// An API error as a failed command's output.
pub fn api_error(e: &ApiError) -> Output {
    Output::fail(api_error_text(e))
}

/// `error: <message>`, exit code 1.
pub fn error(message: impl AsRef<str>) -> Output {
    Output::fail(format!("error: {}", message.as_ref()))
}

/// An API error that happened while acting on a file (`error when creating "x.yaml": ...`).
pub fn api_error_for_file(e: &ApiError, verb: &str, file: &str) -> String {
    match e.reason {
        Reason::Invalid => api_error_text(e),
        _ => format!(
            "Error from server ({}): error when {verb} \"{file}\": {}",
            e.reason.as_str(),
            e.message
        ),
    }
}
