//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// simple-cicd from the terminal: templates, runs, logs. Shares its data with the desktop app.
#[derive(Debug, Parser)]
#[command(name = "scicd", version, about, propagate_version = true)]
pub struct Cli {
    /// Data directory (default: $SIMPLE_CICD_DATA_DIR, else the OS data dir + /simple-cicd).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, list, show and remove templates.
    #[command(subcommand)]
    Template(TemplateCmd),
    /// Run a template and stream its log (exit 0 succeeded, 1 failed or timed out, 130 cancelled).
    Run(RunArgs),
    /// The run history.
    #[command(subcommand)]
    Runs(RunsCmd),
    /// Print a run's log lines.
    Logs(LogsArgs),
    /// Cancel a queued or running run, whichever process runs it.
    Cancel {
        /// Run id.
        id: i64,
    },
    /// Retry a failed, cancelled or interrupted pipeline run from one of its steps (default: the
    /// first that did not succeed), reusing its workspace and the outputs of the steps before.
    Retry {
        /// Run id.
        id: i64,
        /// The step to start from.
        #[arg(long, value_name = "STEP")]
        from: Option<String>,
    },
    /// Approve the approval step a pipeline run waits on.
    Approve(AnswerArgs),
    /// Decline the approval step a pipeline run waits on (the steps after it do not run).
    Decline(AnswerArgs),
    /// Settings: runs.*, retention.*, secrets.backend, notify.*, smtp.*, triggers.paused, app.*.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// E-mail: check the SMTP settings.
    #[command(subcommand)]
    Smtp(SmtpCmd),
    /// Secrets: values in the OS keyring, referred to by name from templates.
    #[command(subcommand)]
    Secret(SecretCmd),
    /// Apps: the compose stacks runs deployed, their revisions, rollback, stop/start, logs.
    #[command(subcommand)]
    App(AppCmd),
    /// Docker endpoints: the local socket, tcp:// (with TLS client certificates) and ssh://.
    #[command(subcommand)]
    Endpoint(EndpointCmd),
    /// Kubernetes clusters: a context of your kubeconfig, or a kubeconfig kept in the OS keyring.
    #[command(subcommand)]
    Cluster(ClusterCmd),
    /// Image registries docker-build templates push to; passwords live in the OS keyring.
    #[command(subcommand)]
    Registry(RegistryCmd),
    /// Disk used by logs and workspaces; clean up old runs now.
    #[command(subcommand)]
    Storage(StorageCmd),
    /// Git repositories that templates check out: add, list, test, sync, remove.
    #[command(subcommand)]
    Repo(RepoCmd),
    /// The worked example (a web app's test, image, deploy templates and their pipeline): import it.
    #[command(subcommand)]
    Example(ExampleCmd),
    /// A template's triggers: webhook URLs, cron next times, last deliveries; poll now.
    Triggers(TriggersArgs),
    /// Run the HTTP server (webhooks, API) and the poll and cron triggers, without a window.
    /// Webhook bodies over webhooks.maxBodyKiB (default 1024 KiB) are refused with 413 unread.
    Serve(ServeArgs),
    /// Users of the HTTP API and the browser UI: add, list, passwd, role, disable, enable, rm.
    #[command(subcommand)]
    User(UserCmd),
    /// API tokens (`Authorization: Bearer scicd_…`): create (shown once), list, revoke.
    #[command(subcommand)]
    Token(TokenCmd),
    /// The audit log: who did what, from where, with what result; newest first.
    Audit(AuditArgs),
    /// Internal: executes a detached run (started by `scicd run --detach`).
    #[command(hide = true, name = "__worker")]
    Worker(WorkerArgs),
}

/// `scicd template ...`
#[derive(Debug, Subcommand)]
pub enum TemplateCmd {
    /// Create or update (by name) a template from its YAML file.
    Apply {
        /// The YAML file, or - for standard input.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: PathBuf,
    },
    /// List templates.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one template.
    Show {
        /// Template name.
        name: String,
        /// Print its YAML file.
        #[arg(long, conflicts_with = "json")]
        yaml: bool,
        /// Print it as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete a template (its runs stay in the history).
    Rm {
        /// Template name.
        name: String,
    },
    /// Pin a template to the desktop app's tray, for quick runs.
    Pin {
        /// Template name.
        name: String,
    },
    /// Remove a template from the tray.
    Unpin {
        /// Template name.
        name: String,
    },
}

/// `scicd run ...`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Template name.
    pub name: String,
    /// A parameter value, KEY=VALUE (repeatable). Passed to the script as an environment variable.
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Print the run id and return at once; the run goes on in the background.
    #[arg(long)]
    pub detach: bool,
    /// Check out this branch, tag or commit instead of the template's source ref.
    #[arg(long = "ref", value_name = "REF")]
    pub git_ref: Option<String>,
}

