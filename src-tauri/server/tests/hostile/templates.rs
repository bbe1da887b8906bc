//! Templates whose names, parameters and scripts try path traversal, shell metacharacters,
//! control characters and enormous sizes: names are refused with a field error, parameter values
//! reach scripts only as environment variables (no marker file appears), oversized bodies are
//! refused whole, and nothing is written outside the data directory.

use simple_cicd_engine::trigger::sign_hub;

use super::*;

/// A path under /tmp that a traversal through a template name would create; unique per test run.
fn escape_target(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("scicd-hostile-{}-{tag}", std::process::id()))
}

fn hostile_names() -> Vec<String> {
    let escape = escape_target("name").display().to_string();
    vec![
        format!("../../../../../..{escape}"),
        "..".into(),
        ".hidden".into(),
        "a/../../b".into(),
        "a\\..\\..\\b".into(),
        "$(touch /tmp/pwned)".into(),
        "`id`".into(),
        "a;rm -rf /".into(),
        "a|b".into(),
        "a\nb".into(),
        "a\u{0}b".into(),
        "\u{1b}[31mred".into(),
        "a\u{202e}b".into(),
        "x".repeat(10_000),
        String::new(),
    ]
}

#[tokio::test]
async fn names_with_traversal_shell_or_control_characters_are_refused_with_a_field_error() {
    let s = server().await;
    let before = state(&s.engine).await;
    for name in hostile_names() {
        let spec = serde_json::json!({ "spec": { "kind": "shell", "name": name, "script": "echo" } });
        let a = call(&s, "POST", "/api/v1/templates", spec.to_string().as_bytes()).await;
        assert_eq!(a.status, 400, "{name:?}: refused: {a:?}");
        assert_eq!(a.json()["code"], "invalid", "{name:?}: a validation error: {a:?}");
        assert!(a.body.contains("name"), "{name:?}: the error names the field: {a:?}");
        let yaml = serde_json::json!({ "yaml": format!("kind: shell\nname: {}\nscript: echo\n", serde_json::to_string(&name).unwrap()) });
        let a = call(&s, "POST", "/api/v1/yaml/import", yaml.to_string().as_bytes()).await;
        assert!((400..500).contains(&a.status), "{name:?} in YAML: refused: {a:?}");
        // Renaming the existing template to it, or from it, changes nothing either.
        let rename =
            serde_json::json!({ "spec": { "kind": "shell", "name": name, "script": "echo" }, "originalName": "hello" });
        let a = call(&s, "POST", "/api/v1/templates", rename.to_string().as_bytes()).await;
        assert!((400..500).contains(&a.status), "renaming to {name:?}: refused: {a:?}");
        if !name.is_empty() {
            // (An empty originalName means "create": not a rename.)
            let from = serde_json::json!({ "spec": { "kind": "shell", "name": "renamed", "script": "echo" }, "originalName": name });
            let a = call(&s, "POST", "/api/v1/templates", from.to_string().as_bytes()).await;
            assert!((400..500).contains(&a.status), "renaming from {name:?}: refused: {a:?}");
        }
    }
    assert_eq!(state(&s.engine).await, before, "no template saved, renamed or changed");
    assert!(!escape_target("name").exists(), "nothing was written outside the data directory");
    still_serves(&s).await;
}

