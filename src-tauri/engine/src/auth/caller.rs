//! Who is calling: every door says it once, and from it come the permission check, the run's
//! trigger and the audit log's actor. Clients never send who they are; doors establish it (the
//! OS user of the desktop and the CLI, a verified token, a webhook's signature).

use crate::model::{Role, Scope};

/// The caller of an API operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The desktop window: its OS user owns the data directory and may do everything.
    Desktop {
        /// The OS user.
        os_user: String,
    },
    /// The tray menu of the desktop app.
    Tray {
        /// The OS user.
        os_user: String,
    },
    /// `scicd` on the machine, as the OS user who owns the data directory.
    Cli {
        /// The OS user.
        os_user: String,
    },
    /// A user signed in over HTTP.
    User {
        /// Its id.
        id: i64,
        /// Its name.
        name: String,
        /// Its role.
        role: Role,
        /// The templates it may run (patterns, `*` within a name): empty for all of them.
        grants: Vec<String>,
        /// The address the request came from.
        addr: String,
    },
    /// An API token, acting for its user with no more than its scopes.
    Token {
        /// The token's id.
        id: i64,
        /// The token's name.
        name: String,
        /// Its user's name.
        user: String,
        /// What it may do: its scopes within its user's role.
        scopes: Vec<Scope>,
        /// Its user's grants: the templates it may run, empty for all of them.
        grants: Vec<String>,
        /// The address the request came from.
        addr: String,
    },
    /// A verified webhook delivery.
    Webhook {
        /// `gitea`, `github`, `gitlab`, `generic`.
        provider: String,
        /// The delivery's id, when the forge sends one.
        delivery: Option<String>,
    },
    /// The scheduler (cron, polling, the apps watch).
    Scheduler,
}

impl Caller {
    /// The desktop window of this OS user.
    pub fn desktop() -> Self {
        Caller::Desktop { os_user: crate::api::os_user() }
    }

    /// `scicd` run by this OS user.
    pub fn cli() -> Self {
        Caller::Cli { os_user: crate::api::os_user() }
    }

    /// `Ok` when the caller may run (start, cancel, answer, retry, deploy) `template`: a user's
    /// grants, when it has any, name the templates it may run.
    pub fn may_run(&self, template: &str) -> crate::Result<()> {
        let grants = match self {
            Caller::User { grants, .. } | Caller::Token { grants, .. } => grants,
            _ => return Ok(()),
        };
        if grants.is_empty() || crate::trigger::glob::any(grants, template) {
            Ok(())
        } else {
            Err(crate::Error::NotGranted { actor: self.actor(), template: template.to_string() })
        }
    }

    /// Whether the caller holds `scope`.
    pub fn allows(&self, scope: Scope) -> bool {
        match self {
            Caller::Desktop { .. } | Caller::Tray { .. } | Caller::Cli { .. } | Caller::Scheduler => true,
            Caller::User { role, .. } => role.scopes().contains(&scope),
            Caller::Token { scopes, .. } => scopes.contains(&scope),
            Caller::Webhook { .. } => matches!(scope, Scope::Read | Scope::Run | Scope::Deploy),
        }
    }

    /// `Ok` when the caller holds `scope`; otherwise the error that says which scope is missing.
    pub fn require(&self, scope: Scope) -> crate::Result<()> {
        if self.allows(scope) {
            Ok(())
        } else {
            Err(crate::Error::Forbidden { actor: self.actor(), scope })
        }
    }

    /// The actor as the audit log names it.
    pub fn actor(&self) -> String {
        match self {
            Caller::Desktop { os_user } => format!("desktop ({os_user})"),
            Caller::Tray { os_user } => format!("tray ({os_user})"),
            Caller::Cli { os_user } => format!("cli ({os_user})"),
            Caller::User { name, .. } => name.clone(),
            Caller::Token { name, user, .. } => format!("token {name} ({user})"),
            Caller::Webhook { provider, .. } => format!("webhook {provider}"),
            Caller::Scheduler => "scheduler".into(),
        }
    }

