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
    /// Settings: runs.maxParallel, runs.cancelGraceSeconds, retention.*, secrets.backend.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Secrets: values in the OS keyring, referred to by name from templates.
    #[command(subcommand)]
    Secret(SecretCmd),
    /// Docker endpoints: the local socket, tcp:// (with TLS client certificates) and ssh://.
    #[command(subcommand)]
    Endpoint(EndpointCmd),
    /// Image registries docker-build templates push to; passwords live in the OS keyring.
    #[command(subcommand)]
    Registry(RegistryCmd),
    /// Disk used by logs and workspaces; clean up old runs now.
    #[command(subcommand)]
    Storage(StorageCmd),
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
        /// Only runs with this status (queued, running, succeeded, failed, cancelled, timed_out, interrupted).
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
}

/// `scicd config ...`
#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print a setting's value.
    Get {
        /// The key, e.g. runs.maxParallel.
        key: String,
    },
    /// Change a setting.
    Set {
        /// The key.
        key: String,
        /// The new value.
        value: String,
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
    /// Log in with the stored credentials and say whether it worked.
    Test {
        /// Its name.
        name: String,
    },
    /// Remove a registry and its password.
    Rm {
        /// Its name.
        name: String,
    },
}
