//! The served OpenAPI document, checked as OpenAPI 3.1 by structure (no validator crate): every
//! `$ref` resolves, every schema keyword has the shape JSON Schema 2020-12 gives it, every
//! operation describes each declared argument (path, query or body) with a schema and has an
//! answer schema and the error's, and each path parameter is declared. Each problem is named
//! with where it is.

use serde_json::{Map, Value};
use simple_cicd_server::v1::{Kind, Method, ROUTES};

/// The problems of `doc`, each with its JSON pointer; none for a sound document.
pub fn problems(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    if doc["openapi"] != "3.1.0" {
        found.push(format!("/openapi is {}, not 3.1.0", doc["openapi"]));
    }
    for key in ["title", "version"] {
        if !doc["info"][key].is_string() {
            found.push(format!("/info/{key} is missing"));
        }
    }
    walk_refs(doc, doc, "", &mut found);
    let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
    if schemas.is_empty() {
        found.push("/components/schemas is empty".into());
    }
    for (name, schema) in &schemas {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
            found.push(format!("/components/schemas/{name}: not a valid component name"));
        }
        check_schema(schema, &format!("/components/schemas/{name}"), &mut found);
    }
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let mut operation_ids = Vec::new();
    for route in ROUTES.iter() {
        let method = route.method.as_str().to_ascii_lowercase();
        let at = format!("/paths/{}/{method}", route.path.replace('~', "~0").replace('/', "~1"));
        let Some(op) = paths.get(route.path).and_then(|p| p.get(&method)) else {
            found.push(format!("{at}: {} is not in the document", route.op));
            continue;
        };
        operation_ids.push(op["operationId"].as_str().unwrap_or_default().to_string());
        check_operation(route, op, &at, &mut found);
    }
    let count = operation_ids.len();
    operation_ids.sort();
    operation_ids.dedup();
    if operation_ids.len() != count {
        found.push("/paths: an operationId is used twice".into());
    }
    let operations: usize = paths.values().filter_map(Value::as_object).map(Map::len).sum();
    if operations != ROUTES.len() {
        found.push(format!("/paths: {operations} operations for {} routes", ROUTES.len()));
    }
    found
}

fn check_operation(route: &simple_cicd_server::v1::Route, op: &Value, at: &str, found: &mut Vec<String>) {
    let parameters = op["parameters"].as_array().cloned().unwrap_or_default();
    for (i, p) in parameters.iter().enumerate() {
        let here = format!("{at}/parameters/{i}");
        if !matches!(p["in"].as_str(), Some("path" | "query" | "header" | "cookie")) || !p["name"].is_string() {
            found.push(format!("{here}: a parameter needs a name and in: path, query, header or cookie"));
        }
        match (p.get("schema"), p.get("content")) {
            (Some(s), None) => check_schema(s, &format!("{here}/schema"), found),
            (None, Some(c)) if c.as_object().is_some_and(|c| c.len() == 1) => {
                for (media, m) in c.as_object().unwrap() {
                    check_schema(&m["schema"], &format!("{here}/content/{media}/schema"), found);
                }
            }
            _ => found.push(format!("{here}: a parameter has a schema or one content, not both or neither")),
        }
    }
    let param = |name: &str, place: &str| parameters.iter().find(|p| p["name"] == name && p["in"] == place);
    for name in route.path_params() {
        match param(name, "path") {
            Some(p) if p["required"] == true => {}
            _ => found.push(format!("{at}: the path parameter {name} is not declared as required")),
        }
    }
    let body = &op["requestBody"]["content"]["application/json"]["schema"];
    if !op["requestBody"].is_null() {
        check_schema(body, &format!("{at}/requestBody"), found);
    }
    for a in route.args {
        let name = a.wire_name();
        let described = if route.path_params().contains(&name.as_str()) {
            param(name.as_str(), "path").is_some()
        } else if route.method == Method::Get {
            param(name.as_str(), "query").is_some()
        } else {
            body["properties"].get(&name).is_some()
        };
        if !described {
            found.push(format!("{at}: the argument {name} of {} has no parameter or body field", route.op));
        }
        if route.method != Method::Get
            && !route.path_params().contains(&name.as_str())
            && body["additionalProperties"] != false
        {
            found.push(format!("{at}/requestBody: unknown fields are refused, but the schema allows them"));
        }
    }
    let responses = &op["responses"];
    let success = &responses[route.status.to_string()]["content"];
    let answer = match route.kind {
        Kind::Json => &success["application/json"]["schema"],
        Kind::Events => &success["text/event-stream"]["x-event-data"],
        Kind::File => &success["text/plain"]["schema"],
    };
    if answer.is_null() {
        found.push(format!("{at}/responses/{}: no schema of the answer", route.status));
    } else {
        check_schema(answer, &format!("{at}/responses/{}", route.status), found);
    }
    for class in ["4XX", "5XX"] {
        if responses[class]["content"]["application/json"]["schema"]["$ref"] != "#/components/schemas/ApiError" {
            found.push(format!("{at}/responses/{class}: not the ApiError"));
        }
    }
}

