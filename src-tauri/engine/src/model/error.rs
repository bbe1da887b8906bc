//! The one error shape that crosses the border: `{ code, message, fields }`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A problem with one field of user input, addressed by a path such as `params[2].name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    /// Where the problem is: `name`, `script`, `params[0].default`, `params.WHO`, ...
    pub path: String,
    /// A stable code the UI translates: `required`, `invalid`, `duplicate`, `too_long`,
    /// `type_mismatch`, `not_in_choices`, `unknown`, `reserved`.
    pub code: String,
    /// What is wrong and what to do, in English.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(path: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self { path: path.into(), code: code.to_string(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The serialisable error every entry point (Tauri command, CLI, HTTP) returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiError {
    /// `not_found`, `invalid`, `conflict`, `already_ended`, `data_dir`, `newer_schema`, `io`,
    /// `database`, `internal`.
    pub code: String,
    /// A sentence for the user: what happened and what to do.
    pub message: String,
    /// Per-field problems, when the input was invalid.
    pub fields: Vec<FieldError>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
