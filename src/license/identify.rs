//! Licence texts identified against the SPDX licence list's texts, as cargo-deny does:
//! `askalono` (the matcher cargo-deny uses) scores a text against every current licence
//! text of the SPDX licence list, and a score at or above the threshold (0.8 by default,
//! as cargo-deny) identifies the licence.
//!
//! The matcher is precomputed at build time (build.rs: the n-gram sets of the SPDX
//! license-list-data texts shipped with the `spdx` crate, CC-BY-3.0 / the licences' own
//! terms) and embedded zstd-compressed; it is decompressed on first use only, so inputs
//! whose licences are all expressions never pay for it.
//!
//! An identification is recorded like a lenient rewrite (file, licence, score); below the
//! threshold the licence stays unknown with the best candidate named.

use std::sync::LazyLock;

use askalono::{Store, TextData};

use super::{LicenseOrigin, LicenseState, Licensing, Parsed, SPEC_MODE, UnknownReason};
use crate::text;

/// cargo-deny's default confidence threshold.
pub(crate) const DEFAULT_THRESHOLD: f32 = 0.8;

/// The precomputed store (build.rs), zstd-compressed.
static CACHE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/licence-store.bin.zst"));

/// The store and its licence ids in sorted order (ties go to the first id, so the
/// result does not depend on the store's hash order or on threads).
struct Matcher {
    store: Store,
    ids: Vec<String>,
}

static MATCHER: LazyLock<Matcher> = LazyLock::new(|| {
    // The cache is produced by this build from data in the build: failing to read it is a
    // defect of the build, not of any input. An empty store then identifies nothing.
    let store = Store::from_cache(CACHE).unwrap_or_default();
    let ids = sorted_ids(&store);
    Matcher { store, ids }
});

/// The best-matching SPDX licence id for `text` and its score (0 to 1); an empty id
/// with score 0 when nothing matches at all.
pub(crate) fn identify(text: &str) -> (String, f32) {
    let m = &*MATCHER;
    let data = TextData::from(text);
    let mut best: (&str, f32) = ("", 0.0);
    for id in &m.ids {
        if let Some(original) = m.store.get_original(id) {
            let score = original.match_score(&data);
            if score > best.1 {
                best = (id, score);
            }
        }
    }
    (best.0.to_owned(), best.1)
}

/// The store's licence ids, deduplicated and sorted.
fn sorted_ids(store: &Store) -> Vec<String> {
    let ids: std::collections::BTreeSet<String> = store.licenses().cloned().collect();
    ids.into_iter().collect()
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
    fn the_precomputed_matcher_holds_every_current_spdx_licence() {
        let current: Vec<&str> = spdx::text::LICENSE_TEXTS
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| spdx::license_id(id).is_some_and(|l| !l.is_deprecated()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(MATCHER.ids, current);
        // Each text is identified as itself; a deprecated id as its successor's text.
        for id in [
            "Apache-2.0",
            "MPL-2.0",
            "GPL-3.0-only",
            "BSD-3-Clause",
            "EUPL-1.2",
        ] {
            let (found, score) = identify(crate::license::text(id).unwrap());
            assert_eq!(found, id);
            assert!(score > 0.99, "{id}: {score}");
        }
    }

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
        let lines: Vec<&str> = filled.lines().collect();
        let half = lines[..lines.len() / 2].join("\n");
        match resolve_file("COPYING", &half, DEFAULT_THRESHOLD) {
            LicenseState::Unknown(UnknownReason::Unidentified { file, best, score }) => {
                assert_eq!(file, "COPYING");
                assert!(best.starts_with("MIT"), "{best}");
                let score: f32 = score.parse().unwrap();
                assert!(score < DEFAULT_THRESHOLD, "{score}");
            }
            other => panic!("{other:?}"),
        }
    }
}
