//! The `{id}` of the hand-written run routes (the log download and the log's event stream): a path
//! that is not a number is the API's 400 JSON error, like every other route's, not axum's plain
//! text rejection.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use simple_cicd_engine::Error;

use super::ApiFailure;

/// A run's id, from the path.
pub struct RunId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for RunId {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let text = Path::<String>::from_request_parts(parts, state).await.map(|Path(t)| t).unwrap_or_default();
        parse(&text).map(RunId).map_err(ApiFailure::from)
    }
}

fn parse(text: &str) -> Result<i64, Error> {
    text.parse::<i64>().map_err(|_| {
        Error::invalid("id", "invalid", format!("`{text}` is not a run id: give the run's number id, e.g. 12"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_number_is_a_run_id() {
        assert_eq!(parse("12").unwrap(), 12);
        for bad in ["false", "", "1.5", "\u{f4c41}"] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.contains("is not a run id"), "{bad}: {e}");
        }
    }
}
