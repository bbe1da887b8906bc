//! Branch and tag filters: `*` matches within one path segment, `**` across segments, `?` one
//! character; everything else is literal (`release/*` matches `release/1.2`, not `release/1/rc`).

/// Whether `name` matches `pattern`.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') if p.get(1) == Some(&'*') => {
            let rest = &p[2..];
            (0..=n.len()).any(|i| match_from(rest, &n[i..]))
        }
        Some('*') => {
            let rest = &p[1..];
            for i in 0..=n.len() {
                if match_from(rest, &n[i..]) {
                    return true;
                }
                if i < n.len() && n[i] == '/' {
                    return false;
                }
            }
            false
        }
        Some('?') => n.first().is_some_and(|c| *c != '/') && match_from(&p[1..], &n[1..]),
        Some(c) => n.first() == Some(c) && match_from(&p[1..], &n[1..]),
    }
}

/// Whether any of `patterns` matches `name`.
pub fn any(patterns: &[String], name: &str) -> bool {
    patterns.iter().any(|p| matches(p, name))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn a_star_stays_within_one_segment_and_two_stars_cross_them() {
        assert!(matches("main", "main"));
        assert!(!matches("main", "main2"));
        assert!(matches("release/*", "release/1.2"));
        assert!(!matches("release/*", "release/1/rc"));
        assert!(matches("release/**", "release/1/rc"));
        assert!(matches("v*", "v1.2.3"));
        assert!(!matches("v*", "x1"));
        assert!(matches("feature-?", "feature-a"));
        assert!(matches("*", "dev"));
        assert!(!matches("*", "feature/x"));
    }
}
