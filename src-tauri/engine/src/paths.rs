//! The data directory and its layout.
//!
//! ```text
//! <data>/simple-cicd.db      SQLite (WAL)
//! <data>/workspaces/<run>/   each run's own working directory
//! <data>/scripts/<run>.sh    the script a run executes (removed when it ends)
//! <data>/instances/<id>.lock held (flock) by each live engine, for crash recovery
//! ```

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "SIMPLE_CICD_DATA_DIR";

/// A data directory that exists and is writable.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The directory to use: `explicit`, else `$SIMPLE_CICD_DATA_DIR`, else the OS data dir.
    pub fn choose(explicit: Option<PathBuf>) -> PathBuf {
        explicit
            .or_else(|| std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
            .unwrap_or_else(DataDir::default_root)
    }

    /// The directory used when neither `--data-dir` nor `$SIMPLE_CICD_DATA_DIR` names one:
    /// `simple-cicd` in the OS data dir (`~/.local/share/simple-cicd` on Linux).
    pub fn default_root() -> PathBuf {
        dirs::data_dir().unwrap_or_else(std::env::temp_dir).join("simple-cicd")
    }

    /// Creates the layout under `root` and proves it is writable.
    pub fn prepare(root: &Path) -> Result<DataDir> {
        let fail = |source| Error::DataDir { path: root.to_path_buf(), source };
        for sub in ["workspaces", "scripts", "instances"] {
            std::fs::create_dir_all(root.join(sub)).map_err(fail)?;
        }
        // Whether this process may write there (permissions, a read-only mount), asked of the
        // kernel: a file written and removed to find out cost every command an inode.
        nix::unistd::access(root, nix::unistd::AccessFlags::W_OK)
            .map_err(|errno| fail(std::io::Error::from_raw_os_error(errno as i32)))?;
        let root = root.canonicalize().map_err(fail)?;
        Ok(DataDir { root })
    }

    /// The directory itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What to tell the user when the disk holding the data directory has (almost) no room left,
    /// `None` while it has: a full disk makes SQLite fail in many ways (full, I/O error, a busy
    /// snapshot), none of which says "disk full" by itself.
    pub fn full_disk(&self) -> Option<String> {
        let stat = nix::sys::statvfs::statvfs(&self.root).ok()?;
        let free = stat.blocks_available() as u64 * stat.fragment_size() as u64;
        (free < 1 << 20).then(|| {
            format!(
                "the disk holding the data directory {} is full ({} KiB free): free some space there, then run again",
                self.root.display(),
                free / 1024
            )
        })
    }

    /// The database file.
    pub fn database(&self) -> PathBuf {
        self.root.join("simple-cicd.db")
    }

    /// The working directory of a run.
    pub fn workspace(&self, run_id: i64) -> PathBuf {
        self.root.join("workspaces").join(run_id.to_string())
    }

    /// The script file of a run.
    pub fn script(&self, run_id: i64) -> PathBuf {
        self.root.join("scripts").join(format!("{run_id}.sh"))
    }

    /// The lock file of an engine instance.
    pub fn instance_lock(&self, instance: &str) -> PathBuf {
        self.root.join("instances").join(format!("{instance}.lock"))
    }
}
