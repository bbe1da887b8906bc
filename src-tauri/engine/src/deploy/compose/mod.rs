//! Docker Compose stacks: the compose file checked before anything is touched ([`check`]), the
//! compose v2 CLI found and pointed at the step's Docker endpoint ([`cli`]), and the launch itself:
//! config, pull, `up -d --remove-orphans --wait` ([`launch`]); what runs of a project ([`ps`]).

pub(crate) mod check;
pub(crate) mod cli;
pub(crate) mod launch;
pub(crate) mod ps;

pub use check::check_compose_text;
