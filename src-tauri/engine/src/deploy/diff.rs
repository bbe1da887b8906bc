//! Comparing two revisions of an app: the stored configurations as a unified line diff and each
//! service's image, by digest. Pure: the revisions come from the store.

use std::collections::BTreeMap;

use similar::TextDiff;

use crate::model::{AppDiff, AppRevision, ImageChange, PinnedImage, ServiceState};

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// What changes from revision `from` to revision `to`.
pub fn revision_diff(from: &AppRevision, to: &AppRevision) -> AppDiff {
    AppDiff {
        from: from.number,
        to: to.number,
        config: config_diff(&from.config, &to.config, from.number, to.number),
        images: image_changes(&from.services, &to.services),
    }
}

/// A unified diff of two configurations, headed `#A` and `#B`; empty when they are equal.
fn config_diff(a: &str, b: &str, from: u32, to: u32) -> String {
    if a == b {
        return String::new();
    }
    TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(CONTEXT)
        .header(&format!("#{from}"), &format!("#{to}"))
        .to_string()
}

fn pinned(s: &ServiceState) -> PinnedImage {
    PinnedImage { image: s.image.clone(), pinned: s.pinned.clone() }
}

/// The same image: by digest when both are known, else as written.
fn same(a: &PinnedImage, b: &PinnedImage) -> bool {
    if !a.pinned.is_empty() && !b.pinned.is_empty() {
        a.pinned == b.pinned
    } else {
        a.image == b.image
    }
}

/// Every service of either revision, by name, with its image in each.
fn image_changes(from: &[ServiceState], to: &[ServiceState]) -> Vec<ImageChange> {
    let mut by_name: BTreeMap<&str, (Option<PinnedImage>, Option<PinnedImage>)> = BTreeMap::new();
    for s in from {
        by_name.entry(&s.service).or_default().0 = Some(pinned(s));
    }
    for s in to {
        by_name.entry(&s.service).or_default().1 = Some(pinned(s));
    }
    by_name
        .into_iter()
        .map(|(service, (from, to))| {
            let changed = match (&from, &to) {
                (Some(a), Some(b)) => !same(a, b),
                _ => true,
            };
            ImageChange { service: service.to_string(), from, to, changed }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(name: &str, image: &str, pinned: &str) -> ServiceState {
        ServiceState {
            service: name.into(),
            state: "running".into(),
            health: String::new(),
            image: image.into(),
            pinned: pinned.into(),
        }
    }

    fn revision(number: u32, config: &str, services: Vec<ServiceState>) -> AppRevision {
        AppRevision {
            number,
            run_id: None,
            run_number: None,
            trigger: "manual".into(),
            commit: None,
            config: config.into(),
            services,
            status: "deployed".into(),
            error: None,
            created_at: String::new(),
            helm_revision: None,
        }
    }

    #[test]
    fn the_configuration_diff_is_unified_with_revision_headers_and_only_the_changed_hunk() {
        let mut a: String = (1..=20).map(|i| format!("line{i}\n")).collect();
        a.push_str("    image: web:1\n");
        let b = a.replace("image: web:1", "image: web:2");
        let d = revision_diff(&revision(1, &a, vec![]), &revision(3, &b, vec![]));
        let lines: Vec<&str> = d.config.lines().collect();
        assert_eq!(&lines[..2], ["--- #1", "+++ #3"], "{}", d.config);
        assert!(lines.contains(&"-    image: web:1") && lines.contains(&"+    image: web:2"), "{}", d.config);
        assert!(!d.config.contains("line1\n"), "far lines are left out: {}", d.config);
        assert!(lines.contains(&" line20"), "three lines of context: {}", d.config);
    }

    #[test]
    fn equal_configurations_give_an_empty_diff() {
        let d = revision_diff(&revision(1, "a: 1\n", vec![]), &revision(2, "a: 1\n", vec![]));
        assert_eq!(d.config, "", "nothing to show when nothing changed");
    }

    #[test]
    fn images_are_compared_by_digest_per_service_with_added_and_removed_ones() {
        let from = vec![
            service("web", "web:latest", "web@sha256:aaa"),
            service("db", "db:1", "db@sha256:ddd"),
            service("old", "old:1", "old@sha256:000"),
        ];
        let to = vec![
            service("web", "web:latest", "web@sha256:bbb"),
            service("db", "db:1", "db@sha256:ddd"),
            service("new", "new:1", ""),
        ];
        let d = revision_diff(&revision(1, "", from), &revision(2, "", to));
        let changed: Vec<(&str, bool)> = d.images.iter().map(|c| (c.service.as_str(), c.changed)).collect();
        assert_eq!(changed, [("db", false), ("new", true), ("old", true), ("web", true)]);
        assert!(d.images[1].from.is_none() && d.images[2].to.is_none(), "added and removed services have one side");
        assert_eq!(d.images[3].to.as_ref().unwrap().pinned, "web@sha256:bbb", "the same tag, another digest");
    }

    #[test]
    fn without_digests_images_are_compared_as_written() {
        let d = revision_diff(
            &revision(1, "", vec![service("web", "web:1", "")]),
            &revision(2, "", vec![service("web", "web:1", "web@sha256:aaa")]),
        );
        assert!(!d.images[0].changed, "a digest learnt later does not make the same image a change");
    }
}
