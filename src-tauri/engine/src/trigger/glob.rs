//! Branch and tag filters: `*` matches within one path segment, `**` across segments, `?` one
//! character; everything else is literal (`release/*` matches `release/1.2`, not `release/1/rc`).

/// Whether `name` matches `pattern`. Time is the product of the two lengths, however many `*`
/// the pattern holds (a recursive matcher took time exponential in the `*`s: a push's ref name
/// against `**a**a**a…` hung the webhook receiver).
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let len = n.len();
    // Row i holds, for each j, whether p[i..] matches n[j..]; rows are filled from the pattern's
    // end, and each needs only the next two.
    let mut next = vec![false; len + 1]; // p[i + 1..]
    let mut after = vec![false; len + 1]; // p[i + 2..]
    next[len] = true; // the empty pattern (i = p.len() - 1 sees it as p[i + 1..])
    for i in (0..p.len()).rev() {
        let mut row = vec![false; len + 1];
        match p[i] {
            '*' if p.get(i + 1) == Some(&'*') => {
                let mut any = false;
                for j in (0..=len).rev() {
                    any |= after[j];
                    row[j] = any;
                }
            }
            '*' => {
                for j in (0..=len).rev() {
                    row[j] = next[j] || (j < len && n[j] != '/' && row[j + 1]);
                }
            }
            '?' => {
                for (j, k) in n.iter().enumerate() {
                    row[j] = *k != '/' && next[j + 1];
                }
            }
            c => {
                for (j, k) in n.iter().enumerate() {
                    row[j] = *k == c && next[j + 1];
                }
            }
        }
        after = std::mem::replace(&mut next, row);
    }
    next[0]
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

    #[test]
    fn many_stars_against_a_long_ref_answer_at_once() {
        // The recursive matcher tried every way to share the name among the stars: about 10^12
        // here, a webhook delivery that never got its answer.
        let pattern = "**a".repeat(12) + "**b";
        assert!(!matches(&pattern, &"a".repeat(64)));
        assert!(matches(&pattern, &("a".repeat(64) + "b")));
        assert!(!matches(&"*a".repeat(12), &"a/".repeat(40)), "one star stays within its segment");
    }
}
