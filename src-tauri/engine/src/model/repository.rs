//! Git repositories: where a template's source comes from. Credentials are never part of these
//! types' answers: they live in the secret store, and a repository only says which kind it uses.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The forge that hosts a repository. It names the webhook scheme and is shown in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Provider {
    /// github.com or GitHub Enterprise.
    Github,
    /// gitlab.com or a self-hosted GitLab.
    Gitlab,
    /// Gitea or Forgejo.
    Gitea,
    /// Any other git server.
    Generic,
}

impl Provider {
    /// Every provider, in the spelling of URLs and files.
    pub const ALL: [Provider; 4] = [Provider::Github, Provider::Gitlab, Provider::Gitea, Provider::Generic];

    /// The stored and URL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Github => "github",
            Provider::Gitlab => "gitlab",
            Provider::Gitea => "gitea",
            Provider::Generic => "generic",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How simple-cicd authenticates to a repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum RepoAuth {
    /// Anonymous (public repositories, file://, git://).
    #[default]
    None,
    /// HTTPS with a username and a token or password (kept in the keyring).
    Token,
    /// SSH with a private key (kept in the keyring) and an optional passphrase.
    SshKey,
    /// SSH through the user's running ssh-agent (`$SSH_AUTH_SOCK`).
    SshAgent,
}

impl RepoAuth {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RepoAuth::None => "none",
            RepoAuth::Token => "token",
            RepoAuth::SshKey => "ssh-key",
            RepoAuth::SshAgent => "ssh-agent",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<RepoAuth> {
        [RepoAuth::None, RepoAuth::Token, RepoAuth::SshKey, RepoAuth::SshAgent].into_iter().find(|a| a.as_str() == s)
    }
}

/// A saved repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Repository {
    /// Database id.
    #[ts(type = "number")]
    pub id: i64,
    /// Unique name; templates refer to it as `source.repo`.
    pub name: String,
    /// The clone URL (never with a password in it).
    pub url: String,
    /// The forge.
    pub provider: Provider,
    /// The kind of credentials.
    pub auth: RepoAuth,
    /// The user name for HTTPS or SSH, when one is set.
    pub username: Option<String>,
    /// The SHA-256 fingerprint of the SSH host key, recorded on first contact (`SHA256:...`).
    pub host_key: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// What the user gives to add or change a repository. Secret fields are write-only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct RepositoryInput {
    /// Unique name.
    pub name: String,
    /// Clone URL: https, http, ssh, scp-style (`git@host:owner/repo.git`), git:// or file://.
    pub url: String,
    /// The forge; guessed from the URL's host when absent.
    pub provider: Option<Provider>,
    /// The kind of credentials.
    pub auth: RepoAuth,
    /// User name (HTTPS: the account, defaults to `git`; SSH: defaults to the URL's or `git`).
    pub username: Option<String>,
    /// The HTTPS token or password, or the SSH private key's text. Stored in the keyring.
    pub secret: Option<String>,
    /// The SSH key's passphrase, if it has one. Stored in the keyring.
    pub passphrase: Option<String>,
}

/// Whether a remote ref is a branch or a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum RefKind {
    /// `refs/heads/*`.
    Branch,
    /// `refs/tags/*`.
    Tag,
}

/// A branch or tag of a remote, as `ls-remote` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RemoteRef {
    /// Short name: `main`, `v1.2.0`.
    pub name: String,
    /// Branch or tag.
    pub kind: RefKind,
    /// The commit it points at (for annotated tags: the commit, peeled).
    pub sha: String,
}

/// What `repo test` found: the remote's branches and tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RepoRefs {
    /// The repository's name.
    pub repo: String,
    /// The branch the remote's HEAD points at, when it says.
    pub default_branch: Option<String>,
    /// Branches, by name.
    pub branches: Vec<RemoteRef>,
    /// Tags, by name.
    pub tags: Vec<RemoteRef>,
    /// How long the remote took to answer.
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}
