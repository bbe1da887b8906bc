//! `scicd template apply | list | show | rm`.

use std::io::Read;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::{api, Engine};

use crate::args::TemplateCmd;
use crate::failure::{CmdResult, Failure};
use crate::output;

/// Runs a template subcommand.
pub async fn dispatch(engine: &Engine, cmd: TemplateCmd) -> CmdResult {
    match cmd {
        TemplateCmd::Apply { file } => {
            let text = if file.as_os_str() == "-" {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
                s
            } else {
                std::fs::read_to_string(&file)
                    .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?
            };
            let saved = api::template_apply_yaml(engine, &Caller::cli(), &text).await?;
            for note in &saved.notes {
                eprintln!("note: {note}");
            }
            let verb = if saved.created { "Created" } else { "Updated" };
            println!("{verb} template {}", saved.template.spec.name);
        }
        TemplateCmd::List { json } => {
            let list = api::template_list(engine).await?;
            if json {
                output::json(&list);
            } else if list.is_empty() {
                eprintln!("No templates yet. Create one with: scicd template apply -f hello.yaml");
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|t| {
                        vec![
                            t.name.clone(),
                            t.kind.as_str().to_string(),
                            t.param_count.to_string(),
                            t.last_run.as_ref().map_or("-".into(), |r| format!("#{} {}", r.number, r.status)),
                            if t.pinned { "yes" } else { "" }.to_string(),
                            t.description.lines().next().unwrap_or("").to_string(),
                        ]
                    })
                    .collect();
                output::table(&["NAME", "KIND", "PARAMS", "LAST RUN", "PINNED", "DESCRIPTION"], &rows);
            }
        }
        TemplateCmd::Show { name, yaml, json } => {
            if yaml {
                print!("{}", api::template_export_yaml(engine, &name).await?);
            } else {
                let t = api::template_get(engine, &name).await?;
                if json {
                    output::json(&t);
                } else {
                    print_template(&t);
                }
            }
        }
        TemplateCmd::Rm { name } => {
            api::template_delete(engine, &Caller::cli(), &name).await?;
            println!("Deleted template {name}; its runs stay in the history");
        }
        TemplateCmd::Pin { name } => {
            api::template_pin(engine, &Caller::cli(), &name, true).await?;
            println!("Pinned {name} to the tray");
        }
        TemplateCmd::Unpin { name } => {
            api::template_pin(engine, &Caller::cli(), &name, false).await?;
            println!("Unpinned {name}");
        }
    }
    Ok(0)
}

fn print_template(t: &simple_cicd_engine::model::Template) {
    use simple_cicd_engine::model::TemplateBody;
    let s = &t.spec;
    println!("Name:        {}", s.name);
    println!("Kind:        {}", s.kind().as_str());
    if !s.description.is_empty() {
        println!("Description: {}", s.description);
    }
    println!("Timeout:     {}", s.timeout_seconds.map_or("none".into(), |t| format!("{t}s")));
    println!("Updated:     {}", output::local_time(Some(&t.updated_at)));
    if !s.params.is_empty() {
        println!("Parameters:");
        for p in &s.params {
            let default = p.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
            let req = if p.required { " (required)" } else { "" };
            println!("  {} : {:?}{default}{req}", p.name, p.kind);
        }
    }
    match &s.body {
        TemplateBody::Shell(b) => {
            println!("Workdir:     {}", b.workdir.as_deref().unwrap_or("(the run's own workspace)"));
            if let Some(image) = &b.image {
                println!("Container:   {image} on endpoint {}", b.docker_endpoint().unwrap_or_default());
            }
            println!("Script:");
            for line in b.script.lines() {
                println!("  {line}");
            }
        }
        TemplateBody::DockerBuild(b) => {
            println!("Endpoint:    {}", b.docker_endpoint());
            println!("Context:     {}", b.context.as_deref().unwrap_or("(the run's workspace)"));
            match &b.dockerfile_inline {
                Some(_) => println!("Dockerfile:  (inline)"),
                None => println!("Dockerfile:  {}", b.dockerfile.as_deref().unwrap_or("Dockerfile")),
            }
            if !b.tags.is_empty() {
                println!("Tags:        {}", b.tags.join(", "));
            }
            if let Some(push) = &b.push {
                println!("Push to:     {}", push.registry);
            }
        }
        TemplateBody::Ssh(b) => {
            println!("Host:        {}", b.host);
            println!("Key:         {}", b.key.as_deref().unwrap_or("(your own keys and ssh-agent)"));
            println!("Workdir:     {}", b.workdir.as_deref().unwrap_or("(the login directory)"));
            println!("Script:");
            for line in b.script.lines() {
                println!("  {line}");
            }
        }
        TemplateBody::Compose(b) => {
            println!("Endpoint:    {}", b.docker_endpoint());
            println!("Project:     {}", b.project.as_deref().unwrap_or("(the template's name)"));
            match &b.compose {
                Some(text) => {
                    println!("Compose file:");
                    for line in text.lines() {
                        println!("  {line}");
                    }
                }
                None => println!("Files:       {}", b.files.join(", ")),
            }
        }
        TemplateBody::Helm(b) => {
            println!("Cluster:     {}", b.cluster.as_deref().unwrap_or("(the only stored one)"));
            println!("Namespace:   {}", b.namespace.as_deref().unwrap_or("(the cluster's)"));
            println!("Release:     {}", b.release.as_deref().unwrap_or("(the template's name)"));
            match (&b.chart_path, &b.chart, &b.repo) {
                (Some(p), _, _) => println!("Chart:       {p} (of the source)"),
                (None, Some(c), Some(r)) => println!("Chart:       {c} of {r}"),
                (None, Some(c), None) => println!("Chart:       {c}"),
                _ => {}
            }
            if let Some(v) = &b.version {
                println!("Version:     {v}");
            }
            for (k, v) in &b.set {
                println!("Set:         {k}={v}");
            }
            if let Some(text) = &b.values {
                println!("Values:");
                for line in text.lines() {
                    println!("  {line}");
                }
            }
        }
        TemplateBody::Pipeline(steps) => {
            println!("Steps:");
            for step in steps {
                let needs =
                    if step.needs.is_empty() { String::new() } else { format!(" (needs {})", step.needs.join(", ")) };
                println!("  {} [{}]{needs}", step.name, simple_cicd_engine::template::pipeline::kind_name(step));
            }
        }
    }
}
