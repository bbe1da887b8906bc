//! `${…}` in template fields that are not scripts (image tags, build args, a container step's
//! image): `$NAME`, `${NAME}`, `${NAME:-default}`, `$$`; and the `${steps.NAME.outputs.KEY}`
//! references of pipeline steps.
//!
//! Properties: never a panic; text without `$` is unchanged; any text with its `$` doubled
//! expands to itself; a value is put in as it is (never expanded again); every output reference
//! found spans exactly `${steps.…}` inside the text.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::template::{expand, pipeline::output_refs};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    text: &'a str,
    vars: BTreeMap<String, String>,
}

fuzz_target!(|input: Input| {
    let Input { text, vars } = input;
    let expanded = expand(text, &vars);
    if !text.contains('$') {
        assert_eq!(expanded.as_deref(), Ok(text), "text without `$` is left alone");
    }
    assert_eq!(expand(&text.replace('$', "$$"), &vars).as_deref(), Ok(text), "`$$` is a `$`");
    // A variable whose value holds `$` is put in literally.
    if let Some((name, value)) = vars.iter().find(|(k, _)| is_name(k)) {
        assert_eq!(expand(&format!("<${{{name}}}>"), &vars), Ok(format!("<{value}>")), "a value is not expanded again");
    }
    if let Ok(refs) = output_refs(text) {
        for r in refs {
            let span = &text[r.range.clone()];
            assert_eq!(span, format!("${{steps.{}.outputs.{}}}", r.step, r.key), "the range is the reference");
        }
    }
});

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
