//! Docker endpoints against the real daemon: the local socket, the same daemon over TCP with TLS
//! client certificates, over SSH through a local sshd, and every way of not getting there.

use simple_cicd_engine::model::{EndpointKind, NewEndpoint};
use simple_cicd_engine::{api, Error};

use crate::docker_support::*;
use crate::support::*;

#[tokio::test]
async fn the_local_socket_is_listed_and_its_test_describes_the_engine() {
    let t = engine().await;
    let list = api::endpoint_list(&t.engine).await.unwrap();
    let local = list.iter().find(|e| e.name == "local").expect("the local socket answers, so it is listed");
    assert!(local.builtin && local.kind == EndpointKind::Unix, "{local:?}");
    let info = api::endpoint_test(&t.engine, "local").await.expect("the local daemon answers");
    assert!(!info.engine_version.is_empty() && info.api_version.starts_with("1."), "{info:?}");
    assert_eq!(info.client_api_version, info.api_version, "the client speaks the daemon's version after negotiation");
    assert!(info.cpus > 0 && info.memory_bytes > 0 && !info.os.is_empty(), "{info:?}");
    assert!(info.images >= 0 && info.containers >= info.containers_running, "{info:?}");
    let err = api::endpoint_remove(&t.engine, &me(), "local").await.unwrap_err();
    assert!(err.to_string().contains("built in"), "{err}");
}

#[tokio::test]
async fn the_same_daemon_over_tls_with_client_certificates_answers_and_the_key_stays_out_of_sqlite() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    add_endpoint(&t.engine, tls_endpoint("tls")).await;
    let listed = api::endpoint_list(&t.engine).await.unwrap();
    assert!(listed.iter().any(|e| e.name == "tls" && e.kind == EndpointKind::Tls), "{listed:?}");
    let over_tls = api::endpoint_test(&t.engine, "tls").await.expect("the TLS endpoint answers");
    let local = api::endpoint_test(&t.engine, "local").await.unwrap();
    assert_eq!(over_tls.engine_version, local.engine_version, "it is the same daemon");
    assert!(over_tls.url.starts_with("tcp://"));
    let key = std::fs::read_to_string(tls_dir().join("key.pem")).unwrap();
    let body_line = key.lines().nth(1).unwrap().to_string();
    let db = std::fs::read(t.dir.path().join("simple-cicd.db")).unwrap();
    let wal = std::fs::read(t.dir.path().join("simple-cicd.db-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(
            !bytes.windows(body_line.len()).any(|w| w == body_line.as_bytes()),
            "the client key never enters SQLite"
        );
    }
    api::endpoint_remove(&t.engine, &me(), "tls").await.unwrap();
    assert!(matches!(api::endpoint_test(&t.engine, "tls").await, Err(Error::EndpointUnknown { .. })));
}

#[tokio::test]
async fn a_client_certificate_the_daemon_does_not_trust_fails_the_tls_handshake_clearly() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    let rogue = rogue_tls();
    let mut e = tls_endpoint("rogue-client");
    e.tls_cert = Some(rogue.cert.clone());
    e.tls_key = Some(rogue.key.clone());
    add_endpoint(&t.engine, e).await;
    let err = api::endpoint_test(&t.engine, "rogue-client").await.unwrap_err().to_string();
    assert!(err.contains("TLS handshake with tcp://") && err.contains("check the endpoint's CA certificate"), "{err}");

    let mut e = tls_endpoint("rogue-ca");
    e.tls_ca = Some(rogue.ca);
    add_endpoint(&t.engine, e).await;
    let err = api::endpoint_test(&t.engine, "rogue-ca").await.unwrap_err().to_string();
    assert!(err.contains("TLS handshake") && err.to_lowercase().contains("certificate"), "{err}");
}

#[tokio::test]
async fn plain_tcp_to_the_tls_port_says_certificates_are_needed() {
    let t = engine().await;
    let url = format!("tcp://{}", tls_addr());
    add_endpoint(&t.engine, NewEndpoint { name: "plain".into(), url, ..NewEndpoint::default() }).await;
    let err = api::endpoint_test(&t.engine, "plain").await.unwrap_err().to_string();
    assert!(err.contains("requires TLS") && err.contains("--tls-ca"), "{err}");
}

