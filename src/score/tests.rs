//! The score over constructed candidates: properties over random ones, and continuity
//! from forge evidence.
#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

mod properties {
    //! Properties of the score over random candidates.

    use crate::facts::{Controller, Facts, ForgeEvidence, Freedom, Unit};
    use crate::ingest::candidate::{Candidate, Component, Criticality, DataExport, ExitFacts};
    use crate::score::{Config, DimensionId, Score, score};
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct U {
        critical: bool,
        org: Option<u8>,
        eu: Option<bool>,
        freedom: u8,
        standards: bool,
        relicensable: Option<bool>,
        evidence: Option<(u32, u32, u32)>,
    }

    fn unit_strategy() -> impl Strategy<Value = U> {
        (
            any::<bool>(),
            proptest::option::of(0u8..4),
            proptest::option::of(any::<bool>()),
            0u8..3,
            any::<bool>(),
            proptest::option::of(any::<bool>()),
            proptest::option::of((0u32..10, 0u32..4, 0u32..800)),
        )
            .prop_map(
                |(critical, org, eu, freedom, standards, relicensable, evidence)| U {
                    critical,
                    org,
                    eu,
                    freedom,
                    standards,
                    relicensable,
                    evidence,
                },
            )
    }

    fn facts(units: &[U], export: Option<u8>, hostable: Option<bool>) -> Facts {
        let mut f = Facts {
            candidate: Candidate {
                name: "random".into(),
                exit: ExitFacts {
                    data_export: export.map(|e| match e {
                        0 => DataExport::None,
                        1 => DataExport::Proprietary,
                        _ => DataExport::OpenFormats,
                    }),
                    self_hostable: hostable,
                    ..ExitFacts::default()
                },
                ..Candidate::default()
            },
            ..Facts::default()
        };
        for (i, u) in units.iter().enumerate() {
            let name = format!("c{i}");
            f.candidate.components.push(Component {
                name: name.clone(),
                ..Component::default()
            });
            f.units.push(Unit {
                name,
                component: Some(i as u32),
                package: None,
                function: Some("chat".into()),
                criticality: Some(if u.critical {
                    Criticality::Critical
                } else {
                    Criticality::Supporting
                }),
                controller: Controller {
                    org: u.org.map(|o| format!("org{o}")),
                    vendor: u.org.map(|o| format!("org{o}")),
                    eu_eea: u.org.and(u.eu),
                    seat: None,
                    via: None,
                },
                licence: None,
                freedom: match u.freedom {
                    0 => Freedom::Free,
                    1 => Freedom::NotFree,
                    _ => Freedom::Unknown,
                },
                relicensable: u.relicensable,
                open_standards: if u.standards {
                    vec!["Matrix".into()]
                } else {
                    Vec::new()
                },
                closed_artefacts: Vec::new(),
                edition_only: Vec::new(),
                packages: Vec::new(),
                package_free_share: None,
                forge: None,
                evidence: u.evidence.map(|(c, o, d)| ForgeEvidence {
                    contributors_12m: Some(c),
                    contributor_orgs_12m: Some(o),
                    days_since_release: Some(d),
                    source: "test".into(),
                }),
            });
        }
        f
    }

    fn total(f: &Facts) -> Score {
        score(f, &[], &|_| None, &Config::default())
    }

