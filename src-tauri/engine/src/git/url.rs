//! Repository URLs: which forms are accepted and why the others are refused.
//!
//! Accepted: `https://`, `http://`, `ssh://`, scp-style `user@host:path`, `git://` and `file://`.
//! Refused: whitespace, control characters and shell metacharacters (a URL is never handed to a
//! shell, but such characters are always a mistake or an attack, and they would reach hooks and
//! logs), passwords inside the URL (they belong in the keyring), and transports such as `ext::`.

use crate::error::{Error, Result};
use crate::model::Provider;

/// The transport of a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `https://`.
    Https,
    /// `http://`.
    Http,
    /// `ssh://` or scp-style.
    Ssh,
    /// `git://`.
    Git,
    /// `file://`.
    File,
}

impl Scheme {
    /// Whether credentials of this kind can apply: SSH keys for ssh, tokens for http(s).
    pub fn is_ssh(self) -> bool {
        self == Scheme::Ssh
    }
}

/// A checked URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoUrl {
    /// The URL as libgit2 gets it.
    pub url: String,
    /// Its transport.
    pub scheme: Scheme,
    /// Host name (empty for file://).
    pub host: String,
    /// The user name written in the URL (`git@...`), if any.
    pub user: Option<String>,
    /// The port written in the URL, if any.
    pub port: Option<u16>,
}

const FORBIDDEN: &[char] =
    &[';', '|', '&', '$', '`', '<', '>', '(', ')', '{', '}', '\'', '"', '\\', '!', '*', '?', '#', '^'];

fn bad(message: impl Into<String>) -> Error {
    Error::invalid("url", "invalid", message)
}

/// Checks a repository URL and classifies it.
pub fn parse(text: &str) -> Result<RepoUrl> {
    let url = text.trim();
    if url.is_empty() {
        return Err(Error::invalid("url", "required", "the URL is missing, e.g. https://github.com/owner/repo.git"));
    }
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(format!(
            "the URL contains {}: a repository URL has no spaces or control characters",
            describe_char(c)
        )));
    }
    if let Some(c) = url.chars().find(|c| FORBIDDEN.contains(c)) {
        return Err(bad(format!(
            "the URL contains the shell metacharacter `{c}`, which no repository URL needs; check what was pasted"
        )));
    }
    if url.starts_with('-') {
        return Err(bad("a URL cannot start with '-'"));
    }
    if url.len() > 2048 {
        return Err(bad("the URL is longer than 2048 characters"));
    }
    if let Some((scheme, rest)) = url.split_once("://") {
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            "ssh" | "git+ssh" | "ssh+git" => Scheme::Ssh,
            "git" => Scheme::Git,
            "file" => Scheme::File,
            other => {
                return Err(bad(format!(
                    "the URL scheme `{other}` is not supported; use https://, http://, ssh://, git://, file:// or user@host:path"
                )))
            }
        };
        if scheme == Scheme::File {
            if !rest.starts_with('/') {
                return Err(bad("a file:// URL needs an absolute path: file:///srv/git/repo.git"));
            }
            return Ok(RepoUrl { url: url.to_string(), scheme, host: String::new(), user: None, port: None });
        }
        let authority = rest.split('/').next().unwrap_or("");
        let (user, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        if let Some(u) = user {
            if u.contains(':') {
                return Err(bad(
                    "the URL holds a password: remove it from the URL and give it as the repository's token (scicd repo add ... --token-stdin), so it is kept in the secret store (OS keyring or encrypted file)",
                ));
            }
        }
        let host = host_of(hostport);
        if host.is_empty() {
            return Err(bad("the URL has no host name"));
        }
        if rest.split_once('/').is_none_or(|(_, path)| path.is_empty()) {
            return Err(bad("the URL has no repository path, e.g. https://host/owner/repo.git"));
        }
        let port = port_of(hostport);
        return Ok(RepoUrl { url: url.to_string(), scheme, host, user: user.map(str::to_string), port });
    }
    if url.contains("::") {
        return Err(bad("remote helpers such as ext:: are not supported"));
    }
    // scp-style: [user@]host:path
    if let Some((left, path)) = url.split_once(':') {
        if !left.contains('/') && !path.is_empty() {
            let (user, host) = match left.rsplit_once('@') {
                Some((u, h)) => (Some(u.to_string()), h.to_string()),
                None => (None, left.to_string()),
            };
            if host.is_empty() {
                return Err(bad("the URL has no host name before ':'"));
            }
            return Ok(RepoUrl { url: url.to_string(), scheme: Scheme::Ssh, host, user, port: None });
        }
    }
    if url.starts_with('/') {
        return Err(bad(format!("local paths are written as file:// URLs: file://{url}")));
    }
    Err(bad(
        "not a repository URL: use https://host/owner/repo.git, git@host:owner/repo.git, ssh://, git:// or file:///path",
    ))
}

