//! Reading kubeconfig files, only as far as adding a cluster needs: which contexts there are, their
//! cluster's server and namespace, and the `current-context`. Connecting is kubectl's job (see
//! `kubectl.rs`), so credentials, exec plugins and TLS settings are not interpreted here.
//!
//! The user's kubeconfig is the list of files in the `kube.kubeconfig` setting, else in
//! `$KUBECONFIG` (`:`-separated), else `~/.kube/config`; like kubectl, missing files are skipped and
//! the first file that names a context (or cluster, or `current-context`) wins.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{KubeContext, KubeContexts};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Doc {
    clusters: Vec<NamedCluster>,
    contexts: Vec<NamedContext>,
    #[serde(rename = "current-context")]
    current_context: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NamedCluster {
    name: String,
    #[serde(default)]
    cluster: ClusterEntry,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ClusterEntry {
    server: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NamedContext {
    name: String,
    #[serde(default)]
    context: ContextEntry,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ContextEntry {
    cluster: String,
    namespace: Option<String>,
}

/// The contexts of one or more kubeconfig files, merged as kubectl merges them.
#[derive(Debug, Default)]
pub(crate) struct Kubeconfig {
    contexts: Vec<KubeContext>,
    current: Option<String>,
}

impl Kubeconfig {
    /// Parses one kubeconfig's text. The error names the line and column of a YAML mistake.
    pub(crate) fn parse(text: &str) -> Result<Kubeconfig, String> {
        let mut k = Kubeconfig::default();
        k.add(text)?;
        Ok(k)
    }

    /// Reads the files in order, skipping missing ones (as kubectl does).
    pub(crate) fn read(files: &[PathBuf]) -> Result<Kubeconfig, String> {
        let mut k = Kubeconfig::default();
        for f in files {
            match std::fs::read_to_string(f) {
                Ok(text) => k.add(&text).map_err(|e| format!("{}: {e}", f.display()))?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("cannot read {}: {e}", f.display())),
            }
        }
        Ok(k)
    }

    fn add(&mut self, text: &str) -> Result<(), String> {
        if text.trim().is_empty() {
            return Ok(());
        }
        let doc: Doc = serde_yaml::from_str(text).map_err(|e| format!("not a valid kubeconfig: {e}"))?;
        if self.current.is_none() {
            self.current = doc.current_context.filter(|c| !c.is_empty());
        }
        for c in doc.contexts {
            if self.contexts.iter().any(|k| k.name == c.name) {
                continue;
            }
            let server =
                doc.clusters.iter().find(|x| x.name == c.context.cluster).and_then(|x| x.cluster.server.clone());
            self.contexts.push(KubeContext {
                name: c.name,
                cluster: c.context.cluster,
                server,
                namespace: c.context.namespace.filter(|n| !n.is_empty()),
                current: false,
            });
        }
        Ok(())
    }

    /// The contexts, the current one marked.
    pub(crate) fn contexts(&self) -> Vec<KubeContext> {
        self.contexts
            .iter()
            .map(|c| KubeContext { current: Some(&c.name) == self.current.as_ref(), ..c.clone() })
            .collect()
    }

    /// The context with this name.
    pub(crate) fn context(&self, name: &str) -> Option<&KubeContext> {
        self.contexts.iter().find(|c| c.name == name)
    }

    /// The `current-context`, when it is set.
    pub(crate) fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }
}

/// The files a kubeconfig refers to by a relative path (certificate authority, client certificate
/// and key, token file): kubectl resolves them against the kubeconfig's own directory, so they
/// cannot be found once the kubeconfig is kept in the keyring.
pub(crate) fn relative_files(text: &str) -> Vec<String> {
    let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut look = |section: &str, entry: &str, keys: &[&str]| {
        for item in doc[section].as_sequence().into_iter().flatten() {
            for key in keys {
                if let Some(path) = item[entry][*key].as_str() {
                    if !path.is_empty() && !Path::new(path).is_absolute() {
                        found.push(path.to_string());
                    }
                }
            }
        }
    };
    look("clusters", "cluster", &["certificate-authority"]);
    look("users", "user", &["client-certificate", "client-key", "tokenFile"]);
    found
}

/// The user's kubeconfig files: `setting` (the `kube.kubeconfig` setting, `:`-separated) when not
/// empty, else `$KUBECONFIG`, else `~/.kube/config`.
pub(crate) fn user_files(setting: &str) -> Vec<PathBuf> {
    let list = if !setting.trim().is_empty() {
        setting.trim().to_string()
    } else {
        std::env::var("KUBECONFIG").unwrap_or_default()
    };
    let files: Vec<PathBuf> = std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()).collect();
    if !files.is_empty() {
        return files;
    }
    dirs::home_dir().map(|h| vec![h.join(".kube").join("config")]).unwrap_or_default()
}

