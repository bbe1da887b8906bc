//! Commands return the engine's serialisable [`ApiError`].

pub use simple_cicd_engine::model::ApiError;

/// Result of a command.
pub type CmdResult<T> = Result<T, ApiError>;
