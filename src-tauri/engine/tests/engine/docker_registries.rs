//! Registries against a real docker-registry, with and without htpasswd authentication.

use simple_cicd_engine::model::NewRegistry;
use simple_cicd_engine::{api, Error};

use crate::docker_support::*;
use crate::support::*;

fn reg(name: &str, url: &str, login: Option<(&str, &str)>) -> NewRegistry {
    NewRegistry {
        name: name.into(),
        url: url.into(),
        username: login.map(|(u, _)| u.to_string()),
        password: login.map(|(_, p)| p.to_string()),
    }
}

#[tokio::test]
async fn test_logs_in_with_the_stored_password_and_says_whether_it_worked() {
    let registry = TestRegistry::start(Some(("ci", "s3cret-pass"))).await;
    let t = engine().await;
    file_secrets(&t.engine).await;
    api::registry_add(&t.engine, &me(), reg("good", &registry.host, Some(("ci", "s3cret-pass")))).await.unwrap();
    api::registry_add(&t.engine, &me(), reg("bad", &registry.host, Some(("ci", "not-it")))).await.unwrap();
    api::registry_add(&t.engine, &me(), reg("anon", &registry.host, None)).await.unwrap();
    let ok = api::registry_test(&t.engine, "good").await.expect("the right password logs in");
    assert!(ok.status.starts_with("Login Succeeded"), "{ok:?}");
    let err = api::registry_test(&t.engine, "bad").await.unwrap_err().to_string();
    assert!(err.contains("refused the login (user ci: HTTP 401"), "{err}");
    let err = api::registry_test(&t.engine, "anon").await.unwrap_err().to_string();
    assert!(err.contains("requires a login"), "{err}");
    let listed = api::registry_list(&t.engine).await.unwrap();
    let good = listed.iter().find(|r| r.name == "good").unwrap();
    assert!(good.has_password && good.host == registry.host, "{good:?}");
    let json = serde_json::to_string(&listed).unwrap();
    assert!(!json.contains("s3cret-pass"), "the password never comes back out: {json}");
    let db = std::fs::read(t.dir.path().join("simple-cicd.db")).unwrap();
    let wal = std::fs::read(t.dir.path().join("simple-cicd.db-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(!bytes.windows(11).any(|w| w == b"s3cret-pass"), "the password never enters SQLite");
    }
}

#[tokio::test]
async fn an_open_registry_logs_in_and_an_absent_one_is_unreachable() {
    let registry = TestRegistry::start(None).await;
    let t = engine().await;
    api::registry_add(&t.engine, &me(), reg("open", &format!("http://{}/", registry.host), None)).await.unwrap();
    let ok = api::registry_test(&t.engine, "open").await.unwrap();
    assert!(ok.status.starts_with("Login Succeeded") && ok.status.contains("plain HTTP"), "{ok:?}");
    let host = format!("127.0.0.1:{}", free_port());
    api::registry_add(&t.engine, &me(), reg("absent", &host, None)).await.unwrap();
    let err = api::registry_test(&t.engine, "absent").await.unwrap_err().to_string();
    assert!(err.contains(&format!("is not reachable at {host}")), "{err}");
}

#[tokio::test]
async fn adding_checks_the_url_and_removing_forgets_it() {
    let t = engine().await;
    let err = api::registry_add(&t.engine, &me(), reg("x", "https://", None)).await.unwrap_err();
    assert!(matches!(&err, Error::Invalid(f) if f[0].path == "url"), "{err}");
    let mut no_user = reg("y", "localhost:5000", None);
    no_user.password = Some("p".into());
    let err = api::registry_add(&t.engine, &me(), no_user).await.unwrap_err();
    assert!(matches!(&err, Error::Invalid(f) if f[0].path == "username"), "{err}");
    let hub = api::registry_add(&t.engine, &me(), reg("hub", "https://index.docker.io/v1/", None)).await.unwrap();
    assert_eq!(hub.host, "docker.io");
    api::registry_remove(&t.engine, &me(), "hub").await.unwrap();
    assert!(matches!(api::registry_test(&t.engine, "hub").await, Err(Error::RegistryUnknown { .. })));
}
