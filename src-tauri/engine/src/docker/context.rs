//! The build context: the files of the context directory that `.dockerignore` lets through, sent
//! to the daemon as a tar stream written while it is read (a large context is never held in
//! memory). Like the Docker CLI: entries are owned by root, symlinks stay links, the Dockerfile
//! and `.dockerignore` are always sent, and a Dockerfile that is not in the context (inline, or a
//! path outside it) is added under a generated name that `.dockerignore` then hides from `COPY`.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::ignore::DockerIgnore;

/// The name a Dockerfile from outside the context gets inside it.
pub const GENERATED_DOCKERFILE: &str = ".simple-cicd.Dockerfile";

/// Where the Dockerfile comes from.
#[derive(Debug, Clone)]
pub enum DockerfileSource {
    /// A path relative to the context directory (or absolute).
    Path(String),
    /// The Dockerfile's text.
    Inline(String),
}

/// A context, walked and ready to be streamed.
#[derive(Debug)]
pub struct BuildContext {
    root: PathBuf,
    /// Relative paths of what is sent, in walk order (directories before their contents).
    entries: Vec<String>,
    /// A Dockerfile added from outside the context, with the `.dockerignore` that hides it.
    extra: Vec<(String, Vec<u8>)>,
    /// The `dockerfile` parameter of the build: its path inside the context.
    pub dockerfile: String,
    /// Files and links sent.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Entries `.dockerignore` left out (counting an excluded directory once).
    pub excluded: usize,
}

fn io_err(what: String, e: std::io::Error) -> String {
    format!("{what}: {e}")
}

impl BuildContext {
    /// Walks `root` and decides what is sent. Errors are sentences for the run's log.
    pub fn prepare(root: &Path, dockerfile: &DockerfileSource) -> Result<BuildContext, String> {
        let meta = std::fs::metadata(root).map_err(|e| {
            io_err(
                format!(
                    "the build context {} cannot be used (set `context:` to an existing directory)",
                    root.display()
                ),
                e,
            )
        })?;
        if !meta.is_dir() {
            return Err(format!("the build context {} is not a directory", root.display()));
        }
        let ignore_text = match std::fs::read_to_string(root.join(".dockerignore")) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(io_err(format!("cannot read {}", root.join(".dockerignore").display()), e)),
        };
        let ignore = DockerIgnore::parse(&ignore_text)?;
        let (dockerfile_name, extra) = match dockerfile {
            DockerfileSource::Path(p) => {
                let path = root.join(p);
                match path
                    .strip_prefix(root)
                    .ok()
                    .filter(|rel| !rel.components().any(|c| c == std::path::Component::ParentDir))
                {
                    Some(rel) if !Path::new(p).is_absolute() => {
                        if !path.is_file() {
                            return Err(format!(
                                "the Dockerfile {} does not exist in the context {} (set `dockerfile:` to its path in the context, or use `dockerfileInline:`)",
                                p,
                                root.display()
                            ));
                        }
                        (rel.to_string_lossy().replace('\\', "/"), Vec::new())
                    }
                    _ => {
                        let text = std::fs::read(&path)
                            .map_err(|e| io_err(format!("cannot read the Dockerfile {}", path.display()), e))?;
                        (GENERATED_DOCKERFILE.to_string(), generated(text, &ignore_text))
                    }
                }
            }
            DockerfileSource::Inline(text) => {
                (GENERATED_DOCKERFILE.to_string(), generated(text.clone().into_bytes(), &ignore_text))
            }
        };
        let mut ctx = BuildContext {
            root: root.to_path_buf(),
            entries: Vec::new(),
            extra,
            dockerfile: dockerfile_name.clone(),
            files: 0,
            bytes: 0,
            excluded: 0,
        };
        let always = [dockerfile_name.as_str(), ".dockerignore"];
        ctx.walk(root, "", &ignore, &always)?;
        ctx.files += ctx.extra.len();
        Ok(ctx)
    }

    fn walk(&mut self, dir: &Path, prefix: &str, ignore: &DockerIgnore, always: &[&str]) -> Result<(), String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| io_err(format!("cannot list {}", dir.display()), e))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            let name = name.to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
            if !self.extra.is_empty() && prefix.is_empty() && (rel == GENERATED_DOCKERFILE || rel == ".dockerignore") {
                continue; // replaced by the generated entries
            }
            let path = dir.join(&name);
            let meta =
                std::fs::symlink_metadata(&path).map_err(|e| io_err(format!("cannot read {}", path.display()), e))?;
            let excluded = ignore.excludes(&rel) && !always.contains(&rel.as_str());
            if meta.is_dir() {
                if excluded && !ignore.has_exclusions() {
                    self.excluded += 1;
                    continue;
                }
                if !excluded {
                    self.entries.push(rel.clone());
                }
                self.walk(&path, &rel, ignore, always)?;
            } else if excluded {
                self.excluded += 1;
            } else {
                self.files += 1;
                if meta.is_file() {
                    self.bytes += meta.len();
                }
                self.entries.push(rel);
            }
        }
        Ok(())
    }

    /// Streams the tar: chunks arrive on the receiver while a blocking task writes them. A read
    /// error ends the stream with that error, which fails the build.
    pub fn into_stream(self) -> mpsc::Receiver<Result<Bytes, std::io::Error>> {
        let (tx, rx) = mpsc::channel(16);
        tokio::task::spawn_blocking(move || {
            let sink = ChannelWriter { tx: tx.clone(), buf: Vec::with_capacity(CHUNK) };
            if let Err(e) = self.write(sink) {
                let _ = tx.blocking_send(Err(e));
            }
        });
        rx
    }

    fn write(self, sink: ChannelWriter) -> std::io::Result<()> {
        let mut tar = tar::Builder::new(sink);
        tar.follow_symlinks(false);
        tar.mode(tar::HeaderMode::Complete);
        for rel in &self.entries {
            let path = self.root.join(rel);
            let meta = std::fs::symlink_metadata(&path)?;
            let mut header = tar::Header::new_gnu();
            header.set_metadata_in_mode(&meta, tar::HeaderMode::Complete);
            header.set_uid(0);
            header.set_gid(0);
            header.set_username("")?;
            header.set_groupname("")?;
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path)?;
                header.set_size(0);
                tar.append_link(&mut header, rel, target)?;
            } else if meta.is_file() {
                let file = std::fs::File::open(&path)?;
                tar.append_data(&mut header, rel, file)?;
            } else if meta.is_dir() {
                header.set_size(0);
                tar.append_data(&mut header, format!("{rel}/"), std::io::empty())?;
            }
        }
        for (name, data) in &self.extra {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_entry_type(tar::EntryType::Regular);
            tar.append_data(&mut header, name, data.as_slice())?;
        }
        let mut sink = tar.into_inner()?;
        sink.flush_chunk()
    }
}

