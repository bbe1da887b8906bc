//! API tokens: named, with scopes (never beyond their user's role) and an expiry, shown once,
//! stored hashed, listed with their last use, revocable.

use std::time::Duration;

use crate::auth::{new_secret, token_hash, Caller};
use crate::error::{Error, Result};
use crate::model::{now_ms, ApiToken, CreatedToken, Role, Scope};
use crate::Engine;

/// The user a caller acts on when it names none: itself over HTTP.
fn own_name(caller: &Caller) -> Option<String> {
    match caller {
        Caller::User { name, .. } => Some(name.clone()),
        Caller::Token { user, .. } => Some(user.clone()),
        _ => None,
    }
}

/// Whether `caller` may manage the tokens of `user`.
fn may_manage(caller: &Caller, user: &str) -> Result<()> {
    if own_name(caller).is_some_and(|n| n.eq_ignore_ascii_case(user)) && caller.allows(Scope::Read) {
        return Ok(());
    }
    caller.require(Scope::Admin)
}

/// Creates a token for `user` (default: the caller); its value is in the answer and nowhere else.
pub async fn token_create(
    engine: &Engine,
    caller: &Caller,
    user: Option<&str>,
    name: &str,
    scopes: &[Scope],
    expires_in: Option<Duration>,
) -> Result<CreatedToken> {
    let user = user.map(str::to_string).or_else(|| own_name(caller));
    let resource = format!("token {name} of {}", user.as_deref().unwrap_or("?"));
    let result = async {
        let user =
            user.ok_or_else(|| Error::invalid("user", "required", "name the user the token acts for (--user)"))?;
        may_manage(caller, &user)?;
        if name.trim().is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
            return Err(Error::invalid("name", "invalid", "name the token in 1 to 64 characters, e.g. deploy-bot"));
        }
        if scopes.is_empty() {
            return Err(Error::invalid(
                "scopes",
                "required",
                "give at least one scope: read, run, deploy, write, admin",
            ));
        }
        let record = engine.store().user_record(&user).await?;
        let Some(record) = record else { return Err(Error::NotFound { what: "user", name: user }) };
        let role: Role = record.user.role;
        if let Some(beyond) = scopes.iter().find(|s| !role.scopes().contains(s)) {
            return Err(Error::invalid(
                "scopes",
                "invalid",
                format!(
                    "{} is a {}, which does not hold `{}`: a token never does more than its user",
                    user,
                    role.as_str(),
                    beyond.as_str()
                ),
            ));
        }
        // A token made by another token never holds more than that token.
        if let Caller::Token { scopes: own, .. } = caller {
            if let Some(beyond) = scopes.iter().find(|s| !own.contains(s)) {
                return Err(Error::Forbidden { actor: caller.actor(), scope: *beyond });
            }
        }
        let value = new_secret(super::auth::TOKEN_PREFIX);
        let now = now_ms();
        let expires = expires_in.map(|d| now + d.as_millis() as i64);
        let id =
            engine.store().token_insert(record.user.id, name.trim(), scopes, &token_hash(&value), now, expires).await?;
        let Some(id) = id else { return Err(Error::NameTaken { what: "token", name: name.to_string() }) };
        let token =
            engine.store().token_by_id(id).await?.ok_or_else(|| Error::Internal("the new token vanished".into()))?;
        Ok(CreatedToken { token: token.token, value })
    }
    .await;
    let detail = scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",");
    super::audit::record(engine, caller, "token.create", &resource, &result, Some(&detail)).await;
    result
}

/// The tokens of `user` (default: the caller's own; every user's for an admin who names none).
pub async fn token_list(engine: &Engine, caller: &Caller, user: Option<&str>) -> Result<Vec<ApiToken>> {
    let user = user.map(str::to_string).or_else(|| own_name(caller));
    match &user {
        Some(u) => may_manage(caller, u)?,
        None => caller.require(Scope::Admin)?,
    }
    engine.store().token_all(user.as_deref()).await
}

/// Revokes a token by id.
pub async fn token_revoke(engine: &Engine, caller: &Caller, id: i64) -> Result<ApiToken> {
    let found = engine.store().token_by_id(id).await?;
    let resource = match &found {
        Some(t) => format!("token {} of {}", t.token.name, t.token.user),
        None => format!("token {id}"),
    };
    let result = async {
        let t = found.ok_or_else(|| Error::NotFound { what: "token", name: id.to_string() })?;
        may_manage(caller, &t.token.user)?;
        engine.store().token_revoke(id, now_ms()).await?;
        let t = engine.store().token_by_id(id).await?.ok_or_else(|| Error::Internal("the token vanished".into()))?;
        Ok(t.token)
    }
    .await;
    super::audit::record(engine, caller, "token.revoke", &resource, &result, None).await;
    result
}

/// `30d`, `12h`, `90m`, `1w` as a duration.
pub fn parse_expiry(text: &str) -> Result<Duration> {
    let t = text.trim();
    let bad =
        || Error::invalid("expires", "invalid", format!("`{text}`: give a number and a unit: 90m, 12h, 30d or 4w"));
    let (n, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: u64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(bad()),
    };
    if n == 0 {
        return Err(bad());
    }
    Ok(Duration::from_secs(n * secs))
}

#[cfg(test)]
mod tests {
    use super::parse_expiry;

    #[test]
    fn expiries_take_minutes_hours_days_and_weeks() {
        assert_eq!(parse_expiry("30d").unwrap().as_secs(), 30 * 86_400);
        assert_eq!(parse_expiry("90m").unwrap().as_secs(), 5400);
        for bad in ["", "30", "d", "0d", "3y", "-1d"] {
            assert!(parse_expiry(bad).is_err(), "{bad}");
        }
    }
}
