//! Whether a tray host is there to show our icon. Desktops that show tray icons run a
//! StatusNotifierWatcher on the session bus (KDE, GNOME with the AppIndicator extension, XFCE,
//! most Wayland bars); a bare X server or a plain GNOME has none. Without one, the icon is
//! simply not shown, and closing the window must quit rather than hide it where nobody can
//! reach it. `SIMPLE_CICD_TRAY_HOST=1|0` overrides the check (tests, trays this check misses).

const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// Whether a tray host answers on the session bus.
pub fn available() -> bool {
    match std::env::var("SIMPLE_CICD_TRAY_HOST").as_deref() {
        Ok("1") => return true,
        Ok("0") => return false,
        _ => {}
    }
    let owned = (|| -> zbus::Result<bool> {
        let bus = zbus::blocking::Connection::session()?;
        let dbus = zbus::blocking::fdo::DBusProxy::new(&bus)?;
        Ok(dbus.name_has_owner(WATCHER.try_into()?)?)
    })();
    match owned {
        Ok(found) => found,
        Err(e) => {
            tracing::info!(error = %e, "no session bus to look for a tray host; the tray icon may not show");
            false
        }
    }
}
