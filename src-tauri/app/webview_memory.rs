//! The main window's WebKitGTK settings for the memory it holds at idle.
//!
//! Measured under Xvfb with scripts/bench-memory.sh's empty WebKitGTK window (PSS of the web
//! process): 156 MB with WebKit's defaults, 81 MB without accelerated compositing. Without a GPU
//! render node, compositing runs on Mesa's software GL (llvmpipe): its buffers cost that memory
//! and paint nothing a CPU paint would not. So where `/dev/dri` has no render node, compositing
//! is switched off (WebKitGTK's own `WEBKIT_DISABLE_COMPOSITING_MODE=1`, set before WebKit starts,
//! so the web process starts that way); with a GPU WebKit keeps its default, and a value the user
//! set is left alone.
//!
//! The page is served from the binary and never navigated away from, so WebKit's memory cache
//! sized for browsing and its back/forward page cache hold nothing useful: the document-viewer
//! cache model and no page cache. Not touched: JavaScript (its JIT and heap), which the page needs.
//!
//! The app itself (scripts/bench-memory.sh (b), debug build, Xvfb): its web process 218 MB PSS
//! before, 140 MB after, the app with its WebKit processes 377 MB before, 300 MB after. All of it
//! is compositing's: the cache settings change nothing at idle on the dashboard (the caches fill
//! as pages are visited, which is what they bound).

/// The variable WebKitGTK reads to paint without accelerated compositing.
const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Chooses compositing for the web process. Call first thing in `main`, before any thread exists
/// and before GTK or WebKit start.
pub fn before_start() {
    if cfg!(target_os = "linux") && std::env::var_os(NO_COMPOSITING).is_none() && !has_render_node() {
        std::env::set_var(NO_COMPOSITING, "1");
    }
}

/// Sets the cache model and the page cache of the main window's webview. Linux (WebKitGTK) only.
#[cfg(target_os = "linux")]
pub fn lighten(window: &tauri::WebviewWindow) {
    let applied = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_page_cache(false);
        }
    });
    if let Err(e) = applied {
        tracing::warn!(error = %e, "the webview keeps WebKit's default cache settings");
    }
}

/// Elsewhere the OS webview keeps its defaults.
#[cfg(not(target_os = "linux"))]
pub fn lighten(_window: &tauri::WebviewWindow) {}

/// Whether a GPU render node exists (`/dev/dri/renderD*`).
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries.flatten().any(|e| e.file_name().to_str().is_some_and(|n| n.starts_with("renderD")))
    })
}
