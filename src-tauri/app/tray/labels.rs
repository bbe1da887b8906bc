//! The tray menu's words in the two languages of the app. The window's text is translated by the
//! UI (vue-i18n); the tray is a native menu, so its few words live here.

use simple_cicd_engine::model::RunStatus;

/// The words of the tray menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    pub quick_run: &'static str,
    pub no_pinned: &'static str,
    pub recent_runs: &'static str,
    pub no_runs: &'static str,
    pub waiting_for_you: &'static str,
    pub waits_for_approval: &'static str,
    pub open: &'static str,
    pub pause_triggers: &'static str,
    pub do_not_disturb: &'static str,
    pub quit: &'static str,
    pub idle: &'static str,
    pub running: &'static str,
    pub apps: &'static str,
    pub all_apps: &'static str,
    statuses: [&'static str; 8],
    /// healthy, unhealthy, drifted, down, unknown, not yet checked.
    app_states: [&'static str; 6],
}

const EN: Labels = Labels {
    quick_run: "Quick run",
    no_pinned: "Pin templates on the Templates page",
    recent_runs: "Recent runs",
    no_runs: "No runs yet",
    waiting_for_you: "Waiting for you",
    waits_for_approval: "approve or decline…",
    open: "Open simple-cicd",
    pause_triggers: "Pause triggers",
    do_not_disturb: "Do not disturb",
    quit: "Quit",
    idle: "simple-cicd",
    running: "running",
    apps: "Apps",
    all_apps: "All apps",
    statuses: ["queued", "running", "waiting", "succeeded", "failed", "cancelled", "timed out", "interrupted"],
    app_states: ["healthy", "unhealthy", "drifted", "down", "cannot be checked", "not checked yet"],
};

const ZH_CN: Labels = Labels {
    quick_run: "快速运行",
    no_pinned: "在模板页面固定模板",
    recent_runs: "最近运行",
    no_runs: "暂无运行",
    waiting_for_you: "等待你处理",
    waits_for_approval: "批准或拒绝…",
    open: "打开 simple-cicd",
    pause_triggers: "暂停触发器",
    do_not_disturb: "勿扰模式",
    quit: "退出",
    idle: "simple-cicd",
    running: "运行中",
    apps: "应用",
    all_apps: "全部应用",
    statuses: ["排队中", "运行中", "等待中", "成功", "失败", "已取消", "超时", "已中断"],
    app_states: ["健康", "不健康", "已漂移", "已停止", "无法检查", "尚未检查"],
};

impl Labels {
    /// The words for a locale such as `zh-CN` or `en-US` (English unless it is Chinese).
    pub fn for_locale(locale: &str) -> Labels {
        if locale.to_ascii_lowercase().starts_with("zh") {
            ZH_CN
        } else {
            EN
        }
    }

    /// An app's state (as the apps watch stores it) as the menu says it.
    pub fn app_state(&self, state: &str) -> &'static str {
        let i = ["healthy", "unhealthy", "drifted", "down", "unknown"].iter().position(|s| *s == state).unwrap_or(5);
        self.app_states[i]
    }

    /// A status as the menu says it.
    pub fn status(&self, status: RunStatus) -> &'static str {
        let i = RunStatus::ALL.iter().position(|s| *s == status).unwrap_or(0);
        self.statuses[i]
    }
}
