//! Checking a compose file before anything is pulled, stopped or started: YAML syntax with line
//! and column (a tab used for indentation says so), the top-level keys of the compose
//! specification (an unknown one is named, with "did you mean" when close), a legacy version 1
//! file (services at the top level) named as such with the way to fix it. `docker compose config`
//! is the last check, in `launch`.

/// The top-level keys of the compose specification.
const TOP_LEVEL: [&str; 8] = ["version", "name", "services", "networks", "volumes", "configs", "secrets", "include"];

/// The problems of a compose file's text, each a sentence saying what to do; empty when none.
pub fn check_compose_text(text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return vec!["the compose file is empty; write its `services:`".into()];
    }
    let value: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![crate::template::yaml_syntax_error("the compose file", text, &e)],
    };
    let Some(map) = value.as_mapping() else {
        return vec!["a compose file is a mapping with `services:` at the top".into()];
    };
    let keys: Vec<String> = map.keys().filter_map(|k| k.as_str().map(String::from)).collect();
    if !keys.iter().any(|k| k == "services") {
        let looks_v1 =
            map.values().any(|v| v.as_mapping().is_some_and(|m| m.contains_key("image") || m.contains_key("build")));
        if looks_v1 {
            return vec![
                "this is a legacy version 1 compose file (services at the top level): indent the services under `services:` (and remove `links:` if any); Compose v2 reads only that format".into(),
            ];
        }
        return vec!["the compose file has no `services:`; list the containers to run under it".into()];
    }
    let mut problems = Vec::new();
    for key in keys.iter().filter(|k| !k.starts_with("x-") && !TOP_LEVEL.contains(&k.as_str())) {
        let hint = closest(key).map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default();
        problems.push(format!(
            "unknown top-level key `{key}`{hint}; a compose file has {} and x-* extensions",
            TOP_LEVEL.join(", ")
        ));
    }
    match map.get("services") {
        Some(serde_yaml::Value::Mapping(s)) if !s.is_empty() => {}
        _ => problems.push("`services:` is empty; list at least one service with its `image:`".into()),
    }
    problems
}

/// The top-level key `key` was probably meant to be, when one is close.
fn closest(key: &str) -> Option<&'static str> {
    TOP_LEVEL
        .iter()
        .copied()
        .map(|k| (k, distance(key, k)))
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + usize::from(ca != *cb));
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_file_has_no_problems() {
        assert!(check_compose_text("services:\n  web:\n    image: busybox\nx-common: {}\n").is_empty());
    }

    #[test]
    fn a_typo_at_the_top_is_named_with_what_was_meant() {
        let p = check_compose_text("services:\n  web: { image: a }\nvolume:\n  data: {}\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("`volume`") && p[0].contains("did you mean `volumes`"), "{p:?}");
    }

    #[test]
    fn a_version_1_file_says_how_to_fix_it() {
        let p = check_compose_text("web:\n  image: nginx\n  links: [db]\ndb:\n  image: postgres\n");
        assert!(p[0].contains("legacy version 1") && p[0].contains("under `services:`"), "{p:?}");
    }

    #[test]
    fn a_syntax_error_gives_line_and_column_and_a_tab_says_so() {
        let p = check_compose_text("services:\n  web:\n    image: [a\n");
        assert!(p[0].contains("line ") && p[0].contains("column "), "{p:?}");
        let p = check_compose_text("services:\n\tweb:\n\t\timage: a\n");
        assert!(p[0].contains("tab is used for indentation"), "{p:?}");
    }

    #[test]
    fn an_empty_file_or_no_services_is_refused() {
        assert!(check_compose_text("  ").len() == 1);
        assert!(check_compose_text("networks: {}\n")[0].contains("no `services:`"));
        assert!(check_compose_text("services: {}\n")[0].contains("empty"));
    }
}
