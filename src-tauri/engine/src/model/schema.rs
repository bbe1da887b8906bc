//! The JSON Schemas (schemars) of the types whose serde form is not what a derive would describe:
//! a template is written as its file form, and a step's body is flattened beside the step's own
//! fields. Every other type of the model derives its schema from its serde attributes.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value;

use super::pipeline::{InlineBody, StepBody, UsesBody};
use super::template::TemplateSpec;
use super::template_file::TemplateFile;

/// A template's JSON is its file form's: the schema is [`TemplateFile`]'s (named `TemplateSpec`,
/// as its TypeScript binding is).
impl JsonSchema for TemplateSpec {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "TemplateSpec".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        generator.subschema_for::<TemplateFile>()
    }
}

/// A body is flattened into its step, beside `name`, `needs`, ...: its alternatives (`uses`, or
/// one per `kind`) cannot refuse the keys they do not know (`additionalProperties: false` would
/// refuse the step's own), so the step refuses what none of them knows
/// (`unevaluatedProperties: false` on [`super::PipelineStep`]).
impl JsonSchema for StepBody {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "StepBody".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut uses = UsesBody::json_schema(generator);
        open(&mut uses);
        let mut inline = InlineBody::json_schema(generator);
        if let Some(kinds) = inline.get_mut("oneOf").and_then(Value::as_array_mut) {
            for kind in kinds {
                if let Ok(kind) = <&mut Schema>::try_from(kind) {
                    open(kind);
                }
            }
        }
        json_schema!({ "anyOf": [uses, inline] })
    }
}

/// The schema without its refusal of unknown keys.
fn open(schema: &mut Schema) {
    schema.remove("additionalProperties");
}

#[cfg(test)]
mod tests {
    use schemars::generate::SchemaSettings;
    use serde_json::json;

    use super::super::PipelineStep;

    /// The checks schemathesis makes, by hand: a step's keys beside its body's are allowed, an
    /// unknown key is not.
    #[test]
    fn a_step_schema_takes_its_own_keys_beside_its_body_and_refuses_others() {
        let schema =
            SchemaSettings::draft2020_12().for_serialize().into_generator().into_root_schema_for::<PipelineStep>();
        let schema = schema.as_value();
        assert_eq!(schema["unevaluatedProperties"], json!(false), "{schema}");
        let alternatives = schema["anyOf"].as_array().expect("a body is one of uses or a kind");
        assert_eq!(alternatives.len(), 2, "{schema}");
        assert!(alternatives[0].get("additionalProperties").is_none(), "uses: the step's name is beside it");
        for kind in alternatives[1]["oneOf"].as_array().expect("one alternative per kind") {
            assert!(kind.get("additionalProperties").is_none(), "{kind}: the step's name is beside it");
            assert!(kind["properties"]["kind"]["const"].is_string(), "{kind}");
        }
    }
}
