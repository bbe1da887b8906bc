//! An operation's arguments from an HTTP request, under the same names the UI passes to Tauri's
//! `invoke`: path parameters and query parameters as text, the JSON body's fields as JSON, all
//! gathered into one map and deserialized into the operation's argument struct (which denies
//! unknown fields). Text values become numbers, booleans or enums as the struct asks; a query
//! parameter of an object or array type is JSON text (`filter={"status":"failed"}`).

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::Method;
use serde::de::value::{Error as DeError, MapDeserializer};
use serde::de::{DeserializeOwned, Error as _, IntoDeserializer, Visitor};
use serde::Deserializer;
use serde_json::Value;
use simple_cicd_engine::model::{ApiError, ErrorCode};
use simple_cicd_engine::Error;

use super::{ApiFailure, Route};

/// The largest request body any operation takes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// One argument's value: text from the path or the query, or JSON from the body.
#[derive(Debug, Clone)]
pub enum ArgValue {
    /// From the path or the query string.
    Text(String),
    /// A field of the JSON body.
    Json(Value),
    /// An object argument given field by field in the query (`?status=failed&limit=5` for a
    /// `filter`).
    Fields(Vec<(String, ArgValue)>),
}

/// The request's arguments (path, query, body) as the operation's argument struct `A`. A GET
/// whose only object argument is a filter also takes that filter's fields as query parameters of
/// their own.
pub async fn extract<A: DeserializeOwned>(route: &Route, request: Request) -> Result<A, ApiFailure> {
    let method = request.method().clone();
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > BODY_LIMIT as u64) {
        // Refused before a byte of it is read.
        return Err(too_large());
    }
    let deadline = crate::Limits::of(request.extensions()).body_timeout;
    let query = request.uri().query().map(str::to_string);
    let (mut parts, body) = request.into_parts();
    let path: HashMap<String, String> =
        <Path<HashMap<String, String>> as axum::extract::FromRequestParts<()>>::from_request_parts(&mut parts, &())
            .await
            .map(|Path(p)| p)
            .unwrap_or_default();
    let mut args: Vec<(String, ArgValue)> = path.into_iter().map(|(k, v)| (k, ArgValue::Text(v))).collect();
    if let Some(q) = query {
        let names: Vec<String> = route.args.iter().map(|a| a.wire_name()).collect();
        let filter = route.args.iter().find(|a| a.ty.ends_with("Filter")).map(|a| a.wire_name());
        let mut fields = Vec::new();
        for (k, v) in form_urlencoded(&q) {
            match &filter {
                Some(_) if !names.contains(&k) => fields.push((k, ArgValue::Text(v))),
                _ => args.push((k, ArgValue::Text(v))),
            }
        }
        if let (Some(name), false) = (filter, fields.is_empty()) {
            args.push((name, ArgValue::Fields(fields)));
        }
    }
    if method != Method::GET && method != Method::HEAD {
        for (k, v) in json_object(body, deadline).await? {
            args.push((k, ArgValue::Json(v)));
        }
    }
    from_args(args)
}

/// Deserializes `A` from named argument values.
pub fn from_args<A: DeserializeOwned>(args: Vec<(String, ArgValue)>) -> Result<A, ApiFailure> {
    let de: MapDeserializer<'_, _, DeError> = MapDeserializer::new(args.into_iter());
    A::deserialize(de).map_err(|e| {
        ApiFailure::from(Error::invalid("request", "invalid", format!("the request does not fit this operation: {e}")))
    })
}

/// The body as a JSON object's fields; an empty body is an empty object.
async fn json_object(body: Body, deadline: Duration) -> Result<serde_json::Map<String, Value>, ApiFailure> {
    let bytes = read_body(body, deadline).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid_body("the request body must be a JSON object of named arguments")),
        Err(e) => Err(invalid_body(&format!("the request body is not JSON: {e}"))),
    }
}

