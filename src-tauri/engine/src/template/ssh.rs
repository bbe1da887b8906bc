//! Validation of an ssh body, for templates and pipeline steps alike: the host, the key's secret
//! name, the script.

use crate::model::{FieldError, SshBody};

/// Adds the problems of `body` to `errors`, each path starting with `at`.
pub(crate) fn check(body: &SshBody, at: &str, errors: &mut Vec<FieldError>) {
    if body.host.trim().is_empty() {
        errors.push(FieldError::new(format!("{at}host"), "required", "name the host: user@host or user@host:port"));
    } else if !body.host.contains("${") {
        if let Err(why) = crate::deploy::ssh::parse_target(&body.host) {
            errors.push(FieldError::new(format!("{at}host"), "invalid", why));
        }
    }
    if let Some(key) = &body.key {
        if let Err(crate::Error::Invalid(fields)) = crate::secrets::check_name(key) {
            for f in fields {
                errors.push(FieldError::new(format!("{at}key"), &f.code, f.message));
            }
        }
    }
    if body.script.trim().is_empty() {
        errors.push(FieldError::new(
            format!("{at}script"),
            "required",
            "the script is empty; write the commands to run on the host",
        ));
    }
    if body.workdir.as_deref().is_some_and(|w| w.contains('\0')) {
        errors.push(FieldError::new(format!("{at}workdir"), "invalid", "the working directory contains a NUL byte"));
    }
}
