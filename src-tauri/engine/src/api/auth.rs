//! Signing in over HTTP and knowing who calls: a password gives a short-lived access token (a
//! JWT signed by this installation's key) and a refresh token that is used once and rotates; a
//! refresh token presented twice revokes its whole family (it was stolen). Wrong passwords slow
//! down, then lock the account for a while. API tokens (`scicd_…`) are checked by their hash.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

use crate::auth::{jwt, new_secret, password, random_bytes, token_hash, Caller};
use crate::error::{Error, Result};
use crate::model::{now_ms, rfc3339, Scope, Session, User};
use crate::Engine;

/// How long an access token lives.
pub const ACCESS_TTL: Duration = Duration::from_secs(15 * 60);
/// How long a refresh token lives unused.
pub const REFRESH_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// Wrong passwords in a row answered at once; each one after these waits a little longer.
const FREE_ATTEMPTS: i64 = 3;
/// Wrong passwords in a row that lock the account.
const LOCK_AFTER: i64 = 8;
/// How long a locked account stays locked.
const LOCK_FOR: Duration = Duration::from_secs(15 * 60);
/// The secret-store name of the signing key.
const SIGNING_KEY: &str = "server:signing-key";
/// What every API token starts with.
pub const TOKEN_PREFIX: &str = "scicd_";
const REFRESH_PREFIX: &str = "scicdr_";

/// The installation's signing key: from the secret store, made on first use.
async fn signing_key(engine: &Engine) -> Result<&[u8]> {
    let key = engine
        .signing_key_cell()
        .get_or_try_init(|| async {
            if let Some(text) = crate::secrets::reserved_get(engine, SIGNING_KEY).await? {
                if let Ok(bytes) = B64.decode(text.trim()) {
                    if bytes.len() >= 32 {
                        return Ok(bytes);
                    }
                }
            }
            let mut bytes = vec![0u8; 32];
            random_bytes(&mut bytes);
            crate::secrets::reserved_set(engine, SIGNING_KEY, &B64.encode(&bytes)).await?;
            Ok::<_, Error>(bytes)
        })
        .await?;
    Ok(key.as_slice())
}

fn refused(reason: &str) -> Error {
    Error::Unauthenticated { reason: reason.to_string() }
}

/// Issues an access token and a new refresh token of `family`.
async fn issue(engine: &Engine, user: User, family: &str) -> Result<Session> {
    let now = now_ms();
    let claims = jwt::Claims {
        sub: user.id,
        sid: family.to_string(),
        iat: now / 1000,
        exp: now / 1000 + ACCESS_TTL.as_secs() as i64,
    };
    let access_token = jwt::sign(&claims, signing_key(engine).await?);
    let refresh_token = new_secret(REFRESH_PREFIX);
    let expires = now + REFRESH_TTL.as_millis() as i64;
    engine.store().session_insert(user.id, family, &token_hash(&refresh_token), now, expires).await?;
    Ok(Session { access_token, expires_in: ACCESS_TTL.as_secs(), refresh_token, user })
}

/// Signs in with a name and password from `addr`.
pub async fn sign_in(engine: &Engine, name: &str, pw: &str, addr: &str) -> Result<Session> {
    let result = sign_in_inner(engine, name, pw).await;
    let caller = match &result {
        Ok(s) => Caller::User {
            id: s.user.id,
            name: s.user.name.clone(),
            role: s.user.role,
            grants: s.user.grants.clone(),
            addr: addr.into(),
        },
        // A failed sign-in is recorded under the name that was tried: it is what an admin looks for.
        Err(_) => Caller::User {
            id: 0,
            name: format!("{name} (not signed in)"),
            role: crate::model::Role::Viewer,
            grants: Vec::new(),
            addr: addr.into(),
        },
    };
    super::audit::record(engine, &caller, "sign_in", &format!("user {name}"), &result, None).await;
    result
}

