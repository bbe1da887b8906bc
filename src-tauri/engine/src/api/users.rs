//! Users of a shared simple-cicd: added, listed, their password or role changed, disabled and
//! removed, by an admin (or the machine's owner at the command line). The last admin who can
//! sign in is never removed, disabled or demoted.

use crate::auth::{password, Caller};
use crate::error::{Error, Result};
use crate::model::{now_ms, Role, Scope, User, UserChange};
use crate::Engine;

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "name",
            "invalid",
            format!("`{name}`: a user name has 1 to 64 letters, digits, '-', '_', '.' or '@', starting with a letter or digit"),
        ))
    }
}

fn check_password(pw: &str) -> Result<()> {
    password::check_strength(pw).map_err(|m| Error::invalid("password", "invalid", m))
}

async fn hash(pw: &str) -> Result<String> {
    let pw = pw.to_string();
    tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(|e| Error::Internal(format!("the password hash task failed: {e}")))?
        .map_err(|e| Error::Internal(format!("cannot hash the password: {e}")))
}

async fn find(engine: &Engine, name: &str) -> Result<User> {
    match engine.store().user_record(name).await? {
        Some(r) => Ok(r.user),
        None => Err(Error::NotFound { what: "user", name: name.to_string() }),
    }
}

/// Refuses a change after which `user` would no longer be an admin who can sign in, when no
/// other admin can.
async fn keep_an_admin(engine: &Engine, user: &User, still_admin: bool) -> Result<()> {
    let active_admin = |u: &User| u.role == Role::Admin && !u.disabled;
    if !active_admin(user) || still_admin {
        return Ok(());
    }
    let others = engine.store().user_all().await?.into_iter().filter(|u| u.id != user.id && active_admin(u)).count();
    if others == 0 {
        return Err(Error::invalid(
            "name",
            "last_admin",
            format!("{} is the last admin who can sign in; make another user admin first", user.name),
        ));
    }
    Ok(())
}

/// Every user.
pub async fn user_list(engine: &Engine, caller: &Caller) -> Result<Vec<User>> {
    caller.require(Scope::Admin)?;
    engine.store().user_all().await
}

/// Adds a user with a password.
pub async fn user_add(engine: &Engine, caller: &Caller, name: &str, role: Role, pw: &str) -> Result<User> {
    let result = async {
        caller.require(Scope::Admin)?;
        check_name(name)?;
        check_password(pw)?;
        let hash = hash(pw).await?;
        if !engine.store().user_insert(name, role, &hash, now_ms()).await? {
            return Err(Error::NameTaken { what: "user", name: name.to_string() });
        }
        find(engine, name).await
    }
    .await;
    super::audit::record(engine, caller, "user.add", &format!("user {name}"), &result, Some(role.as_str())).await;
    result
}

/// Sets a user's password; their sessions end.
pub async fn user_passwd(engine: &Engine, caller: &Caller, name: &str, pw: &str) -> Result<()> {
    let result = async {
        let user = find(engine, name).await?;
        let own = matches!(caller, Caller::User { id, .. } if *id == user.id);
        if !own {
            caller.require(Scope::Admin)?;
        }
        check_password(pw)?;
        let hash = hash(pw).await?;
        engine.store().user_set_password(name, &hash, now_ms()).await?;
        engine.store().session_revoke_user(user.id).await
    }
    .await;
    super::audit::record(engine, caller, "user.passwd", &format!("user {name}"), &result, None).await;
    result
}

/// Checks grants: template name patterns, only for an operator (other roles either may not run
/// anything, or may edit templates, so a grant would promise what it cannot keep).
fn check_grants(name: &str, role: Role, grants: &[String]) -> Result<Vec<String>> {
    let grants: Vec<String> = grants.iter().map(|g| g.trim().to_string()).filter(|g| !g.is_empty()).collect();
    if !grants.is_empty() && role != Role::Operator {
        return Err(Error::invalid(
            "grants",
            "invalid",
            format!("{name} is a {}: grants narrow what an operator may run; make {name} an operator first, or give no grants", role.as_str()),
        ));
    }
    for g in &grants {
        let ok =
            g.len() <= 128 && g.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '*' | '?'));
        if !ok {
            return Err(Error::invalid(
                "grants",
                "invalid",
                format!("`{g}` is not a template name or pattern: letters, digits, '-', '_', '.', and '*' or '?' as wildcards"),
            ));
        }
    }
    Ok(grants)
}

/// Changes a user's role, grants, and/or disables or enables them; a disabled user's sessions
/// end.
pub async fn user_update(engine: &Engine, caller: &Caller, name: &str, change: &UserChange) -> Result<User> {
    let (role, disabled) = (change.role, change.disabled);
    let result = async {
        caller.require(Scope::Admin)?;
        let user = find(engine, name).await?;
        let still_admin = role.unwrap_or(user.role) == Role::Admin && !disabled.unwrap_or(user.disabled);
        keep_an_admin(engine, &user, still_admin).await?;
        let grants = change.grants.as_ref().unwrap_or(&user.grants);
        let grants = check_grants(name, role.unwrap_or(user.role), grants)?;
        let change = UserChange { grants: change.grants.as_ref().map(|_| grants), ..change.clone() };
        engine.store().user_update(name, &change, now_ms()).await?;
        if disabled == Some(true) {
            engine.store().session_revoke_user(user.id).await?;
        }
        find(engine, name).await
    }
    .await;
    let grants =
        change.grants.as_ref().map(|g| format!("grants {}", if g.is_empty() { "all".into() } else { g.join(" ") }));
    let detail = [role.map(|r| format!("role {}", r.as_str())), disabled.map(|d| format!("disabled {d}")), grants]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    super::audit::record(engine, caller, "user.update", &format!("user {name}"), &result, Some(&detail)).await;
    result
}

/// Removes a user, their sessions and tokens.
pub async fn user_remove(engine: &Engine, caller: &Caller, name: &str) -> Result<()> {
    let result = async {
        caller.require(Scope::Admin)?;
        let user = find(engine, name).await?;
        keep_an_admin(engine, &user, false).await?;
        engine.store().user_delete(name).await.map(|_| ())
    }
    .await;
    super::audit::record(engine, caller, "user.remove", &format!("user {name}"), &result, None).await;
    result
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn user_names_are_plain_words() {
        for ok in ["ana", "ana.lee", "ci-bot_2", "ana@example.com"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-ana", "ana lee", "ana;rm", &"a".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
