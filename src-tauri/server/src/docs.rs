//! `GET /api/docs`: the API's reference as one HTML page, made from the same declarations as the
//! router and `/api/openapi.json` (no script, nothing fetched from elsewhere).

use axum::response::Html;

use crate::v1::{Kind, Method, ROUTES};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page.
pub async fn page() -> Html<String> {
    let mut rows = String::new();
    for route in ROUTES.iter() {
        let params = route.path_params();
        let args: Vec<String> = route
            .args
            .iter()
            .map(|a| {
                let name = a.wire_name();
                let place = if params.contains(&name.as_str()) {
                    "path"
                } else if route.method == Method::Get {
                    "query"
                } else {
                    "body"
                };
                let opt = if a.optional() { "?" } else { "" };
                format!("<code>{}{opt}</code>: {} <small>({place})</small>", escape(&name), escape(a.ty))
            })
            .collect();
        let answer = match route.kind {
            Kind::Json => escape(route.returns),
            Kind::Events => format!("events of {}", escape(route.returns)),
            Kind::File => "a text file".to_string(),
        };
        rows.push_str(&format!(
            "<tr id=\"{op}\"><td><b>{method}</b> <code>{path}</code></td><td><code>{op}</code></td><td>{scope}</td><td>{summary}</td><td>{args}</td><td>{status} {answer}</td></tr>\n",
            op = route.op,
            method = route.method.as_str(),
            path = escape(route.path),
            scope = route.scope.map_or("none", |s| s.as_str()),
            summary = escape(route.summary.trim()),
            args = args.join("<br>"),
            status = route.status,
        ));
    }
    Html(format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>simple-cicd API</title>\
<style>body{{font:14px system-ui,sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}}code{{font-size:13px}}</style>\
<h1>simple-cicd API v1</h1>\
<p>Machine-readable: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1, with the JSON Schema of every argument and answer). Types are the TypeScript bindings in <code>ui/src/bindings</code>.</p>\
<p>Sign in with <code>POST /api/v1/auth/signin</code> <code>{{\"name\":…,\"password\":…}}</code>, then send <code>Authorization: Bearer ACCESS_TOKEN</code>, or use an API token (<code>scicd token create</code>). \
The event streams (<code>text/event-stream</code>) also take the token as <code>?access_token=</code>, since a browser's EventSource cannot send headers. \
Scopes: read &lt; run, deploy &lt; write &lt; admin; a role holds its scopes, a token at most its user's. \
Arguments are path parameters, then the JSON body's fields (POST, PUT, DELETE) or query parameters (GET; objects and lists as JSON text, e.g. <code>?filter={{\"status\":\"failed\"}}</code>); unknown fields are refused, bodies are at most 1 MiB. \
Errors are JSON <code>{{code, message, fields}}</code> with a 4xx or 5xx status. Secrets are write-only: their names and dates are listed, never their values.</p>\
<table><tr><th>route</th><th>operation</th><th>scope</th><th>what</th><th>arguments</th><th>answer</th></tr>\n{rows}</table>"
    ))
}
