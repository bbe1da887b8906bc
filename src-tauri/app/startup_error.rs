//! When the engine cannot open (a data directory that is not writable, a database from a newer
//! version), the app cannot show its window. Started from a desktop launcher, nobody would see a
//! message on stderr: the error is also shown in a native dialog, in the OS language, before the
//! app exits with status 2.
//!
//! The desktop binary takes no command-line options: the way to another data directory is the
//! environment variable `SIMPLE_CICD_DATA_DIR`, and the dialog says so with the default directory.

use std::path::Path;

use simple_cicd_engine::{DataDir, Error, DATA_DIR_ENV};

/// Title and body of the dialog for `error`, in zh-CN when the OS locale is Chinese, else in
/// English. `default_dir` is the data directory used when `SIMPLE_CICD_DATA_DIR` is not set.
pub fn message(error: &Error, locale: &str, default_dir: &Path) -> (&'static str, String) {
    let zh = locale.to_ascii_lowercase().starts_with("zh");
    let about_data_dir = matches!(error, Error::DataDir { .. } | Error::NewerSchema { .. });
    let default = default_dir.display();
    if zh {
        let cause = match error {
            Error::DataDir { path, source } => format!("无法使用数据目录 {}：{source}", path.display()),
            Error::NewerSchema { path, found, supported } => format!(
                "数据库 {} 由更新版本的 simple-cicd 写入（架构版本 {found}，此版本最高支持 {supported}）。请升级 simple-cicd，或使用另一个数据目录。",
                path.display()
            ),
            other => other.to_string(),
        };
        let advice = if about_data_dir {
            format!("\n\n要使用另一个数据目录，请在启动 simple-cicd 前把环境变量 {DATA_DIR_ENV} 设为一个可写的目录（默认目录是 {default}）。")
        } else {
            String::new()
        };
        ("simple-cicd 无法启动", format!("{cause}{advice}\n\n请修正上述问题后重新启动 simple-cicd。"))
    } else {
        let advice = if about_data_dir {
            format!("\n\nTo use another data directory, set the environment variable {DATA_DIR_ENV} to a writable directory before starting simple-cicd (the default is {default}).")
        } else {
            String::new()
        };
        ("simple-cicd cannot start", format!("{error}{advice}\n\nFix the problem above, then start simple-cicd again."))
    }
}

/// Reports `error` on stderr and in a modal dialog, then exits with status 2.
pub fn exit_with(error: &Error) -> ! {
    eprintln!("simple-cicd cannot start: {error} (set {DATA_DIR_ENV} to use another data directory)");
    let locale = sys_locale::get_locale().unwrap_or_else(|| "en-US".to_string());
    let (title, body) = message(error, &locale, &DataDir::default_root());
    show(title, &body);
    std::process::exit(2);
}

#[cfg(target_os = "linux")]
fn show(title: &str, body: &str) {
    use gtk::prelude::*;
    // Called from the app's setup, on the main thread, where Tauri has initialised GTK.
    if !gtk::is_initialized_main_thread() {
        return;
    }
    let dialog = gtk::MessageDialog::new(
        None::<&gtk::Window>,
        gtk::DialogFlags::MODAL,
        gtk::MessageType::Error,
        gtk::ButtonsType::Close,
        title,
    );
    dialog.set_title("simple-cicd");
    dialog.set_secondary_text(Some(body));
    dialog.run();
    dialog.hide();
}

#[cfg(not(target_os = "linux"))]
fn show(_title: &str, _body: &str) {}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn not_a_directory() -> Error {
        Error::DataDir { path: PathBuf::from("/x"), source: std::io::Error::other("Not a directory") }
    }

    const DEFAULT: &str = "/home/ana/.local/share/simple-cicd";

    #[test]
    fn the_message_keeps_the_engines_error_and_says_what_to_do() {
        let (title, body) = message(&not_a_directory(), "en-US", Path::new(DEFAULT));
        assert_eq!(title, "simple-cicd cannot start");
        assert!(body.starts_with("cannot use the data directory /x: Not a directory"), "{body}");
        assert!(body.contains("start simple-cicd again"));
    }

    #[test]
    fn a_data_directory_problem_names_the_environment_variable_and_the_default_not_a_cli_flag() {
        let (_, body) = message(&not_a_directory(), "en-US", Path::new(DEFAULT));
        assert!(!body.contains("--data-dir"), "the desktop binary accepts no --data-dir: {body}");
        assert!(body.contains("SIMPLE_CICD_DATA_DIR") && body.contains(DEFAULT), "{body}");
        let (_, body) = message(&not_a_directory(), "zh-CN", Path::new(DEFAULT));
        assert!(!body.contains("--data-dir"), "{body}");
        assert!(body.contains("SIMPLE_CICD_DATA_DIR") && body.contains(DEFAULT), "{body}");
        assert!(body.starts_with("无法使用数据目录 /x"), "the cause is in Chinese too: {body}");
    }

    #[test]
    fn a_chinese_locale_gets_the_message_in_chinese() {
        let (title, body) = message(&Error::Corrupt("boom".into()), "zh-CN", Path::new(DEFAULT));
        assert_eq!(title, "simple-cicd 无法启动");
        assert!(body.contains("boom") && body.contains("重新启动"));
        assert!(!body.contains("SIMPLE_CICD_DATA_DIR"), "no data-directory advice for other causes: {body}");
    }
}
