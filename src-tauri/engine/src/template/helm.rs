//! Validation of a helm body, for templates and pipeline steps alike, before anything touches a
//! cluster: the chart given exactly one way (a directory of the source, a repository's chart, an
//! `oci://` reference), release and namespace names (DNS-1123), the values as YAML (line and
//! column; a tab says so), the `set` keys. Whether the cluster exists is checked when the run
//! starts; lint and template check the chart itself.

use crate::model::{FieldError, HelmBody};

/// The longest release name Helm accepts.
const MAX_RELEASE: usize = 53;

/// Whether `s` is a DNS-1123 label of at most `max` characters: lower case letters, digits and
/// `-`, starting and ending with a letter or digit.
pub(crate) fn dns_label_ok(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The release a body deploys: its own `release`, else `name` (the template's or step's) in lower
/// case with `_` and `.` turned into `-`.
pub(crate) fn release_name(body: &HelmBody, name: &str) -> String {
    match body.release.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => r.to_string(),
        None => name.to_ascii_lowercase().replace(['_', '.'], "-"),
    }
}

/// The problem of a values text: not YAML (line and column), or not a mapping.
pub(crate) fn check_values(text: &str) -> Option<String> {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Err(e) => Some(super::yaml_syntax_error("`values`", text, &e)),
        Ok(serde_yaml::Value::Mapping(_) | serde_yaml::Value::Null) => None,
        Ok(_) => Some("the values are a YAML mapping (key: value lines), as in a chart's values.yaml".into()),
    }
}

