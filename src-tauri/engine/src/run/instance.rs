//! Engine instances and their liveness. Each live engine holds an exclusive `flock` on its own lock
//! file for as long as it lives; the kernel drops the lock when the process dies, however it dies.
//! So "is the owner of this run alive?" is "is its lock still held?", immune to pid reuse.

use std::fs::{File, OpenOptions};

use nix::fcntl::{Flock, FlockArg};

use crate::error::{Error, Result};
use crate::paths::DataDir;

/// This process's identity as an owner of runs.
pub(crate) struct Instance {
    id: String,
    path: std::path::PathBuf,
    _lock: Flock<File>,
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance").field("id", &self.id).finish()
    }
}

impl Instance {
    /// Creates a new identity and takes its lock.
    pub(crate) fn acquire(data: &DataDir) -> Result<Instance> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let path = data.instance_lock(&id);
        let file = OpenOptions::new()
            .create(true)
            .truncate(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
        let lock = Flock::lock(file, FlockArg::LockExclusiveNonblock)
            .map_err(|(_, errno)| Error::io(format!("cannot lock {}", path.display()), errno.into()))?;
        Ok(Instance { id, path, _lock: lock })
    }

    /// The id stored as the owner of runs.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }
}

/// Whether the instance `id` is still alive. A dead instance's lock file is removed.
pub(crate) fn is_alive(data: &DataDir, id: &str) -> bool {
    if id.is_empty() || id.contains(['/', '\\', '.']) {
        return false;
    }
    let path = data.instance_lock(id);
    let Ok(file) = OpenOptions::new().write(true).open(&path) else {
        return false;
    };
    match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
        Ok(lock) => {
            let _ = std::fs::remove_file(&path);
            drop(lock);
            false
        }
        Err(_) => true,
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // A clean exit removes the file; a crash leaves it, unlocked, for recovery to find.
        let _ = std::fs::remove_file(&self.path);
    }
}
