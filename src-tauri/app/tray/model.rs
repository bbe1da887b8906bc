//! The tray menu as plain data, built from the engine's [`TraySummary`]: what `tray_menu_model`
//! returns to tests, and what [`super::render`] turns into a native menu.

use serde::Serialize;
use simple_cicd_engine::model::{RunStatus, TraySummary};

use super::labels::Labels;

/// How the tray icon looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TrayLook {
    /// No run yet, or the last one was cancelled.
    Idle,
    /// Something is queued or running.
    Running,
    /// The last finished run succeeded.
    Succeeded,
    /// The last finished run failed, timed out or was interrupted.
    Failed,
}

/// What a menu entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TrayItemKind {
    /// Does something when clicked.
    Action,
    /// A switch.
    Check,
    /// A greyed-out heading or hint.
    Label,
    /// A line.
    Separator,
}

/// One menu entry. Ids: `quick:<template>`, `run:<id>`, `app:<NAME@ENDPOINT>`, `apps`, `open`,
/// `pause`, `dnd`, `quit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrayItem {
    pub id: String,
    pub kind: TrayItemKind,
    pub label: String,
    pub checked: bool,
}

/// The whole tray: icon, tooltip, menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrayMenuModel {
    pub look: TrayLook,
    pub tooltip: String,
    pub items: Vec<TrayItem>,
}

fn item(id: impl Into<String>, kind: TrayItemKind, label: impl Into<String>, checked: bool) -> TrayItem {
    TrayItem { id: id.into(), kind, label: label.into(), checked }
}

fn separator(n: u32) -> TrayItem {
    item(format!("separator-{n}"), TrayItemKind::Separator, "", false)
}

/// The sign of each status, as in UI.md's status language.
fn sign(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Queued => "◷",
        RunStatus::Running => "⟳",
        RunStatus::Waiting => "⏳",
        RunStatus::Succeeded => "✓",
        RunStatus::Failed => "✗",
        RunStatus::Cancelled => "⊘",
        RunStatus::TimedOut => "⌛",
        RunStatus::Interrupted => "⚡",
    }
}

/// The icon's look for a summary.
pub fn look(summary: &TraySummary) -> TrayLook {
    if summary.active > 0 {
        return TrayLook::Running;
    }
    match summary.last_finished {
        Some(RunStatus::Succeeded) => TrayLook::Succeeded,
        Some(RunStatus::Failed | RunStatus::TimedOut | RunStatus::Interrupted) => TrayLook::Failed,
        _ => TrayLook::Idle,
    }
}

/// How many apps the menu lists; past it, "All apps…" opens the Apps page.
const MAX_APPS: usize = 8;

/// The sign of each app state: healthy ✓, unhealthy ✗, drifted ≠, down ○, unknown ?, not yet
/// looked at ◷.
fn app_sign(state: &str) -> &'static str {
    match state {
        "healthy" => "✓",
        "unhealthy" => "✗",
        "drifted" => "≠",
        "down" => "○",
        "unknown" => "?",
        _ => "◷",
    }
}

/// The apps section: each app with its health, a click opening its page.
fn apps(summary: &TraySummary, labels: &Labels, items: &mut Vec<TrayItem>) {
    if summary.apps.is_empty() {
        return;
    }
    items.push(item("apps-heading", TrayItemKind::Label, labels.apps, false));
    for a in summary.apps.iter().take(MAX_APPS) {
        let label = format!("{} {} · {}", app_sign(&a.state), a.name, labels.app_state(&a.state));
        items.push(item(format!("app:{}", a.handle), TrayItemKind::Action, label, false));
    }
    if summary.apps.len() > MAX_APPS {
        items.push(item("apps", TrayItemKind::Action, format!("{}…", labels.all_apps), false));
    }
    items.push(separator(4));
}

