//! What Helm says about a release (`status -o json`, `history -o json`, `upgrade -o json`), read
//! into plain data, and the way out of a release left `pending-*` by an interrupted operation.
//! Only the fields deployments need are read; Helm 4 adds resources to `status`, which are ignored.

use serde::{Deserialize, Serialize};

/// A release as `helm status` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Release {
    /// The release name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// The current revision.
    pub revision: u32,
    /// `deployed`, `failed`, `pending-upgrade`, `superseded`, `uninstalling`, ...
    pub status: String,
    /// Helm's description of the last operation, e.g. `Rollback to 1`.
    pub description: String,
    /// The rendered manifest of the current revision.
    pub manifest: String,
}

#[derive(Deserialize)]
struct RawRelease {
    name: String,
    #[serde(default)]
    namespace: String,
    version: u32,
    info: RawInfo,
    #[serde(default)]
    manifest: String,
}

#[derive(Deserialize)]
struct RawInfo {
    status: String,
    #[serde(default)]
    description: String,
}

/// Reads `helm status -o json` or `helm upgrade -o json`.
pub(crate) fn parse_release(json: &str) -> Result<Release, String> {
    // A chart pulled from a registry first prints `Pulled: …` and `Digest: …` on standard output.
    let start = json.lines().take_while(|l| !l.starts_with('{')).map(|l| l.len() + 1).sum::<usize>();
    let r: RawRelease = serde_json::from_str(json.get(start..).unwrap_or(json)).map_err(|e| e.to_string())?;
    Ok(Release {
        name: r.name,
        namespace: r.namespace,
        revision: r.version,
        status: r.info.status,
        description: r.info.description,
        manifest: r.manifest,
    })
}

/// One revision of a release, as `helm history` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// Its number, from 1.
    pub revision: u32,
    /// When it was made, as Helm prints it (RFC 3339).
    pub updated: String,
    /// `deployed`, `superseded`, `failed`, `pending-*`, ...
    pub status: String,
    /// `chart-version`, e.g. `demo-0.1.0`.
    pub chart: String,
    /// The chart's appVersion.
    #[serde(alias = "app_version")]
    pub app_version: String,
    /// Helm's description, e.g. `Upgrade "web" failed: ...`.
    pub description: String,
}

/// Reads `helm history -o json`.
pub(crate) fn parse_history(json: &str) -> Result<Vec<Revision>, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

/// How to get a release out of `pending-*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum Recovery {
    /// Roll back to this revision, the last one that was deployed.
    RollbackTo(u32),
    /// A first install that never completed: uninstall it (nothing was ever deployed).
    Uninstall,
}

/// A release stuck in `pending-*`, and the way out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pending {
    /// `pending-install`, `pending-upgrade` or `pending-rollback`.
    pub status: String,
    /// The pending revision.
    pub revision: u32,
    /// What gets it out.
    pub recovery: Recovery,
}

impl Pending {
    /// Why a change of the release is refused while it is pending, with the way out.
    pub fn refusal(&self, release: &str, namespace: &str) -> super::HelmError {
        super::HelmError::Pending {
            release: release.to_string(),
            namespace: namespace.to_string(),
            status: self.status.clone(),
            revision: self.revision,
            way_out: self.way_out(release, namespace),
        }
    }

    /// The way out, in words.
    pub fn way_out(&self, release: &str, namespace: &str) -> String {
        match self.recovery {
            Recovery::RollbackTo(r) => format!(
                "roll it back to revision {r}, the last one deployed (helm rollback {release} {r} -n {namespace})"
            ),
            Recovery::Uninstall => format!(
                "it was a first install that never completed: uninstall it (helm uninstall {release} -n {namespace}) and install again"
            ),
        }
    }
}

/// Whether the latest revision of `history` is pending, and if so the way out: the last revision
/// before it that was deployed (now `deployed` or `superseded`), else an uninstall.
pub(crate) fn pending_of(history: &[Revision]) -> Option<Pending> {
    let latest = history.iter().max_by_key(|r| r.revision)?;
    if !latest.status.starts_with("pending-") {
        return None;
    }
    let deployed = history
        .iter()
        .filter(|r| r.revision < latest.revision && matches!(r.status.as_str(), "deployed" | "superseded"))
        .map(|r| r.revision)
        .max();
    Some(Pending {
        status: latest.status.clone(),
        revision: latest.revision,
        recovery: deployed.map(Recovery::RollbackTo).unwrap_or(Recovery::Uninstall),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(revision: u32, status: &str) -> Revision {
        Revision {
            revision,
            updated: String::new(),
            status: status.into(),
            chart: "demo-0.1.0".into(),
            app_version: "1".into(),
            description: String::new(),
        }
    }

    #[test]
    fn a_pending_upgrade_is_rolled_back_to_the_last_deployed_revision() {
        let h = [rev(1, "superseded"), rev(2, "failed"), rev(3, "superseded"), rev(4, "pending-upgrade")];
        let p = pending_of(&h).expect("revision 4 is pending");
        assert_eq!((p.status.as_str(), p.revision, p.recovery), ("pending-upgrade", 4, Recovery::RollbackTo(3)));
    }

    #[test]
    fn a_pending_first_install_is_uninstalled() {
        assert_eq!(pending_of(&[rev(1, "pending-install")]).unwrap().recovery, Recovery::Uninstall);
        assert_eq!(pending_of(&[rev(1, "failed"), rev(2, "pending-upgrade")]).unwrap().recovery, Recovery::Uninstall);
    }

    #[test]
    fn a_release_is_read_after_the_lines_of_a_chart_pull() {
        let out = "Pulled: localhost:5000/charts/demo:0.1.0\nDigest: sha256:ab\n{\"name\":\"web\",\"namespace\":\"ns\",\"version\":1,\"info\":{\"status\":\"deployed\",\"description\":\"Install complete\"},\"manifest\":\"\"}\n";
        let r = parse_release(out).unwrap();
        assert_eq!((r.name.as_str(), r.revision, r.status.as_str()), ("web", 1, "deployed"));
    }

    #[test]
    fn a_deployed_release_is_not_pending() {
        assert_eq!(pending_of(&[rev(1, "superseded"), rev(2, "deployed")]), None);
        assert_eq!(pending_of(&[]), None);
    }

    #[test]
    fn both_helm_majors_history_and_status_are_read() {
        let h = parse_history(r#"[{"revision":1,"updated":"2026-12-04T16:42:12Z","status":"deployed","chart":"demo-0.1.0","app_version":"1","description":"Install complete"}]"#).unwrap();
        assert_eq!(h[0].app_version, "1");
        let helm4 = r#"{"name":"d4","info":{"status":"deployed","description":"Rollback to 1","resources":{}},"manifest":"---","version":3,"namespace":"h4","apply_method":"ssa"}"#;
        let r = parse_release(helm4).unwrap();
        assert_eq!((r.revision, r.status.as_str(), r.namespace.as_str()), (3, "deployed", "h4"));
    }
}
