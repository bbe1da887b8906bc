//! Template kinds, their YAML file format, validation and parameter resolution.
//!
//! Validation collects every problem at once, each addressed by a field path, so the UI can show
//! them next to the fields and the CLI can list them. Nothing here touches the database.

pub(crate) mod docker;
mod expand;
mod params;
mod validate;
mod yaml;

pub use expand::expand;
pub use params::{resolve_params, SECRET_PREFIX};
pub use validate::{normalise, validate, RESERVED_ENV};
pub use yaml::{from_yaml, to_yaml};
