//! The JSON Schemas (draft 2020-12, as OpenAPI 3.1 uses) of the OpenAPI document: the two
//! generators (requests are what serde reads: defaults make a field optional; answers are what it
//! writes: a field is missing only where `skip_serializing_if` says), the merge of their
//! definitions into `components.schemas`, and the forms a query parameter takes. It knows nothing
//! of routes; `openapi` does.

use std::collections::{BTreeMap, BTreeSet};

use schemars::generate::{Contract, SchemaSettings};
use schemars::transform::ReplaceUnevaluatedProperties;
use schemars::SchemaGenerator;
use serde_json::{Map, Value};

/// Where the named schemas are: `#/components/schemas/Run`.
pub const COMPONENTS: &str = "#/components/schemas/";

/// A generator for `contract`, its definitions under [`COMPONENTS`]. The requests' schemas say
/// `additionalProperties` where the answers' say `unevaluatedProperties` (a pipeline step beside
/// its body): the fuzzers that make requests from them (schemathesis) cannot make data for the
/// latter. It allows the keys of every kind of body on any step, where the server refuses those
/// of another kind.
pub fn generator(contract: Contract) -> SchemaGenerator {
    let requests = contract.is_deserialize();
    SchemaSettings::draft2020_12()
        .with(|s| {
            s.definitions_path = "#/components/schemas".into();
            s.meta_schema = None;
            s.contract = contract;
            if requests {
                s.transforms.push(Box::new(ReplaceUnevaluatedProperties::default()));
            }
        })
        .into_generator()
}

/// The name of a request schema that differs from the answer's schema of the same name.
fn input_name(name: &str, answers: &Map<String, Value>, requests: &Map<String, Value>) -> String {
    let mut candidate = format!("{name}Input");
    let mut n = 2;
    while answers.contains_key(&candidate) || requests.contains_key(&candidate) {
        candidate = format!("{name}Input{n}");
        n += 1;
    }
    candidate
}

/// `components.schemas` from the answers' and the requests' definitions, and the new names of
/// the request schemas that differ from the answer's of the same name (a type whose fields have
/// defaults, or one that refers to such a type): those are kept as `<Name>Input`. Refer to them
/// with [`rename_refs`] in the request parts of the document.
pub fn merge(
    answers: Map<String, Value>,
    requests: Map<String, Value>,
) -> (Map<String, Value>, BTreeMap<String, String>) {
    let mut differing: BTreeSet<String> = BTreeSet::new();
    loop {
        let renames: BTreeMap<String, String> =
            differing.iter().map(|n| (n.clone(), input_name(n, &answers, &requests))).collect();
        let grown: Vec<String> = requests
            .iter()
            .filter(|(name, _)| !differing.contains(*name))
            .filter(|(name, schema)| answers.get(*name).is_some_and(|a| *a != rename_refs((*schema).clone(), &renames)))
            .map(|(name, _)| name.clone())
            .collect();
        if grown.is_empty() {
            let mut all = answers;
            for (name, schema) in requests {
                let schema = rename_refs(schema, &renames);
                match renames.get(&name) {
                    Some(new) => {
                        all.insert(new.clone(), schema);
                    }
                    None => {
                        all.entry(name).or_insert(schema);
                    }
                }
            }
            return (all, renames);
        }
        differing.extend(grown);
    }
}

/// `value` with each `$ref` to a renamed component pointing at its new name.
pub fn rename_refs(value: Value, renames: &BTreeMap<String, String>) -> Value {
    if renames.is_empty() {
        return value;
    }
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => {
                            let renamed = r.strip_prefix(COMPONENTS).and_then(|name| renames.get(name));
                            Value::String(renamed.map_or(r, |new| format!("{COMPONENTS}{new}")))
                        }
                        (_, v) => rename_refs(v, renames),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| rename_refs(v, renames)).collect()),
        other => other,
    }
}

/// Each integer schema of `value` with the bounds of its `format` (`uint32`: 0 to 4294967295),
/// which the server holds it to: a number out of them is refused before the operation runs.
pub fn bound_integers(value: &mut Value) {
    match value {
        Value::Object(obj) => {
            let bounds: Option<(Value, Value)> = match obj.get("format").and_then(Value::as_str) {
                Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
                Some("uint8") => Some((0.into(), u8::MAX.into())),
                Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
                Some("uint16") => Some((0.into(), u16::MAX.into())),
                Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
                Some("uint32") => Some((0.into(), u32::MAX.into())),
                Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
                Some("uint64" | "uint") => Some((0.into(), u64::MAX.into())),
                _ => None,
            };
            if let Some((min, max)) = bounds {
                obj.entry("minimum").or_insert(min);
                obj.entry("maximum").or_insert(max);
            }
            obj.values_mut().for_each(bound_integers);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_integers),
        _ => {}
    }
}

/// The schema a `$ref` points at (one level), or the schema itself.
pub fn resolve<'a>(schema: &'a Value, definitions: &'a Map<String, Value>) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(COMPONENTS))
        .and_then(|name| definitions.get(name))
        .unwrap_or(schema)
}

/// `schema` without its `null` alternative (nor a `null` default): a query parameter that is left
/// out is the `None` of an `Option`, and there is no `null` in a query string.
pub fn without_null(schema: &Value) -> Value {
    let mut out = without_null_alternative(schema);
    if let Some(obj) = out.as_object_mut().filter(|o| o.get("default") == Some(&Value::Null)) {
        obj.remove("default");
    }
    out
}

