//! Users, roles, API tokens and audit entries, as the API, the CLI and the UI see them. Hashes of
//! passwords and tokens never leave the store.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a user may do. Each role may do everything the ones before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// Reads everything but secret values.
    Viewer,
    /// Also runs, cancels, approves, deploys and rolls back.
    Operator,
    /// Also edits templates, repositories, endpoints, clusters, registries and secrets.
    Maintainer,
    /// Also manages users, tokens and settings.
    Admin,
}

impl Role {
    /// Every role, from the least to the most allowed.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Operator, Role::Maintainer, Role::Admin];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Maintainer => "maintainer",
            Role::Admin => "admin",
        }
    }

    /// The role spelled `text`.
    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim().to_ascii_lowercase())
    }

    /// The scopes this role holds.
    pub fn scopes(self) -> Vec<Scope> {
        let n = match self {
            Role::Viewer => 1,
            Role::Operator => 3,
            Role::Maintainer => 4,
            Role::Admin => 5,
        };
        Scope::ALL[..n].to_vec()
    }
}

/// What a request needs: each operation declares one, each caller holds some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Scope {
    /// Read templates, runs, logs, apps, settings (never secret values).
    Read,
    /// Start, cancel, retry and approve runs.
    Run,
    /// Deploy, redeploy, roll back, stop and start apps.
    Deploy,
    /// Change templates, repositories, endpoints, clusters, registries and secrets.
    Write,
    /// Manage users, tokens and settings.
    Admin,
}

impl Scope {
    /// Every scope, in the order roles gain them.
    pub const ALL: [Scope; 5] = [Scope::Read, Scope::Run, Scope::Deploy, Scope::Write, Scope::Admin];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Run => "run",
            Scope::Deploy => "deploy",
            Scope::Write => "write",
            Scope::Admin => "admin",
        }
    }

    /// The scope spelled `text`.
    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text.trim().to_ascii_lowercase())
    }
}

/// A user of a shared simple-cicd.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct User {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// The sign-in name.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// A disabled user cannot sign in, and its tokens are refused.
    pub disabled: bool,
    /// The templates an operator may run (name patterns, `*` within a name); empty: all of them.
    pub grants: Vec<String>,
    /// Locked after repeated wrong passwords until then (RFC 3339).
    pub locked_until: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// A change to a user: each field that is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChange {
    /// A new role.
    pub role: Option<Role>,
    /// Disable (true) or enable.
    pub disabled: Option<bool>,
    /// New grants (empty: every template).
    pub grants: Option<Vec<String>>,
}

/// An API token, without its secret part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ApiToken {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its name, unique per user.
    pub name: String,
    /// The user it acts for.
    pub user: String,
    /// What it may do (never more than its user's role).
    pub scopes: Vec<Scope>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; none: it does not expire.
    pub expires_at: Option<String>,
    /// RFC 3339.
    pub last_used_at: Option<String>,
    /// RFC 3339, once revoked.
    pub revoked_at: Option<String>,
}

/// A token just created: the only time its value is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreatedToken {
    /// The token.
    pub token: ApiToken,
    /// `scicd_…`: shown once, stored only as a hash.
    pub value: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntry {
    /// Its id.
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    /// Who: `ana`, `token deploy-bot (ana)`, `desktop (dev)`, `cli (dev)`, `webhook gitea`.
    pub actor: String,
    /// What: `sign_in`, `run.start`, `token.create`, ...
    pub action: String,
    /// On what: `template web`, `run 12`, `user ana`.
    pub resource: String,
    /// From where: an address, `desktop`, `cli`.
    pub origin: String,
    /// `ok`, or the error code.
    pub result: String,
    /// More, values redacted.
    pub detail: Option<String>,
}

/// Which audit entries to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct AuditFilter {
    /// Only this actor (exact).
    pub actor: Option<String>,
    /// Only actions starting with this (`run.` for every run action).
    pub action: Option<String>,
    /// Only entries older than this id (the next page).
    #[ts(type = "number | null")]
    pub before: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// What signing in (or refreshing) gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Session {
    /// The short-lived access token (`Authorization: Bearer …`).
    pub access_token: String,
    /// Seconds it lives.
    #[ts(type = "number")]
    pub expires_in: u64,
    /// The refresh token: used once, it gives a new pair.
    pub refresh_token: String,
    /// Who signed in.
    pub user: User,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_holds_the_scopes_of_the_roles_below_it() {
        assert_eq!(Role::Viewer.scopes(), [Scope::Read]);
        assert_eq!(Role::Operator.scopes(), [Scope::Read, Scope::Run, Scope::Deploy]);
        assert_eq!(Role::Maintainer.scopes(), [Scope::Read, Scope::Run, Scope::Deploy, Scope::Write]);
        assert_eq!(Role::Admin.scopes(), Scope::ALL);
        assert_eq!(Role::parse(" Admin"), Some(Role::Admin));
        assert_eq!(Scope::parse("deploy"), Some(Scope::Deploy));
        assert_eq!(Role::parse("root"), None);
    }
}
