//! `scicd example import`: the bundled example, as a new user imports it.

use crate::support::*;

fn imported_names(s: &Scicd) -> Vec<String> {
    let out = s.run(&["template", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn without_the_repository_the_import_says_how_to_add_it_and_saves_nothing() {
    let s = Scicd::new();
    let out = s.run(&["example", "import"]);
    assert_eq!(out.status.code(), Some(2), "a missing repository is the user's input");
    let err = stderr(&out);
    assert!(err.contains("repo: there is no repository webapp") && err.contains("scicd repo add webapp URL"), "{err}");
    assert!(imported_names(&s).is_empty(), "nothing half-written");
}

#[test]
fn the_example_imports_against_the_named_repository_then_refuses_to_overwrite_unless_asked() {
    let s = Scicd::new();
    assert!(s.run(&["repo", "add", "shop", "file:///srv/git/webapp.git"]).status.success());
    let out = s.run(&["example", "import", "--repo", "shop"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Created template") && text.contains("checks out the repository shop"), "{text}");
    assert!(
        stderr(&out).contains("registry local (used by webapp-image): scicd registry add local"),
        "says what its runs use that is not stored, and how to add it: {}",
        stderr(&out)
    );
    let names = imported_names(&s);
    assert!(names.len() >= 2, "templates and a pipeline: {names:?}");
    let pipeline = text.lines().last().unwrap().rsplit(' ').next().unwrap().to_string();
    let shown = stdout(&s.run(&["template", "show", &pipeline, "--yaml"]));
    assert!(shown.contains("kind: pipeline") && shown.contains("repo: shop"), "{shown}");

    let again = s.run(&["example", "import", "--repo", "shop", "--json"]);
    assert_eq!(again.status.code(), Some(2));
    let error: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(error["code"], "conflict");
    assert!(stderr(&again).contains("already exist") && stderr(&again).contains("--replace"), "{}", stderr(&again));

    let replaced = s.run(&["example", "import", "--repo", "shop", "--replace", "--json"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    let json: serde_json::Value = serde_json::from_slice(&replaced.stdout).unwrap();
    assert_eq!(json["created"].as_array().unwrap().len(), 0);
    assert_eq!(json["replaced"].as_array().unwrap().len(), names.len(), "{json}");
    assert_eq!(json["pipeline"], pipeline.as_str());
    assert_eq!(imported_names(&s).len(), names.len(), "no duplicates");
}
