//! Putting a run's variables into template fields that are not scripts (image tags, build args,
//! the image of a container step): `$NAME`, `${NAME}`, `${NAME:-default}`, and `$$` for a `$`.
//! A variable the run does not have is an error, never an empty string: an empty tag or build
//! argument fails far from its cause.

use std::collections::BTreeMap;

/// Replaces the variables in `text` with their values in `vars`. The error names the variable and
/// the ones that exist.
pub fn expand(text: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body.find('}').ok_or_else(|| format!("`{text}`: `${{` is not closed with `}}`"))?;
            let inner = &body[..end];
            let (name, default) = match inner.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (inner, None),
            };
            check_name(text, name)?;
            match (vars.get(name), default) {
                (Some(v), _) if !(v.is_empty() && default.is_some()) => out.push_str(v),
                (_, Some(d)) => out.push_str(d),
                (None, None) => return Err(unknown(text, name, vars)),
                (Some(v), None) => out.push_str(v),
            }
            rest = &body[end + 1..];
        } else {
            let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            if len == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            let name = &after[..len];
            check_name(text, name)?;
            out.push_str(vars.get(name).ok_or_else(|| unknown(text, name, vars))?);
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn check_name(text: &str, name: &str) -> Result<(), String> {
    if super::validate::is_env_name(name) {
        Ok(())
    } else {
        Err(format!("`{text}`: `{name}` is not a variable name"))
    }
}

fn unknown(text: &str, name: &str, vars: &BTreeMap<String, String>) -> String {
    let known: Vec<&str> = vars.keys().map(String::as_str).filter(|k| *k != "SIMPLE_CICD_RUN_KEY").collect();
    format!(
        "`{text}` uses ${name}, which this run does not have; the run has: {} (use ${{{name}:-default}} for an optional one)",
        known.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, String> {
        [("N", "12"), ("EMPTY", ""), ("SIMPLE_CICD_RUN_NUMBER", "7")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_form_is_replaced() {
        let v = vars();
        assert_eq!(expand("web:${SIMPLE_CICD_RUN_NUMBER}", &v).unwrap(), "web:7");
        assert_eq!(expand("v$N-x", &v).unwrap(), "v12-x");
        assert_eq!(expand("${MISSING:-dev}/${EMPTY:-e}", &v).unwrap(), "dev/e");
        assert_eq!(expand("cost $$5 and $", &v).unwrap(), "cost $5 and $");
    }

    #[test]
    fn an_unknown_variable_is_an_error_naming_it() {
        let err = expand("web:${COMMIT}", &vars()).unwrap_err();
        assert!(err.contains("$COMMIT") && err.contains("SIMPLE_CICD_RUN_NUMBER"), "{err}");
        assert!(expand("web:${N", &vars()).unwrap_err().contains("not closed"));
    }
}
