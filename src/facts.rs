//! Sovereignty facts of one candidate, computed once and shared by the sovereignty
//! checks and the score: who controls each package and component, under which
//! jurisdiction, where the code is hosted, how its licence reads.
//!
//! A *unit* is what the score weighs: a component of a candidate manifest, or, for a
//! plain input (implicit candidate), a package. Pure: built from the candidate, the
//! inventory and the vendor registry.

use std::collections::BTreeMap;

use crate::ingest::candidate::{Candidate, Criticality};
use crate::license::{LicenseState, Licenses};
use crate::model::{Inventory, PkgIdx};
use crate::vendors::{Attribution, ForgeFact, Registry, Via};

/// Forge facts about a package or component (contributors, releases), filled by
/// `sovra enrich` from a facts file; absent until then, which leaves the continuity
/// dimension "not assessed".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ForgeEvidence {
    /// Distinct contributors in the last twelve months.
    pub contributors_12m: Option<u32>,
    /// Distinct organisations among those contributors.
    pub contributor_orgs_12m: Option<u32>,
    /// Days since the last release.
    pub days_since_release: Option<u32>,
    /// Where the facts were read, and when (`source @ date`).
    pub source: String,
}

/// How free a licence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Freedom {
    /// Every term of some `OR` branch is OSI-approved or FSF-free.
    Free,
    /// Proprietary, source-available or otherwise not free.
    NotFree,
    /// No licence, or none that can be read.
    Unknown,
}

impl Freedom {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Freedom::Free => "free",
            Freedom::NotFree => "not-free",
            Freedom::Unknown => "unknown",
        }
    }
}

/// Reads the freedom of an SPDX expression: free when the expression can be satisfied
/// with OSI-approved or FSF-free licences only.
pub(crate) fn freedom_of(expr: &str) -> Freedom {
    let Ok(e) = spdx::Expression::parse_mode(expr, spdx::ParseMode::LAX) else {
        return Freedom::Unknown;
    };
    let free = e.evaluate(|req| match req.license.id() {
        Some(id) => id.is_osi_approved() || id.is_fsf_free_libre(),
        None => false,
    });
    if free {
        Freedom::Free
    } else {
        Freedom::NotFree
    }
}

/// The controlling organisation of a unit and what is known of its jurisdiction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Controller {
    /// Registry id, `host/owner`, supplier or manifest name; `None` when unknown.
    pub org: Option<String>,
    /// Registry vendor id.
    pub vendor: Option<String>,
    /// `Some(true)` when vendor and ultimate parent sit in the EU/EEA.
    pub eu_eea: Option<bool>,
    /// Human-readable seat (`DE`, `SE, parent JP`).
    pub seat: Option<String>,
    pub via: Option<Via>,
}

/// One unit the score weighs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub name: String,
    pub component: Option<u32>,
    pub package: Option<PkgIdx>,
    pub function: Option<String>,
    pub criticality: Option<Criticality>,
    pub controller: Controller,
    pub licence: Option<String>,
    pub freedom: Freedom,
    /// Single copyright holder or a CLA: the holder can relicense.
    pub relicensable: Option<bool>,
    pub open_standards: Vec<String>,
    pub closed_artefacts: Vec<String>,
    pub edition_only: Vec<String>,
    /// Packages analysed under the unit (its SBOM / lockfile / Cargo inputs).
    pub packages: Vec<PkgIdx>,
    /// Share of those packages with a free licence (`None` without packages).
    pub package_free_share: Option<f64>,
    pub forge: Option<ForgeFact>,
    pub evidence: Option<ForgeEvidence>,
}

impl Unit {
    /// Proprietary: the licence is known and not free.
    pub(crate) fn proprietary(&self) -> bool {
        self.freedom == Freedom::NotFree
    }
}

/// Everything the sovereignty checks and the score read besides the inventory.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub candidate: Candidate,
    pub registry: Registry,
    /// Attribution of every package, indexed by `PkgIdx`.
    pub attributions: Vec<Attribution>,
    pub units: Vec<Unit>,
    /// Licence freedom of every package, indexed by `PkgIdx`.
    pub package_freedom: Vec<Freedom>,
}

