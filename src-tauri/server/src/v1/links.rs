//! The OpenAPI links of `/api/v1`: how an answer feeds the next operation (a saved template's
//! name into getting it, running it, deleting it; a started run's id into getting, following,
//! cancelling, retrying it). Clients read them as documentation; schemathesis's stateful phase
//! (scripts/api-fuzz.sh) follows them to test sequences, not only single requests.
//! Left out: the event streams (a stateful test would wait on them), and links whose target needs
//! something the answer does not hold.

use serde_json::{json, Map, Value};

use super::ROUTES;

/// One link: from an operation's success to another operation, with the target's path
/// parameters and body fields as runtime expressions.
struct Link {
    from: &'static str,
    to: &'static str,
    path: &'static [(&'static str, &'static str)],
    body: &'static [(&'static str, &'static str)],
}

const fn link(
    from: &'static str,
    to: &'static str,
    path: &'static [(&'static str, &'static str)],
    body: &'static [(&'static str, &'static str)],
) -> Link {
    Link { from, to, path, body }
}

const TEMPLATE_NAME: &[(&str, &str)] = &[("name", "$response.body#/spec/name")];
const TEMPLATE_ARG: &[(&str, &str)] = &[("template", "$response.body#/spec/name")];
const RUN_ID: &[(&str, &str)] = &[("id", "$response.body#/id")];
const NAME: &[(&str, &str)] = &[("name", "$response.body#/name")];
const NAME_IN_PATH: &[(&str, &str)] = &[("name", "$request.path.name")];

const LINKS: &[Link] = &[
    // A template, saved as JSON or as YAML: read, exported, pinned, run, its triggers, deleted.
    link("template_save", "template_get", TEMPLATE_NAME, &[]),
    link("template_save", "template_export_yaml", TEMPLATE_NAME, &[]),
    link("template_save", "template_pin", TEMPLATE_NAME, &[]),
    link("template_save", "trigger_overview", TEMPLATE_ARG, &[]),
    link("template_save", "run_start", &[], TEMPLATE_ARG),
    link("template_save", "template_delete", TEMPLATE_NAME, &[]),
    link("template_import_yaml", "template_get", TEMPLATE_NAME, &[]),
    link("template_import_yaml", "run_start", &[], TEMPLATE_ARG),
    link("template_import_yaml", "template_delete", TEMPLATE_NAME, &[]),
    // A run, started or retried: read, its steps and logs, searched, cancelled, retried.
    link("run_start", "run_get", RUN_ID, &[]),
    link("run_start", "run_steps", RUN_ID, &[]),
    link("run_start", "run_logs", RUN_ID, &[]),
    link("run_start", "run_log_download", RUN_ID, &[]),
    link("run_start", "run_log_search", RUN_ID, &[]),
    link("run_start", "run_cancel", RUN_ID, &[]),
    link("run_start", "run_retry", RUN_ID, &[]),
    link("run_retry", "run_get", RUN_ID, &[]),
    link("run_cancel", "run_get", RUN_ID, &[]),
    // Named configuration: added, tested, removed.
    link("endpoint_add", "endpoint_test", NAME, &[]),
    link("endpoint_add", "endpoint_remove", NAME, &[]),
    link("registry_add", "registry_test", NAME, &[]),
    link("registry_add", "registry_remove", NAME, &[]),
    link("cluster_add", "cluster_test", NAME, &[]),
    link("cluster_add", "cluster_remove", NAME, &[]),
    link("repo_save", "repo_test", NAME, &[]),
    link("repo_save", "repo_delete", NAME, &[]),
    link("secret_set", "secret_delete", NAME_IN_PATH, &[]),
    // Users and tokens.
    link("user_add", "user_update", NAME, &[]),
    link("user_add", "user_passwd", NAME, &[]),
    link("user_add", "user_remove", NAME, &[]),
    link("token_create", "token_revoke", &[("id", "$response.body#/token/id")], &[]),
];

/// Adds each link to its source operation's success answer in `paths` (the document's `paths`).
pub fn add(paths: &mut Map<String, Value>) {
    for l in LINKS {
        let (Some(from), Some(_)) = (ROUTES.iter().find(|r| r.op == l.from), ROUTES.iter().find(|r| r.op == l.to))
        else {
            continue;
        };
        let method = from.method.as_str().to_ascii_lowercase();
        let answer = &mut paths[from.path][&method]["responses"][from.status.to_string()];
        let mut definition = json!({ "operationId": l.to });
        if !l.path.is_empty() {
            let params: Map<String, Value> = l.path.iter().map(|(k, v)| (format!("path.{k}"), json!(v))).collect();
            definition["parameters"] = Value::Object(params);
        }
        if !l.body.is_empty() {
            definition["requestBody"] = Value::Object(l.body.iter().map(|(k, v)| (k.to_string(), json!(v))).collect());
        }
        answer["links"][format!("{}_{}", l.from, l.to)] = definition;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_link_joins_two_operations_and_names_parameters_the_target_has() {
        for l in LINKS {
            let from = ROUTES.iter().find(|r| r.op == l.from).unwrap_or_else(|| panic!("no operation {}", l.from));
            let to = ROUTES.iter().find(|r| r.op == l.to).unwrap_or_else(|| panic!("no operation {}", l.to));
            for (name, _) in l.path {
                assert!(to.path_params().contains(name), "{} has no path parameter {name}", to.op);
            }
            for (name, _) in l.body {
                assert!(to.args.iter().any(|a| a.wire_name() == *name), "{} takes no {name}", to.op);
            }
            for (_, expression) in l.path.iter().chain(l.body) {
                if let Some(param) = expression.strip_prefix("$request.path.") {
                    assert!(from.path_params().contains(&param), "{} has no path parameter {param}", from.op);
                }
            }
        }
        let doc = super::super::openapi_document();
        let links = &doc["paths"]["/api/v1/runs"]["post"]["responses"]["201"]["links"];
        assert_eq!(links["run_start_run_get"]["parameters"]["path.id"], "$response.body#/id");
    }
}