async fn sign_in_inner(engine: &Engine, name: &str, pw: &str) -> Result<Session> {
    let wrong = || refused("the user name or the password is wrong");
    let record = engine.store().user_record(name).await?;
    let (hash, record) = match record {
        Some(r) => (r.password_hash.clone(), Some(r)),
        None => (password::dummy_hash().to_string(), None),
    };
    let pw_owned = pw.to_string();
    let good = tokio::task::spawn_blocking(move || password::verify(&pw_owned, &hash))
        .await
        .map_err(|e| Error::Internal(format!("the password check failed: {e}")))?;
    let Some(record) = record else { return Err(wrong()) };
    let now = now_ms();
    if let Some(until) = record.locked_until.filter(|u| *u > now) {
        return Err(Error::Locked { name: record.user.name, until: rfc3339(until) });
    }
    if !good {
        let lock = (record.failed_attempts + 1 >= LOCK_AFTER).then(|| now + LOCK_FOR.as_millis() as i64);
        let n = engine.store().user_failed_sign_in(record.user.id, lock).await?;
        if let Some(until) = lock {
            return Err(Error::Locked { name: record.user.name, until: rfc3339(until) });
        }
        if n > FREE_ATTEMPTS {
            tokio::time::sleep(Duration::from_millis(200 * (n - FREE_ATTEMPTS) as u64)).await;
        }
        return Err(wrong());
    }
    if record.user.disabled {
        return Err(refused("this account is disabled; ask an admin to enable it"));
    }
    engine.store().user_signed_in(record.user.id).await?;
    let mut family = [0u8; 16];
    random_bytes(&mut family);
    issue(engine, record.user, &hex::encode(family)).await
}

/// Trades a refresh token for a new pair. A refresh token used before revokes its family.
pub async fn refresh(engine: &Engine, refresh_token: &str) -> Result<Session> {
    let record = engine.store().session_use(&token_hash(refresh_token)).await?;
    let Some(record) = record else { return Err(refused("the refresh token is not valid; sign in again")) };
    if record.used {
        engine.store().session_revoke_family(&record.family).await?;
        tracing::warn!("a refresh token was used twice: its session is revoked");
        return Err(refused("this refresh token was already used, so the session is ended for safety; sign in again"));
    }
    if record.revoked || record.expires_at <= now_ms() {
        return Err(refused("the session has ended; sign in again"));
    }
    let user = engine.store().user_by_id(record.user_id).await?;
    match user {
        Some(u) if !u.disabled => issue(engine, u, &record.family).await,
        _ => Err(refused("this account is disabled or removed")),
    }
}

/// Ends the session the caller's access token belongs to.
pub async fn sign_out(engine: &Engine, access_token: &str, addr: &str) -> Result<()> {
    let caller = authenticate(engine, access_token, addr).await?;
    let claims =
        jwt::verify(access_token, signing_key(engine).await?, now_ms() / 1000).map_err(|e| refused(&e.to_string()))?;
    let result = engine.store().session_revoke_family(&claims.sid).await;
    super::audit::record(engine, &caller, "sign_out", &caller.actor(), &result, None).await;
    result
}

/// Who sends `bearer` (an access token or an API token) from `addr`.
pub async fn authenticate(engine: &Engine, bearer: &str, addr: &str) -> Result<Caller> {
    let bearer = bearer.trim();
    if bearer.starts_with(TOKEN_PREFIX) {
        return api_token(engine, bearer, addr).await;
    }
    let claims =
        jwt::verify(bearer, signing_key(engine).await?, now_ms() / 1000).map_err(|e| refused(&e.to_string()))?;
    if !engine.store().session_family_live(&claims.sid).await? {
        return Err(refused("the session has ended; sign in again"));
    }
    match engine.store().user_by_id(claims.sub).await? {
        Some(u) if !u.disabled => {
            Ok(Caller::User { id: u.id, name: u.name, role: u.role, grants: u.grants, addr: addr.into() })
        }
        _ => Err(refused("this account is disabled or removed")),
    }
}

async fn api_token(engine: &Engine, token: &str, addr: &str) -> Result<Caller> {
    let record = engine.store().token_by_hash(&token_hash(token)).await?;
    let Some(r) = record else { return Err(refused("the API token is not valid")) };
    let now = now_ms();
    if r.revoked {
        return Err(refused(&format!("the API token {} was revoked", r.token.name)));
    }
    if r.expires_at.is_some_and(|e| e <= now) {
        return Err(refused(&format!("the API token {} has expired; create a new one", r.token.name)));
    }
    if r.user_disabled {
        return Err(refused(&format!("the user {} of this token is disabled", r.token.user)));
    }
    // A write takes SQLite's one write lock: only when the last recorded use is a minute old.
    if r.last_used_at.is_none_or(|t| t < now - 60_000) {
        engine.store().token_touch(r.token.id, now).await?;
    }
    let role_scopes = r.user_role.scopes();
    let scopes: Vec<Scope> = r.token.scopes.into_iter().filter(|s| role_scopes.contains(s)).collect();
    Ok(Caller::Token {
        id: r.token.id,
        name: r.token.name,
        user: r.token.user,
        scopes,
        grants: r.user_grants,
        addr: addr.into(),
    })
}
