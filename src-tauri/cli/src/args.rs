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
    /// Settings: runs.*, retention.*, secrets.backend, notify.*, smtp.*, triggers.paused, app.*.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// E-mail: check the SMTP settings.
    #[command(subcommand)]
    Smtp(SmtpCmd),
    /// Secrets: values in the OS keyring, referred to by name from templates.
    #[command(subcommand)]
    Secret(SecretCmd),
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