impl Facts {
    /// Builds the facts. Pure.
    pub(crate) fn build(
        candidate: Candidate,
        inventory: &Inventory,
        licenses: &Licenses,
        registry: Registry,
        forge_evidence: BTreeMap<String, ForgeEvidence>,
    ) -> Facts {
        let attributions: Vec<Attribution> = inventory
            .packages
            .iter()
            .map(|p| registry.attribute(p))
            .collect();
        let package_freedom: Vec<Freedom> = licenses
            .per_package
            .iter()
            .map(|l| match l {
                LicenseState::Known(l) => freedom_of(l.text()),
                LicenseState::Unknown(_) => Freedom::Unknown,
            })
            .collect();
        let free_share = |pkgs: &[PkgIdx]| {
            (!pkgs.is_empty()).then(|| {
                let free = pkgs
                    .iter()
                    .filter(|p| package_freedom.get(p.index()) == Some(&Freedom::Free))
                    .count();
                free as f64 / pkgs.len() as f64
            })
        };
        let mut units = Vec::new();
        if candidate.components.is_empty() {
            for (i, p) in inventory.packages.iter().enumerate() {
                let idx = PkgIdx(u32::try_from(i).unwrap_or(u32::MAX));
                let a = &attributions[i];
                let licence = match licenses.per_package.get(i) {
                    Some(LicenseState::Known(l)) => Some(l.text().to_owned()),
                    _ => None,
                };
                let freedom = licence.as_deref().map_or(Freedom::Unknown, freedom_of);
                units.push(Unit {
                    name: p.display_name(),
                    component: None,
                    package: Some(idx),
                    function: None,
                    criticality: None,
                    controller: controller_from_attribution(&registry, a),
                    licence,
                    freedom,
                    relicensable: None,
                    open_standards: Vec::new(),
                    closed_artefacts: Vec::new(),
                    edition_only: Vec::new(),
                    packages: vec![idx],
                    package_free_share: free_share(&[idx]),
                    forge: a.forge.clone(),
                    evidence: evidence_for(&forge_evidence, &p.id.0, p.repository.as_deref()),
                });
            }
        }
        for (ci, c) in candidate.components.iter().enumerate() {
            let cidx = u32::try_from(ci).unwrap_or(u32::MAX);
            // The component's own package (read from the manifest) is not evidence of
            // what the component contains.
            let packages: Vec<PkgIdx> = inventory
                .packages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.component == Some(cidx) && !from_manifest(inventory, p))
                .map(|(i, _)| PkgIdx(u32::try_from(i).unwrap_or(u32::MAX)))
                .collect();
            let pc = c.publiccode.as_ref().filter(|p| p.is_valid());
            let licence = c
                .license
                .clone()
                .or_else(|| pc.and_then(|p| p.license.clone()));
            let freedom = licence.as_deref().map_or(Freedom::Unknown, freedom_of);
            let controller =
                component_controller(&registry, c, &packages, inventory, &attributions);
            let repository = c
                .repository
                .clone()
                .or_else(|| pc.and_then(|p| p.url.clone()));
            let relicensable = match (c.copyright_holders, c.cla) {
                (Some(crate::ingest::candidate::CopyrightHolders::Single), _) | (_, Some(true)) => {
                    Some(true)
                }
                (Some(crate::ingest::candidate::CopyrightHolders::Many), _) => Some(false),
                (None, Some(false)) | (None, None) => None,
            };
            units.push(Unit {
                name: c.name.clone(),
                component: Some(cidx),
                package: None,
                function: c.function.clone(),
                criticality: c.criticality,
                controller,
                licence,
                freedom,
                relicensable,
                open_standards: c.open_standards.clone(),
                closed_artefacts: c.closed_artefacts.clone(),
                edition_only: c.edition_only.clone(),
                package_free_share: free_share(&packages),
                packages,
                forge: repository.as_deref().and_then(|r| registry.forge_of(r)),
                evidence: evidence_for(&forge_evidence, &c.name, repository.as_deref()),
            });
        }
        Facts {
            candidate,
            registry,
            attributions,
            units,
            package_freedom,
        }
    }
}

/// The forge evidence of a unit: by its own key, else by its normalised repository.
fn evidence_for(
    evidence: &BTreeMap<String, ForgeEvidence>,
    key: &str,
    repository: Option<&str>,
) -> Option<ForgeEvidence> {
    evidence
        .get(key)
        .or_else(|| repository.and_then(|r| evidence.get(&crate::vendors::normalise_repo(r))))
        .cloned()
}

/// Whether a package stands for a candidate component itself (read from the manifest).
pub(crate) fn from_manifest(inventory: &Inventory, p: &crate::model::Package) -> bool {
    inventory
        .inputs
        .get(p.input.0 as usize)
        .is_some_and(|i| i.format == crate::model::InputFormat::Candidate)
}

/// Jurisdiction facts of a registry vendor.
pub(crate) fn vendor_controller(registry: &Registry, id: &str, via: Via) -> Controller {
    match registry.get(id) {
        Some(v) => Controller {
            org: Some(v.id.clone()),
            vendor: Some(v.id.clone()),
            eu_eea: v.eu_eea,
            seat: v.country.as_ref().map(|c| match &v.parent_country {
                Some(p) if p != c => format!("{c}, parent {p}"),
                _ => c.clone(),
            }),
            via: Some(via),
        },
        None => Controller {
            org: Some(id.to_owned()),
            vendor: None,
            eu_eea: None,
            seat: None,
            via: Some(via),
        },
    }
}

