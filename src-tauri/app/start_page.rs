//! Benchmarks and screenshots: SIMPLE_CICD_START_ROUTE=/runs/3 opens that page first, and
//! SIMPLE_CICD_BENCH_MARKS turns on the UI's live-throughput report (localStorage
//! `simple-cicd.bench`).
//!
//! Both are set by a script that runs in the main frame before the page's own scripts (a plugin's
//! initialisation script), so the router starts on the route. Set once the page had loaded, the
//! hash raced the router's first navigation, which rewrites the URL when it ends and listens for
//! changes only after it: the dashboard showed in 3 of 7 starts of the app. Without either
//! variable the plugin adds nothing.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::Runtime;

/// The plugin that sets up the start page from the environment (read once, at start).
pub fn init<R: Runtime>() -> TauriPlugin<R> {
    let builder = Builder::new("start-page");
    match script(std::env::var_os("SIMPLE_CICD_BENCH_MARKS").is_some(), std::env::var("SIMPLE_CICD_START_ROUTE").ok()) {
        Some(js) => builder.js_init_script(js).build(),
        None => builder.build(),
    }
}

/// The script for these settings; the route only on a page opened without one (not on a reload).
fn script(bench_marks: bool, route: Option<String>) -> Option<String> {
    let mut js = String::new();
    if bench_marks {
        js.push_str("localStorage.setItem('simple-cicd.bench', '1');");
    }
    if let Some(route) = route {
        let route = serde_json::Value::String(route);
        js.push_str(&format!("if (!location.hash) location.hash = {route};"));
    }
    (!js.is_empty()).then_some(js)
}

#[cfg(test)]
mod tests {
    use super::script;

    #[test]
    fn a_start_route_is_quoted_as_a_javascript_string() {
        let js = script(false, Some("/runs/3'\"</script>".into())).expect("a route makes a script");
        assert_eq!(
            js, r#"if (!location.hash) location.hash = "/runs/3'\"</script>";"#,
            "the route must stay one string"
        );
    }

    #[test]
    fn without_either_variable_there_is_no_script() {
        assert_eq!(script(false, None), None, "a normal start must not run any script of ours");
    }
}
