//! The tray icon and its menu: quick runs of pinned templates, the last five runs, the apps with
//! their health (a click opens the app's page), Open, Pause triggers, Do not disturb, Quit. The icon's look follows the runs (running, last succeeded,
//! last failed). The menu is rebuilt from the engine when a run changes, when a setting changes,
//! and every few seconds (runs of `scicd` in a terminal send the app no events).
//!
//! Where no tray host exists the icon is simply not shown; the app works the same without it.

mod host;
mod labels;
mod model;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::NavigateTo;
use simple_cicd_engine::{api, settings};
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};
use tokio::sync::Notify;

pub use labels::Labels;
pub use model::{TrayLook, TrayMenuModel};

use crate::state::AppState;
use crate::window;

/// How often the tray looks for changes made by other processes.
const POLL: Duration = Duration::from_secs(5);

/// The managed tray state.
pub struct Tray {
    icon: Option<TrayIcon>,
    host: bool,
    wake: Arc<Notify>,
    labels: Mutex<Labels>,
    shown: Mutex<Option<TrayMenuModel>>,
}

impl Tray {
    /// Asks for a rebuild soon (after a run or a setting changed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Whether closing the window may hide it into the tray: only when a tray host shows the icon.
    pub fn can_hold_the_app(&self) -> bool {
        self.icon.is_some() && self.host
    }

    /// Switches the menu's language (the UI's language switch calls this).
    pub fn set_language(&self, locale: &str) {
        *self.labels.lock().expect("tray labels lock") = Labels::for_locale(locale);
        self.wake();
    }

    fn labels(&self) -> Labels {
        *self.labels.lock().expect("tray labels lock")
    }
}

fn image(look: TrayLook) -> Option<Image<'static>> {
    let bytes: &'static [u8] = match look {
        TrayLook::Idle => include_bytes!("../../../icons/tray-idle.png"),
        TrayLook::Running => include_bytes!("../../../icons/tray-running.png"),
        TrayLook::Succeeded => include_bytes!("../../../icons/tray-succeeded.png"),
        TrayLook::Failed => include_bytes!("../../../icons/tray-failed.png"),
    };
    Image::from_bytes(bytes).ok()
}

/// Creates the tray icon (when the platform allows) and starts keeping it up to date.
pub fn install(app: &AppHandle) -> Tray {
    let host = host::available();
    let locale = sys_locale::get_locale().unwrap_or_else(|| "en-US".to_string());
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip("simple-cicd")
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event);
    if let Some(icon) = image(TrayLook::Idle) {
        builder = builder.icon(icon);
    }
    let icon = match builder.build(app) {
        Ok(icon) => Some(icon),
        Err(e) => {
            tracing::warn!(error = %e, "no tray icon on this desktop; simple-cicd works without it");
            None
        }
    };
    if !host {
        tracing::info!("no tray host found: closing the window quits simple-cicd");
    }
    let tray = Tray {
        icon,
        host,
        wake: Arc::new(Notify::new()),
        labels: Mutex::new(Labels::for_locale(&locale)),
        shown: Mutex::new(None),
    };
    let (handle, wake) = (app.clone(), tray.wake.clone());
    tauri::async_runtime::spawn(async move {
        loop {
            if let Err(e) = refresh(&handle).await {
                tracing::debug!(error = %e, "tray refresh failed");
            }
            let _ = tokio::time::timeout(POLL, wake.notified()).await;
        }
    });
    tray
}

/// The menu as it is now, built from the engine.
pub async fn current_model(app: &AppHandle) -> simple_cicd_engine::Result<TrayMenuModel> {
    let state = app.state::<AppState>();
    let summary = api::tray_summary(&state.engine).await?;
    let labels = app.try_state::<Tray>().map_or_else(|| Labels::for_locale("en"), |t| t.labels());
    Ok(model::build(&summary, &labels))
}

async fn refresh(app: &AppHandle) -> simple_cicd_engine::Result<()> {
    let model = current_model(app).await?;
    let Some(tray) = app.try_state::<Tray>() else { return Ok(()) };
    let Some(icon) = &tray.icon else { return Ok(()) };
    let mut shown = tray.shown.lock().expect("tray model lock");
    if shown.as_ref() == Some(&model) {
        return Ok(());
    }
    let changed_look = shown.as_ref().map(|m| m.look) != Some(model.look);
    match render(app, &model) {
        Ok(menu) => {
            let _ = icon.set_menu(Some(menu));
        }
        Err(e) => tracing::warn!(error = %e, "the tray menu could not be built"),
    }
    if changed_look {
        let _ = icon.set_icon(image(model.look));
    }
    let _ = icon.set_tooltip(Some(&model.tooltip));
    *shown = Some(model);
    Ok(())
}

fn render(app: &AppHandle, model: &TrayMenuModel) -> tauri::Result<Menu<Wry>> {
    use model::TrayItemKind::*;
    let mut items: Vec<Box<dyn IsMenuItem<Wry>>> = Vec::new();
    for i in &model.items {
        items.push(match i.kind {
            Action => Box::new(MenuItem::with_id(app, &i.id, &i.label, true, None::<&str>)?),
            Label => Box::new(MenuItem::with_id(app, &i.id, &i.label, false, None::<&str>)?),
            Check => Box::new(CheckMenuItem::with_id(app, &i.id, &i.label, true, i.checked, None::<&str>)?),
            Separator => Box::new(PredefinedMenuItem::separator(app)?),
        });
    }
    let refs: Vec<&dyn IsMenuItem<Wry>> = items.iter().map(|b| b.as_ref()).collect();
    Menu::with_items(app, &refs)
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref().to_string();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = act(&app, &id).await {
            tracing::warn!(item = id, error = %e, "tray action failed");
        }
        if let Some(tray) = app.try_state::<Tray>() {
            tray.wake();
        }
    });
}

/// What a click on a menu entry does.
pub async fn act(app: &AppHandle, id: &str) -> simple_cicd_engine::Result<()> {
    let engine = app.state::<AppState>().engine.clone();
    let tray = Caller::Tray { os_user: api::os_user() };
    match id {
        "open" => window::show_main(app),
        "quit" => app.exit(0),
        "pause" | "dnd" => {
            let key = if id == "pause" { "triggers.paused" } else { "notify.doNotDisturb" };
            let on = settings::flag(&engine, key).await;
            settings::config_set(&engine, &tray, key, if on { "false" } else { "true" }).await?;
        }
        _ => {
            if let Some(name) = id.strip_prefix("quick:") {
                let template = api::template_get(&engine, name).await?;
                if template.needs_form {
                    window::navigate(app, NavigateTo::RunForm { template: name.to_string() });
                } else {
                    api::run_start(&engine, &tray, name, &BTreeMap::new()).await?;
                }
            } else if let Some(run) = id.strip_prefix("run:").and_then(|r| r.parse().ok()) {
                window::navigate(app, NavigateTo::Run { id: run });
            } else if let Some(name) = id.strip_prefix("app:") {
                window::navigate(app, NavigateTo::App { name: name.to_string() });
            } else if id == "apps" {
                window::navigate(app, NavigateTo::Apps);
            }
        }
    }
    Ok(())
}
