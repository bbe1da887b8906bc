//! The user's `~/.ssh/known_hosts` (and `/etc/ssh/ssh_known_hosts`): a host listed there with
//! another key is refused even on first contact, before any key is pinned. Plain and hashed
//! (`|1|salt|hash`, OpenSSH's HashKnownHosts) entries are understood; `@cert-authority` lines
//! are skipped.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};

/// What the known hosts say about a host and key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownHost {
    /// Listed with this key.
    Match,
    /// Listed, but only with other keys.
    Mismatch,
    /// Not listed.
    Unknown,
}

/// How a host is written in known_hosts: `host` on port 22, `[host]:port` otherwise.
pub fn names(host: &str, port: Option<u16>) -> Vec<String> {
    match port {
        Some(p) if p != 22 => vec![format!("[{host}]:{p}")],
        _ => vec![host.to_string()],
    }
}

fn hashed_matches(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.trim_start_matches("|1|").split('|');
    let (Some(salt), Some(hash)) = (parts.next(), parts.next()) else { return false };
    let (Ok(salt), Ok(hash)) = (B64.decode(salt), B64.decode(hash)) else { return false };
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(&salt) else { return false };
    mac.update(name.as_bytes());
    mac.verify_slice(&hash).is_ok()
}

fn host_matches(field: &str, names: &[String]) -> bool {
    if field.starts_with("|1|") {
        return names.iter().any(|n| hashed_matches(field, n));
    }
    field.split(',').any(|h| !h.starts_with('!') && names.iter().any(|n| n.eq_ignore_ascii_case(h)))
}

/// Looks `names` and the raw host key `key` up in known_hosts text.
pub fn check_text(text: &str, names: &[String], key: &[u8]) -> KnownHost {
    let mut listed = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (Some(hosts), Some(_kind), Some(blob)) = (fields.next(), fields.next(), fields.next()) else { continue };
        if !host_matches(hosts, names) {
            continue;
        }
        listed = true;
        if B64.decode(blob).is_ok_and(|b| b == key) {
            return KnownHost::Match;
        }
    }
    if listed {
        KnownHost::Mismatch
    } else {
        KnownHost::Unknown
    }
}

/// Looks the host up in the user's and the system's known_hosts files.
pub fn check(names: &[String], key: &[u8]) -> KnownHost {
    let mut files = vec![std::path::PathBuf::from("/etc/ssh/ssh_known_hosts")];
    if let Some(home) = dirs::home_dir() {
        files.insert(0, home.join(".ssh").join("known_hosts"));
    }
    let mut verdict = KnownHost::Unknown;
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        match check_text(&text, names, key) {
            KnownHost::Match => return KnownHost::Match,
            KnownHost::Mismatch => verdict = KnownHost::Mismatch,
            KnownHost::Unknown => {}
        }
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    #[test]
    fn plain_entries_match_by_name_and_port_and_other_keys_are_a_mismatch() {
        let key = B64.decode(KEY).unwrap();
        let text =
            format!("# comment\n[git.example.com]:2222,10.0.0.5 ssh-ed25519 {KEY}\nother.example ssh-ed25519 {KEY}\n");
        assert_eq!(check_text(&text, &names("git.example.com", Some(2222)), &key), KnownHost::Match);
        assert_eq!(check_text(&text, &names("git.example.com", Some(22)), &key), KnownHost::Unknown);
        assert_eq!(check_text(&text, &names("other.example", None), b"another key"), KnownHost::Mismatch);
    }

    #[test]
    fn hashed_entries_are_understood() {
        // `ssh-keygen -H` of "github.com": salt and HMAC-SHA1 of the name under it.
        let salt = [7u8; 20];
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&salt).unwrap();
        mac.update(b"github.com");
        let line = format!("|1|{}|{} ssh-ed25519 {KEY}", B64.encode(salt), B64.encode(mac.finalize().into_bytes()));
        let key = B64.decode(KEY).unwrap();
        assert_eq!(check_text(&line, &names("github.com", None), &key), KnownHost::Match);
        assert_eq!(check_text(&line, &names("gitlab.com", None), &key), KnownHost::Unknown);
        assert_eq!(check_text(&line, &names("github.com", None), b"x"), KnownHost::Mismatch);
    }
}
