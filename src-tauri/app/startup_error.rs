//! When the engine cannot open (a data directory that is not writable, a database from a newer
//! version), the app cannot show its window. Started from a desktop launcher, nobody would see a
//! message on stderr: the error is also shown in a native dialog, in the OS language, before the
//! app exits with status 2.

/// Title and body of the dialog for `error`, in zh-CN when the OS locale is Chinese, else in English.
pub fn message(error: &str, locale: &str) -> (&'static str, String) {
    if locale.to_ascii_lowercase().starts_with("zh") {
        ("simple-cicd 无法启动", format!("{error}\n\n请修正上述问题后重新启动 simple-cicd。"))
    } else {
        ("simple-cicd cannot start", format!("{error}\n\nFix the problem above, then start simple-cicd again."))
    }
}

/// Reports `error` on stderr and in a modal dialog, then exits with status 2.
pub fn exit_with(error: &str) -> ! {
    eprintln!("simple-cicd cannot start: {error}");
    let locale = sys_locale::get_locale().unwrap_or_else(|| "en-US".to_string());
    let (title, body) = message(error, &locale);
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
    use super::*;

    #[test]
    fn the_message_keeps_the_engines_error_and_says_what_to_do() {
        let (title, body) = message("cannot use the data directory /x: Not a directory", "en-US");
        assert_eq!(title, "simple-cicd cannot start");
        assert!(body.starts_with("cannot use the data directory /x: Not a directory"));
        assert!(body.contains("start simple-cicd again"));
    }

    #[test]
    fn a_chinese_locale_gets_the_message_in_chinese() {
        let (title, body) = message("boom", "zh-CN");
        assert_eq!(title, "simple-cicd 无法启动");
        assert!(body.starts_with("boom") && body.contains("重新启动"));
    }
}