    /// A run's trigger when this caller starts it by hand: `manual by ana`, `api token deploy-bot`.
    pub fn trigger(&self) -> String {
        match self {
            Caller::Desktop { .. } => "manual".into(),
            Caller::Tray { .. } => "tray".into(),
            Caller::Cli { os_user } => format!("cli by {os_user}"),
            Caller::User { name, .. } => format!("manual by {name}"),
            Caller::Token { name, .. } => format!("api token {name}"),
            Caller::Webhook { provider, delivery } => match delivery {
                Some(d) => format!("webhook {provider} delivery {d}"),
                None => format!("webhook {provider}"),
            },
            Caller::Scheduler => "scheduler".into(),
        }
    }

    /// Where the call came from, for the audit log: an address, or `desktop`, `cli`, ...
    pub fn origin(&self) -> String {
        match self {
            Caller::Desktop { .. } => "desktop".into(),
            Caller::Tray { .. } => "tray".into(),
            Caller::Cli { .. } => "cli".into(),
            Caller::User { addr, .. } | Caller::Token { addr, .. } => addr.clone(),
            Caller::Webhook { .. } => "webhook".into(),
            Caller::Scheduler => "scheduler".into(),
        }
    }

    /// The name an approval or a rollback is recorded under.
    pub fn person(&self) -> String {
        match self {
            Caller::Desktop { os_user } | Caller::Tray { os_user } | Caller::Cli { os_user } => os_user.clone(),
            Caller::User { name, .. } => name.clone(),
            Caller::Token { name, user, .. } => format!("{user} (token {name})"),
            other => other.actor(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> Caller {
        Caller::User { id: 1, name: "ana".into(), role, grants: vec![], addr: "127.0.0.1".into() }
    }

    #[test]
    fn a_viewer_reads_and_an_operator_also_runs_and_deploys() {
        assert!(user(Role::Viewer).allows(Scope::Read));
        assert!(!user(Role::Viewer).allows(Scope::Run));
        assert!(user(Role::Operator).allows(Scope::Deploy));
        assert!(!user(Role::Operator).allows(Scope::Write));
        assert!(!user(Role::Maintainer).allows(Scope::Admin));
        assert!(user(Role::Admin).allows(Scope::Admin));
    }

    #[test]
    fn a_token_holds_only_its_scopes() {
        let t = Caller::Token {
            id: 1,
            name: "bot".into(),
            user: "ana".into(),
            scopes: vec![Scope::Read, Scope::Run],
            grants: vec![],
            addr: String::new(),
        };
        assert!(t.allows(Scope::Run) && !t.allows(Scope::Deploy));
        let err = t.require(Scope::Write).unwrap_err().to_string();
        assert!(err.contains("token bot (ana)") && err.contains("write"), "{err}");
    }

    #[test]
    fn the_trigger_names_the_caller() {
        assert_eq!(user(Role::Operator).trigger(), "manual by ana");
        let t = Caller::Token {
            id: 1,
            name: "deploy-bot".into(),
            user: "ana".into(),
            scopes: vec![],
            grants: vec![],
            addr: String::new(),
        };
        assert_eq!(t.trigger(), "api token deploy-bot");
        let w = Caller::Webhook { provider: "gitea".into(), delivery: Some("42".into()) };
        assert_eq!(w.trigger(), "webhook gitea delivery 42");
    }

    #[test]
    fn grants_narrow_the_templates_an_operator_may_run() {
        let ana = Caller::User {
            id: 1,
            name: "ana".into(),
            role: Role::Operator,
            grants: vec!["web-*".into(), "docs".into()],
            addr: String::new(),
        };
        assert!(ana.may_run("web-deploy").is_ok() && ana.may_run("docs").is_ok());
        let err = ana.may_run("db-migrate").unwrap_err().to_string();
        assert!(err.contains("ana") && err.contains("db-migrate"), "{err}");
        assert!(user(Role::Operator).may_run("db-migrate").is_ok(), "no grants: every template");
        assert!(Caller::Scheduler.may_run("db-migrate").is_ok());
    }
}
