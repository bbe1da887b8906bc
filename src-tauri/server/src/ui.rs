//! The Vue app at `/`, embedded into the binary at build time (see build.rs): each file with its
//! content type; hashed files under `assets/` cached for a year, `index.html` never; any other
//! path that is not a file is the app's own route and gets `index.html` (the SPA fallback).
//! Paths are looked up among the embedded files only, and a path with a `..` segment, a
//! backslash or a NUL (plain or percent-encoded) is refused before that. When the UI was not
//! built, `/` says how to build it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/ui_files.rs"));
}

/// A set of UI files by path (`index.html`, `assets/index-3f2a.js`).
#[derive(Debug, Clone, Copy)]
pub struct Files(pub &'static [(&'static str, &'static [u8])]);

impl Files {
    /// The files built into this binary.
    pub fn embedded() -> Files {
        Files(embedded::FILES)
    }

    fn get(&self, path: &str) -> Option<&'static [u8]> {
        self.0.iter().find(|(p, _)| *p == path).map(|(_, b)| *b)
    }
}

/// The content type of a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The path decoded, when it is a safe relative file path; `None` for traversal attempts.
fn safe_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(rel.to_string())
}

fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn respond(status: StatusCode, content_type: &'static str, cache: &'static str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>simple-cicd</title>\
<h1>The simple-cicd UI is not built into this binary</h1>\
<p>Build it, then build simple-cicd again: <code>cd ui &amp;&amp; npm ci &amp;&amp; npm run build</code>, \
then <code>cargo build</code>. The API is at <a href=\"/api/openapi.json\">/api/openapi.json</a> (docs: <a href=\"/api/docs\">/api/docs</a>).</p>";

/// Serves `request` from `files`.
pub fn serve(files: Files, request: &Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "the UI's files are read with GET").into_response();
    }
    let Some(path) = safe_path(request.uri().path()) else {
        return (StatusCode::BAD_REQUEST, "this path is not allowed (`..`, `\\` or NUL)").into_response();
    };
    let Some(index) = files.get("index.html") else {
        return respond(StatusCode::SERVICE_UNAVAILABLE, "text/html; charset=utf-8", "no-store", Body::from(NOT_BUILT));
    };
    let body = |bytes: &'static [u8]| {
        if request.method() == Method::HEAD {
            Body::empty()
        } else {
            Body::from(bytes)
        }
    };
    if !path.is_empty() && path != "index.html" {
        if let Some(bytes) = files.get(&path) {
            let cache = if path.starts_with("assets/") {
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=3600"
            };
            return respond(StatusCode::OK, content_type(&path), cache, body(bytes));
        }
        // A missing file that looks like one (`/assets/gone.js`) is a 404, not the app.
        let last = path.rsplit('/').next().unwrap_or("");
        if path.starts_with("assets/") || last.contains('.') {
            return respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "no-store", Body::from("no such file"));
        }
    }
    respond(StatusCode::OK, "text/html; charset=utf-8", "no-cache", body(index))
}

/// Where the UI was looked for at build time.
pub fn dist_dir() -> &'static str {
    embedded::DIST
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: Files = Files(&[
        ("index.html", b"<html>app</html>"),
        ("assets/index-abc123.js", b"console.log(1)"),
        ("assets/index-abc123.css", b"body{}"),
        ("favicon.svg", b"<svg/>"),
    ]);

    fn get(path: &str) -> Response {
        serve(FILES, &Request::builder().uri(path).body(Body::empty()).unwrap())
    }

    fn head(r: &Response, name: header::HeaderName) -> &str {
        r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    #[test]
    fn files_come_with_their_type_and_hashed_assets_are_cached() {
        let r = get("/assets/index-abc123.js");
        assert_eq!(r.status(), 200);
        assert_eq!(head(&r, header::CONTENT_TYPE), "text/javascript; charset=utf-8");
        assert!(head(&r, header::CACHE_CONTROL).contains("immutable"));
        assert_eq!(head(&get("/assets/index-abc123.css"), header::CONTENT_TYPE), "text/css; charset=utf-8");
        assert_eq!(head(&get("/favicon.svg"), header::CONTENT_TYPE), "image/svg+xml");
        let index = get("/");
        assert_eq!((index.status().as_u16(), head(&index, header::CACHE_CONTROL)), (200, "no-cache"));
    }

    #[test]
    fn app_routes_get_the_index_and_missing_files_a_404() {
        for path in ["/runs/12", "/templates/hello/edit", "/settings"] {
            let r = get(path);
            assert_eq!(
                (r.status().as_u16(), head(&r, header::CONTENT_TYPE)),
                (200, "text/html; charset=utf-8"),
                "{path}"
            );
        }
        assert_eq!(get("/assets/gone-123.js").status(), 404);
        assert_eq!(get("/robots.txt").status(), 404);
    }

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for path in [
            "/../etc/passwd",
            "/assets/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/assets/%2E%2E/%2e%2e/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/assets\\..\\..\\etc\\passwd",
            "/assets%5c..%5cindex.html",
            "/index.html%00.js",
            "/./index.html",
            "/%zz",
        ] {
            assert_eq!(get(path).status(), 400, "{path}");
        }
    }

    #[test]
    fn without_a_built_ui_the_page_says_how_to_build_it() {
        let r = serve(Files(&[]), &Request::builder().uri("/").body(Body::empty()).unwrap());
        assert_eq!(r.status(), 503);
    }
}
