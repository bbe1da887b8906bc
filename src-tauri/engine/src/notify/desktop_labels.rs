//! The words on a desktop notification's buttons, in the OS language (zh-CN when the OS locale
//! is Chinese, else English), as the tray and the start-up dialog choose theirs. The summaries and
//! bodies come from the engine and stay English; left out: other languages.

/// Button labels of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionLabels {
    /// The default action (a click on the notification): opens the run.
    pub open: &'static str,
    /// Approves a waiting approval step.
    pub approve: &'static str,
    /// Declines it.
    pub decline: &'static str,
    /// Rolls a failed deploy's app back; the revision follows (`Roll back to #3`).
    pub roll_back: &'static str,
}

const EN: ActionLabels =
    ActionLabels { open: "Open run", approve: "Approve", decline: "Decline", roll_back: "Roll back to" };
const ZH_CN: ActionLabels =
    ActionLabels { open: "打开运行", approve: "批准", decline: "拒绝", roll_back: "回滚到" };

impl ActionLabels {
    /// The labels for a locale such as `zh-CN`, `zh_CN.UTF-8` or `en-US` (English unless it is
    /// Chinese).
    pub fn for_locale(locale: &str) -> ActionLabels {
        if locale.to_ascii_lowercase().starts_with("zh") {
            ZH_CN
        } else {
            EN
        }
    }

    /// The labels for the OS locale.
    pub fn for_os() -> ActionLabels {
        ActionLabels::for_locale(&sys_locale::get_locale().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chinese_locale_gets_chinese_buttons_and_any_other_english_ones() {
        assert_eq!(ActionLabels::for_locale("zh-CN").approve, "批准");
        assert_eq!(ActionLabels::for_locale("zh_CN.UTF-8").decline, "拒绝");
        assert_eq!(ActionLabels::for_locale("en-US"), EN);
        assert_eq!(ActionLabels::for_locale("").decline, "Decline", "no locale known: English");
    }
}