fn host_of(hostport: &str) -> String {
    if let Some(rest) = hostport.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("").to_string();
    }
    hostport.split(':').next().unwrap_or("").to_string()
}

fn port_of(hostport: &str) -> Option<u16> {
    let rest = match hostport.strip_prefix('[') {
        Some(r) => r.split_once(']').map(|(_, p)| p)?,
        None => hostport,
    };
    rest.rsplit_once(':').and_then(|(_, p)| p.parse().ok())
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        c => format!("the character U+{:04X}", c as u32),
    }
}

/// The forge a URL's host suggests; `generic` when it says nothing.
pub fn guess_provider(url: &RepoUrl) -> Provider {
    let host = url.host.to_ascii_lowercase();
    if host == "github.com" || host.ends_with(".github.com") || host.starts_with("github.") {
        Provider::Github
    } else if host == "gitlab.com" || host.starts_with("gitlab.") {
        Provider::Gitlab
    } else if host.starts_with("gitea.") || host == "codeberg.org" {
        Provider::Gitea
    } else {
        Provider::Generic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_form_is_classified() {
        let cases = [
            ("https://github.com/o/r.git", Scheme::Https, "github.com"),
            ("http://127.0.0.1:8009/git/r.git", Scheme::Http, "127.0.0.1"),
            ("ssh://git@127.0.0.1:2222/srv/r.git", Scheme::Ssh, "127.0.0.1"),
            ("ssh://git@[::1]:2222/srv/r.git", Scheme::Ssh, "::1"),
            ("git@github.com:owner/repo.git", Scheme::Ssh, "github.com"),
            ("git://127.0.0.1/r.git", Scheme::Git, "127.0.0.1"),
            ("file:///srv/git/r.git", Scheme::File, ""),
        ];
        for (text, scheme, host) in cases {
            let url = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((url.scheme, url.host.as_str()), (scheme, host), "{text}");
        }
        assert_eq!(parse("git@github.com:o/r.git").unwrap().user.as_deref(), Some("git"));
    }

    #[test]
    fn shell_metacharacters_whitespace_and_controls_are_refused_with_the_reason() {
        for (text, needle) in [
            ("https://h/o/r.git; rm -rf ~", "space"),
            ("https://h/o/r.git;rm", "`;`"),
            ("https://h/$(id)/r.git", "`$`"),
            ("https://h/o/r.git|x", "`|`"),
            ("https://h/`id`", "`"),
            ("https://h/o/r\n.git", "line break"),
            ("https://h/o/r\u{7}.git", "U+0007"),
            ("ext::sh -c id", "space"),
            ("ext::id", "ext::"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn a_password_in_the_url_is_refused_and_pointed_to_the_keyring() {
        let err = parse("https://me:hunter2@github.com/o/r.git").unwrap_err().to_string();
        assert!(err.contains("keyring"), "{err}");
    }

    #[test]
    fn local_paths_and_unknown_schemes_say_what_to_write() {
        assert!(parse("/srv/r.git").unwrap_err().to_string().contains("file:///srv/r.git"));
        assert!(parse("ftp://h/r.git").unwrap_err().to_string().contains("not supported"));
        assert!(parse("https://github.com").unwrap_err().to_string().contains("no repository path"));
    }

    #[test]
    fn providers_are_guessed_from_well_known_hosts() {
        assert_eq!(guess_provider(&parse("git@github.com:o/r.git").unwrap()), Provider::Github);
        assert_eq!(guess_provider(&parse("https://gitlab.com/o/r.git").unwrap()), Provider::Gitlab);
        assert_eq!(guess_provider(&parse("https://git.example.com/o/r.git").unwrap()), Provider::Generic);
    }
}
