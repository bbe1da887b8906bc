//! The one set of entry points. Tauri commands, CLI subcommands and HTTP handlers are a few lines
//! each around these functions: take state, call, map the error.

mod app_diff;
mod approvals;
mod apps;
mod apps_helm;
mod audit;
mod auth;
mod clusters;
mod dashboard;
mod endpoints;
mod example;
mod example_needs;
mod logs;
mod notify;
mod registries;
mod repositories;
mod retry;
mod runs;
mod templates;
mod tokens;
mod triggers;
mod users;

pub use app_diff::app_diff;
pub use approvals::{os_user, run_answer, Answer};
pub use apps::{
    app_action, app_find, app_get, app_list, app_logs, app_redeploy, app_rollback, drift, AppAction, AppDetail,
};
pub use apps_helm::app_recover;
pub(crate) use audit::audited;
pub use audit::{audit_list, record as audit_record};
pub use auth::{authenticate, refresh, sign_in, sign_out, ACCESS_TTL, REFRESH_TTL, TOKEN_PREFIX};
pub use clusters::{cluster_add, cluster_contexts, cluster_list, cluster_remove, cluster_test};
pub use dashboard::dashboard_stats;
pub use endpoints::{endpoint_add, endpoint_list, endpoint_remove, endpoint_test};
pub use example::{example_files, example_get, example_import};
pub use logs::{run_log_save, run_log_scan, run_log_scan_runs, run_log_search, strip_ansi, LogSearch};
pub use notify::{smtp_test, template_pin, tray_summary};
pub use registries::{registry_add, registry_get, registry_list, registry_remove, registry_test};
pub use repositories::{repo_delete, repo_get, repo_list, repo_save, repo_sync, repo_test, RepoSync};
pub use retry::run_retry;
pub(crate) use runs::queue;
pub use runs::{run_cancel, run_get, run_list, run_logs, run_start, run_start_with, run_steps, run_wait, StartOptions};
pub(crate) use runs::{run_prepare, run_queued};
pub use templates::{
    template_apply_yaml, template_delete, template_export_yaml, template_get, template_list, template_parse_yaml,
    template_save, template_validate, Saved,
};
pub use tokens::{parse_expiry, token_create, token_list, token_revoke};
pub use triggers::{
    cron_preview, delivery_list, server_base_url, trigger_overview, webhook_secret_generate, webhook_secret_reveal,
};
pub use users::{user_add, user_list, user_passwd, user_remove, user_update};
