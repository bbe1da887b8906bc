//! The spec snapshots of the runs this process works on, kept in memory.
//!
//! A run's spec and key are written once, with the run, and never change; run ids are never reused
//! (`AUTOINCREMENT`). So a spec read once stays right for as long as it is kept, whichever process
//! changes the run's status meanwhile. A run reads its spec several times on its way (the start,
//! each step, its notifications, its follower's step names): kept, each later read is a map
//! lookup instead of a query and a JSON parse.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::model::TemplateSpec;

/// Specs kept at once; the oldest read goes first.
const KEEP: usize = 32;

/// A run's spec snapshot and its run key.
pub(crate) type RunSpec = Arc<(TemplateSpec, String)>;

#[derive(Debug, Default)]
pub(crate) struct RunSpecs {
    kept: Mutex<VecDeque<(i64, RunSpec)>>,
}

impl RunSpecs {
    pub(crate) fn get(&self, run_id: i64) -> Option<RunSpec> {
        let kept = self.kept.lock().expect("run specs lock");
        kept.iter().find(|(id, _)| *id == run_id).map(|(_, spec)| spec.clone())
    }

    pub(crate) fn keep(&self, run_id: i64, spec: RunSpec) {
        let mut kept = self.kept.lock().expect("run specs lock");
        if kept.iter().any(|(id, _)| *id == run_id) {
            return;
        }
        if kept.len() == KEEP {
            kept.pop_front();
        }
        kept.push_back((run_id, spec));
    }

    /// Drops the specs of deleted runs (so a deleted run is not found here either).
    pub(crate) fn forget(&self, run_ids: &[i64]) {
        self.kept.lock().expect("run specs lock").retain(|(id, _)| !run_ids.contains(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(key: &str) -> RunSpec {
        let spec = TemplateSpec::from_stored_json(r#"{"kind":"shell","name":"t","script":"true"}"#).unwrap();
        Arc::new((spec, key.to_string()))
    }

    #[test]
    fn a_kept_spec_is_found_until_newer_ones_push_it_out() {
        let specs = RunSpecs::default();
        specs.keep(1, spec("k1"));
        assert_eq!(specs.get(1).unwrap().1, "k1");
        for id in 2..=KEEP as i64 {
            specs.keep(id, spec("k"));
        }
        assert!(specs.get(1).is_some(), "{KEEP} fit");
        specs.keep(KEEP as i64 + 1, spec("k"));
        assert!(specs.get(1).is_none(), "the oldest goes first");
        assert!(specs.get(2).is_some());
        specs.forget(&[2]);
        assert!(specs.get(2).is_none(), "a deleted run's spec goes");
    }
}
