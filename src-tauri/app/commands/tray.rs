//! The tray's menu as data, for the UI and for end-to-end tests (a native menu cannot be read
//! from WebDriver), and its language.

use tauri::{AppHandle, State};

use crate::error::CmdResult;
use crate::tray::{self, Tray, TrayMenuModel};

/// The tray menu as it is now: icon look, tooltip, entries.
#[tauri::command]
pub async fn tray_menu_model(app: AppHandle) -> CmdResult<TrayMenuModel> {
    Ok(tray::current_model(&app).await?)
}

/// Does what a click on the tray entry `id` does (`quick:<template>`, `run:<id>`, `pause`, ...).
#[tauri::command]
pub async fn tray_menu_click(app: AppHandle, tray: State<'_, Tray>, id: String) -> CmdResult<()> {
    tray::act(&app, &id).await?;
    tray.wake();
    Ok(())
}

/// Follows the UI's language switch (`en`, `zh-CN`).
#[tauri::command]
pub fn tray_set_language(tray: State<'_, Tray>, locale: String) {
    tray.set_language(&locale);
}