/// The files as one line for messages: `/a/config:/b/config`.
pub(crate) fn display(files: &[PathBuf]) -> String {
    if files.is_empty() {
        return "no kubeconfig file (no $KUBECONFIG and no home directory)".to_string();
    }
    files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(":")
}

/// The user's contexts, with the files they come from.
pub(crate) fn user_contexts(files: &[PathBuf]) -> Result<KubeContexts, String> {
    let k = Kubeconfig::read(files)?;
    Ok(KubeContexts {
        files: files.iter().map(|p: &PathBuf| Path::display(p).to_string()).collect(),
        contexts: k.contexts(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: c1\n  cluster: {server: 'https://one:6443'}\ncontexts:\n- name: dev\n  context: {cluster: c1, user: u, namespace: web}\n- name: ops\n  context: {cluster: missing, user: u}\nusers:\n- name: u\n  user: {token: t}\n";
    const B: &str = "clusters:\n- name: c2\n  cluster: {server: 'https://two:6443'}\ncontexts:\n- name: dev\n  context: {cluster: c2}\n- name: prod\n  context: {cluster: c2}\ncurrent-context: prod\n";

    #[test]
    fn contexts_are_read_with_their_server_and_namespace() {
        let k = Kubeconfig::parse(A).unwrap();
        let dev = k.context("dev").unwrap();
        assert_eq!((dev.server.as_deref(), dev.namespace.as_deref()), (Some("https://one:6443"), Some("web")));
        assert_eq!(k.context("ops").unwrap().server, None, "a context whose cluster entry is missing has no server");
        assert_eq!(k.current(), Some("dev"));
        assert!(k.contexts().iter().any(|c| c.name == "dev" && c.current));
    }

    #[test]
    fn several_files_merge_with_the_first_one_winning() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, A).unwrap();
        std::fs::write(&b, B).unwrap();
        let k = Kubeconfig::read(&[a, dir.path().join("missing"), b]).unwrap();
        assert_eq!(k.context("dev").unwrap().server.as_deref(), Some("https://one:6443"), "the first file's dev wins");
        assert!(k.context("prod").is_some(), "a context only the second file has is there");
        assert_eq!(k.current(), Some("dev"), "the first current-context wins");
    }

    #[test]
    fn yaml_mistakes_name_their_line() {
        let err = Kubeconfig::parse("contexts:\n- name: a\n  context: [unclosed\n").unwrap_err();
        assert!(err.starts_with("not a valid kubeconfig:") && err.contains("line"), "{err}");
    }

    #[test]
    fn files_named_by_a_relative_path_are_found() {
        let text = "clusters:\n- name: c\n  cluster: {server: 'https://x', certificate-authority: ca.crt}\nusers:\n- name: u\n  user: {client-certificate: /abs/c.crt, client-key: keys/c.key}\n";
        assert_eq!(relative_files(text), ["ca.crt", "keys/c.key"]);
        assert!(relative_files(A).is_empty(), "embedded data and tokens refer to no file");
    }

    #[test]
    fn the_setting_comes_before_the_environment_and_the_home_default() {
        assert_eq!(user_files("/x/a:/x/b"), vec![PathBuf::from("/x/a"), PathBuf::from("/x/b")]);
    }
}