/// `scicd runs ...`
#[derive(Debug, Subcommand)]
pub enum RunsCmd {
    /// List runs, newest first.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// At most this many runs.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Only runs of this template.
        #[arg(long)]
        template: Option<String>,
        /// Only runs with this status (queued, running, waiting, succeeded, failed, cancelled, timed_out, interrupted).
        #[arg(long)]
        status: Option<String>,
    },
    /// Show one run.
    Show {
        /// Run id.
        id: i64,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// `scicd logs ...`
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Run id.
    pub id: i64,
    /// Keep printing new lines until the run ends.
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// Only the lines of this pipeline step.
    #[arg(long, value_name = "STEP")]
    pub step: Option<String>,
}

/// `scicd approve|decline RUN`
#[derive(Debug, Args)]
pub struct AnswerArgs {
    /// Run id.
    pub id: i64,
    /// Why (recorded with the answer; `${steps.NAME.outputs.comment}` for the steps after it).
    #[arg(long)]
    pub comment: Option<String>,
    /// The approval step, when the run waits on several.
    #[arg(long, value_name = "STEP")]
    pub step: Option<String>,
}

/// `scicd __worker ...`
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Template name.
    #[arg(long)]
    pub template: String,
    /// Parameters.
    #[arg(short = 'p', long = "param")]
    pub params: Vec<String>,
    /// Git ref.
    #[arg(long = "ref")]
    pub git_ref: Option<String>,
}

/// `scicd config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print a setting's value.
    Get {
        /// The key, e.g. runs.maxParallel.
        key: String,
    },
    /// Change a setting. A password (smtp.password) is read from standard input or asked for
    /// without echo, never taken from the command line.
    Set {
        /// The key.
        key: String,
        /// The new value (not for passwords).
        value: Option<String>,
    },
    /// Go back to a setting's default.
    Unset {
        /// The key.
        key: String,
    },
    /// Every setting with its value and what it does.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// `scicd secret ...`
#[derive(Debug, Subcommand)]
pub enum SecretCmd {
    /// Store a secret. The value is read from standard input, or asked for without echo; never
    /// from the command line, where it would land in the shell history.
    Set {
        /// The secret's name.
        name: String,
    },
    /// The stored secrets' names and dates (never their values).
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Remove a secret.
    Rm {
        /// The secret's name.
        name: String,
    },
}

