//! Licence texts identified against the SPDX licence list's texts, as cargo-deny does:
//! `askalono` (the matcher cargo-deny uses) scores a text against every licence text the
//! `spdx` crate embeds (the SPDX license-list-data texts, CC-BY-3.0 / the licences' own
//! terms, shipped with the `spdx` crate), and a score at or above the threshold (0.8 by
//! default, as cargo-deny) identifies the licence. The store is built on first use only,
//! so inputs whose licences are all expressions never pay for it.
//!
//! An identification is recorded like a lenient rewrite (file, licence, score); below the
//! threshold the licence stays unknown with the best candidate named.

use std::sync::LazyLock;

use askalono::{Store, TextData};

use super::{LicenseOrigin, LicenseState, Licensing, Parsed, SPEC_MODE, UnknownReason};
use crate::text;

/// cargo-deny's default confidence threshold.
pub(crate) const DEFAULT_THRESHOLD: f32 = 0.8;

static STORE: LazyLock<Store> = LazyLock::new(|| {
    let mut store = Store::new();
    for (id, text) in spdx::text::LICENSE_TEXTS {
        store.add_license((*id).to_owned(), TextData::new(text));
    }
    store
});

/// The best-matching SPDX licence id for `text` and its score (0 to 1).
pub(crate) fn identify(text: &str) -> (String, f32) {
    let m = STORE.analyze(&TextData::from(text));
    (m.name.to_owned(), m.score)
}

/// The licence of a package that names only a licence file whose text is `text`.
pub(crate) fn resolve_file(file: &str, text: &str, threshold: f32) -> LicenseState {
    let (best, score) = identify(text);
    let shown = format!("{score:.2}");
    if score >= threshold {
        if let Ok(expression) = spdx::Expression::parse_mode(&best, SPEC_MODE) {
            return LicenseState::Known(Box::new(Licensing {
                expression,
                parsed: Parsed::Lenient {
                    original: file.to_owned(),
                    rewrites: vec![text!(
                        "rewrite.identified",
                        file = file,
                        licence = &best,
                        score = &shown
                    )],
                },
                origin: LicenseOrigin::Declared,
            }));
        }
    }
    LicenseState::Unknown(UnknownReason::Unidentified {
        file: file.to_owned(),
        best,
        score: shown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_licence_texts_and_names_the_best_candidate_below_the_threshold() {
        let mit = spdx::text::LICENSE_TEXTS
            .iter()
            .find(|(id, _)| *id == "MIT")
            .map(|(_, t)| *t)
            .unwrap();
        // A real file: the template with its placeholders filled.
        let filled = mit
            .replace("<year>", "2024")
            .replace("<copyright holders>", "Example GmbH");
        let (id, score) = identify(&filled);
        assert_eq!(id, "MIT");
        assert!(score > 0.95, "{score}");
        match resolve_file("LICENSE", &filled, DEFAULT_THRESHOLD) {
            LicenseState::Known(l) => {
                assert_eq!(l.text(), "MIT");
                let Parsed::Lenient { original, rewrites } = &l.parsed else {
                    panic!("not recorded");
                };
                assert_eq!(original, "LICENSE");
                assert!(rewrites[0].to_string().contains("identified as `MIT`"));
            }
            LicenseState::Unknown(r) => panic!("{r:?}"),
        }
        // Half a licence is not that licence: unknown, best candidate named.
        let half: String = filled
            .split_whitespace()
            .take(40)
            .collect::<Vec<_>>()
            .join(" ");
        match resolve_file("COPYING", &half, DEFAULT_THRESHOLD) {
            LicenseState::Unknown(UnknownReason::Unidentified { file, best, score }) => {
                assert_eq!(file, "COPYING");
                assert!(!best.is_empty());
                let score: f32 = score.parse().unwrap();
                assert!(score < DEFAULT_THRESHOLD, "{score}");
            }
            other => panic!("{other:?}"),
        }
    }
}