fn controller_from_attribution(registry: &Registry, a: &Attribution) -> Controller {
    match (&a.vendor, &a.org) {
        (Some(v), _) => vendor_controller(registry, v, a.via),
        (None, Some(org)) => Controller {
            org: Some(org.clone()),
            via: Some(a.via),
            ..Controller::default()
        },
        (None, None) => Controller::default(),
    }
}

/// The controller of a component: the vendor the manifest names, else the registry
/// vendor of its repository, else the organisation of its root packages.
fn component_controller(
    registry: &Registry,
    c: &crate::ingest::candidate::Component,
    packages: &[PkgIdx],
    inventory: &Inventory,
    attributions: &[Attribution],
) -> Controller {
    if let Some(v) = &c.vendor {
        return vendor_controller(registry, v, Via::Manifest);
    }
    if let Some(repo) = &c.repository {
        let probe = crate::model::Package {
            repository: Some(repo.clone()),
            ..crate::model::Package::default()
        };
        let a = registry.attribute(&probe);
        if a.org.is_some() {
            return controller_from_attribution(registry, &a);
        }
    }
    let roots: Vec<PkgIdx> = packages
        .iter()
        .copied()
        .filter(|p| inventory.is_root(*p))
        .collect();
    for p in roots.iter().chain(packages) {
        let a = &attributions[p.index()];
        if a.org.is_some() {
            return controller_from_attribution(registry, a);
        }
    }
    Controller::default()
}

/// Knowledge the checks read besides the inventory: licence data, the compatibility
/// matrix, the vendor registry. Loaded once from the embedded `rules/` data.
#[derive(Debug, Clone)]
pub(crate) struct Kb {
    /// Licence classes (`rules/licenses/classes.toml`), a user table possibly layered on
    /// top.
    pub classes: crate::license::Classes,
}

impl Kb {
    /// The knowledge base built into the binary.
    pub(crate) fn embedded() -> crate::Result<Kb> {
        Ok(Kb::default())
    }
}

impl Default for Kb {
    fn default() -> Self {
        Kb {
            classes: crate::license::Classes::builtin().clone(),
        }
    }
}

/// Facts about the candidate beyond its packages (manifest, publiccode.yml, enrichment),
/// filled by the stages that read them. Checks that need a fact the inputs lack say so
/// in a finding instead of passing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extra {
    /// Candidate facts, vendor attribution and score units (sovereignty checks, score).
    pub facts: Facts,
    /// The facts file given with `--facts` (`sovra enrich`): advisories, registry and
    /// forge facts. `None` when none was given.
    pub enrichment: Option<crate::enrich::Facts>,
    /// Where that facts file came from, for the report's evidence section.
    pub enrichment_evidence: Option<crate::enrich::FactsEvidence>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forge_evidence_reaches_units_by_repository() {
        let candidate = Candidate {
            name: "c".into(),
            components: vec![crate::ingest::candidate::Component {
                name: "OpenProject".into(),
                criticality: Some(Criticality::Critical),
                repository: Some("https://github.com/opf/openproject.git".into()),
                ..crate::ingest::candidate::Component::default()
            }],
            ..Candidate::default()
        };
        let evidence = ForgeEvidence {
            contributors_12m: Some(40),
            contributor_orgs_12m: Some(3),
            days_since_release: Some(20),
            source: "https://api.github.com/repos/opf/openproject @ 2026-06-01".into(),
        };
        let facts = Facts::build(
            candidate,
            &Inventory::new(),
            &Licenses::default(),
            Registry::default(),
            BTreeMap::from([("github.com/opf/openproject".to_owned(), evidence.clone())]),
        );
        assert_eq!(facts.units[0].evidence.as_ref(), Some(&evidence));
        let s = crate::score::score(&facts, &[], &|_| None, &crate::score::Config::default());
        let continuity = s
            .dimensions
            .iter()
            .find(|d| d.id == crate::score::DimensionId::Continuity)
            .and_then(|d| d.score);
        assert_eq!(continuity, Some(100.0));
    }

    #[test]
    fn freedom() {
        assert_eq!(freedom_of("AGPL-3.0-or-later"), Freedom::Free);
        assert_eq!(freedom_of("MIT OR LicenseRef-Proprietary"), Freedom::Free);
        assert_eq!(freedom_of("LicenseRef-Proprietary"), Freedom::NotFree);
        assert_eq!(freedom_of("BUSL-1.1"), Freedom::NotFree);
        assert_eq!(freedom_of("not a licence ("), Freedom::Unknown);
    }
}
