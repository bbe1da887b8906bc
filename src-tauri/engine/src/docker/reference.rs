//! Image references (`localhost:5000/team/web:1.2`), checked against Docker's grammar before
//! anything is sent, so a bad tag is a clear message instead of a daemon error halfway through a
//! build. Which registry a reference names follows Docker's rule: the first component is a
//! registry host when it holds a `.` or a `:` or is `localhost`; otherwise the image is on
//! Docker Hub.

use std::sync::LazyLock;

use regex::Regex;

/// Docker Hub's name for itself.
pub const DOCKER_HUB: &str = "docker.io";

static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$")
        .expect("valid regex")
});
static COMPONENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$").expect("valid regex"));
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\w][\w.-]{0,127}$").expect("valid regex"));
static DIGEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$").expect("valid regex"));

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry host (and port), when the reference names one.
    pub domain: Option<String>,
    /// The repository path, e.g. `team/web`.
    pub path: String,
    /// The tag, e.g. `1.2`.
    pub tag: Option<String>,
    /// The digest, e.g. `sha256:...`.
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses `text`, saying precisely what is wrong when it is not a valid reference.
    pub fn parse(text: &str) -> Result<ImageRef, String> {
        let bad = |why: &str| Err(format!("`{text}` is not a valid image name: {why}"));
        if text.is_empty() {
            return bad("it is empty");
        }
        if text.chars().any(char::is_whitespace) {
            return bad("it contains a space; image names and tags cannot hold whitespace");
        }
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (text, None),
        };
        if let Some(d) = &digest {
            if !DIGEST.is_match(d) {
                return bad("the part after `@` is not a digest such as sha256:<64 hex digits>");
            }
        }
        // A `:` after the last `/` starts the tag; one before it belongs to a registry port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => (&rest[..last_slash + i], Some(rest[last_slash + i + 1..].to_string())),
            None => (rest, None),
        };
        if let Some(t) = &tag {
            if t.is_empty() {
                return bad("the tag after `:` is empty");
            }
            if !TAG.is_match(t) {
                return bad(
                    "a tag holds at most 128 letters, digits, '_', '.' and '-', and cannot start with '.' or '-'",
                );
            }
        }
        if name.len() > 255 {
            return bad("the name is longer than 255 characters");
        }
        let (domain, path) = match name.split_once('/') {
            Some((first, path))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.chars().any(|c| c.is_ascii_uppercase()) =>
            {
                if !DOMAIN.is_match(first) {
                    return bad(&format!("`{first}` is not a valid registry host"));
                }
                (Some(first.to_string()), path)
            }
            _ => (None, name),
        };
        if path.is_empty() {
            return bad("the repository name is missing");
        }
        for component in path.split('/') {
            if component.chars().any(|c| c.is_ascii_uppercase()) {
                return bad("repository names must be lowercase");
            }
            if !COMPONENT.is_match(component) {
                return bad(&format!(
                    "`{component}` is not a valid path component (lowercase letters and digits, separated by '.', '_', '__' or '-')"
                ));
            }
        }
        Ok(ImageRef { domain, path: path.to_string(), tag, digest })
    }

    /// The registry the image lives in: its host, or Docker Hub.
    pub fn registry_host(&self) -> &str {
        self.domain.as_deref().unwrap_or(DOCKER_HUB)
    }

    /// The name without tag and digest, as `docker push` takes it.
    pub fn repository(&self) -> String {
        match &self.domain {
            Some(d) => format!("{d}/{}", self.path),
            None => self.path.clone(),
        }
    }

    /// The tag, `latest` when none is given.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repository())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_port_and_tag_are_told_apart() {
        let r = ImageRef::parse("localhost:5000/team/web:12").unwrap();
        assert_eq!(r.domain.as_deref(), Some("localhost:5000"));
        assert_eq!(r.path, "team/web");
        assert_eq!(r.tag.as_deref(), Some("12"));
        assert_eq!(r.repository(), "localhost:5000/team/web");
        let r = ImageRef::parse("localhost:5000/web").unwrap();
        assert_eq!(r.tag_or_latest(), "latest", "a port is not a tag");
        let r = ImageRef::parse("busybox:1.36").unwrap();
        assert_eq!((r.registry_host(), r.path.as_str()), (DOCKER_HUB, "busybox"));
    }

    #[test]
    fn bad_references_say_why() {
        for (text, why) in [
            ("web app:1", "contains a space"),
            ("localhost:5000/Web:1", "lowercase"),
            ("web:", "tag after `:` is empty"),
            ("web:-x", "a tag holds"),
            ("web::1", "a tag holds"),
            ("", "empty"),
            ("web@sha256:xyz", "digest"),
            ("localhost:5000/", "repository name is missing"),
        ] {
            let err = ImageRef::parse(text).unwrap_err();
            assert!(err.contains(why), "`{text}`: {err}");
        }
    }
}