/// The generated Dockerfile and a `.dockerignore` that keeps the user's patterns and adds it, so
/// the daemon removes it from what `COPY` sees (what the Docker CLI does for `-f -`).
fn generated(dockerfile: Vec<u8>, ignore_text: &str) -> Vec<(String, Vec<u8>)> {
    let mut ignore = ignore_text.to_string();
    if !ignore.is_empty() && !ignore.ends_with('\n') {
        ignore.push('\n');
    }
    ignore.push_str(GENERATED_DOCKERFILE);
    ignore.push_str("\n.dockerignore\n");
    vec![(GENERATED_DOCKERFILE.to_string(), dockerfile), (".dockerignore".to_string(), ignore.into_bytes())]
}

const CHUNK: usize = 256 * 1024;

/// A `Write` that sends full chunks down a channel (from a blocking thread).
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn flush_chunk(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the build stopped reading the context"))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush_chunk()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ctx: &BuildContext) -> Vec<String> {
        let mut all: Vec<String> = ctx.entries.clone();
        all.extend(ctx.extra.iter().map(|(n, _)| n.clone()));
        all
    }

    #[test]
    fn dockerignore_is_honoured_but_the_dockerfile_is_always_sent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        for f in ["Dockerfile", "src/main.rs", "node_modules/x/big.js", "debug.log", "README.md"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::fs::write(root.join(".dockerignore"), "node_modules\n*.log\nDockerfile\n").unwrap();
        let ctx = BuildContext::prepare(root, &DockerfileSource::Path("Dockerfile".into())).unwrap();
        assert_eq!(names(&ctx), [".dockerignore", "Dockerfile", "README.md", "src", "src/main.rs"]);
        assert_eq!(ctx.excluded, 2, "node_modules (once) and debug.log");
        assert_eq!(ctx.dockerfile, "Dockerfile");
    }

    #[test]
    fn an_inline_dockerfile_is_added_and_hidden_from_copy() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.txt"), "x").unwrap();
        let ctx = BuildContext::prepare(dir.path(), &DockerfileSource::Inline("FROM scratch\n".into())).unwrap();
        assert_eq!(ctx.dockerfile, GENERATED_DOCKERFILE);
        let ignore = &ctx.extra.iter().find(|(n, _)| n == ".dockerignore").unwrap().1;
        assert!(String::from_utf8_lossy(ignore).contains(GENERATED_DOCKERFILE));
    }

    #[test]
    fn a_missing_dockerfile_or_context_is_a_clear_message() {
        let dir = tempfile::tempdir().unwrap();
        let err = BuildContext::prepare(dir.path(), &DockerfileSource::Path("Dockerfile".into())).unwrap_err();
        assert!(err.contains("does not exist in the context"), "{err}");
        let err =
            BuildContext::prepare(&dir.path().join("nope"), &DockerfileSource::Path("Dockerfile".into())).unwrap_err();
        assert!(err.contains("cannot be used"), "{err}");
    }

    #[tokio::test]
    async fn the_stream_is_a_tar_of_the_entries_owned_by_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::fs::write(dir.path().join("d/f"), vec![7u8; 300_000]).unwrap();
        std::os::unix::fs::symlink("d/f", dir.path().join("link")).unwrap();
        let ctx = BuildContext::prepare(dir.path(), &DockerfileSource::Path("Dockerfile".into())).unwrap();
        let mut rx = ctx.into_stream();
        let mut all = Vec::new();
        while let Some(chunk) = rx.recv().await {
            all.extend_from_slice(&chunk.unwrap());
        }
        let mut archive = tar::Archive::new(all.as_slice());
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let entry = entry.unwrap();
            assert_eq!(entry.header().uid().unwrap(), 0);
            seen.push((entry.path().unwrap().display().to_string(), entry.header().entry_type(), entry.size()));
        }
        assert_eq!(
            seen,
            [
                ("Dockerfile".to_string(), tar::EntryType::Regular, 13),
                ("d/".to_string(), tar::EntryType::Directory, 0),
                ("d/f".to_string(), tar::EntryType::Regular, 300_000),
                ("link".to_string(), tar::EntryType::Symlink, 0),
            ]
        );
    }
}
