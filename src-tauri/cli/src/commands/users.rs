//! `scicd user …`, `scicd token …` and `scicd audit`: the people and scripts allowed to use the
//! HTTP API, and what they did. The CLI acts as the OS user who owns the data directory, which may
//! do everything (as the desktop window does); it is recorded as `cli (USER)` in the audit log.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{AuditFilter, Role, Scope, UserChange};
use simple_cicd_engine::{api, Engine};

use crate::args::{AuditArgs, TokenCmd, UserCmd};
use crate::failure::{CmdResult, Failure};
use crate::output;

fn me() -> Caller {
    Caller::cli()
}

fn role(text: &str) -> CmdResult<Role> {
    Role::parse(text)
        .ok_or_else(|| Failure::usage(format!("`{text}` is not a role: use viewer, operator, maintainer or admin")))
}

fn password(name: &str) -> CmdResult<String> {
    super::secret::read_value(&format!("the password of {name}"))
}

/// Runs a user subcommand.
pub async fn dispatch(engine: &Engine, cmd: UserCmd) -> CmdResult {
    let me = me();
    match cmd {
        UserCmd::Add { name, role: r } => {
            let r = role(&r)?;
            let pw = password(&name)?;
            let u = api::user_add(engine, &me, &name, r, &pw).await?;
            println!("Added user {} ({}); they sign in at the server's address", u.name, u.role.as_str());
        }
        UserCmd::List { json } => {
            let users = api::user_list(engine, &me).await?;
            if json {
                output::json(&users);
            } else if users.is_empty() {
                eprintln!("No users: add the first admin with scicd user add NAME --role admin");
            } else {
                let rows: Vec<Vec<String>> = users
                    .iter()
                    .map(|u| {
                        let state = match (&u.disabled, &u.locked_until) {
                            (true, _) => "disabled".to_string(),
                            (false, Some(t)) => format!("locked until {t}"),
                            _ => "active".to_string(),
                        };
                        let grants = if u.grants.is_empty() { "all".to_string() } else { u.grants.join(" ") };
                        vec![u.name.clone(), u.role.as_str().to_string(), grants, state, u.created_at.clone()]
                    })
                    .collect();
                output::table(&["NAME", "ROLE", "RUNS", "STATE", "CREATED"], &rows);
            }
        }
        UserCmd::Passwd { name } => {
            let pw = password(&name)?;
            api::user_passwd(engine, &me, &name, &pw).await?;
            println!("Set the password of {name}; their sessions are ended");
        }
        UserCmd::Role { name, role: r } => {
            let change = UserChange { role: Some(role(&r)?), ..Default::default() };
            let u = api::user_update(engine, &me, &name, &change).await?;
            println!("{} is now {}", u.name, u.role.as_str());
        }
        UserCmd::Grant { name, templates, all: _ } => {
            let change = UserChange { grants: Some(templates), ..Default::default() };
            let u = api::user_update(engine, &me, &name, &change).await?;
            match u.grants.is_empty() {
                true => println!("{} may run every template", u.name),
                false => println!("{} may run only: {}", u.name, u.grants.join(", ")),
            }
        }
        UserCmd::Disable { name } => {
            let change = UserChange { disabled: Some(true), ..Default::default() };
            api::user_update(engine, &me, &name, &change).await?;
            println!("Disabled {name}: no sign-in, their sessions and tokens are refused");
        }
        UserCmd::Enable { name } => {
            let change = UserChange { disabled: Some(false), ..Default::default() };
            api::user_update(engine, &me, &name, &change).await?;
            println!("Enabled {name}");
        }
        UserCmd::Rm { name } => {
            api::user_remove(engine, &me, &name).await?;
            println!("Removed user {name} and their tokens");
        }
    }
    Ok(0)
}

/// Runs a token subcommand.
pub async fn token(engine: &Engine, cmd: TokenCmd) -> CmdResult {
    let me = me();
    match cmd {
        TokenCmd::Create { name, user, scopes, expires } => {
            let scopes: Vec<Scope> = scopes
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| {
                    Scope::parse(s).ok_or_else(|| {
                        Failure::usage(format!("`{s}` is not a scope: use read, run, deploy, write or admin"))
                    })
                })
                .collect::<CmdResult<_>>()?;
            let expires = expires.as_deref().map(api::parse_expiry).transpose()?;
            let created = api::token_create(engine, &me, Some(&user), &name, &scopes, expires).await?;
            eprintln!(
                "Created token {} (id {}) for {}; it is shown only now, keep it somewhere safe:",
                created.token.name, created.token.id, created.token.user
            );
            println!("{}", created.value);
        }
        TokenCmd::List { user, json } => {
            let list = api::token_list(engine, &me, user.as_deref()).await?;
            if json {
                output::json(&list);
            } else if list.is_empty() {
                eprintln!("No tokens: create one with scicd token create NAME --user USER --scopes read,run");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|t| {
                        let scopes: Vec<&str> = t.scopes.iter().map(|s| s.as_str()).collect();
                        let state = match (&t.revoked_at, &t.expires_at) {
                            (Some(r), _) => format!("revoked {r}"),
                            (None, Some(e)) => format!("expires {e}"),
                            (None, None) => "no expiry".into(),
                        };
                        vec![
                            t.id.to_string(),
                            t.name.clone(),
                            t.user.clone(),
                            scopes.join(","),
                            state,
                            t.last_used_at.clone().unwrap_or_else(|| "never".into()),
                        ]
                    })
                    .collect();
                output::table(&["ID", "NAME", "USER", "SCOPES", "STATE", "LAST USED"], &rows);
            }
        }
        TokenCmd::Revoke { id } => {
            let t = api::token_revoke(engine, &me, id).await?;
            println!("Revoked token {} of {}", t.name, t.user);
        }
    }
    Ok(0)
}

/// `scicd audit`.
pub async fn audit(engine: &Engine, args: AuditArgs) -> CmdResult {
    let filter = AuditFilter { actor: args.actor, action: args.action, before: None, limit: Some(args.limit) };
    let list = api::audit_list(engine, &me(), &filter).await?;
    if args.json {
        output::json(&list);
    } else if list.is_empty() {
        eprintln!("The audit log is empty");
    } else {
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|e| {
                vec![
                    e.at.clone(),
                    e.actor.clone(),
                    e.action.clone(),
                    e.resource.clone(),
                    e.origin.clone(),
                    e.result.clone(),
                ]
            })
            .collect();
        output::table(&["WHEN", "WHO", "ACTION", "ON", "FROM", "RESULT"], &rows);
    }
    Ok(0)
}
