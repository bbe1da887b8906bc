//! Webhook bodies in the providers' documented formats (trimmed to the fields a push carries in
//! their documentation examples; the server must ignore everything it does not use).

pub fn github_push(git_ref: &str, after: &str) -> String {
    let deleted = after.chars().all(|c| c == '0');
    serde_json::json!({
        "ref": git_ref,
        "before": "0000000000000000000000000000000000000000",
        "after": after,
        "created": false,
        "deleted": deleted,
        "forced": false,
        "base_ref": null,
        "compare": "https://github.com/Codertocat/Hello-World/compare/6113728f27ae...000000000000",
        "commits": [{
            "id": after,
            "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433",
            "distinct": true,
            "message": "Update README.md",
            "timestamp": "2019-05-15T15:20:30Z",
            "url": format!("https://github.com/Codertocat/Hello-World/commit/{after}"),
            "author": { "name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com", "username": "Codertocat" },
            "committer": { "name": "GitHub", "email": "noreply@github.com", "username": "web-flow" },
            "added": [], "removed": [], "modified": ["README.md"]
        }],
        "head_commit": { "id": after, "message": "Update README.md" },
        "repository": {
            "id": 186853002, "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=", "name": "Hello-World",
            "full_name": "Codertocat/Hello-World", "private": false,
            "owner": { "name": "Codertocat", "login": "Codertocat", "id": 21031067 },
            "clone_url": "https://github.com/Codertocat/Hello-World.git", "default_branch": "master"
        },
        "pusher": { "name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com" },
        "sender": { "login": "Codertocat", "id": 21031067, "type": "User", "site_admin": false }
    })
    .to_string()
}

pub fn github_ping() -> String {
    serde_json::json!({
        "zen": "Keep it logically awesome.",
        "hook_id": 30,
        "hook": { "type": "Repository", "id": 30, "name": "web", "active": true, "events": ["push"],
                  "config": { "content_type": "json", "insecure_ssl": "0", "url": "https://example.com/hooks" } },
        "repository": { "id": 186853002, "full_name": "Codertocat/Hello-World" },
        "sender": { "login": "Codertocat", "id": 21031067 }
    })
    .to_string()
}

pub fn gitlab_push(git_ref: &str, after: &str) -> String {
    let kind = if git_ref.starts_with("refs/tags/") { "tag_push" } else { "push" };
    let deleted = after.chars().all(|c| c == '0');
    serde_json::json!({
        "object_kind": kind,
        "event_name": kind,
        "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
        "after": after,
        "ref": git_ref,
        "ref_protected": true,
        "checkout_sha": if deleted { serde_json::Value::Null } else { serde_json::json!(after) },
        "user_id": 4, "user_name": "John Smith", "user_username": "jsmith", "user_email": "john@example.com",
        "project_id": 15,
        "project": { "id": 15, "name": "Diaspora", "path_with_namespace": "mike/diaspora", "default_branch": "master",
                     "git_http_url": "http://example.com/mike/diaspora.git" },
        "commits": [{ "id": after, "message": "Update Catalan translation to e38cb41.", "title": "Update Catalan translation to e38cb41.",
                      "timestamp": "2011-12-12T14:27:31+02:00", "author": { "name": "Jordi Mallach", "email": "jordi@softcatala.org" },
                      "added": ["CHANGELOG"], "modified": ["app/controller/application.rb"], "removed": [] }],
        "total_commits_count": 1,
        "repository": { "name": "Diaspora", "url": "git@example.com:mike/diaspora.git", "homepage": "http://example.com/mike/diaspora" }
    })
    .to_string()
}

pub fn gitea_push(git_ref: &str, after: &str) -> String {
    serde_json::json!({
        "ref": git_ref,
        "before": "28e1879d029cb852e4844d9c718537df08844e03",
        "after": after,
        "compare_url": "http://localhost:3000/gitea/webhooks/compare/28e1879d029cb852e4844d9c718537df08844e03...bffeb74224043ba2feb48d137756c8a9331c449a",
        "commits": [{ "id": after, "message": "Webhooks Yay!", "url": "http://localhost:3000/gitea/webhooks/commit/bffeb74224043ba2feb48d137756c8a9331c449a",
                      "author": { "name": "Gitea", "email": "someone@gitea.io", "username": "gitea" },
                      "committer": { "name": "Gitea", "email": "someone@gitea.io", "username": "gitea" },
                      "timestamp": "2017-03-13T13:52:11-04:00" }],
        "repository": { "id": 140, "owner": { "id": 1, "login": "gitea", "full_name": "Gitea" }, "name": "webhooks",
                        "full_name": "gitea/webhooks", "private": false, "clone_url": "http://localhost:3000/gitea/webhooks.git",
                        "default_branch": "master" },
        "pusher": { "id": 1, "login": "gitea" },
        "sender": { "id": 1, "login": "gitea" }
    })
    .to_string()
}