/// The whole body, at most [`BODY_LIMIT`] bytes, within `deadline` (the server's, see
/// [`crate::Limits`]): a larger one is [`too_large`], a slower one refused (a client trickling
/// its body holds no connection longer).
pub async fn read_body(body: Body, deadline: Duration) -> Result<bytes::Bytes, ApiFailure> {
    use axum::body::HttpBody;
    if body.size_hint().lower() > BODY_LIMIT as u64 {
        // Announced by its Content-Length: refused before a byte of it is read.
        return Err(too_large());
    }
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(read) => read.map_err(|_| too_large()),
        Err(_) => {
            let secs = deadline.as_secs_f64();
            Err(invalid_body(&format!("the request body did not arrive within {secs} s")))
        }
    }
}

fn invalid_body(message: &str) -> ApiFailure {
    ApiFailure::from(Error::invalid("body", "invalid", message))
}

/// The answer to a body over [`BODY_LIMIT`]: 413, code `too_large`.
pub fn too_large() -> ApiFailure {
    let mut e = ApiError::from(&Error::invalid(
        "body",
        "too_large",
        format!("the request body is larger than {} MiB", BODY_LIMIT / (1024 * 1024)),
    ));
    e.code = ErrorCode::TooLarge;
    ApiFailure(e)
}

