//! `scicd smtp test TO`: sends a test e-mail and prints the server's exact answer.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::{api, Engine};

use crate::args::SmtpCmd;
use crate::failure::{CmdResult, Failure};

/// Runs an smtp subcommand. Exit 0 when the server accepted the message, 3 when it did not
/// (or could not be reached), 2 for an invalid address.
pub async fn dispatch(engine: &Engine, cmd: SmtpCmd) -> CmdResult {
    match cmd {
        SmtpCmd::Test { to } => {
            let answer = api::smtp_test(engine, &Caller::cli(), &to).await?;
            if answer.accepted {
                println!("{}", answer.message);
                eprintln!("The SMTP server accepted the test e-mail to {}", to.trim());
                Ok(0)
            } else {
                Err(Failure::new(3, format!("e-mail not sent: {}", answer.message)))
            }
        }
    }
}
