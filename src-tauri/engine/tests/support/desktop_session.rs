//! A private desktop for tests: Xvfb on a free display, a D-Bus session bus of our own (without
//! service activation, so a stopped notification server stays stopped) and dunst as the
//! notification server. Needs apt's xvfb, dbus and dunst. Everything stops when dropped.
//! dunst's context menu (`dunstctl context`, the way to a notification's actions from the
//! keyboard) runs a script of ours in place of dmenu: it picks the line [`DesktopSession::choose`]
//! names, so a test presses a notification's buttons as a user would.
//! Shared by the engine and CLI tests (`#[path]`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct DesktopSession {
    xvfb: Child,
    bus: Child,
    dunst: Option<Child>,
    pub display: String,
    pub bus_address: String,
    dir: tempfile::TempDir,
}

fn first_line(child: &mut Child, what: &str) -> String {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(out).read_line(&mut line);
        let _ = tx.send(line);
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(line) if !line.trim().is_empty() => line.trim().to_string(),
        _ => {
            let _ = child.kill();
            let mut err = String::new();
            let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut err));
            panic!("{what} did not start: {err}");
        }
    }
}

impl DesktopSession {
    /// Starts X, the bus and dunst, and waits until dunst answers.
    pub fn start() -> DesktopSession {
        let dir = tempfile::tempdir().unwrap();
        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "800x600x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Xvfb starts (apt install xvfb)");
        let display = format!(":{}", first_line(&mut xvfb, "Xvfb"));
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>"#,
                dir.path().display()
            ),
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dbus-daemon starts (apt install dbus)");
        let bus_address = first_line(&mut bus, "dbus-daemon");
        let mut session = DesktopSession { xvfb, bus, dunst: None, display, bus_address, dir };
        session.start_dunst();
        session
    }

    fn start_dunst(&mut self) {
        let dir = self.dir.path();
        // dunst writes one line per action, `#Approve (summary) [id,approve]`, to the menu's stdin
        // and invokes the action whose line the menu prints.
        let menu = dir.join("menu.sh");
        std::fs::write(
            &menu,
            format!(
                "#!/bin/sh\ntee -a '{0}/menu-offered' | grep -m1 -F -- \"$(cat '{0}/menu-choice' 2>/dev/null)\"\n",
                dir.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&menu, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let rc = dir.join("dunstrc");
        std::fs::write(
            &rc,
            format!(
                "[global]\n    monitor = 0\n    follow = none\n    history_length = 50\n    sticky_history = yes\n    dmenu = {}\n[urgency_normal]\n    timeout = 60\n",
                menu.display()
            ),
        )
        .unwrap();
        let mut cmd = Command::new("dunst");
        cmd.arg("-config").arg(&rc).stdout(Stdio::null()).stderr(Stdio::null());
        self.apply(&mut cmd);
        self.dunst = Some(cmd.spawn().expect("dunst starts (apt install dunst)"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.dunstctl(&["is-paused"]).status.success() {
            assert!(Instant::now() < deadline, "dunst did not answer on the test bus");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Points a command at this desktop.
    pub fn apply(&self, cmd: &mut Command) {
        cmd.env("DISPLAY", &self.display).env("DBUS_SESSION_BUS_ADDRESS", &self.bus_address);
    }

    pub fn dunstctl(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new("dunstctl");
        cmd.args(args);
        self.apply(&mut cmd);
        cmd.output().expect("dunstctl runs")
    }

    /// Makes the next context menu pick the first line that contains `text`
    /// (`#Approve (gate #1`), or none when no line does.
    pub fn choose(&self, text: &str) {
        std::fs::write(self.dir.path().join("menu-choice"), text).unwrap();
    }

    /// Every line the context menus offered so far.
    pub fn menu_offered(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("menu-offered")).unwrap_or_default()
    }

    /// Notifications on screen now.
    pub fn displayed(&self) -> usize {
        let out = self.dunstctl(&["count", "displayed"]);
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0)
    }

    /// The notifications dunst received, newest first, as (appname, summary, body): displayed
    /// ones are closed first so the history holds them all.
    pub fn received(&self) -> Vec<(String, String, String)> {
        self.dunstctl(&["close-all"]);
        let out = self.dunstctl(&["history"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("dunstctl history is JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
        json["data"][0]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|n| {
                        let field = |k: &str| n[k]["data"].as_str().unwrap_or_default().to_string();
                        (field("appname"), field("summary"), field("body"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until dunst shows `n` notifications.
    pub fn wait_displayed(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.displayed() >= n {
                return;
            }
            assert!(Instant::now() < deadline, "dunst never showed {n} notification(s)");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the notification server, as when a desktop session ends.
    pub fn stop_dunst(&mut self) {
        if let Some(mut d) = self.dunst.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
    }
}

impl Drop for DesktopSession {
    fn drop(&mut self) {
        self.stop_dunst();
        for child in [&mut self.bus, &mut self.xvfb] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