/// Every `$ref` of the document points at something in it.
fn walk_refs(doc: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref") {
                match r.as_str().and_then(|r| r.strip_prefix('#')) {
                    Some(pointer) if doc.pointer(pointer).is_some() => {}
                    _ => found.push(format!("{at}/$ref: {} does not resolve", r.as_str().unwrap_or("(not text)"))),
                }
            }
            for (k, v) in map {
                walk_refs(doc, v, &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), found);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_refs(doc, v, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

const TYPES: [&str; 7] = ["null", "boolean", "object", "array", "number", "string", "integer"];

/// The JSON Schema 2020-12 keywords a schema uses have their shapes, in it and its subschemas.
fn check_schema(schema: &Value, at: &str, found: &mut Vec<String>) {
    let obj = match schema {
        Value::Bool(_) => return,
        Value::Object(obj) => obj,
        other => return found.push(format!("{at}: a schema is an object or a boolean, not {other}")),
    };
    match obj.get("type") {
        None => {}
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => {}
        Some(Value::Array(ts))
            if !ts.is_empty() && ts.iter().all(|t| t.as_str().is_some_and(|t| TYPES.contains(&t))) => {}
        Some(t) => found.push(format!("{at}/type: {t} is not a JSON Schema type")),
    }
    if obj.contains_key("nullable") {
        found.push(format!("{at}: `nullable` is OpenAPI 3.0; 3.1 writes type: [..., \"null\"]"));
    }
    if let Some(required) = obj.get("required") {
        let names: Option<Vec<&str>> = required.as_array().map(|r| r.iter().filter_map(Value::as_str).collect());
        match names {
            Some(names) if names.len() == required.as_array().map_or(0, Vec::len) => {
                let properties = obj.get("properties").and_then(Value::as_object);
                if obj.get("additionalProperties") == Some(&Value::Bool(false)) {
                    for n in names.iter().filter(|n| !properties.is_some_and(|p| p.contains_key(**n))) {
                        found.push(format!("{at}/required: {n} is required but can never be given"));
                    }
                }
            }
            _ => found.push(format!("{at}/required: not a list of names")),
        }
    }
    if let Some(properties) = obj.get("properties") {
        match properties.as_object() {
            Some(p) => p.iter().for_each(|(k, s)| check_schema(s, &format!("{at}/properties/{k}"), found)),
            None => found.push(format!("{at}/properties: not an object")),
        }
    }
    for key in ["items", "additionalProperties", "unevaluatedProperties", "not", "if", "then", "else", "contains"] {
        if let Some(s) = obj.get(key) {
            check_schema(s, &format!("{at}/{key}"), found);
        }
    }
    for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        if let Some(list) = obj.get(key) {
            match list.as_array() {
                Some(l) if !l.is_empty() => {
                    l.iter().enumerate().for_each(|(i, s)| check_schema(s, &format!("{at}/{key}/{i}"), found))
                }
                _ => found.push(format!("{at}/{key}: not a non-empty list")),
            }
        }
    }
    if let Some(e) = obj.get("enum") {
        if e.as_array().is_none_or(Vec::is_empty) {
            found.push(format!("{at}/enum: not a non-empty list"));
        }
    }
}

#[test]
fn the_checks_find_a_dangling_ref_an_undeclared_argument_and_a_3_0_schema() {
    let mut doc = simple_cicd_server::v1::openapi_document();
    assert_eq!(problems(&doc), Vec::<String>::new(), "the document as made");
    doc["paths"]["/api/v1/runs/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] =
        serde_json::json!({"$ref": "#/components/schemas/Nothing"});
    doc["paths"]["/api/v1/runs"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("template");
    doc["components"]["schemas"]["Run"]["nullable"] = Value::Bool(true);
    let found = problems(&doc).join("\n");
    for expected in
        ["#/components/schemas/Nothing does not resolve", "the argument template of run_start", "`nullable`"]
    {
        assert!(found.contains(expected), "{expected} should be found in:\n{found}");
    }
}
