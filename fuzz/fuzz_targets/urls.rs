//! Addresses users paste: git repository URLs, Docker endpoint URLs, ssh hosts of ssh steps,
//! image references, and the ref names of `--ref` and a template's source.
//!
//! Properties: never a panic; what is accepted is accepted again in its normal form, unchanged
//! (parsing is idempotent); an accepted repository URL holds no whitespace, control character
//! or shell metacharacter and no password; an image reference prints back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::deploy::ssh::parse_target;
use simple_cicd_engine::docker::ImageRef;
use simple_cicd_engine::fuzzing::endpoint_url;
use simple_cicd_engine::git::url;
use simple_cicd_engine::trigger::check_ref_name;

fuzz_target!(|input: (u8, &str)| {
    let (which, text) = input;
    match which % 5 {
        0 => {
            let Ok(parsed) = url::parse(text) else { return };
            assert!(
                !parsed.url.chars().any(|c| c.is_whitespace() || c.is_control() || ";|&$`<>(){}'\"\\!*?#^".contains(c)),
                "an accepted URL is plain: {parsed:?}"
            );
            if let Some(user) = &parsed.user {
                assert!(!user.contains(':'), "a password is never accepted in a URL: {parsed:?}");
            }
            assert_eq!(url::parse(&parsed.url).ok(), Some(parsed.clone()), "parsing is idempotent");
            let _ = url::guess_provider(&parsed);
        }
        1 => {
            for tls in [false, true] {
                let Ok((normal, kind)) = endpoint_url(text, tls) else { continue };
                assert_eq!(endpoint_url(&normal, tls), Ok((normal.clone(), kind)), "the normal form is stable");
            }
        }
        2 => {
            let Ok(target) = parse_target(text) else { return };
            let written = match &target.user {
                Some(u) => format!("{u}@{}:{}", target.host, target.port),
                None => format!("{}:{}", target.host, target.port),
            };
            assert_eq!(parse_target(&written), Ok(target), "an ssh target written out reads the same");
        }
        3 => {
            let Ok(image) = ImageRef::parse(text) else { return };
            assert_eq!(image.to_string(), text, "an image reference prints as it was written");
            assert_eq!(ImageRef::parse(&image.to_string()), Ok(image.clone()));
            let _ = (image.registry_host(), image.repository(), image.tag_or_latest());
        }
        _ => {
            if check_ref_name(text).is_ok() {
                assert!(!text.is_empty() && !text.chars().any(char::is_whitespace), "a ref name is one word");
            }
        }
    }
});
