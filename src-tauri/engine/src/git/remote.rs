//! Talking to a remote without a local repository: `ls-remote` for `repo test`, the ref picker
//! and polling.

use git2::{Direction, RemoteCallbacks};

use super::auth::{install, Credentials, HostKeyPin};
use super::error::{classify, Attempt};
use crate::error::Result;
use crate::model::{RefKind, RemoteRef};

/// The remote's branches and tags (tags peeled to their commit), and its default branch.
pub(crate) fn list_refs(
    repo: &str,
    url: &str,
    creds: &Credentials,
    pin: &HostKeyPin,
) -> Result<(Vec<RemoteRef>, Option<String>)> {
    super::init();
    let attempt = Attempt::default();
    let fail = |e: git2::Error| classify(repo, url, &e, &attempt);
    let mut remote = git2::Remote::create_detached(url).map_err(fail)?;
    let mut callbacks = RemoteCallbacks::new();
    install(&mut callbacks, creds, pin, &attempt);
    let conn = remote.connect_auth(Direction::Fetch, Some(callbacks), None).map_err(fail)?;
    let default_branch = conn
        .default_branch()
        .ok()
        .and_then(|b| b.as_str().ok().and_then(|s| s.strip_prefix("refs/heads/")).map(str::to_string));
    let mut refs: Vec<RemoteRef> = Vec::new();
    for head in conn.list().map_err(fail)? {
        let name = head.name();
        let sha = head.oid().to_string();
        if let Some(branch) = name.strip_prefix("refs/heads/") {
            refs.push(RemoteRef { name: branch.to_string(), kind: RefKind::Branch, sha });
        } else if let Some(tag) = name.strip_prefix("refs/tags/") {
            match tag.strip_suffix("^{}") {
                // The peeled line of an annotated tag: the commit it points at.
                Some(peeled) => match refs.iter_mut().find(|r| r.kind == RefKind::Tag && r.name == peeled) {
                    Some(existing) => existing.sha = sha,
                    None => refs.push(RemoteRef { name: peeled.to_string(), kind: RefKind::Tag, sha }),
                },
                None => {
                    if !refs.iter().any(|r| r.kind == RefKind::Tag && r.name == tag) {
                        refs.push(RemoteRef { name: tag.to_string(), kind: RefKind::Tag, sha });
                    }
                }
            }
        }
    }
    refs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((refs, default_branch))
}
