//! Branch and tag filters of webhook and poll triggers, matched against the ref names pushes
//! bring (outside input, after the signature is checked).
//!
//! Properties: never a panic or a hang (a pattern of many `*` against a long name answers at
//! once); the answer is the one of a plain dynamic-programming matcher written from the
//! documented rules.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::trigger::glob;

/// `*` within a segment, `**` across segments, `?` one character but `/`, the rest literal.
fn reference(pattern: &[char], name: &[char]) -> bool {
    // m[i][j]: pattern[i..] matches name[j..].
    let (p, n) = (pattern.len(), name.len());
    let mut m = vec![vec![false; n + 1]; p + 1];
    m[p][n] = true;
    for i in (0..p).rev() {
        for j in (0..=n).rev() {
            m[i][j] = match pattern[i] {
                '*' if pattern.get(i + 1) == Some(&'*') => (j..=n).any(|k| m[i + 2][k]),
                '*' => m[i + 1][j] || (j < n && name[j] != '/' && m[i][j + 1]),
                '?' => j < n && name[j] != '/' && m[i + 1][j + 1],
                c => j < n && name[j] == c && m[i + 1][j + 1],
            };
        }
    }
    m[0][0]
}

fuzz_target!(|input: (&str, &str)| {
    let (pattern, name) = input;
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    assert_eq!(glob::matches(pattern, name), reference(&p, &n), "`{pattern}` against `{name}`");
});
