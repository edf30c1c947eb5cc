//! One analysis of one candidate: inventory → graph → licences → findings.
//!
//! [`analyse`] is pure and is what `check`, `score` and `report` share; [`load`] is
//! the thin reading step in front of it (inputs, policy files, user catalogues).

use std::path::PathBuf;

use crate::engine::catalogue::Catalogue;
use crate::engine::{self, Extra, Finding, Kb, Level};
use crate::error::Result;
use crate::graph::DepGraph;
use crate::ingest::{self, IngestOptions};
use crate::license::{self, Licenses};
use crate::model::Inventory;
use crate::policy::{self, EffectivePolicy, PolicyRequest};

/// Everything known about one candidate after the rules ran.
#[derive(Debug)]
pub struct Analysis {
    pub inventory: Inventory,
    pub graph: DepGraph,
    pub licenses: Licenses,
    pub catalogue: Catalogue,
    pub policy: EffectivePolicy,
    pub kb: Kb,
    pub extra: Extra,
    /// Sorted by rule id, package and message.
    pub findings: Vec<Finding>,
    pub today: jiff::civil::Date,
}

impl Analysis {
    /// Whether a finding at or above `fail_on` remains after exceptions.
    pub fn fails(&self, fail_on: Level) -> bool {
        self.findings.iter().any(|f| f.fails(fail_on))
    }

    /// Whether a `gate` finding remains: the candidate is non-compliant whatever its
    /// score.
    pub fn gated(&self) -> bool {
        self.fails(Level::Gate)
    }

    /// Number of findings per level, excepted ones left out.
    pub fn counts(&self) -> [(Level, usize); 4] {
        [Level::Gate, Level::Deny, Level::Warn, Level::Allow].map(|l| {
            (
                l,
                self.findings
                    .iter()
                    .filter(|f| f.exception.is_none() && f.level == l)
                    .count(),
            )
        })
    }
}

/// Runs the rules of `policy` over `inventory`. Pure.
pub fn analyse(
    inventory: Inventory,
    catalogue: Catalogue,
    policy: EffectivePolicy,
    kb: Kb,
    extra: Extra,
    today: jiff::civil::Date,
) -> Analysis {
    let graph = DepGraph::build(&inventory);
    let licenses = license::resolve_all(&inventory);
    let findings = engine::run(
        &catalogue,
        &policy,
        &engine::Input {
            inventory: &inventory,
            graph: &graph,
            licenses: &licenses,
            kb: &kb,
            extra: &extra,
            today,
        },
    );
    Analysis {
        inventory,
        graph,
        licenses,
        catalogue,
        policy,
        kb,
        extra,
        findings,
        today,
    }
}

/// What [`load`] needs besides the inputs.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub ingest: IngestOptions,
    /// `--policy`: a bundled policy name or a path.
    pub policy: Option<String>,
    /// Look for a `sovra.toml` next to the inputs.
    pub project_policy: bool,
    /// `--facts`: a facts file from `sovra enrich`, applied to the inventory and given
    /// to the checks. Read from disk only; no network.
    pub facts: Option<PathBuf>,
}

/// The catalogue (embedded plus user catalogues named by the policy) and the
/// effective policy for `inputs`.
pub fn load_policy(inputs: &[PathBuf], opts: &LoadOptions) -> Result<(Catalogue, EffectivePolicy)> {
    let mut catalogue = Catalogue::embedded()?;
    let req = PolicyRequest {
        policy: opts.policy.clone(),
        project: opts
            .project_policy
            .then(|| policy::find_project_file(inputs))
            .flatten(),
    };
    let policy = policy::load(&req, &mut catalogue)?;
    Ok((catalogue, policy))
}

/// Reads the inputs and policy, then [`analyse`]s.
pub fn load(inputs: &[PathBuf], opts: &LoadOptions, today: jiff::civil::Date) -> Result<Analysis> {
    let (catalogue, policy) = load_policy(inputs, opts)?;
    let mut inventory = ingest::ingest(inputs, &opts.ingest)?;
    let mut extra = Extra::default();
    if let Some(path) = &opts.facts {
        let (facts, evidence) = crate::enrich::Facts::load(path)?;
        facts.apply(&mut inventory);
        extra.enrichment = Some(facts);
        extra.enrichment_evidence = Some(evidence);
    }
    let kb = Kb::embedded()?;
    Ok(analyse(inventory, catalogue, policy, kb, extra, today))
}
