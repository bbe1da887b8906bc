//! `.dockerignore`, with Docker's own semantics (moby's patternmatcher): patterns are relative to
//! the context root, `*` and `?` stay within one path component, `**` spans any number of them,
//! `!` re-includes, the last matching pattern decides, and a pattern that matches a directory
//! excludes everything under it.

use regex::Regex;

/// One compiled line of a `.dockerignore`.
#[derive(Debug)]
struct Pattern {
    regex: Regex,
    /// `!pattern`: re-includes what it matches.
    exclusion: bool,
}

/// The patterns of a `.dockerignore` file.
#[derive(Debug, Default)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
}

impl DockerIgnore {
    /// Parses the text of a `.dockerignore`. A pattern that cannot be compiled is an error naming it.
    pub fn parse(text: &str) -> Result<DockerIgnore, String> {
        let mut patterns = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut p = line.trim();
            if p.is_empty() {
                continue;
            }
            let exclusion = p.starts_with('!');
            if exclusion {
                p = p[1..].trim();
            }
            let cleaned = clean(p);
            if cleaned.is_empty() {
                continue;
            }
            let regex = Regex::new(&to_regex(&cleaned))
                .map_err(|e| format!("the .dockerignore pattern `{line}` is not valid: {e}"))?;
            patterns.push(Pattern { regex, exclusion });
        }
        Ok(DockerIgnore { patterns })
    }

    /// Whether it has `!` patterns (then an excluded directory must still be walked).
    pub fn has_exclusions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Whether `path` (relative, `/`-separated) is left out of the context.
    pub fn excludes(&self, path: &str) -> bool {
        let parents: Vec<&str> = path.match_indices('/').map(|(i, _)| &path[..i]).collect();
        let mut excluded = false;
        for p in &self.patterns {
            let matched = p.regex.is_match(path) || parents.iter().any(|parent| p.regex.is_match(parent));
            if matched {
                excluded = !p.exclusion;
            }
        }
        excluded
    }
}

/// Go's `filepath.Clean` for relative, `/`-separated patterns, and the leading `/` removed.
fn clean(pattern: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The regular expression of a cleaned pattern, as moby's patternmatcher builds it.
fn to_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                if chars.get(i + 1) == Some(&'/') {
                    i += 1;
                }
                if i + 1 >= chars.len() {
                    out.push_str(".*");
                } else {
                    out.push_str("(.*/)?");
                }
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '\\' => {
                if let Some(next) = chars.get(i + 1) {
                    out.push_str(&regex::escape(&next.to_string()));
                    i += 1;
                } else {
                    out.push_str("\\\\");
                }
            }
            '[' | ']' => out.push(c),
            '^' if out.ends_with('[') => out.push('^'),
            '!' if out.ends_with('[') => out.push('^'),
            '-' => out.push('-'),
            other => out.push_str(&regex::escape(&other.to_string())),
        }
        i += 1;
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).unwrap()
    }

    #[test]
    fn a_directory_pattern_excludes_what_is_under_it() {
        let i = ignore("node_modules\n/target\n# comment\n\n");
        assert!(i.excludes("node_modules"));
        assert!(i.excludes("node_modules/a/b.js"));
        assert!(i.excludes("target/debug/x"));
        assert!(!i.excludes("src/node_modules.rs"));
        assert!(!i.excludes("src/node_modules/x"), "patterns are anchored at the context root");
    }

    #[test]
    fn stars_stay_in_one_component_and_double_stars_span_many() {
        let i = ignore("*.log\n**/*.tmp\ndocs/*/draft.md\n");
        assert!(i.excludes("a.log"));
        assert!(!i.excludes("logs/a.log"), "* does not cross '/'");
        assert!(i.excludes("x.tmp") && i.excludes("a/b/c/x.tmp"));
        assert!(i.excludes("docs/en/draft.md"));
        assert!(!i.excludes("docs/en/zh/draft.md"));
    }

    #[test]
    fn the_last_matching_pattern_wins_and_bang_re_includes() {
        let i = ignore("*.md\n!README.md\nsecret*\n");
        assert!(i.excludes("CHANGES.md"));
        assert!(!i.excludes("README.md"));
        assert!(i.excludes("secret.txt"));
        assert!(i.has_exclusions());
        let i = ignore("!keep.txt\n*.txt\n");
        assert!(i.excludes("keep.txt"), "a later pattern overrides an earlier exclusion");
    }

    #[test]
    fn question_marks_classes_and_escapes_follow_go_s_filepath_match() {
        let i = ignore("file?.txt\n[ab]*.bin\nlit\\*eral\n");
        assert!(i.excludes("file1.txt") && !i.excludes("file10.txt"));
        assert!(i.excludes("a1.bin") && i.excludes("b.bin") && !i.excludes("c.bin"));
        assert!(i.excludes("lit*eral") && !i.excludes("litXeral"));
    }
}