#[tokio::test]
async fn nothing_listening_means_the_daemon_is_not_running() {
    let t = engine().await;
    let port = free_port();
    add_endpoint(
        &t.engine,
        NewEndpoint { name: "closed".into(), url: format!("tcp://127.0.0.1:{port}"), ..Default::default() },
    )
    .await;
    let err = api::endpoint_test(&t.engine, "closed").await.unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "Docker is not reachable at tcp://127.0.0.1:{port} (connection refused): nothing listens"
        )),
        "a refused TCP port says so: {err}"
    );
    let sock = t.dir.path().join("no-daemon.sock");
    let url = format!("unix://{}", sock.display());
    add_endpoint(&t.engine, NewEndpoint { name: "nosock".into(), url: url.clone(), ..Default::default() }).await;
    let err = api::endpoint_test(&t.engine, "nosock").await.unwrap_err().to_string();
    assert_eq!(err, format!("Docker is not reachable at {url}: is the daemon running?"));
    // A socket file nobody listens on any more (a daemon that died).
    drop(std::os::unix::net::UnixListener::bind(&sock).unwrap());
    let err = api::endpoint_test(&t.engine, "nosock").await.unwrap_err().to_string();
    assert!(err.ends_with("is the daemon running?"), "{err}");
}

#[tokio::test]
async fn ssh_through_a_local_sshd_reaches_the_daemon() {
    let t = engine().await;
    let _sshd = ssh_endpoint(&t.engine, "ssh").await;
    let info = api::endpoint_test(&t.engine, "ssh").await.expect("the ssh endpoint answers");
    let local = api::endpoint_test(&t.engine, "local").await.unwrap();
    assert_eq!(info.engine_version, local.engine_version, "it is the same daemon, through ssh");
    let listed = api::endpoint_list(&t.engine).await.unwrap();
    assert!(listed.iter().any(|e| e.name == "ssh" && e.has_ssh_key), "{listed:?}");
}

#[tokio::test]
async fn an_ssh_key_the_host_does_not_accept_is_refused_clearly() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    let sshd = TestSshd::start().await;
    let other = TestSshd::start().await; // its key is not in the first one's authorized_keys
    let url = format!("ssh://root@127.0.0.1:{}", sshd.port);
    add_endpoint(
        &t.engine,
        NewEndpoint { name: "wrong-key".into(), url, ssh_key: Some(other.key.clone()), ..Default::default() },
    )
    .await;
    let err = api::endpoint_test(&t.engine, "wrong-key").await.unwrap_err().to_string();
    assert!(err.contains("SSH authentication to ssh://root@127.0.0.1") && err.contains("refused"), "{err}");
    assert!(err.contains("Permission denied"), "ssh's own words are kept: {err}");
}

#[tokio::test]
async fn adding_checks_the_url_the_name_and_the_tls_material() {
    let t = engine().await;
    let bad = |name: &str, url: &str| NewEndpoint { name: name.into(), url: url.into(), ..Default::default() };
    let paths = |e: Error| match e {
        Error::Invalid(fields) => fields.into_iter().map(|f| f.path).collect::<Vec<_>>(),
        other => panic!("expected invalid input, got {other}"),
    };
    assert_eq!(paths(api::endpoint_add(&t.engine, &me(), bad("x", "http://h")).await.unwrap_err()), ["url"]);
    assert_eq!(paths(api::endpoint_add(&t.engine, &me(), bad("local", "tcp://h:1")).await.unwrap_err()), ["name"]);
    assert_eq!(paths(api::endpoint_add(&t.engine, &me(), bad("has space", "tcp://h:1")).await.unwrap_err()), ["name"]);
    let mut half = tls_endpoint("half");
    half.tls_key = None;
    assert_eq!(paths(api::endpoint_add(&t.engine, &me(), half).await.unwrap_err()), ["tlsKey"]);
    let mut garbage = tls_endpoint("garbage");
    garbage.tls_key = Some("not a key".into());
    assert_eq!(paths(api::endpoint_add(&t.engine, &me(), garbage).await.unwrap_err()), ["tlsCert"]);
    let mut ssh_on_tcp = bad("k", "tcp://h:1");
    ssh_on_tcp.ssh_key = Some("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----".into());
    assert_eq!(paths(api::endpoint_add(&t.engine, &me(), ssh_on_tcp).await.unwrap_err()), ["sshKey"]);
    api::endpoint_add(&t.engine, &me(), bad("twice", "tcp://h:1")).await.unwrap();
    assert_eq!(paths(api::endpoint_add(&t.engine, &me(), bad("twice", "tcp://h:2")).await.unwrap_err()), ["name"]);
}
