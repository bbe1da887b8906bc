//! The compose file of a compose template (its `compose` text), checked before anything is
//! pulled or started.
//!
//! Properties: never a panic; every problem is a sentence; a file with no problem is a YAML
//! mapping with a non-empty `services` mapping.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::deploy::compose::check_compose_text;

fuzz_target!(|text: &str| {
    let problems = check_compose_text(text);
    assert!(problems.iter().all(|p| !p.trim().is_empty()), "every problem says what is wrong: {problems:?}");
    if problems.is_empty() {
        let value: serde_yaml::Value = serde_yaml::from_str(text).expect("a file without problems is YAML");
        let services = value.get("services").and_then(|s| s.as_mapping());
        assert!(services.is_some_and(|s| !s.is_empty()), "a file without problems has services");
    }
});
