//! Engine tests against a real shell, real processes and a real SQLite file.

mod docker_support;
mod fault_dockerd;
mod fault_outcome;
mod fault_proxy;
mod git_servers;
mod kube_support;
#[path = "../support/smtp_sink.rs"]
mod smtp_sink;
mod support;

mod access;
mod apps_changes;
mod apps_retention;
mod clusters;
mod deploy_compose;
mod deploy_helm;
mod deploy_helm_charts;
mod deploy_ssh;
mod docker_builds;
mod docker_container_logs;
mod docker_containers;
mod docker_endpoints;
mod docker_registries;
mod email;
mod example;
mod faults;
mod faults_compose;
mod faults_disk;
mod faults_docker;
mod faults_git;
mod faults_helm;
mod faults_smtp;
mod git;
mod helm;
mod history;
mod lifecycle;
mod logs;
mod notify;
mod pipelines;
mod queue;
mod secrets;
mod store;
mod templates;
mod triggers;
