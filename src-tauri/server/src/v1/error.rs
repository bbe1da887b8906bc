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

/// A JSON request body whose problems (not JSON, unknown or missing fields, wrong types, too
/// large) are answered like every other error: `ApiError` JSON, code `invalid` (or `too_large`).
pub struct JsonBody<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonBody(v)),
            Err(rejection) => {
                let too_large = rejection.status() == StatusCode::PAYLOAD_TOO_LARGE;
                let code = if too_large { "too_large" } else { "invalid" };
                let mut e = ApiError::from(&Error::invalid("body", code, rejection.body_text()));
                if too_large {
                    e.code = simple_cicd_engine::model::ErrorCode::TooLarge;
                }
                Err(ApiFailure(e))
            }
        }
    }
}