/// Adds the problems of `body` to `errors`, each path starting with `at`; `name` is the template's
/// or step's name (the default release).
pub(crate) fn check(body: &HelmBody, name: &str, at: &str, errors: &mut Vec<FieldError>) {
    let mut push = |field: &str, code: &str, message: String| {
        errors.push(FieldError::new(format!("{at}{field}"), code, message));
    };
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    match (given(&body.chart_path), given(&body.chart)) {
        (false, false) => push(
            "chart",
            "required",
            "name the chart one way: `chartPath` (a directory of the source), `chart` with `repo` (a chart repository), or an oci:// `chart`".into(),
        ),
        (true, true) => push(
            "chart",
            "invalid",
            "give the chart one way: `chartPath` (a directory of the source) or `chart` (a repository's chart or an oci:// reference), not both".into(),
        ),
        (true, false) => {
            let p = body.chart_path.as_deref().unwrap_or_default().trim();
            if p.starts_with('/') || p.split('/').any(|s| s == "..") {
                push(
                    "chartPath",
                    "invalid",
                    format!("`{p}`: name a chart directory of the run's workspace by its relative path, e.g. deploy/chart"),
                );
            }
            if given(&body.repo) {
                push("repo", "invalid", "`repo` is for a repository's chart; a chart of the source needs none".into());
            }
            if given(&body.version) {
                push("version", "invalid", "a chart of the source has the version its Chart.yaml says; `version` is for repository and OCI charts".into());
            }
        }
        (false, true) => {
            let chart = body.chart.as_deref().unwrap_or_default().trim();
            let oci = chart.starts_with("oci://");
            match (oci, given(&body.repo)) {
                (true, true) => push(
                    "repo",
                    "invalid",
                    "an oci:// chart names its registry itself: leave `repo` out".into(),
                ),
                (false, false) => push(
                    "repo",
                    "required",
                    format!("`{chart}` is a chart name: give the chart repository's URL in `repo`, write an oci:// reference, or use `chartPath` for a chart of the source"),
                ),
                (false, true) if chart.contains("://") => push(
                    "chart",
                    "invalid",
                    format!("`{chart}`: with `repo`, `chart` is the chart's name in the repository (e.g. nginx)"),
                ),
                _ => {}
            }
            if let Some(repo) = body.repo.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                if !(repo.starts_with("https://") || repo.starts_with("http://") || repo.contains("${")) {
                    push("repo", "invalid", format!("`{repo}`: a chart repository is an http(s):// URL"));
                }
            }
        }
    }
    let release = release_name(body, name);
    if !release.contains("${") && !dns_label_ok(&release, MAX_RELEASE) {
        let why = if body.release.is_some() {
            format!("`{release}` is not a release name")
        } else {
            format!("the release would be named after the template, `{release}`, which is not a release name: give `release`")
        };
        push(
            "release",
            "invalid",
            format!("{why}; a release name holds lower case letters, digits and '-', at most {MAX_RELEASE}, starting and ending with a letter or digit"),
        );
    }
    if let Some(ns) = &body.namespace {
        if !ns.contains("${") && !dns_label_ok(ns, 63) {
            push(
                "namespace",
                "invalid",
                format!("`{ns}` is not a namespace name: lower case letters, digits and '-', at most 63, starting and ending with a letter or digit"),
            );
        }
    }
    if body.cluster.as_deref().is_some_and(|c| c.trim().is_empty()) {
        push("cluster", "invalid", "name a stored cluster, or leave `cluster` out to use the only one".into());
    }
    if let Some(problem) = body.values.as_deref().and_then(check_values) {
        push("values", "invalid", problem);
    }
    for key in body.set.keys() {
        if key.trim().is_empty() || key.contains(['=', ' ', '\t', '\n', ',']) {
            push(
                &format!("set.{key}"),
                "invalid",
                format!("`{key}` is not a value's key: write its path with dots, e.g. image.tag"),
            );
        }
    }
    if body.wait_seconds == Some(0) {
        push("waitSeconds", "invalid", "wait at least 1 second for the workloads to be ready".into());
    }
    if body.rollback_to.is_some() {
        push(
            "rollbackTo",
            "invalid",
            "`rollbackTo` is what an app's rollback runs; roll a release back from its app (scicd app rollback NAME --to N)".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(body: &HelmBody) -> Vec<String> {
        let mut errors = Vec::new();
        check(body, "web", "", &mut errors);
        errors.into_iter().map(|e| e.path).collect()
    }

    fn messages(body: &HelmBody) -> String {
        let mut errors = Vec::new();
        check(body, "web", "", &mut errors);
        errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" | ")
    }

    fn path(p: &str) -> HelmBody {
        HelmBody { chart_path: Some(p.into()), ..Default::default() }
    }

    #[test]
    fn the_chart_is_given_exactly_one_way() {
        assert_eq!(paths(&HelmBody::default()), ["chart"]);
        assert!(paths(&path("deploy/chart")).is_empty());
        let both = HelmBody { chart: Some("oci://r/c".into()), ..path("c") };
        assert_eq!(paths(&both), ["chart"]);
        assert_eq!(paths(&HelmBody { chart: Some("nginx".into()), ..Default::default() }), ["repo"]);
        let oci_with_repo =
            HelmBody { chart: Some("oci://r/c".into()), repo: Some("https://x".into()), ..Default::default() };
        assert_eq!(paths(&oci_with_repo), ["repo"]);
        let repo = HelmBody {
            chart: Some("nginx".into()),
            repo: Some("https://charts.example.com".into()),
            version: Some("1.2.3".into()),
            ..Default::default()
        };
        assert!(paths(&repo).is_empty());
        assert_eq!(paths(&HelmBody { version: Some("1".into()), ..path("c") }), ["version"]);
        assert_eq!(paths(&path("../c")), ["chartPath"]);
    }

    #[test]
    fn release_and_namespace_are_dns_1123_names() {
        let bad = HelmBody { release: Some("Web_1".into()), namespace: Some("-shop".into()), ..path("c") };
        assert_eq!(paths(&bad), ["release", "namespace"]);
        assert!(paths(&HelmBody { release: Some("a".repeat(54)), ..path("c") }) == ["release"], "54 is too long");
        let mut errors = Vec::new();
        check(&path("c"), "My.App", "steps[1].", &mut errors);
        assert!(errors.is_empty(), "a template name becomes a release name: {errors:?}");
        check(&path("c"), "x".repeat(60).as_str(), "", &mut errors);
        assert!(errors[0].message.contains("give `release`"), "{errors:?}");
    }

    #[test]
    fn values_that_are_not_yaml_give_line_and_column_and_a_tab_says_so() {
        let body = HelmBody { values: Some("image:\n  tag: [1\n".into()), ..path("c") };
        let m = messages(&body);
        assert!(m.starts_with("`values` is not valid YAML at line") && m.contains("column"), "{m}");
        let tab = HelmBody { values: Some("image:\n\ttag: 1\n".into()), ..path("c") };
        assert!(messages(&tab).contains("a tab is used for indentation"), "{}", messages(&tab));
        let list = HelmBody { values: Some("- a\n".into()), ..path("c") };
        assert!(messages(&list).contains("mapping"));
        assert!(paths(&HelmBody { values: Some("# nothing yet\n".into()), ..path("c") }).is_empty());
    }

    #[test]
    fn set_keys_wait_and_rollback_are_checked() {
        let mut body = path("c");
        body.set.insert("image tag".into(), "1".into());
        body.set.insert("image.tag".into(), "${TAG}".into());
        body.wait_seconds = Some(0);
        body.rollback_to = Some(1);
        assert_eq!(paths(&body), ["set.image tag", "waitSeconds", "rollbackTo"]);
    }
}
