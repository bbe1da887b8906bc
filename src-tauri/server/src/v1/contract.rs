//! The contract between the doors, checked against the declarations ([`super::ROUTES`]):
//!
//! - the UI's route table `ui/src/bindings/routes.ts` is written from them (like the ts-rs
//!   bindings: CI's `bindings` step fails when the committed file is stale);
//! - every Tauri command of the desktop app (`generate_handler!` in src-tauri/app/lib.rs) has a
//!   route of the same name taking the same arguments and answering the same type, or an entry
//!   in [`super::DESKTOP_ONLY`];
//! - every command the UI's typed client calls (`call("…")` in ui/src/api) exists.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Kind, Route, DESKTOP_ONLY, ROUTES};

/// The TypeScript route table.
pub fn routes_ts() -> String {
    let mut out = String::from(
        "// Generated from the route declarations of src-tauri/server/src/v1 by its tests (`cargo test -p
// simple-cicd-server`): do not edit. The same operations as the desktop app's Tauri commands.
//
// How a transport calls operation `op` with the arguments `args` the UI passes to Tauri's invoke:
// - take ROUTES[op]; replace each `{name}` of its path by encodeURIComponent(String(args[name]));
// - GET: every other argument that is not null or undefined becomes a query parameter: strings,
//   numbers and booleans as their text, objects and arrays as JSON text (JSON.stringify);
// - POST, PUT, DELETE: the other arguments are the JSON body (`{}` when there is none);
// - send `Authorization: Bearer <access token>` (not for a route whose scope is null);
// - a 2xx answer's JSON is the result (`null` for commands that return nothing); any other status
//   carries an ApiError JSON ({ code, message, fields }).
// Event streams (kind \"events\") are Server-Sent Events; EventSource cannot send headers, so they
// take the token as `?access_token=`. `run_events` is what `run_follow` is to the desktop: each
// event's data is a FollowEvent. `events` carries the desktop's Tauri events: the SSE event name
// is the Tauri event name (`run://status`), the data its payload.
// A route of kind \"file\" answers the file itself (text/plain with a file name), to save.
// DESKTOP_ONLY lists the Tauri commands with no route, and why.

export type HttpMethod = \"GET\" | \"POST\" | \"PUT\" | \"DELETE\";

export type RouteScope = \"read\" | \"run\" | \"deploy\" | \"write\" | \"admin\" | null;

export interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly scope: RouteScope;
  readonly kind: \"json\" | \"events\" | \"file\";
  /** The arguments' names, as the UI passes them to invoke. */
  readonly args: readonly string[];
}

export const ROUTES = {
",
    );
    for route in ROUTES.iter() {
        let args: Vec<String> = route.args.iter().map(|a| format!("{:?}", a.wire_name())).collect();
        let scope = route.scope.map_or("null".to_string(), |s| format!("{:?}", s.as_str()));
        let kind = match route.kind {
            Kind::Json => "json",
            Kind::Events => "events",
            Kind::File => "file",
        };
        let _ = writeln!(
            out,
            "  {}: {{ method: {:?}, path: {:?}, scope: {scope}, kind: {kind:?}, args: [{}] }},",
            route.op,
            route.method.as_str(),
            route.path,
            args.join(", ")
        );
    }
    out.push_str(
        "} as const satisfies Record<string, RouteSpec>;

export type Operation = keyof typeof ROUTES;

export const DESKTOP_ONLY = {
",
    );
    for (name, why) in DESKTOP_ONLY {
        let _ = writeln!(out, "  {name}: {why:?},");
    }
    out.push_str("} as const;\n\nexport type DesktopOnlyCommand = keyof typeof DESKTOP_ONLY;\n");
    out
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The names listed in `generate_handler![...]` of the desktop app.
pub fn tauri_commands(lib_rs: &str) -> Vec<String> {
    let start = lib_rs.find("generate_handler![").expect("app/lib.rs has generate_handler![");
    let list = &lib_rs[start + "generate_handler![".len()..];
    let list = &list[..list.find(']').expect("generate_handler! is closed")];
    list.split(',')
        .map(|p| p.trim())
        .filter(|p| !p.is_empty() && !p.starts_with("//"))
        .map(|p| p.rsplit("::").next().unwrap_or(p).to_string())
        .collect()
}

/// A Tauri command's signature: its arguments (camelCase, without State, AppHandle, Channel)
/// and its answer type.
#[derive(Debug, PartialEq)]
pub struct Signature {
    /// The arguments as the UI names them.
    pub args: Vec<String>,
    /// The answer's type, `CmdResult<…>` unwrapped.
    pub returns: String,
}

/// `a::b::C<d::E>` → `C<E>`, without spaces.
fn normalise_type(ty: &str) -> String {
    let compact: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::new();
    let mut word = String::new();
    let mut chars = compact.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            word.clear();
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            out.push_str(&word);
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&word);
    out
}

/// Splits at the commas that are not inside `<>` or `()`.
fn split_top(text: &str) -> Vec<String> {
    let (mut depth, mut parts, mut cur) = (0i32, Vec::new(), String::new());
    for c in text.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.into_iter().map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// The signatures of the `#[tauri::command]` functions in `source`.
pub fn command_signatures(source: &str) -> Vec<(String, Signature)> {
    let mut found = Vec::new();
    for chunk in source.split("#[tauri::command]").skip(1) {
        let Some(fn_at) = chunk.find("fn ") else { continue };
        let rest = &chunk[fn_at + 3..];
        let Some(open) = rest.find('(') else { continue };
        let name = rest[..open].trim().to_string();
        let mut depth = 0;
        let mut close = open;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let args = split_top(&rest[open + 1..close])
            .into_iter()
            .filter_map(|p| {
                let (n, ty) = p.split_once(':')?;
                let ty = ty.trim();
                let plumbing = ["State<", "AppHandle", "Channel<", "tauri::", "Window", "Webview"];
                (!plumbing.iter().any(|x| ty.starts_with(x))).then(|| super::camel(n.trim()))
            })
            .collect();
        let after = &rest[close + 1..];
        let returns = match after.split('{').next().map(str::trim) {
            Some(r) if r.starts_with("->") => {
                let r = normalise_type(r.trim_start_matches("->"));
                r.strip_prefix("CmdResult<").and_then(|r| r.strip_suffix('>')).map(str::to_string).unwrap_or(r)
            }
            _ => "()".to_string(),
        };
        found.push((name, Signature { args, returns }));
    }
    found
}

/// The `call("op", { a, b: x })` of a TypeScript source: each op with its argument names (`None`
/// when the arguments are not an object literal).
pub fn ui_calls(source: &str) -> Vec<(String, Option<Vec<String>>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = source[at..].find("call") {
        let start = at + i + 4;
        at = start;
        let rest = &source[start..];
        // `call<T>(` or `call(`, then the op's name as a string.
        let rest = match rest.strip_prefix('<') {
            Some(r) => match r.find(">(") {
                Some(close) if !r[..close].contains([';', '\n', '(']) => &r[close + 1..],
                _ => continue,
            },
            None => rest,
        };
        let Some(rest) = rest.strip_prefix("(\"") else { continue };
        let Some(end) = rest.find('"') else { continue };
        let name = rest[..end].to_string();
        let after = rest[end + 1..].trim_start();
        let keys = if after.starts_with(')') {
            Some(Vec::new())
        } else if let Some(obj) = after.strip_prefix(',').map(str::trim_start).and_then(|a| a.strip_prefix('{')) {
            obj.find('}').map(|close| {
                split_top(&obj[..close])
                    .into_iter()
                    .map(|part| part.split(':').next().unwrap_or("").trim().to_string())
                    .filter(|k| !k.is_empty())
                    .collect()
            })
        } else {
            None
        };
        found.push((name, keys));
    }
    found
}

fn route(op: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.op == op)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_bindings_routes_ts_from_the_declarations() {
        let path = repo().join("ui/src/bindings/routes.ts");
        let text = routes_ts();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, &text).expect("ui/src/bindings is writable");
        }
        assert!(text.contains("  run_logs: { method: \"GET\", path: \"/api/v1/runs/{id}/logs\", scope: \"read\", kind: \"json\", args: [\"id\", \"fromSeq\", \"limit\"] },"), "{text}");
    }

    #[test]
    fn every_route_is_declared_once_with_its_path_parameters_among_its_arguments() {
        let mut seen = BTreeSet::new();
        for r in ROUTES.iter() {
            assert!(seen.insert(r.op), "{} is declared twice", r.op);
            assert!(seen.len() < 1000);
            let args: Vec<String> = r.args.iter().map(|a| a.wire_name()).collect();
            for p in r.path_params() {
                assert!(args.iter().any(|a| a == p), "{}: path parameter {{{p}}} is not an argument {args:?}", r.op);
            }
            assert!(r.path.starts_with("/api/v1/"), "{}", r.path);
        }
        let mut pairs = BTreeSet::new();
        for r in ROUTES.iter() {
            assert!(pairs.insert((r.method.as_str(), r.path)), "{} {} twice", r.method.as_str(), r.path);
        }
    }

    #[test]
    fn every_tauri_command_has_a_route_with_its_arguments_and_answer_or_is_desktop_only() {
        let lib = std::fs::read_to_string(repo().join("src-tauri/app/lib.rs")).expect("src-tauri/app/lib.rs");
        let commands = tauri_commands(&lib);
        assert!(commands.len() > 50, "{commands:?}");
        let mut signatures = std::collections::BTreeMap::new();
        for entry in std::fs::read_dir(repo().join("src-tauri/app/commands")).expect("app/commands") {
            let source = std::fs::read_to_string(entry.expect("an entry").path()).expect("a command file");
            signatures.extend(command_signatures(&source));
        }
        let desktop: BTreeSet<&str> = DESKTOP_ONLY.iter().map(|(n, _)| *n).collect();
        let mut problems = Vec::new();
        for name in &commands {
            match (route(name), desktop.contains(name.as_str())) {
                (Some(_), true) => problems.push(format!("{name} has a route and is listed as desktop-only")),
                (None, false) => problems.push(format!("{name}: no route in ROUTES and no DESKTOP_ONLY entry")),
                (None, true) => {}
                (Some(r), false) => {
                    let Some(sig) = signatures.get(name) else {
                        problems.push(format!("{name}: no #[tauri::command] fn {name} in app/commands"));
                        continue;
                    };
                    let args: Vec<String> = r.args.iter().map(|a| a.wire_name()).collect();
                    if args != sig.args {
                        problems.push(format!("{name}: the route takes {args:?}, the Tauri command {:?}", sig.args));
                    }
                    if normalise_type(r.returns) != sig.returns {
                        problems.push(format!(
                            "{name}: the route answers {}, the Tauri command {}",
                            r.returns, sig.returns
                        ));
                    }
                }
            }
        }
        for name in &desktop {
            if !commands.iter().any(|c| c == name) {
                problems.push(format!("DESKTOP_ONLY lists {name}, which is no Tauri command"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_command_the_ui_calls_exists_with_the_arguments_of_its_route() {
        let dir = repo().join("ui/src/api");
        let desktop: BTreeSet<&str> = DESKTOP_ONLY.iter().map(|(n, _)| *n).collect();
        let mut problems = Vec::new();
        let mut calls = 0;
        for entry in std::fs::read_dir(&dir).expect("ui/src/api") {
            let path = entry.expect("an entry").path();
            if path.extension().is_none_or(|e| e != "ts") || path.to_string_lossy().ends_with(".spec.ts") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("a ts file");
            for (name, keys) in ui_calls(&source) {
                calls += 1;
                let Some(r) = route(&name) else {
                    if !desktop.contains(name.as_str()) {
                        problems.push(format!("{}: calls {name}, which has no route", path.display()));
                    }
                    continue;
                };
                let Some(keys) = keys else { continue };
                for k in &keys {
                    if !r.args.iter().any(|a| a.wire_name() == *k) {
                        problems
                            .push(format!("{}: {name} is passed `{k}`, which its route does not take", path.display()));
                    }
                }
                for a in r.args.iter().filter(|a| !a.optional()) {
                    if !keys.contains(&a.wire_name()) {
                        problems.push(format!(
                            "{}: {name} is not passed `{}`, which its route needs",
                            path.display(),
                            a.wire_name()
                        ));
                    }
                }
            }
        }
        assert!(calls > 50, "found only {calls} calls in ui/src/api");
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_ui_calls_are_read_with_their_argument_names() {
        let source = r#"return call<LogLine[]>("run_logs", { id, fromSeq, limit });
            await call<null>("app_painted", mark === undefined ? undefined : { mark });
            return call<Run>("run_start", { template, params, trigger, gitRef: ref ?? null });
            return call<TemplateSummary[]>("template_list");"#;
        let calls = ui_calls(source);
        let keys = |k: &[&str]| Some(k.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(calls[0], ("run_logs".to_string(), keys(&["id", "fromSeq", "limit"])));
        assert_eq!(calls[1], ("app_painted".to_string(), None));
        assert_eq!(calls[2], ("run_start".to_string(), keys(&["template", "params", "trigger", "gitRef"])));
        assert_eq!(calls[3], ("template_list".to_string(), keys(&[])));
    }

    #[test]
    fn signatures_are_read_from_command_source() {
        let source = "#[tauri::command]\npub async fn run_logs(state: State<'_, AppState>, id: i64, from_seq: i64, limit: u32) -> CmdResult<Vec<LogLine>> {\n}\n#[tauri::command]\npub fn run_unfollow(state: State<'_, AppState>, id: i64) {\n}\n#[tauri::command]\npub async fn x(a: simple_cicd_engine::api::LogSearch) -> CmdResult<simple_cicd_engine::api::LogSearch> {}";
        let sigs = command_signatures(source);
        assert_eq!(
            sigs[0].1,
            Signature { args: vec!["id".into(), "fromSeq".into(), "limit".into()], returns: "Vec<LogLine>".into() }
        );
        assert_eq!(sigs[1].1, Signature { args: vec!["id".into()], returns: "()".into() });
        assert_eq!(sigs[2].1.returns, "LogSearch");
    }
}
