//! Template kinds, their YAML file format, validation and parameter resolution.
//!
//! Validation collects every problem at once, each addressed by a field path, so the UI can show
//! them next to the fields and the CLI can list them. Nothing here touches the database.

mod compose;
pub(crate) mod docker;
mod expand;
mod helm;
mod params;
pub mod pipeline;
mod ssh;
mod validate;
mod yaml;

pub use expand::expand;
pub(crate) use helm::{check_values, dns_label_ok, release_name};
pub use params::{resolve_params, SECRET_PREFIX};
pub(crate) use validate::is_env_name;
pub use validate::{check, normalise, validate, RESERVED_ENV};
pub(crate) use yaml::yaml_syntax_error;
pub use yaml::{from_yaml, spec_from_yaml, to_yaml};

/// Whether `name` can name a step output: letters, digits, `_` and `-`, not starting with a digit.
pub fn is_output_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