#[tokio::test]
async fn parameter_values_with_shell_metacharacters_reach_the_script_as_data_through_every_door() {
    let s = server().await;
    let marker = escape_target("param");
    let m = marker.display();
    let value =
        format!("$(touch {m}) `touch {m}`; touch {m} | touch {m} && touch {m}\n touch {m} ${{IFS}}\u{1b}[2J'\"\\");
    // Through the API.
    let body = serde_json::json!({ "template": "hello", "params": { "WHO": value } });
    let a = call(&s, "POST", "/api/v1/runs", body.to_string().as_bytes()).await;
    assert_eq!(a.status, 201, "{a:?}");
    let id = a.json()["id"].as_i64().unwrap();
    // Through a generic webhook.
    let body = serde_json::json!({ "params": { "WHO": value } }).to_string();
    let sig = sign_hub("gen-secret", body.as_bytes());
    let headers =
        [("X-Hub-Signature-256", sig.as_str()), ("X-Delivery-Id", "meta-1"), ("Content-Type", "application/json")];
    let hook = raw(s.addr, request("POST", "/hooks/generic/hello", &headers, body.as_bytes(), "")).await;
    assert_eq!(hook.status, 202, "{hook:?}");
    let hook_id = hook.json()["runId"].as_i64().unwrap();
    for id in [id, hook_id] {
        let run = api::run_wait(&s.engine, id).await.unwrap();
        assert_eq!(run.status.as_str(), "succeeded", "run {id}: {run:?}");
        let lines = api::run_logs(&s.engine, id, 1, 1000).await.unwrap();
        let text: String = lines.iter().map(|l| l.text.clone() + "\n").collect();
        assert!(
            text.contains(&format!("hello $(touch {m}) `touch {m}`; touch {m}")),
            "run {id}: the value is printed as it is: {text}"
        );
    }
    assert!(!marker.exists(), "no command inside a parameter value ran");

    // Parameter names are no way in either.
    for name in ["WHO;touch x", "$(touch x)", "../WHO", "WHO\n", ""] {
        let mut params = serde_json::Map::new();
        params.insert(name.to_string(), "x".into());
        let body = serde_json::json!({ "template": "hello", "params": params });
        let a = call(&s, "POST", "/api/v1/runs", body.to_string().as_bytes()).await;
        assert_eq!(a.status, 400, "{name:?}: an unknown parameter is refused: {a:?}");
    }
    let spec = serde_json::json!({ "spec": { "kind": "shell", "name": "p", "script": "echo",
        "params": [{ "name": "A;touch x", "type": "string" }] } });
    let a = call(&s, "POST", "/api/v1/templates", spec.to_string().as_bytes()).await;
    assert_eq!(a.status, 400, "a parameter name that is no variable name is refused: {a:?}");
    assert_eq!(api::run_list(&s.engine, &RunFilter::default()).await.unwrap().total, 2, "only the two runs above");
}

#[tokio::test]
async fn a_10_mb_script_or_value_is_refused_whole_at_the_body_limit() {
    let s = server().await;
    let before = state(&s.engine).await;
    let big = "echo x\n".repeat(10 * 1024 * 1024 / 7);
    let save = serde_json::json!({ "spec": { "kind": "shell", "name": "big", "script": big } }).to_string();
    let yaml =
        serde_json::json!({ "yaml": format!("kind: shell\nname: big\nscript: |\n  {}", big.replace('\n', "\n  ")) })
            .to_string();
    let run = serde_json::json!({ "template": "hello", "params": { "WHO": big } }).to_string();
    for (path, body) in [("/api/v1/templates", save), ("/api/v1/yaml/import", yaml), ("/api/v1/runs", run)] {
        let a = call(&s, "POST", path, body.as_bytes()).await;
        assert_eq!(a.status, 413, "{path}: a 10 MB body is refused: {a:?}");
        assert_eq!(a.json()["code"], "too_large", "{path}: {a:?}");
    }
    assert_eq!(state(&s.engine).await, before, "nothing saved, no run started");
    // Under the limit is a large but ordinary template: saved, read back whole.
    let script = "echo x\n".repeat(800 * 1024 / 7);
    let save = serde_json::json!({ "spec": { "kind": "shell", "name": "large", "script": script } }).to_string();
    let a = call(&s, "POST", "/api/v1/templates", save.as_bytes()).await;
    assert_eq!(a.status, 200, "an 800 KB script fits: {a:?}");
    let back = api::template_get(&s.engine, "large").await.unwrap();
    assert_eq!(serde_json::to_value(&back.spec).unwrap()["script"], script.as_str(), "stored whole");
    assert!(s.dir.path().join("data").exists(), "the data directory holds what was saved");
    still_serves(&s).await;
}
