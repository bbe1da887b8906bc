//! What a set of templates names that must be stored for their runs to work: the registries
//! builds push to, the secrets webhooks and secret parameters read, the clusters Helm deploys to;
//! and whether each is there. Left out: the repository (an import checks it itself) and Docker
//! endpoints (`local` is built in).

use std::collections::BTreeMap;

use crate::error::Result;
use crate::model::{ExampleNeed, InlineBody, NeedKind, ParamType, StepBody, TemplateBody, TemplateSpec, TriggerSpec};
use crate::Engine;

/// Every registry, secret and cluster `specs` name, with the templates that name it and whether
/// it is stored; sorted by kind, then name.
pub(super) async fn needs(engine: &Engine, specs: &[TemplateSpec]) -> Result<Vec<ExampleNeed>> {
    let mut named: BTreeMap<(NeedKind, String), Vec<String>> = BTreeMap::new();
    for spec in specs {
        for (what, name) in named_by(spec) {
            let users = named.entry((what, name)).or_default();
            if !users.contains(&spec.name) {
                users.push(spec.name.clone());
            }
        }
    }
    let secrets: Vec<String> = engine.store().secret_all().await?.into_iter().map(|s| s.name).collect();
    let mut out = Vec::with_capacity(named.len());
    for ((what, name), used_by) in named {
        let present = match what {
            NeedKind::Registry => engine.store().registry_get(&name).await?.is_some(),
            NeedKind::Cluster => engine.store().cluster_get(&name).await?.is_some(),
            NeedKind::Secret => secrets.contains(&name),
        };
        out.push(ExampleNeed { what, name, used_by, present });
    }
    Ok(out)
}

fn named_by(spec: &TemplateSpec) -> Vec<(NeedKind, String)> {
    let mut out = Vec::new();
    for trigger in &spec.triggers {
        if let TriggerSpec::Webhook(hook) = trigger {
            out.extend(hook.secret.clone().map(|s| (NeedKind::Secret, s)));
        }
    }
    for param in spec.params.iter().filter(|p| p.kind == ParamType::Secret) {
        out.push((NeedKind::Secret, param.secret.clone().unwrap_or_else(|| param.name.clone())));
    }
    match &spec.body {
        TemplateBody::DockerBuild(b) => out.extend(b.push.as_ref().map(|p| (NeedKind::Registry, p.registry.clone()))),
        TemplateBody::Helm(b) => out.extend(b.cluster.clone().map(|c| (NeedKind::Cluster, c))),
        TemplateBody::Pipeline(steps) => {
            for step in steps {
                match &step.body {
                    StepBody::Inline(InlineBody::DockerBuild(b)) => {
                        out.extend(b.push.as_ref().map(|p| (NeedKind::Registry, p.registry.clone())));
                    }
                    StepBody::Inline(InlineBody::Helm(b)) => {
                        out.extend(b.cluster.clone().map(|c| (NeedKind::Cluster, c)));
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}
