//! `GET /api/openapi.json`: the OpenAPI 3.1 document of `/api/v1`, made from [`super::ROUTES`]:
//! paths, methods, the path and query parameters and the JSON request body with their JSON
//! Schemas (from each operation's argument struct, which refuses unknown fields:
//! `additionalProperties: false`), the answer per status with its schema, the `ApiError` of 4XX
//! and 5XX, the bearer security and the scope each route needs as `x-scope`, so the document
//! cannot drift from the router. The engine's types are components (`#/components/schemas/Run`)
//! derived by schemars from the same serde attributes that make their JSON (see `schemas`).
//!
//! A query parameter is a word or a number as such; a filter (an object of words and numbers) is
//! the form-exploded object the server takes field by field (`?status=failed&limit=5`); anything
//! else is JSON text.

use axum::Json;
use schemars::generate::Contract;
use schemars::SchemaGenerator;
use serde_json::{json, Map, Value};
use simple_cicd_engine::model::ApiError;

use super::schemas::{self, is_scalar, rename_refs, resolve, without_null};
use super::{Kind, Method, Route, ROUTES};

/// An operation's arguments as parameters (path, query) and a JSON body.
fn request(route: &Route, generator: &mut SchemaGenerator) -> (Vec<Value>, Option<Value>) {
    let schema = (route.request)(generator).to_value();
    let properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let required = |name: &str| schema["required"].as_array().is_some_and(|r| r.iter().any(|n| n == name));
    let definitions = generator.definitions().clone();
    let in_path = route.path_params();
    // The declared order, then any other property (a test makes them the same).
    let mut names: Vec<String> =
        route.args.iter().map(|a| a.wire_name()).filter(|n| properties.contains_key(n)).collect();
    let others: Vec<String> = properties.keys().filter(|k| !names.contains(k)).cloned().collect();
    names.extend(others);
    let mut parameters = Vec::new();
    let mut body = Map::new();
    let mut body_required = Vec::new();
    for name in names {
        let property = &properties[&name];
        if in_path.contains(&name.as_str()) {
            parameters.push(json!({"name": name, "in": "path", "required": true, "schema": without_null(property)}));
        } else if route.method == Method::Get {
            parameters.push(query_parameter(&name, property, required(&name), &definitions));
        } else {
            if required(&name) {
                body_required.push(name.clone());
            }
            body.insert(name, property.clone());
        }
    }
    if route.kind == Kind::Events {
        parameters.push(json!({
            "name": "access_token", "in": "query", "required": false, "schema": {"type": "string"},
            "description": "The access token, for EventSource, which cannot send an Authorization header",
        }));
    }
    let body = (!body.is_empty()).then(|| {
        let mut object = json!({"type": "object", "properties": body, "required": body_required});
        if let Some(additional) = schema.get("additionalProperties") {
            object["additionalProperties"] = additional.clone();
        }
        json!({"required": !body_required.is_empty(), "content": {"application/json": {"schema": object}}})
    });
    (parameters, body)
}

/// A query parameter: a word or number as is, a filter field by field, anything else as JSON.
fn query_parameter(name: &str, property: &Value, required: bool, definitions: &Map<String, Value>) -> Value {
    let mut parameter = json!({"name": name, "in": "query", "required": required});
    let property = without_null(property);
    let object = resolve(&property, definitions);
    let fields = object.get("properties").and_then(Value::as_object);
    if is_scalar(&property, definitions) {
        parameter["schema"] = property;
    } else if let Some(fields) = fields.filter(|f| f.values().all(|s| is_scalar(s, definitions))) {
        let fields: Map<String, Value> = fields.iter().map(|(k, s)| (k.clone(), without_null(s))).collect();
        let mut schema = json!({"type": "object", "properties": fields});
        for key in ["description", "additionalProperties"] {
            if let Some(v) = object.get(key) {
                schema[key] = v.clone();
            }
        }
        parameter["style"] = json!("form");
        parameter["explode"] = json!(true);
        parameter["schema"] = schema;
    } else {
        parameter["content"] = json!({"application/json": {"schema": property}});
    }
    parameter
}