/// Builds the menu: runs waiting for an approval (when there are), pinned templates, recent runs,
/// the apps with their health (when there are), open, the switches, quit.
pub fn build(summary: &TraySummary, labels: &Labels) -> TrayMenuModel {
    let mut items = Vec::new();
    if !summary.waiting.is_empty() {
        items.push(item("waiting-heading", TrayItemKind::Label, labels.waiting_for_you, false));
        for r in summary.waiting.iter().take(5) {
            // A click opens the run, where the approval is answered.
            let label = format!("⌛ {} #{} · {}", r.template, r.number, labels.waits_for_approval);
            items.push(item(format!("run:{}", r.id), TrayItemKind::Action, label, false));
        }
        items.push(separator(0));
    }
    items.push(item("quick-heading", TrayItemKind::Label, labels.quick_run, false));
    if summary.pinned.is_empty() {
        items.push(item("quick-empty", TrayItemKind::Label, labels.no_pinned, false));
    }
    for p in &summary.pinned {
        // An ellipsis says a form opens first, as menus do.
        let label = if p.needs_form { format!("▶ {}…", p.name) } else { format!("▶ {}", p.name) };
        items.push(item(format!("quick:{}", p.name), TrayItemKind::Action, label, false));
    }
    items.push(separator(1));
    items.push(item("recent-heading", TrayItemKind::Label, labels.recent_runs, false));
    if summary.recent.is_empty() {
        items.push(item("recent-empty", TrayItemKind::Label, labels.no_runs, false));
    }
    for r in summary.recent.iter().take(5) {
        let label = format!("{} {} #{} · {}", sign(r.status), r.template, r.number, labels.status(r.status));
        items.push(item(format!("run:{}", r.id), TrayItemKind::Action, label, false));
    }
    items.push(separator(2));
    apps(summary, labels, &mut items);
    items.push(item("open", TrayItemKind::Action, labels.open, false));
    items.push(item("pause", TrayItemKind::Check, labels.pause_triggers, summary.triggers_paused));
    items.push(item("dnd", TrayItemKind::Check, labels.do_not_disturb, summary.do_not_disturb));
    items.push(separator(3));
    items.push(item("quit", TrayItemKind::Action, labels.quit, false));
    let look = look(summary);
    let tooltip = match (look, summary.active) {
        (TrayLook::Running, n) => format!("simple-cicd · {n} {}", labels.running),
        _ => match summary.recent.iter().find(|r| r.status.is_final()) {
            Some(r) => format!("simple-cicd · {} #{} {}", r.template, r.number, labels.status(r.status)),
            None => labels.idle.to_string(),
        },
    };
    TrayMenuModel { look, tooltip, items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_cicd_engine::model::{PinnedTemplate, Run, TrayApp};

    fn run(id: i64, template: &str, status: RunStatus) -> Run {
        Run {
            id,
            number: id,
            template: template.into(),
            template_id: Some(1),
            status,
            trigger: "manual".into(),
            queued_at: String::new(),
            started_at: None,
            finished_at: None,
            exit_code: None,
            params: Default::default(),
            error: None,
            log_lines: 0,
            workdir: None,
            email: None,
            git_ref: None,
            commit: None,
            image_id: None,
            image_tags: Vec::new(),
            image_digest: None,
            retry_of: None,
            steps_total: 0,
            steps_done: 0,
        }
    }

    fn summary() -> TraySummary {
        TraySummary {
            pinned: vec![
                PinnedTemplate { name: "deploy".into(), needs_form: true },
                PinnedTemplate { name: "hello".into(), needs_form: false },
            ],
            recent: vec![run(7, "hello", RunStatus::Failed), run(6, "deploy", RunStatus::Succeeded)],
            waiting: vec![],
            apps: vec![],
            active: 0,
            last_finished: Some(RunStatus::Failed),
            triggers_paused: true,
            do_not_disturb: false,
        }
    }

    #[test]
    fn pinned_templates_and_recent_runs_are_listed_with_the_switches() {
        let model = build(&summary(), &Labels::for_locale("en-US"));
        let ids: Vec<_> = model.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "quick-heading",
                "quick:deploy",
                "quick:hello",
                "separator-1",
                "recent-heading",
                "run:7",
                "run:6",
                "separator-2",
                "open",
                "pause",
                "dnd",
                "separator-3",
                "quit"
            ]
        );
        let label = |id: &str| model.items.iter().find(|i| i.id == id).unwrap().label.clone();
        assert_eq!(label("quick:deploy"), "▶ deploy…", "a template with parameters opens its form");
        assert_eq!(label("quick:hello"), "▶ hello");
        assert_eq!(label("run:7"), "✗ hello #7 · failed");
        assert!(model.items.iter().find(|i| i.id == "pause").unwrap().checked, "triggers are paused");
        assert_eq!(model.look, TrayLook::Failed);
        assert_eq!(model.tooltip, "simple-cicd · hello #7 failed");
    }

    #[test]
    fn runs_waiting_for_an_approval_come_first_and_open_their_run() {
        let mut s = summary();
        s.waiting = vec![run(9, "web", RunStatus::Waiting)];
        let model = build(&s, &Labels::for_locale("en-US"));
        let ids: Vec<_> = model.items.iter().take(4).map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["waiting-heading", "run:9", "separator-0", "quick-heading"]);
        assert_eq!(model.items[1].label, "⌛ web #9 · approve or decline…");
        let zh = build(&s, &Labels::for_locale("zh-CN"));
        assert_eq!(zh.items[0].label, "等待你处理");
    }

    #[test]
    fn the_icon_shows_running_work_before_the_last_outcome() {
        let mut s = summary();
        s.active = 2;
        assert_eq!(look(&s), TrayLook::Running);
        s.active = 0;
        s.last_finished = Some(RunStatus::Cancelled);
        assert_eq!(look(&s), TrayLook::Idle, "a cancel is neither success nor failure");
        s.last_finished = Some(RunStatus::TimedOut);
        assert_eq!(look(&s), TrayLook::Failed);
    }

    fn app(name: &str, state: &str) -> TrayApp {
        TrayApp { handle: format!("{name}@local"), name: name.into(), state: state.into() }
    }

    #[test]
    fn apps_are_listed_with_their_health_before_the_switches_and_open_their_page() {
        let mut s = summary();
        s.apps =
            vec![app("shop", "healthy"), app("blog", "unhealthy"), app("wiki", "drifted"), app("new", "unchecked")];
        let model = build(&s, &Labels::for_locale("en-US"));
        let at = model.items.iter().position(|i| i.id == "apps-heading").expect("an Apps section");
        let section: Vec<(&str, &str)> =
            model.items[at + 1..at + 6].iter().map(|i| (i.id.as_str(), i.label.as_str())).collect();
        assert_eq!(
            section,
            [
                ("app:shop@local", "✓ shop · healthy"),
                ("app:blog@local", "✗ blog · unhealthy"),
                ("app:wiki@local", "≠ wiki · drifted"),
                ("app:new@local", "◷ new · not checked yet"),
                ("separator-4", ""),
            ]
        );
        assert_eq!(model.items[at + 6].id, "open", "the apps come right before Open");
        let zh = build(&s, &Labels::for_locale("zh-CN"));
        assert!(zh.items.iter().any(|i| i.label == "✗ blog · 不健康"), "{:?}", zh.items);
    }

    #[test]
    fn many_apps_end_with_a_link_to_the_apps_page_and_none_leave_no_section() {
        let mut s = summary();
        s.apps = (0..12).map(|i| app(&format!("app{i:02}"), "healthy")).collect();
        let model = build(&s, &Labels::for_locale("en-US"));
        assert_eq!(model.items.iter().filter(|i| i.id.starts_with("app:")).count(), 8);
        assert!(model.items.iter().any(|i| i.id == "apps" && i.label == "All apps…"));
        let none = build(&summary(), &Labels::for_locale("en-US"));
        assert!(!none.items.iter().any(|i| i.id.starts_with("apps")), "no apps, no section");
    }

    #[test]
    fn an_empty_tray_teaches_how_to_fill_it_in_chinese_too() {
        let s = TraySummary {
            pinned: vec![],
            recent: vec![],
            waiting: vec![],
            apps: vec![],
            active: 0,
            last_finished: None,
            triggers_paused: false,
            do_not_disturb: false,
        };
        let model = build(&s, &Labels::for_locale("zh-CN"));
        assert!(model.items.iter().any(|i| i.id == "quick-empty" && i.label == "在模板页面固定模板"));
        assert!(model.items.iter().any(|i| i.id == "quit" && i.label == "退出"));
        assert_eq!(model.look, TrayLook::Idle);
    }
}
