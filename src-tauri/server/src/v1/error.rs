//! An engine error as an HTTP answer: the `ApiError` JSON, with the status its code defines.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use simple_cicd_engine::model::ApiError;
use simple_cicd_engine::Error;

/// A failed request.
#[derive(Debug)]
pub struct ApiFailure(pub ApiError);

impl From<Error> for ApiFailure {
    fn from(e: Error) -> Self {
        ApiFailure(ApiError::from(&e))
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.0)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