    proptest! {
        /// Evidence that a critical component's controlling vendor (or its ultimate
        /// parent) sits outside the EU/EEA never raises the score: the vendor's seat
        /// becomes known as non-EU for every component it controls.
        #[test]
        fn non_eu_evidence_never_raises_the_score(
            units in proptest::collection::vec(unit_strategy(), 1..8),
            pick in any::<proptest::sample::Index>(),
            export in proptest::option::of(0u8..3),
            hostable in proptest::option::of(any::<bool>()),
        ) {
            let before = facts(&units, export, hostable);
            let critical: Vec<usize> = units
                .iter()
                .enumerate()
                .filter(|(_, u)| u.critical && u.org.is_some())
                .map(|(i, _)| i)
                .collect();
            prop_assume!(!critical.is_empty());
            let k = critical[pick.index(critical.len())];
            let org = units[k].org;
            let mut changed = units.clone();
            for u in &mut changed {
                if u.org == org {
                    u.eu = Some(false);
                }
            }
            let after = facts(&changed, export, hostable);
            let (b, a) = (total(&before), total(&after));
            // Only the jurisdiction dimension moves, and never up.
            for (db, da) in b.dimensions.iter().zip(&a.dimensions) {
                if db.id != DimensionId::Jurisdiction {
                    prop_assert_eq!(db.score, da.score, "{:?}", db.id);
                } else if let (Some(x), Some(y)) = (db.score, da.score) {
                    prop_assert!(y <= x + 1e-9, "jurisdiction: before {x} after {y}");
                }
            }
            // The total neither, when it is over the same dimensions (an unknown seat
            // is a gap, so the evidence may make jurisdiction assessable at all).
            let assessed = |s: &Score| s.dimensions.iter().map(|d| d.score.is_some()).collect::<Vec<_>>();
            if let (Some(at), true) = (a.total, assessed(&b) == assessed(&a)) {
                prop_assert!(at <= b.total.unwrap_or(0.0) + 1e-9, "before {:?} after {at}", b.total);
            }
        }

        /// Removing a proprietary component never lowers the score.
        #[test]
        fn removing_a_proprietary_component_never_lowers_the_score(
            units in proptest::collection::vec(unit_strategy(), 1..8),
            pick in any::<proptest::sample::Index>(),
            export in proptest::option::of(0u8..3),
            hostable in proptest::option::of(any::<bool>()),
        ) {
            let proprietary: Vec<usize> = units
                .iter()
                .enumerate()
                .filter(|(_, u)| u.freedom == 1)
                .map(|(i, _)| i)
                .collect();
            prop_assume!(!proprietary.is_empty());
            let k = proprietary[pick.index(proprietary.len())];
            let before = facts(&units, export, hostable);
            let mut rest = units.clone();
            rest.remove(k);
            let after = facts(&rest, export, hostable);
            let (b, a) = (total(&before), total(&after));
            // Every dimension assessed before and after scores at least as well.
            for (db, da) in b.dimensions.iter().zip(&a.dimensions) {
                if let (Some(x), Some(y)) = (db.score, da.score) {
                    prop_assert!(y + 1e-9 >= x, "{:?}: before {x} after {y}", db.id);
                }
            }
            // The total too, when it is over the same dimensions: the component was
            // evidence, so without it a dimension may fall below `min_coverage` and
            // the total is then over other dimensions (a gap, not a judgement).
            let assessed = |s: &Score| s.dimensions.iter().map(|d| d.score.is_some()).collect::<Vec<_>>();
            if let (Some(bt), true) = (b.total, assessed(&b) == assessed(&a)) {
                prop_assert!(a.total.unwrap_or(f64::INFINITY) + 1e-9 >= bt, "before {bt} after {:?}", a.total);
            }
        }
    }
}

/// Continuity is assessed from forge facts only (`sovra enrich` fills them): the same
/// dimensions fixture with forge evidence for two of its components.
#[test]
fn dimension_continuity_with_forge_evidence() {
    use crate::facts::{Facts, ForgeEvidence};
    let dir = crate::test_support::root().join("tests/fixtures/sovereignty/dimensions");
    let loaded = crate::ingest::candidate::load(&dir, &Default::default()).unwrap();
    let licenses = crate::license::resolve_all(&loaded.inventory);
    let evidence = std::collections::BTreeMap::from([
        (
            "files".to_owned(),
            ForgeEvidence {
                contributors_12m: Some(120),
                contributor_orgs_12m: Some(9),
                days_since_release: Some(14),
                source: "forge facts @ 2026-06-01".into(),
            },
        ),
        (
            "chat".to_owned(),
            ForgeEvidence {
                contributors_12m: Some(3),
                contributor_orgs_12m: Some(1),
                days_since_release: Some(400),
                source: "forge facts @ 2026-06-01".into(),
            },
        ),
    ]);
    let facts = Facts::build(
        loaded.candidate,
        &loaded.inventory,
        &licenses,
        crate::vendors::builtin().unwrap(),
        evidence,
    );
    let s = crate::score::score(&facts, &[], &|_| None, &crate::score::Config::default());
    let d = s
        .dimensions
        .iter()
        .find(|d| d.id == crate::score::DimensionId::Continuity)
        .unwrap();
    let mut out = format!(
        "score {:?}, coverage {:.2}\n",
        d.score.map(|x| (x * 10.0).round() / 10.0),
        d.coverage
    );
    for c in &d.contributors {
        out.push_str(&format!(
            "{} (weight {}): credit {} — {}\n",
            c.unit, c.weight, c.credit, c.note
        ));
    }
    for g in &d.gaps {
        out.push_str(&format!("gap: {g}\n"));
    }
    insta::assert_snapshot!("dimension_continuity_with_evidence", out);
}