fn without_null_alternative(schema: &Value) -> Value {
    let is_null = |s: &Value| s.get("type").and_then(Value::as_str) == Some("null");
    let Some(obj) = schema.as_object() else { return schema.clone() };
    if let Some(Value::Array(types)) = obj.get("type") {
        let kept: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
        let mut out = obj.clone();
        out.insert("type".into(), if kept.len() == 1 { kept[0].clone() } else { Value::Array(kept) });
        if let Some(Value::Array(values)) = obj.get("enum") {
            out.insert("enum".into(), Value::Array(values.iter().filter(|v| !v.is_null()).cloned().collect()));
        }
        return Value::Object(out);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alternatives)) = obj.get(key) {
            let kept: Vec<Value> = alternatives.iter().filter(|s| !is_null(s)).cloned().collect();
            if kept.len() < alternatives.len() {
                let mut out = obj.clone();
                match kept.as_slice() {
                    [one] => {
                        out.remove(key);
                        // The one alternative's keywords beside the rest (a description).
                        if let Some(inner) = one.as_object() {
                            for (k, v) in inner {
                                out.entry(k.clone()).or_insert(v.clone());
                            }
                        }
                    }
                    _ => {
                        out.insert(key.into(), Value::Array(kept));
                    }
                }
                return Value::Object(out);
            }
        }
    }
    schema.clone()
}

/// Whether a value of `schema` is one word or number (a string, number, boolean or one of an
/// enum's words), which a query parameter carries as is.
pub fn is_scalar(schema: &Value, definitions: &Map<String, Value>) -> bool {
    let schema = resolve(schema, definitions);
    let scalar_type = |t: &Value| matches!(t.as_str(), Some("string" | "integer" | "number" | "boolean" | "null"));
    match schema.get("type") {
        Some(Value::Array(types)) => return types.iter().all(scalar_type),
        Some(t) => return scalar_type(t),
        None => {}
    }
    if schema.get("enum").is_some() || schema.get("const").is_some() {
        return true;
    }
    ["anyOf", "oneOf"].iter().any(|key| {
        schema.get(*key).and_then(Value::as_array).is_some_and(|alts| alts.iter().all(|a| is_scalar(a, definitions)))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_request_schema_that_differs_is_kept_apart_with_those_that_refer_to_it() {
        let answers = json!({
            "Spec": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            "Holder": {"properties": {"spec": {"$ref": "#/components/schemas/Spec"}}},
            "Same": {"type": "string"},
        });
        let requests = json!({
            "Spec": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Holder": {"properties": {"spec": {"$ref": "#/components/schemas/Spec"}}},
            "Same": {"type": "string"},
            "Filter": {"properties": {"h": {"$ref": "#/components/schemas/Holder"}}},
        });
        let (all, renames) = merge(answers.as_object().unwrap().clone(), requests.as_object().unwrap().clone());
        assert_eq!(
            renames.into_iter().collect::<Vec<_>>(),
            [("Holder".into(), "HolderInput".into()), ("Spec".into(), "SpecInput".into())],
            "Spec differs, and Holder refers to it, so both have an input form; Same does not"
        );
        assert_eq!(all["HolderInput"]["properties"]["spec"]["$ref"], "#/components/schemas/SpecInput");
        assert_eq!(all["Filter"]["properties"]["h"]["$ref"], "#/components/schemas/HolderInput");
        assert_eq!(all["Holder"], answers["Holder"], "the answer's form keeps its name");
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn a_query_parameter_has_no_null_and_knows_a_word_from_an_object() {
        let defs = json!({"Role": {"type": "string", "enum": ["admin", "viewer"]}, "Filter": {"type": "object"}});
        let defs = defs.as_object().unwrap();
        assert_eq!(without_null(&json!({"type": ["string", "null"]})), json!({"type": "string"}));
        assert_eq!(
            without_null(&json!({"anyOf": [{"$ref": "#/components/schemas/Role"}, {"type": "null"}]})),
            json!({"$ref": "#/components/schemas/Role"})
        );
        assert!(is_scalar(&json!({"$ref": "#/components/schemas/Role"}), defs));
        assert!(is_scalar(&json!({"type": "integer", "format": "int64"}), defs));
        assert!(!is_scalar(&json!({"$ref": "#/components/schemas/Filter"}), defs));
        assert!(!is_scalar(&json!({"type": "array", "items": {"type": "string"}}), defs));
    }

    #[test]
    fn an_integer_has_the_bounds_of_its_format() {
        let mut schema = json!({"properties": {"to": {"type": "integer", "format": "uint32", "minimum": 0},
            "id": {"type": ["integer", "null"], "format": "int64"}, "name": {"type": "string", "format": "email"}}});
        bound_integers(&mut schema);
        assert_eq!(
            schema["properties"]["to"],
            json!({"type": "integer", "format": "uint32", "minimum": 0, "maximum": 4294967295u32})
        );
        assert_eq!(schema["properties"]["id"]["minimum"], json!(i64::MIN));
        assert_eq!(schema["properties"]["name"], json!({"type": "string", "format": "email"}));
    }
}
