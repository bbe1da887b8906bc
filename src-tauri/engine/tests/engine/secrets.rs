//! Secrets against the real OS keyring (Secret Service; the test script runs these inside a D-Bus
//! session with an unlocked gnome-keyring) and the encrypted-file fallback; masking in real runs.

use base64::Engine as _;
use simple_cicd_engine::model::RunStatus;
use simple_cicd_engine::{api, secrets, settings};

use crate::support::*;

const TEMPLATE: &str = "kind: shell\nname: leak\nparams:\n  - name: API_TOKEN\n    type: secret\n  - name: PEM\n    type: secret\n    secret: DEPLOY_KEY\nscript: |\n  echo \"mid-line token=$API_TOKEN end\"\n  echo \"$API_TOKEN$API_TOKEN and $API_TOKEN\"\n  printf '%s\\n' \"$PEM\"\n  printf '%s' \"$API_TOKEN\" | base64\n  echo \"url: https://x/?t=$(printf '%s' \"$API_TOKEN\" | sed 's/ /%20/g; s/@/%40/g')\"\n  echo \"len=${#API_TOKEN}\" >&2\n";
const TOKEN: &str = "tok@en with space-1234";
const PEM: &str = "-----BEGIN TEST KEY-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldY\nWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\n-----END TEST KEY-----";

async fn masked_run(t: &TestEngine) {
    secrets::secret_set(&t.engine, &me(), "API_TOKEN", TOKEN).await.expect("the secret store works");
    secrets::secret_set(&t.engine, &me(), "DEPLOY_KEY", PEM).await.unwrap();
    apply(&t.engine, TEMPLATE).await;
    let run = wait_end(&t.engine, start(&t.engine, "leak", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, run.id).await);
    assert_eq!(run.params["API_TOKEN"], "secret:API_TOKEN", "the history names the secret, never its value");
    assert_eq!(run.params["PEM"], "secret:DEPLOY_KEY");
    let text = log_text(&t.engine, run.id).await.join("\n");
    assert!(text.contains("mid-line token=****** end"), "{text}");
    assert!(text.contains("************ and ******"), "{text}");
    assert!(text.contains("len=22"), "the script did receive the value: {text}");
    let b64 = base64::engine::general_purpose::STANDARD.encode(TOKEN);
    for leak in [TOKEN, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", "tok%40en%20with%20space-1234", b64.as_str(), "tok@en"] {
        assert!(!text.contains(leak), "`{leak}` leaked into the log:\n{text}");
    }
    let listed = secrets::secret_list(&t.engine).await.unwrap();
    assert_eq!(listed.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["API_TOKEN", "DEPLOY_KEY"]);
    let db = std::fs::read(t.dir.path().join("simple-cicd.db")).unwrap();
    let wal = std::fs::read(t.dir.path().join("simple-cicd.db-wal")).unwrap_or_default();
    for bytes in [&db, &wal] {
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()), "the value never enters SQLite");
    }
}

#[tokio::test]
async fn secrets_in_the_keyring_reach_the_script_and_are_masked_everywhere_in_the_log() {
    let t = engine().await;
    masked_run(&t).await;
    for name in ["API_TOKEN", "DEPLOY_KEY"] {
        secrets::secret_delete(&t.engine, &me(), name).await.unwrap();
    }
}

#[tokio::test]
async fn the_encrypted_file_fallback_works_the_same_way() {
    let t = engine().await;
    settings::config_set(&t.engine, &me(), "secrets.backend", "file").await.unwrap();
    // SAFETY of the test: the variable is only read by the file store of this test's engines.
    unsafe_set_key();
    masked_run(&t).await;
    let raw = std::fs::read_to_string(t.dir.path().join("secrets.enc")).unwrap();
    assert!(!raw.contains("tok@en"), "the file is encrypted");
}

#[tokio::test]
async fn a_secret_deleted_after_the_template_named_it_fails_the_run_clearly() {
    let t = engine().await;
    settings::config_set(&t.engine, &me(), "secrets.backend", "file").await.unwrap();
    unsafe_set_key();
    secrets::secret_set(&t.engine, &me(), "GONE", "value-that-goes").await.unwrap();
    // Required: a secret parameter that is not required and not stored is simply left unset.
    let yaml =
        "kind: shell\nname: needs\nparams:\n  - name: GONE\n    type: secret\n    required: true\nscript: echo $GONE\n";
    apply(&t.engine, yaml).await;
    secrets::secret_delete(&t.engine, &me(), "GONE").await.unwrap();
    let run = wait_end(&t.engine, start(&t.engine, "needs", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Failed);
    assert!(run.error.unwrap().contains("the secret GONE is not stored"));
}

#[tokio::test]
async fn a_secret_parameter_refuses_a_value_from_the_run() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: s\nparams:\n  - name: TOKEN\n    type: secret\nscript: 'true'\n").await;
    let err = api::run_start(&t.engine, &me(), "s", &params(&[("TOKEN", "typed-in")])).await.unwrap_err();
    assert!(err.to_string().contains("comes from the stored secret TOKEN"), "{err}");
}

fn unsafe_set_key() {
    // Every test in this binary that uses the file store sets the same value, so the races of
    // set_var between threads cannot change what another test reads.
    #[allow(unsafe_code)]
    // SAFETY: see above; the value is identical for every writer.
    unsafe {
        std::env::set_var(secrets::SECRETS_KEY_ENV, "an engine test passphrase");
    }
}
