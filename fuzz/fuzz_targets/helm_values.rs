//! The `values` text of a helm template (what reaches `helm upgrade --values`).
//!
//! Properties: never a panic; accepted values are YAML that is a mapping or empty; a refusal of
//! text that is not YAML gives its line and column.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::fuzzing::helm_values;

fuzz_target!(|text: &str| {
    let parsed = serde_yaml::from_str::<serde_yaml::Value>(text);
    match helm_values(text) {
        None => assert!(
            matches!(parsed, Ok(serde_yaml::Value::Mapping(_) | serde_yaml::Value::Null)),
            "accepted values are a mapping or empty: {parsed:?}"
        ),
        Some(problem) => {
            assert!(!problem.is_empty());
            if let Err(e) = parsed {
                if e.location().is_some() {
                    assert!(problem.contains("line") && problem.contains("column"), "{problem}");
                }
            }
        }
    }
});
