//! Embeds the built UI (`ui/dist`, or `$SIMPLE_CICD_UI_DIST`) into the server, so that `scicd
//! serve` serves the same Vue app as the desktop window. When it is missing (a Rust-only dev
//! build), the server still builds and `/` says how to build the UI.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, base, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>();
            out.push((rel.join("/"), path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dist = match std::env::var_os("SIMPLE_CICD_UI_DIST") {
        Some(d) => PathBuf::from(d),
        None => manifest.join("../../ui/dist"),
    };
    println!("cargo:rerun-if-env-changed=SIMPLE_CICD_UI_DIST");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut found = Vec::new();
    if dist.join("index.html").is_file() {
        files(&dist, &dist, &mut found);
    }
    found.sort();
    let mut code = String::from(
        "/// The files of the built UI, by path relative to its root.\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, path) in &found {
        let abs = path.canonicalize().unwrap_or_else(|_| path.clone());
        let _ = writeln!(code, "    ({rel:?}, include_bytes!({:?})),", abs.display().to_string());
    }
    code.push_str("];\n");
    let _ =
        writeln!(code, "/// Where the UI was looked for.\npub const DIST: &str = {:?};", dist.display().to_string());
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("ui_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
