//! `scicd repo add | list | test | sync | rm`. Tokens and key passphrases come from standard
//! input, never from the command line.

use std::io::Read;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{Provider, RepoAuth, RepositoryInput};
use simple_cicd_engine::{api, Engine};

use crate::args::RepoCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

fn read_stdin(what: &str) -> CmdResult<String> {
    let mut value = String::new();
    std::io::stdin().read_to_string(&mut value).map_err(|e| Failure::usage(format!("cannot read the {what}: {e}")))?;
    let value = value.trim_end_matches(['\n', '\r']).to_string();
    if value.is_empty() {
        return Err(Failure::usage(format!("standard input held no {what}")));
    }
    Ok(value)
}

/// Runs a `repo` subcommand.
pub async fn dispatch(engine: &Engine, cmd: RepoCmd) -> CmdResult {
    match cmd {
        RepoCmd::Add { name, url, provider, username, token_stdin, ssh_key, passphrase_stdin, ssh_agent, replace } => {
            let provider = match provider {
                None => None,
                Some(p) => Some(Provider::parse(&p).ok_or_else(|| {
                    Failure::usage(format!("unknown provider {p}; use github, gitlab, gitea or generic"))
                })?),
            };
            let mut input = RepositoryInput { name, url, provider, username, ..RepositoryInput::default() };
            if token_stdin {
                input.auth = RepoAuth::Token;
                input.secret = Some(read_stdin("token")?);
            } else if let Some(file) = ssh_key {
                input.auth = RepoAuth::SshKey;
                input.secret = Some(
                    std::fs::read_to_string(&file)
                        .map_err(|e| Failure::usage(format!("cannot read the SSH key {}: {e}", file.display())))?,
                );
                if passphrase_stdin {
                    input.passphrase = Some(read_stdin("passphrase")?);
                }
            } else if ssh_agent {
                input.auth = RepoAuth::SshAgent;
            }
            let repo = api::repo_save(engine, &Caller::cli(), input, replace).await?;
            let store = simple_cicd_engine::secrets::backend_name(engine).await;
            let auth = match repo.auth {
                RepoAuth::None => "no credentials".to_string(),
                RepoAuth::Token => format!("a token in the {store}"),
                RepoAuth::SshKey => format!("an SSH key in the {store}"),
                RepoAuth::SshAgent => "the ssh-agent".to_string(),
            };
            println!("Saved repository {} ({}, {}) with {auth}", repo.name, repo.url, repo.provider);
            eprintln!("Check it with: scicd repo test {}", repo.name);
        }
        RepoCmd::List { json } => {
            let list = api::repo_list(engine).await?;
            if json {
                output::json(&list);
            } else if list.is_empty() {
                eprintln!("No repositories yet. Add one with: scicd repo add NAME URL");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|r| vec![r.name.clone(), r.provider.to_string(), r.auth.as_str().to_string(), r.url.clone()])
                    .collect();
                output::table(&["NAME", "PROVIDER", "AUTH", "URL"], &rows);
            }
        }
        RepoCmd::Test { name, json } => {
            let refs = api::repo_test(engine, &name).await?;
            if json {
                output::json(&refs);
            } else {
                println!(
                    "{}: reachable, {}, {} in {} ms{}",
                    refs.repo,
                    output::count(refs.branches.len(), "branch", "branches"),
                    output::count(refs.tags.len(), "tag", "tags"),
                    refs.elapsed_ms,
                    refs.default_branch.as_deref().map(|b| format!("; default branch {b}")).unwrap_or_default()
                );
                for r in refs.branches.iter().chain(refs.tags.iter()) {
                    let kind = if r.kind == simple_cicd_engine::model::RefKind::Branch { "branch" } else { "tag" };
                    println!("  {kind:<6}  {}  {}", &r.sha[..r.sha.len().min(8)], r.name);
                }
            }
        }
        RepoCmd::Sync { name } => {
            let started = std::time::Instant::now();
            let s = api::repo_sync(engine, &name, |line| eprintln!("» {line}")).await?;
            println!(
                "{} {name}: {} objects, {} bytes in {} ms",
                if s.cloned { "Cloned" } else { "Fetched" },
                s.objects,
                s.bytes,
                started.elapsed().as_millis()
            );
        }
        RepoCmd::Rm { name } => {
            api::repo_delete(engine, &Caller::cli(), &name).await?;
            println!("Removed repository {name}, its credentials and its cache");
        }
    }
    Ok(0)
}