/// `a=1&b=x%20y` as pairs (`+` is a space).
pub fn form_urlencoded(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

impl<'de> IntoDeserializer<'de, DeError> for ArgValue {
    type Deserializer = ArgValue;
    fn into_deserializer(self) -> ArgValue {
        self
    }
}

impl ArgValue {
    /// The text as JSON when it is JSON, else as a JSON string.
    fn lenient(text: String) -> Value {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }

    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<Option<T>, DeError> {
        match self {
            ArgValue::Text(t) => {
                t.trim().parse::<T>().map(Some).map_err(|_| DeError::custom(format!("`{t}` is not {what}")))
            }
            ArgValue::Json(_) | ArgValue::Fields(_) => Ok(None),
        }
    }
}

macro_rules! text_parsed {
    ($($method:ident $visit:ident $ty:ty, $what:literal;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self.parse::<$ty>($what)? {
                Some(v) => visitor.$visit(v),
                None => self.structured().$method(visitor).map_err(DeError::custom),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for ArgValue {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.structured().deserialize_any(visitor).map_err(DeError::custom)
    }

    text_parsed! {
        deserialize_bool visit_bool bool, "true or false";
        deserialize_i8 visit_i8 i8, "a whole number";
        deserialize_i16 visit_i16 i16, "a whole number";
        deserialize_i32 visit_i32 i32, "a whole number";
        deserialize_i64 visit_i64 i64, "a whole number";
        deserialize_u8 visit_u8 u8, "a whole number of at least 0";
        deserialize_u16 visit_u16 u16, "a whole number of at least 0";
        deserialize_u32 visit_u32 u32, "a whole number of at least 0";
        deserialize_u64 visit_u64 u64, "a whole number of at least 0";
        deserialize_f32 visit_f32 f32, "a number";
        deserialize_f64 visit_f64 f64, "a number";
        deserialize_char visit_char char, "one character";
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            ArgValue::Text(t) => visitor.visit_string(t),
            other => other.structured().deserialize_string(visitor).map_err(DeError::custom),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            ArgValue::Text(t) if t.is_empty() => visitor.visit_none(),
            ArgValue::Text(t) => visitor.visit_some(ArgValue::Text(t)),
            ArgValue::Json(Value::Null) => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            ArgValue::Text(t) if t.is_empty() => visitor.visit_unit(),
            ArgValue::Text(t) => Err(DeError::custom(format!("`{t}`: expected nothing"))),
            other => other.structured().deserialize_unit(visitor).map_err(DeError::custom),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.structured().deserialize_seq(visitor).map_err(DeError::custom)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.structured().deserialize_tuple(len, visitor).map_err(DeError::custom)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.structured().deserialize_tuple_struct(name, len, visitor).map_err(DeError::custom)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self {
            ArgValue::Fields(fields) => visitor.visit_map(MapDeserializer::new(fields.into_iter())),
            other => other.structured().deserialize_map(visitor).map_err(DeError::custom),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self {
            ArgValue::Fields(given) => visitor.visit_map(MapDeserializer::new(given.into_iter())),
            other => other.structured().deserialize_struct(name, fields, visitor).map_err(DeError::custom),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.structured().deserialize_enum(name, variants, visitor).map_err(DeError::custom)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

impl ArgValue {
    /// An object, array or enum: JSON text from the path or query (a bare word is a string, so
    /// `provider=gitea` names an enum's variant).
    fn structured(self) -> Value {
        match self {
            ArgValue::Text(t) => ArgValue::lenient(t),
            ArgValue::Json(v) => v,
            ArgValue::Fields(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match v {
                            ArgValue::Text(t) => ArgValue::lenient(t),
                            other => other.structured(),
                        };
                        (k, v)
                    })
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use simple_cicd_engine::model::{Provider, RunFilter, RunStatus};

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Args {
        id: i64,
        #[serde(default)]
        from_seq: i64,
        name: Option<String>,
        provider: Option<Provider>,
        #[serde(default)]
        filter: RunFilter,
        #[serde(default)]
        params: BTreeMap<String, String>,
        approve: Option<bool>,
    }

    fn text(pairs: &[(&str, &str)]) -> Vec<(String, ArgValue)> {
        pairs.iter().map(|(k, v)| (k.to_string(), ArgValue::Text(v.to_string()))).collect()
    }

    #[test]
    fn text_arguments_take_the_types_the_operation_asks_for() {
        let a: Args = from_args(text(&[
            ("id", "7"),
            ("fromSeq", "12"),
            ("name", "123"),
            ("provider", "gitea"),
            ("filter", r#"{"status":"failed","limit":5}"#),
            ("approve", "true"),
        ]))
        .unwrap();
        assert_eq!((a.id, a.from_seq, a.name.as_deref(), a.approve), (7, 12, Some("123"), Some(true)));
        assert_eq!(a.provider, Some(Provider::Gitea));
        assert_eq!((a.filter.status, a.filter.limit), (Some(RunStatus::Failed), 5));
    }

    #[test]
    fn json_body_fields_mix_with_path_parameters() {
        let mut args = text(&[("id", "3")]);
        args.push(("params".into(), ArgValue::Json(serde_json::json!({"a": "b"}))));
        args.push(("name".into(), ArgValue::Json(Value::Null)));
        let a: Args = from_args(args).unwrap();
        assert_eq!((a.id, a.name, a.params.get("a").map(String::as_str)), (3, None, Some("b")));
    }

    #[test]
    fn unknown_duplicate_and_mistyped_arguments_are_refused_with_their_name() {
        let err = |pairs: &[(&str, &str)]| from_args::<Args>(text(pairs)).unwrap_err().0.message;
        assert!(err(&[("id", "1"), ("admin", "true")]).contains("unknown field `admin`"));
        assert!(err(&[("id", "x")]).contains("`x` is not a whole number"));
        assert!(err(&[("id", "1"), ("id", "2")]).contains("duplicate field `id`"));
        assert!(err(&[]).contains("missing field `id`"));
    }

    #[test]
    fn a_filter_also_comes_field_by_field() {
        let mut args = text(&[("id", "1")]);
        args.push((
            "filter".into(),
            ArgValue::Fields(text(&[("status", "failed"), ("limit", "5"), ("template", "7")])),
        ));
        let a: Args = from_args(args).unwrap();
        assert_eq!(
            (a.filter.status, a.filter.limit, a.filter.template.as_deref()),
            (Some(RunStatus::Failed), 5, Some("7"))
        );
        let mut args = text(&[("id", "1")]);
        args.push(("filter".into(), ArgValue::Fields(text(&[("stat", "failed")]))));
        assert!(from_args::<Args>(args).unwrap_err().0.message.contains("unknown field `stat`"));
    }

    #[test]
    fn query_strings_are_percent_decoded() {
        assert_eq!(
            form_urlencoded("a=1&b=x%20y+z&c=%7B%22k%22%3A1%7D&d&e=%zz"),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y z".into()),
                ("c".into(), r#"{"k":1}"#.into()),
                ("d".into(), "".into()),
                ("e".into(), "%zz".into()),
            ]
        );
    }
}