/// `scicd storage ...`
#[derive(Debug, Subcommand)]
pub enum StorageCmd {
    /// Disk used by logs, workspaces and the database.
    Usage {
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove the runs the retention settings no longer keep, now.
    Cleanup,
}

/// `scicd smtp ...`
#[derive(Debug, Subcommand)]
pub enum SmtpCmd {
    /// Send a test e-mail with the smtp.* settings and print the server's exact answer.
    Test {
        /// The recipient, e.g. me@example.com.
        to: String,
    },
}
/// `scicd example ...`
#[derive(Debug, Subcommand)]
pub enum ExampleCmd {
    /// Save the example's templates and pipeline, all or none. The web app's repository must be
    /// stored first (`scicd repo add NAME URL`; scripts/example.sh does it all).
    Import {
        /// The repository the example checks out (default: the name its files use, `webapp`).
        #[arg(long, value_name = "NAME")]
        repo: Option<String>,
        /// Replace templates that have the example's names (otherwise they are refused, exit 2).
        #[arg(long)]
        replace: bool,
        /// Print what was imported as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `scicd repo ...`
#[derive(Debug, Subcommand)]
pub enum RepoCmd {
    /// Add a repository (or replace one with --replace). Credentials go to the OS keyring.
    Add {
        /// The name templates use in `source: { repo: NAME }`.
        name: String,
        /// Clone URL: https://, http://, ssh://, git@host:owner/repo.git, git:// or file:///path.
        url: String,
        /// github, gitlab, gitea or generic (default: guessed from the host).
        #[arg(long)]
        provider: Option<String>,
        /// User name for HTTPS or SSH.
        #[arg(long)]
        username: Option<String>,
        /// Read an HTTPS token or password from standard input.
        #[arg(long, conflicts_with_all = ["ssh_key", "ssh_agent"])]
        token_stdin: bool,
        /// An SSH private key file; its content is stored in the keyring.
        #[arg(long, value_name = "FILE", conflicts_with = "ssh_agent")]
        ssh_key: Option<std::path::PathBuf>,
        /// Read the SSH key's passphrase from standard input.
        #[arg(long, requires = "ssh_key")]
        passphrase_stdin: bool,
        /// Authenticate with the keys of the running ssh-agent ($SSH_AUTH_SOCK).
        #[arg(long)]
        ssh_agent: bool,
        /// Replace the repository of that name if it exists.
        #[arg(long)]
        replace: bool,
    },
    /// List repositories.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Connect and list the remote's branches and tags, or say why that is not possible.
    Test {
        /// Repository name.
        name: String,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Fetch the repository into its cache now (the first time: a full clone).
    Sync {
        /// Repository name.
        name: String,
    },
    /// Remove a repository, its credentials and its cache.
    Rm {
        /// Repository name.
        name: String,
    },
}

/// `scicd triggers ...`
#[derive(Debug, Args)]
pub struct TriggersArgs {
    /// Template name.
    pub name: String,
    /// JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Poll the template's poll triggers now (starts runs for new commits).
    #[arg(long)]
    pub poll: bool,
    /// How many deliveries to show.
    #[arg(long, default_value_t = 10)]
    pub deliveries: u32,
}

/// `scicd serve ...`. Webhooks: `POST /hooks/<github|gitlab|gitea|generic>/<template>`; a body
/// larger than the setting webhooks.maxBodyKiB (default 1024 KiB) is refused with 413 unread.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (default: the server.listen setting, 127.0.0.1:8750).
    /// Forges reach webhooks only on an address they can route to, e.g. 0.0.0.0:8750.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

/// `scicd app ...`; an app is named by its compose project (`NAME@ENDPOINT` when two endpoints
/// run a project of that name).
#[derive(Debug, Subcommand)]
pub enum AppCmd {
    /// List the apps: current revision, health, drift.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// An app's services as they run now and its revisions.
    Show {
        /// The app.
        name: String,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Launch the current revision's configuration again (images pulled anew).
    Redeploy {
        /// The app.
        name: String,
    },
    /// Launch an earlier revision again, its images pinned by digest.
    Rollback {
        /// The app.
        name: String,
        /// The revision to go back to.
        #[arg(long, value_name = "N")]
        to: u32,
    },
    /// Stop the app's containers (kept).
    Stop {
        /// The app.
        name: String,
    },
    /// Start the app's containers again.
    Start {
        /// The app.
        name: String,
    },
    /// Restart the app's containers.
    Restart {
        /// The app.
        name: String,
    },
    /// Get a Helm release out of pending-*: roll it back to its last deployed revision, or
    /// uninstall a first install that never completed.
    Recover {
        /// The app.
        name: String,
    },
    /// Remove the app's containers and networks (volumes are kept unless --volumes); a Helm
    /// app is uninstalled.
    Down {
        /// The app.
        name: String,
        /// Remove its volumes too (their data is lost).
        #[arg(long)]
        volumes: bool,
    },
    /// The last lines of a service's log.
    Logs {
        /// The app.
        name: String,
        /// The service.
        service: String,
        /// How many lines.
        #[arg(long, default_value_t = 200)]
        tail: u32,
    },
    /// What differs between two revisions: each service's image (by digest) and the
    /// configuration as a unified diff.
    Diff {
        /// The app.
        name: String,
        /// The revision to compare from.
        from: u32,
        /// The revision to compare to.
        to: u32,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// `scicd endpoint ...`
#[derive(Debug, Subcommand)]
pub enum EndpointCmd {
    /// Add a Docker endpoint: unix:///path.sock, tcp://HOST:PORT (with --tls-* for TLS) or
    /// ssh://USER@HOST[:PORT]. Certificates and keys are kept in the OS keyring.
    Add {
        /// Its name, used as `endpoint: NAME` in templates.
        name: String,
        /// Its URL.
        url: String,
        /// CA certificate (PEM file) the daemon's certificate is signed by.
        #[arg(long, value_name = "FILE", requires_all = ["tls_cert", "tls_key"])]
        tls_ca: Option<PathBuf>,
        /// Client certificate (PEM file).
        #[arg(long, value_name = "FILE", requires_all = ["tls_ca", "tls_key"])]
        tls_cert: Option<PathBuf>,
        /// Client private key (PEM file).
        #[arg(long, value_name = "FILE", requires_all = ["tls_ca", "tls_cert"])]
        tls_key: Option<PathBuf>,
        /// SSH private key for ssh:// endpoints (default: your own keys and agent).
        #[arg(long, value_name = "FILE")]
        ssh_key: Option<PathBuf>,
    },
    /// List the endpoints (the local socket first, when a daemon answers there).
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Connect and show the engine's version, API, OS, CPUs, memory, images and containers, or
    /// exactly why it cannot connect.
    Test {
        /// The endpoint's name (`local` for the local socket).
        name: String,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove an endpoint and its keys.
    Rm {
        /// Its name.
        name: String,
    },
}

/// `scicd cluster ...`
#[derive(Debug, Subcommand)]
pub enum ClusterCmd {
    /// Add a cluster: a context of your kubeconfig (--context; the kube.kubeconfig setting,
    /// $KUBECONFIG or ~/.kube/config) or a kubeconfig file kept in the OS keyring (--kubeconfig).
    Add {
        /// Its name, used as `cluster: NAME` in templates.
        name: String,
        /// The kubeconfig context (of your kubeconfig, or of --kubeconfig; default there: its
        /// current-context).
        #[arg(long, value_name = "CONTEXT")]
        context: Option<String>,
        /// A kubeconfig file to keep in the OS keyring (- for standard input).
        #[arg(long, value_name = "FILE")]
        kubeconfig: Option<PathBuf>,
        /// The namespace deployments go to (default: the context's own, else `default`).
        #[arg(long, short = 'n', value_name = "NAMESPACE")]
        namespace: Option<String>,
    },
    /// List the clusters.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List the contexts of your kubeconfig, to add one of them.
    Contexts {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Ask the cluster (through kubectl) for its version and nodes, or say exactly why not.
    Test {
        /// The cluster's name.
        name: String,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove a cluster and its kept kubeconfig.
    #[command(visible_alias = "rm")]
    Remove {
        /// Its name.
        name: String,
    },
}

/// `scicd registry ...`
#[derive(Debug, Subcommand)]
pub enum RegistryCmd {
    /// Add a registry (e.g. localhost:5000, ghcr.io). The password or token is read from standard
    /// input with --password-stdin, never from the command line, and kept in the OS keyring.
    Add {
        /// Its name, used as `push: { registry: NAME }` in templates.
        name: String,
        /// Its host[:port] or URL.
        url: String,
        /// The user name.
        #[arg(long, short = 'u')]
        username: Option<String>,
        /// Read the password or token from standard input.
        #[arg(long, requires = "username")]
        password_stdin: bool,
    },
    /// List the registries (never their passwords).
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Log in with the stored credentials and say whether it worked (or exactly why not).
    Test {
        /// Its name.
        name: String,
        /// JSON instead of text (on failure too: {code, message, params}).
        #[arg(long)]
        json: bool,
    },
    /// Remove a registry and its password.
    Rm {
        /// Its name.
        name: String,
    },
}

/// `scicd user ...`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user; the password comes from a hidden prompt, or standard input when piped.
    Add {
        /// The sign-in name.
        name: String,
        /// viewer (reads), operator (also runs, approves, deploys), maintainer (also edits), admin.
        #[arg(long, default_value = "viewer")]
        role: String,
    },
    /// List users.
    List {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Set a user's password (prompt or standard input); their sessions end.
    Passwd {
        /// The user.
        name: String,
    },
    /// Change a user's role.
    Role {
        /// The user.
        name: String,
        /// viewer, operator, maintainer or admin.
        role: String,
    },
    /// Name the templates an operator may run, start, cancel, approve, retry and deploy (patterns
    /// such as `web-*`); with --all, every template again.
    Grant {
        /// The user (an operator).
        name: String,
        /// Template names or patterns (`*` within a name, `?` one character).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        templates: Vec<String>,
        /// Grant every template (clears the list).
        #[arg(long)]
        all: bool,
    },
    /// Disable a user: no sign-in, sessions and tokens refused.
    Disable {
        /// The user.
        name: String,
    },
    /// Enable a disabled user.
    Enable {
        /// The user.
        name: String,
    },
    /// Remove a user with their tokens (the audit log keeps their name).
    Rm {
        /// The user.
        name: String,
    },
}

/// `scicd token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token and print it once.
    Create {
        /// The token's name, e.g. deploy-bot.
        name: String,
        /// The user it acts for.
        #[arg(long)]
        user: String,
        /// Comma-separated: read, run, deploy, write, admin (never beyond the user's role).
        #[arg(long, default_value = "read")]
        scopes: String,
        /// Expiry: 90m, 12h, 30d, 4w (default: never).
        #[arg(long)]
        expires: Option<String>,
    },
    /// List tokens (of one user with --user), with their last use.
    List {
        /// Only this user's.
        #[arg(long)]
        user: Option<String>,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by its id (see `scicd token list`).
    Revoke {
        /// The token's id.
        id: i64,
    },
}

/// `scicd audit`
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Only this actor (`ana`, `token deploy-bot (ana)`, `cli (dev)`).
    #[arg(long)]
    pub actor: Option<String>,
    /// Only actions starting with this (`run.`, `user.`, `sign_in`).
    #[arg(long)]
    pub action: Option<String>,
    /// At most this many entries.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}
