//! Template and pipeline YAML, as `scicd template import`, the UI's editor and
//! `POST /api/v1/yaml/import` take it: parse, check, and for a pipeline plan it (its `uses` steps
//! resolved against a few fixed templates, then the empty database of a private engine).
//!
//! Properties: a refusal is `Error::Invalid` naming at least one field; an accepted template
//! exports to YAML that imports as the same template (export → import is the identity); a valid
//! pipeline's depths put every step after the steps it needs; planning refuses or inlines every
//! `uses` step, and never panics.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::model::{StepBody, TemplateBody, TemplateSpec};
use simple_cicd_engine::template::{self, pipeline::dependencies};
use simple_cicd_engine::{plan, Engine, EngineOptions, Error};

/// The templates `uses` steps find without the database: a shell with a parameter of each type,
/// one with a secret parameter, a pipeline (which a step may not use).
const USED: &[&str] = &[
    "kind: shell\nname: unit\ntimeoutSeconds: 60\nparams:\n  - { name: LEVEL, type: choice, choices: [quick, full], default: quick }\n  - { name: N, type: number, default: 2 }\n  - { name: GO, type: boolean }\n  - { name: WHO, type: string, required: true }\nscript: make test\n",
    "kind: shell\nname: with-secret\nparams:\n  - { name: TOKEN, type: secret, secret: deploy-token }\nscript: ./deploy\n",
    "kind: pipeline\nname: nested\nsteps:\n  - { name: a, kind: shell, script: x }\n",
    "kind: docker-build\nname: image\ntags: [\"localhost:5000/web:1\"]\n",
];

struct Planner {
    runtime: tokio::runtime::Runtime,
    engine: Engine,
    used: Vec<TemplateSpec>,
    // Kept for the life of the process: the engine's data directory (under $TMPDIR, which
    // scripts/fuzz.sh points at a directory it removes).
    _dir: tempfile::TempDir,
}

static PLANNER: LazyLock<Planner> = LazyLock::new(|| {
    let dir = tempfile::Builder::new().prefix("simple-cicd-fuzz-").tempdir().expect("a temp dir");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let options = EngineOptions { data_dir: Some(dir.path().to_path_buf()), ..Default::default() };
    let engine = runtime.block_on(Engine::open(options)).expect("an engine on a fresh data dir");
    let used = USED.iter().map(|t| template::spec_from_yaml(t).expect("the fixed templates are valid")).collect();
    Planner { runtime, engine, used, _dir: dir }
});

fuzz_target!(|text: &str| {
    let checked = template::from_yaml(text).and_then(template::check);
    let spec = match checked {
        Ok((spec, _notes)) => spec,
        Err(Error::Invalid(fields)) => {
            assert!(!fields.is_empty(), "a refusal names at least one field");
            assert!(fields.iter().all(|f| !f.message.is_empty()), "every refusal says why: {fields:?}");
            return;
        }
        Err(other) => panic!("parsing and checking a file fails only as Invalid, not {other:?}"),
    };
    let yaml = template::to_yaml(&spec);
    match template::spec_from_yaml(&yaml) {
        Ok(again) => assert_eq!(again, spec, "export then import changes the template; the export:\n{yaml}"),
        Err(e) => panic!("the export of a valid template does not import: {e}; the export:\n{yaml}"),
    }
    let TemplateBody::Pipeline(steps) = &spec.body else { return };
    let depths = plan::depths(steps);
    for (i, needs) in dependencies(steps).iter().enumerate() {
        for j in needs {
            assert!(depths[*j] < depths[i], "step {i} is drawn in a column after the step {j} it needs");
        }
    }
    let p = &*PLANNER;
    match p.runtime.block_on(plan::plan_among(&p.engine, &spec, &p.used)) {
        Ok(planned) => {
            let TemplateBody::Pipeline(planned_steps) = &planned.body else { panic!("a plan is a pipeline") };
            assert_eq!(planned_steps.len(), steps.len(), "planning keeps every step");
            assert!(
                planned_steps.iter().all(|s| matches!(s.body, StepBody::Inline(_))),
                "a plan has no `uses` step left"
            );
        }
        Err(Error::Invalid(fields)) => assert!(!fields.is_empty(), "a refused plan names a field"),
        Err(other) => panic!("planning fails only as Invalid, not {other:?}"),
    }
});
