//! One analysis of one candidate: inventory → graph → licences → findings.
//!
//! [`analyse`] is pure and is what `check`, `score` and `report` share; [`load`] is
//! the thin reading step in front of it (inputs, policy files, user catalogues): the
//! only place outside `ingest` where this pipeline touches the file system.

use std::path::{Path, PathBuf};

use crate::engine::catalogue::Catalogue;
use crate::engine::{self, Extra, Finding, Kb, Level};
use crate::error::{Error, Result};
use crate::graph::DepGraph;
use crate::ingest::IngestOptions;
use crate::license::Licenses;
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
/// `licenses` are the interpreted licences of `inventory` (the caller has them already:
/// the score's facts are built from them too).
pub fn analyse(
    inventory: Inventory,
    licenses: Licenses,
    catalogue: Catalogue,
    policy: EffectivePolicy,
    kb: Kb,
    extra: Extra,
    today: jiff::civil::Date,
) -> Analysis {
    let graph = DepGraph::build(&inventory);
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
    /// Run only these rules (`--select`); empty runs every enabled rule.
    pub select: Vec<String>,
}

/// The catalogue (embedded plus user catalogues named by the policy) and the
/// effective policy for `inputs`.
pub fn load_policy(inputs: &[PathBuf], opts: &LoadOptions) -> Result<(Catalogue, EffectivePolicy)> {
    let mut catalogue = Catalogue::embedded()?;
    let req = PolicyRequest {
        policy: opts.policy.clone(),
        project: opts
            .project_policy
            .then(|| find_project_file(inputs))
            .flatten(),
    };
    let mut policy = policy::load(&req, &mut catalogue, &FILES)?;
    if !opts.select.is_empty() {
        let unknown: Vec<String> = opts
            .select
            .iter()
            .filter(|id| catalogue.get(id).is_none())
            .map(|id| format!("`{id}`"))
            .collect();
        if !unknown.is_empty() {
            return Err(crate::Error::Usage(format!(
                "unknown rule {} in `--select` (see `sovra rules list`)",
                unknown.join(", ")
            )));
        }
        policy.select(&opts.select);
    }
    Ok((catalogue, policy))
}

/// The file system, as the policy loader sees it.
pub const FILES: policy::Files<'static> = policy::Files {
    read: &read_text,
    catalogue_dir: &read_catalogue_dir,
};

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn read_catalogue_dir(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| read_text(&p).map(|t| (p, t)))
        .collect()
}

/// The project file next to the inputs: `<dir>/sovra.toml` for a directory input,
/// `<parent>/sovra.toml` for a file, the first that exists.
pub fn find_project_file(inputs: &[PathBuf]) -> Option<PathBuf> {
    inputs.iter().find_map(|p| {
        let dir = if p.is_dir() {
            p.clone()
        } else {
            // A bare file name: the project file is a bare name too.
            p.parent().map(Path::to_owned).unwrap_or_default()
        };
        let f = dir.join(policy::PROJECT_FILE);
        f.is_file().then_some(f)
    })
}

/// Reads the inputs and policy, then [`analyse`]s.
pub fn load(inputs: &[PathBuf], opts: &LoadOptions, today: jiff::civil::Date) -> Result<Analysis> {
    let (catalogue, policy) = load_policy(inputs, opts)?;
    let mut loaded = crate::candidate::load_inputs(inputs, &opts.ingest)?;
    let mut extra = Extra::default();
    let mut forge = std::collections::BTreeMap::new();
    if let Some(file) = &opts.facts {
        let components: Vec<(String, String)> = loaded
            .candidate
            .components
            .iter()
            .filter_map(|c| {
                let url = c.repository.clone();
                Some((
                    c.name.clone(),
                    url.or(c.git.as_ref().map(|_| String::new()))?,
                ))
            })
            .collect();
        let e = crate::enrich::Facts::load_for_assessment(
            file,
            &mut loaded.inventory,
            &components,
            today,
        )?;
        forge = e
            .continuity
            .into_iter()
            .map(|(k, c)| {
                let evidence = crate::score::facts::ForgeEvidence {
                    contributors_12m: c.contributors_12m,
                    contributor_orgs_12m: c.contributor_orgs_12m,
                    days_since_release: c.days_since_release,
                    source: c.source,
                };
                (k, evidence)
            })
            .collect();
        extra.enrichment = Some(e.facts);
        extra.enrichment_evidence = Some(e.evidence);
    }
    let licenses = crate::license::resolve_all(&loaded.inventory);
    extra.facts = crate::score::facts::Facts::build(
        loaded.candidate,
        &loaded.inventory,
        &licenses,
        crate::vendors::builtin_with(&loaded.vendor_files)?,
        forge,
    );
    let kb = Kb::embedded()?;
    Ok(analyse(
        loaded.inventory,
        licenses,
        catalogue,
        policy,
        kb,
        extra,
        today,
    ))
}
