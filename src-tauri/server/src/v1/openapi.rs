//! `GET /api/openapi.json`: the OpenAPI 3.1 document of `/api/v1`, made from [`super::ROUTES`]
//! (paths, methods, path parameters, the bearer security and the scope each route needs as
//! `x-scope`), so the document cannot drift from the router. Bodies are described as JSON objects;
//! their exact shapes are the TypeScript bindings in `ui/src/bindings`.

use axum::Json;
use serde_json::{json, Map, Value};

use super::{Method, ROUTES};

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let method = match route.method {
            Method::Get => "get",
            Method::Post => "post",
            Method::Delete => "delete",
        };
        let params: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                let schema = if name == "id" { json!({"type": "integer"}) } else { json!({"type": "string"}) };
                json!({"name": name, "in": "path", "required": true, "schema": schema})
            })
            .collect();
        let mut op = json!({
            "operationId": route.op,
            "summary": route.summary,
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {}}}},
                "4XX": {"description": "ApiError: code, message, fields, params", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}},
            },
        });
        match route.scope {
            Some(scope) => {
                op["security"] = json!([{"bearer": []}]);
                op["x-scope"] = json!(scope.as_str());
            }
            None => op["security"] = json!([]),
        }
        if route.method == Method::Post {
            op["requestBody"] =
                json!({"required": false, "content": {"application/json": {"schema": {"type": "object"}}}});
        }
        let entry = paths.entry(route.path.to_string()).or_insert_with(|| json!({}));
        entry[method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "simple-cicd API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Send `Authorization: Bearer` with an access token (POST /api/v1/auth/signin) or an API token (`scicd token create`). Each operation's `x-scope` is the scope it needs: read < run, deploy < write < admin.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"ApiError": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "object"}},
                    "params": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }},
        },
    })
}

/// The handler.
pub async fn openapi() -> Json<Value> {
    Json(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_in_the_document_with_its_scope() {
        let doc = document();
        for route in ROUTES {
            let method = format!("{:?}", route.method).to_lowercase();
            let op = &doc["paths"][route.path][&method];
            assert_eq!(op["operationId"], route.op, "{} {}", method, route.path);
            assert_eq!(op["x-scope"].as_str(), route.scope.map(|s| s.as_str()), "{}", route.op);
        }
        assert_eq!(doc["paths"]["/api/v1/runs/{id}"]["get"]["parameters"][0]["schema"]["type"], "integer");
    }
}
