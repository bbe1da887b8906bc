//! `scicd template ...`

use crate::support::*;

const HELLO: &str = "kind: shell\nname: hello\ndescription: Greets someone\nparams:\n  - name: WHO\n    type: string\n    default: world\n    required: false\ntimeoutSeconds: 600\nscript: |\n  echo \"hello $WHO\"\n";

#[test]
fn apply_list_show_and_remove_a_template() {
    let s = Scicd::new();
    s.apply(HELLO);
    let list = s.run(&["template", "list", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(json[0]["name"], "hello");
    assert_eq!(json[0]["paramCount"], 1, "JSON is camelCase");
    let yaml = stdout(&s.run(&["template", "show", "hello", "--yaml"]));
    assert!(yaml.contains("name: hello") && yaml.contains("echo \"hello $WHO\""), "{yaml}");
    let table = stdout(&s.run(&["template", "list"]));
    assert!(table.starts_with("NAME"), "{table}");
    let rm = s.run(&["template", "rm", "hello"]);
    assert!(rm.status.success());
    assert_eq!(s.run(&["template", "show", "hello"]).status.code(), Some(2));
}

#[test]
fn an_invalid_template_file_is_refused_with_the_reason_and_exit_2() {
    let s = Scicd::new();
    let path = s.dir.path().join("bad.yaml");
    std::fs::write(&path, "kind: docker-compose-ish\nname: x\nscript: 'true'\n").unwrap();
    let out = s.run(&["template", "apply", "-f", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown template kind"), "{}", stderr(&out));
    std::fs::write(&path, "kind: shell\nscript: 'true'\n").unwrap();
    let out = s.run(&["template", "apply", "-f", path.to_str().unwrap()]);
    assert!(stderr(&out).contains("name: the name is missing"), "{}", stderr(&out));
    let out = s.run(&["template", "apply", "-f", "/no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read /no/such/file.yaml"));
}

#[test]
fn crlf_scripts_are_converted_with_a_note() {
    let s = Scicd::new();
    let path = s.dir.path().join("win.yaml");
    std::fs::write(&path, "kind: shell\r\nname: win\r\nscript: |\r\n  echo one\r\n  echo two\r\n").unwrap();
    let out = s.run(&["template", "apply", "-f", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let run = s.run(&["run", "win"]);
    assert_eq!(stdout(&run), "one\ntwo\n");
}

#[test]
fn an_unusable_data_dir_is_reported_with_what_to_do() {
    let s = Scicd::new();
    let file = s.dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scicd"))
        .args(["--data-dir", file.join("sub").to_str().unwrap(), "template", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("--data-dir or SIMPLE_CICD_DATA_DIR"), "{}", stderr(&out));
}
