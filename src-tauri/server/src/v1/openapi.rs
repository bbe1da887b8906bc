//! `GET /api/openapi.json`: the OpenAPI 3.1 document of `/api/v1`, made from [`super::ROUTES`]:
//! paths, methods, path and query parameters, request bodies with their fields, the answer's
//! status, the bearer security and the scope each route needs as `x-scope`, so the document cannot
//! drift from the router. Plain types (strings, numbers, lists, maps, options, the scope, role and
//! provider enums) have real schemas; every named type of the engine is a component whose exact
//! shape is its TypeScript binding (`x-ts-type`, in `ui/src/bindings`), as the engine's types
//! derive TypeScript bindings, not JSON schemas.

use std::collections::BTreeSet;

use axum::Json;
use serde_json::{json, Map, Value};
use simple_cicd_engine::model::{Provider, Role, Scope};

use super::{Arg, Kind, Method, Route, ROUTES};

/// The generic type's parts: `Vec<Run>` → `("Vec", "Run")`.
fn generic(ty: &str) -> Option<(&str, &str)> {
    let (outer, rest) = ty.split_once('<')?;
    Some((outer.trim(), rest.strip_suffix('>')?.trim()))
}

/// The JSON schema of a Rust type as the declarations write it; named types go into `names`.
fn schema(ty: &str, names: &mut BTreeSet<String>) -> Value {
    let ty = ty.trim().trim_start_matches("simple_cicd_engine::model::");
    if let Some((outer, inner)) = generic(ty) {
        return match outer {
            "Option" => json!({"anyOf": [schema(inner, names), {"type": "null"}]}),
            "Vec" => json!({"type": "array", "items": schema(inner, names)}),
            "BTreeMap" | "HashMap" => {
                let value = inner.split_once(',').map_or(inner, |(_, v)| v);
                json!({"type": "object", "additionalProperties": schema(value, names)})
            }
            _ => json!({}),
        };
    }
    match ty {
        "String" => json!({"type": "string"}),
        "bool" => json!({"type": "boolean"}),
        "i64" | "i32" | "u32" | "u64" | "usize" => json!({"type": "integer"}),
        "()" => json!({"type": "null"}),
        "Scope" => json!({"type": "string", "enum": Scope::ALL.map(Scope::as_str)}),
        "Role" => json!({"type": "string", "enum": Role::ALL.map(Role::as_str)}),
        "Provider" => json!({"type": "string", "enum": Provider::ALL.map(Provider::as_str)}),
        named => {
            names.insert(named.to_string());
            json!({"$ref": format!("#/components/schemas/{named}")})
        }
    }
}

fn is_plain(ty: &str) -> bool {
    matches!(ty, "String" | "bool" | "i64" | "i32" | "u32" | "u64")
        || ty.starts_with("Option<") && is_plain(&ty[7..ty.len() - 1])
}

fn operation(route: &Route, names: &mut BTreeSet<String>) -> Value {
    let path_params = route.path_params();
    let (in_path, rest): (Vec<&Arg>, Vec<&Arg>) =
        route.args.iter().partition(|a| path_params.contains(&a.wire_name().as_str()));
    let mut params: Vec<Value> = in_path
        .iter()
        .map(|a| json!({"name": a.wire_name(), "in": "path", "required": true, "schema": schema(a.ty, names)}))
        .collect();
    let mut op = json!({
        "operationId": route.op,
        "summary": route.summary.trim(),
    });
    if route.method == Method::Get {
        for a in &rest {
            let mut p = json!({"name": a.wire_name(), "in": "query", "required": !a.optional()});
            if is_plain(a.ty) {
                p["schema"] = schema(a.ty, names);
            } else {
                p["content"] = json!({"application/json": {"schema": schema(a.ty, names)}});
            }
            params.push(p);
        }
    } else if !rest.is_empty() {
        let properties: Map<String, Value> = rest.iter().map(|a| (a.wire_name(), schema(a.ty, names))).collect();
        let required: Vec<String> = rest.iter().filter(|a| !a.optional()).map(|a| a.wire_name()).collect();
        op["requestBody"] = json!({
            "required": !required.is_empty(),
            "content": {"application/json": {"schema": {
                "type": "object", "properties": properties, "required": required, "additionalProperties": false,
            }}},
        });
    }
    if route.kind == Kind::Events {
        params.push(json!({
            "name": "access_token", "in": "query", "required": false, "schema": {"type": "string"},
            "description": "The access token, for EventSource, which cannot send an Authorization header",
        }));
    }
    op["parameters"] = Value::Array(params);
    let answer = match route.kind {
        Kind::Json => json!({"application/json": {"schema": schema(route.returns, names)}}),
        Kind::Events => json!({"text/event-stream": {"schema": {"type": "string"},
            "x-event-data": schema(route.returns, names)}}),
        Kind::File => json!({"text/plain": {"schema": {"type": "string"}}}),
    };
    op["responses"] = json!({
        route.status.to_string(): {"description": "OK", "content": answer},
        "4XX": {"description": "ApiError: code, message, fields, params", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}},
        "5XX": {"description": "ApiError", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}},
    });
    match route.scope {
        Some(scope) => {
            op["security"] = json!([{"bearer": []}]);
            op["x-scope"] = json!(scope.as_str());
        }
        None => op["security"] = json!([]),
    }
    op
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    let mut names = BTreeSet::new();
    for route in ROUTES.iter() {
        let method = route.method.as_str().to_ascii_lowercase();
        let op = operation(route, &mut names);
        let entry = paths.entry(route.path.to_string()).or_insert_with(|| json!({}));
        entry[method] = op;
    }
    super::links::add(&mut paths);
    let mut schemas = Map::new();
    for name in names {
        schemas.insert(
            name.clone(),
            json!({"description": format!("The TypeScript type {name} (ui/src/bindings/{name}.ts)"), "x-ts-type": name}),
        );
    }
    schemas.insert(
        "ApiError".into(),
        json!({
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "array", "items": {"type": "object"}},
                "params": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "simple-cicd API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Send `Authorization: Bearer` with an access token (POST /api/v1/auth/signin) or an API token (`scicd token create`); the event streams also take it as `?access_token=`. Each operation's `x-scope` is the scope it needs: read < run, deploy < write < admin. Arguments: path parameters, then the JSON body's fields (POST, PUT, DELETE) or query parameters (GET; objects as JSON text); unknown ones are refused. Bodies are at most 1 MiB.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
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
        for route in ROUTES.iter() {
            let method = route.method.as_str().to_ascii_lowercase();
            let op = &doc["paths"][route.path][&method];
            assert_eq!(op["operationId"], route.op, "{} {}", method, route.path);
            assert_eq!(op["x-scope"].as_str(), route.scope.map(|s| s.as_str()), "{}", route.op);
        }
        assert_eq!(doc["paths"]["/api/v1/runs/{id}"]["get"]["parameters"][0]["schema"]["type"], "integer");
        let logs = &doc["paths"]["/api/v1/runs/{id}/logs"]["get"]["parameters"];
        assert_eq!(logs[1]["name"], "fromSeq");
        let start = &doc["paths"]["/api/v1/runs"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(start["required"], json!(["template"]));
        assert_eq!(start["additionalProperties"], false);
        assert!(doc["components"]["schemas"]["Run"]["x-ts-type"] == "Run");
    }
}