/// One operation; its request parts refer to the requests' definitions (renamed later).
fn operation(route: &Route, requests: &mut SchemaGenerator, answers: &mut SchemaGenerator, error: &Value) -> Value {
    let (parameters, body) = request(route, requests);
    let mut op = json!({
        "operationId": route.op,
        "summary": route.summary.trim(),
        "parameters": parameters,
    });
    if let Some(body) = body {
        op["requestBody"] = body;
    }
    let answer = (route.response)(answers).to_value();
    let content = match route.kind {
        Kind::Json => json!({"application/json": {"schema": answer}}),
        Kind::Events => json!({"text/event-stream": {"schema": {"type": "string"}, "x-event-data": answer}}),
        Kind::File => json!({"text/plain": {"schema": {"type": "string"}}}),
    };
    let error = json!({"application/json": {"schema": error}});
    op["responses"] = json!({
        route.status.to_string(): {"description": "OK", "content": content},
        "4XX": {"description": "ApiError: code, message, fields, params", "content": error},
        "5XX": {"description": "ApiError", "content": error},
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
    let mut requests = schemas::generator(Contract::Deserialize);
    let mut answers = schemas::generator(Contract::Serialize);
    let error = answers.subschema_for::<ApiError>().to_value();
    let operations: Vec<(&Route, Value)> =
        ROUTES.iter().map(|route| (route, operation(route, &mut requests, &mut answers, &error))).collect();
    let (components, renames) = schemas::merge(answers.take_definitions(true), requests.take_definitions(true));
    let mut paths = Map::new();
    for (route, mut op) in operations {
        for key in ["parameters", "requestBody"] {
            if let Some(part) = op.get_mut(key) {
                *part = rename_refs(part.take(), &renames);
            }
        }
        let entry = paths.entry(route.path.to_string()).or_insert_with(|| json!({}));
        entry[route.method.as_str().to_ascii_lowercase()] = op;
    }
    super::links::add(&mut paths);
    let mut doc = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "simple-cicd API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Send `Authorization: Bearer` with an access token (POST /api/v1/auth/signin) or an API token (`scicd token create`); the event streams also take it as `?access_token=`. Each operation's `x-scope` is the scope it needs: read < run, deploy < write < admin. Arguments: path parameters, then the JSON body's fields (POST, PUT, DELETE) or query parameters (GET; a filter's fields one by one, other objects as JSON text); unknown ones are refused. Bodies are at most 1 MiB. A schema named `…Input` is the request form of the schema without the suffix (fields with defaults may be left out).",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": components,
        },
    });
    schemas::bound_integers(&mut doc);
    doc
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
        assert_eq!(start["additionalProperties"], false, "unknown arguments are refused");
        let run = &doc["paths"]["/api/v1/runs/{id}"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(run["schema"]["$ref"], "#/components/schemas/Run");
        assert!(doc["components"]["schemas"]["Run"]["properties"]["status"].is_object(), "Run has its fields");
    }

    /// The argument structs and the declared arguments ([`Route::args`], which the router's query
    /// parsing, the UI's route table and the tests use) name the same arguments, each optional
    /// alike.
    #[test]
    fn each_request_schema_has_the_declared_arguments() {
        let mut generator = schemas::generator(Contract::Deserialize);
        for route in ROUTES.iter() {
            let schema = (route.request)(&mut generator).to_value();
            let properties: Vec<&String> =
                schema["properties"].as_object().map(|p| p.keys().collect()).unwrap_or_default();
            let mut declared: Vec<String> = route.args.iter().map(|a| a.wire_name()).collect();
            declared.sort();
            assert_eq!(properties, declared.iter().collect::<Vec<_>>(), "{}: the schema's properties", route.op);
            for a in route.args {
                let required = schema["required"].as_array().is_some_and(|r| r.iter().any(|n| *n == a.wire_name()));
                assert_eq!(required, !a.optional(), "{}: {} required", route.op, a.wire_name());
            }
            assert_eq!(schema["additionalProperties"], false, "{}: unknown arguments are refused", route.op);
        }
    }

    #[test]
    fn a_filter_is_a_query_object_field_by_field_and_a_template_a_body_schema() {
        let doc = document();
        let filter = &doc["paths"]["/api/v1/runs"]["get"]["parameters"][0];
        assert_eq!(
            (filter["name"].as_str(), filter["style"].as_str(), filter["explode"].as_bool()),
            (Some("filter"), Some("form"), Some(true))
        );
        assert!(filter["schema"]["properties"]["status"].is_object(), "{filter}");
        let save = &doc["paths"]["/api/v1/templates"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        let spec = save["properties"]["spec"]["$ref"].as_str().unwrap();
        let name = spec.strip_prefix(schemas::COMPONENTS).unwrap();
        let spec = &doc["components"]["schemas"][name];
        assert_eq!(spec["additionalProperties"], false, "{name}: a template file refuses unknown fields");
        assert_eq!(spec["required"], json!(["kind"]), "{name}: only the kind is needed in a request");
        let steps = &doc["components"]["schemas"]["PipelineStepInput"];
        assert_eq!(steps["additionalProperties"], false, "a step refuses unknown keys: {steps}");
        assert!(steps.get("unevaluatedProperties").is_none(), "schemathesis cannot fuzz that: {steps}");
        assert_eq!(doc["components"]["schemas"]["PipelineStep"]["unevaluatedProperties"], false);
    }
}
