//! What `scicd` says: filters that match nothing, plural forms, `config unset`, the queued notice,
//! and one way of printing a log's lines.

use crate::support::*;

#[test]
fn runs_list_with_filters_that_match_nothing_says_so_and_an_unknown_template_is_a_mistake() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: hello\nscript: exit 3\n");
    assert_eq!(s.run(&["run", "hello"]).status.code(), Some(1));
    let out = s.run(&["runs", "list", "--template", "hello", "--status", "succeeded"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out).trim(), "No runs match --template hello --status succeeded", "runs exist, none match");
    let out = s.run(&["runs", "list", "--template", "nope"]);
    assert_eq!(out.status.code(), Some(2), "a template that does not exist is a mistake: {}", stderr(&out));
    assert!(stderr(&out).contains("template nope does not exist"), "{}", stderr(&out));
    let empty = Scicd::new();
    assert!(stderr(&empty.run(&["runs", "list"])).contains("No runs yet"), "no filters, no runs");
}

#[test]
fn config_unset_says_it_is_unset_and_what_the_default_is() {
    let s = Scicd::new();
    assert!(s.run(&["config", "set", "smtp.host", "mail.example.com"]).status.success());
    let out = s.run(&["config", "unset", "smtp.host"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "smtp.host unset (default: empty)");
    let out = s.run(&["config", "unset", "runs.maxParallel"]);
    assert!(stdout(&out).starts_with("runs.maxParallel unset (default: "), "{}", stdout(&out));
}

#[test]
fn a_run_that_gets_a_slot_at_once_does_not_say_it_is_queued() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: quick\nscript: echo hi\n");
    let out = s.run(&["run", "quick"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Queued"), "nothing waited: {}", stderr(&out));
}

#[test]
fn logs_prints_lines_the_same_way_with_and_without_follow() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: both\nscript: |\n  echo out\n  echo err >&2\n");
    assert!(s.run(&["run", "both"]).status.success());
    let plain = s.run(&["logs", "1"]);
    let follow = s.run(&["logs", "1", "--follow"]);
    assert_eq!(stdout(&plain), "out\n", "stdout carries the script's stdout only");
    assert_eq!(stdout(&plain), stdout(&follow));
    assert_eq!(stderr(&plain), stderr(&follow), "system lines and stderr the same way");
    assert!(stderr(&plain).contains("» Finished"), "{}", stderr(&plain));
    assert!(stderr(&plain).contains("err\n"), "{}", stderr(&plain));
}

#[test]
fn counts_use_their_plural_forms() {
    let s = Scicd::new();
    let out = s.run(&["storage", "cleanup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Removed 0 runs, 0 B of workspaces and 0 app revisions"), "{}", stdout(&out));
}

#[test]
fn the_log_and_the_run_record_show_the_same_duration() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: timed\nscript: sleep 0.3\n");
    assert!(s.run(&["run", "timed"]).status.success());
    let log = stderr(&s.run(&["logs", "1"]));
    let finished = log.lines().find_map(|l| l.strip_prefix("» Finished: succeeded after ")).expect("a Finished line");
    let finished = finished.split(',').next().unwrap();
    let show = stdout(&s.run(&["runs", "show", "1"]));
    let duration = show.lines().find_map(|l| l.strip_prefix("Duration:  ")).expect("a Duration line");
    assert_eq!(finished, duration, "one duration for a run, start to end: {log}\n{show}");
}

#[test]
fn an_optional_secret_that_was_never_stored_does_not_need_a_keyring() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: opt\nparams:\n  - name: API_TOKEN\n    type: secret\n    required: false\nscript: echo \"token:${API_TOKEN:-none}\"\n");
    let out = s.cmd().args(["run", "opt"]).env_remove("DBUS_SESSION_BUS_ADDRESS").output().unwrap();
    assert!(out.status.success(), "no keyring is asked for a secret nobody stored: {}", stderr(&out));
    assert_eq!(stdout(&out), "token:none\n");
}

#[test]
fn the_readmes_first_template_applies_and_runs_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = readme.find("```yaml\n").expect("the README shows a template") + "```yaml\n".len();
    let yaml = &readme[start..start + readme[start..].find("```").unwrap()];
    assert!(yaml.lines().count() <= 6, "the first template is the short one:\n{yaml}");
    let s = Scicd::new();
    s.apply(yaml);
    let out = s.run(&["run", "hello", "-p", "WHO=you"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "hello you\n");
}

#[test]
fn a_command_asked_for_json_prints_json_when_it_fails() {
    let s = Scicd::new();
    let out = s.run(&["runs", "show", "999", "--json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", stdout(&out)));
    assert_eq!((json["code"].as_str(), json["params"]["what"].as_str()), (Some("not_found"), Some("run")), "{json}");
    assert!(stderr(&out).contains("run 999 does not exist"), "the message still goes to stderr: {}", stderr(&out));
    let out = s.run(&["runs", "list", "--status", "nope", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["code"], "invalid", "a usage mistake of scicd itself: {json}");
}
