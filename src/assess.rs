//! One analysis of one candidate: inventory → graph → licences → findings.
//!
//! `analyse` is pure and is what `check`, `score` and `report` share; `load` is
//! the thin reading step in front of it (inputs, policy files, user catalogues): the
//! only place outside `ingest` where this pipeline touches the file system.
//!
//! It is also the library's public entry (with `model` and `Error`): [`assess`] and its
//! [`Assessment`], and the one-document readers and inventory stages that the fuzz
//! targets and benchmarks drive. Everything else here is crate-private.

use std::path::{Path, PathBuf};

use crate::catalogue::Catalogue;
use crate::engine;
use crate::error::{Error, Result};
use crate::facts::{Extra, Kb};
use crate::finding::{Finding, Level};
use crate::graph::DepGraph;
use crate::license::Licenses;
use crate::model::Inventory;
use crate::policy::{self, EffectivePolicy, PolicyRequest};

pub use crate::ingest::{DEFAULT_MAX_FILE_BYTES, IngestOptions, detect, parse_as};

/// Everything known about one candidate after the rules ran.
#[derive(Debug)]
pub(crate) struct Analysis {
    pub(crate) inventory: Inventory,
    pub(crate) graph: DepGraph,
    pub(crate) licenses: Licenses,
    pub(crate) catalogue: Catalogue,
    pub(crate) policy: EffectivePolicy,
    pub(crate) extra: Extra,
    /// Sorted by rule id, package and message.
    pub(crate) findings: Vec<Finding>,
}

impl Analysis {
    /// The inclusion path of a finding as shown to people (long paths shortened).
    pub(crate) fn short_path(&self, f: &Finding) -> Option<crate::graph::ShortPath> {
        f.path
            .and_then(|(p, scope)| self.graph.short_path(p, scope))
    }

    /// Display names of a finding's shown path, `…` where packages are left out.
    pub(crate) fn path_names(&self, f: &Finding) -> Vec<String> {
        let Some(sp) = self.short_path(f) else {
            return Vec::new();
        };
        sp.shown()
            .map(|p| match p {
                Some(p) => self.inventory.package(p).display_name(),
                None => format!("… {} more …", sp.omitted),
            })
            .collect()
    }

    /// Whether a finding at or above `fail_on` remains after exceptions.
    pub(crate) fn fails(&self, fail_on: Level) -> bool {
        self.findings.iter().any(|f| f.fails(fail_on))
    }

    /// Number of findings per level, excepted ones left out.
    pub(crate) fn counts(&self) -> [(Level, usize); 4] {
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
pub(crate) fn analyse(
    inventory: Inventory,
    licenses: Licenses,
    catalogue: Catalogue,
    policy: EffectivePolicy,
    kb: Kb,
    extra: Extra,
    today: jiff::civil::Date,
) -> Result<Analysis> {
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
    )?;
    Ok(Analysis {
        inventory,
        graph,
        licenses,
        catalogue,
        policy,
        extra,
        findings,
    })
}

/// What [`load`] needs besides the inputs.
#[derive(Debug, Clone, Default)]
pub(crate) struct LoadOptions {
    pub(crate) ingest: IngestOptions,
    /// `--policy`: a bundled policy name or a path.
    pub(crate) policy: Option<String>,
    /// Apply a `sovra.toml` found next to the inputs as the last policy layer
    /// (`check --project-policy`, a project's own CI). Off by default: the inputs come
    /// from the party being judged, and their policy file is only named as not applied.
    pub(crate) project_policy: bool,
    /// `--facts`: a facts file from `sovra enrich`, applied to the inventory and given
    /// to the checks. Read from disk only; no network.
    pub(crate) facts: Option<PathBuf>,
    /// Run only these rules (`--select`); empty runs every enabled rule.
    pub(crate) select: Vec<String>,
}

/// The catalogue (embedded plus user catalogues named by the policy) and the
/// effective policy for `inputs`.
pub(crate) fn load_policy(
    inputs: &[PathBuf],
    opts: &LoadOptions,
) -> Result<(Catalogue, EffectivePolicy)> {
    load_policy_in(inputs, opts, &FILES)
}

/// [`load_policy`] with policy files read through `files` (the catalogue records them,
/// and replays them when it reproduces an assessment).
pub(crate) fn load_policy_in(
    inputs: &[PathBuf],
    opts: &LoadOptions,
    files: &policy::Files<'_>,
) -> Result<(Catalogue, EffectivePolicy)> {
    let mut catalogue = engine::embedded_catalogue()?;
    let found = find_project_file(inputs);
    let req = PolicyRequest {
        policy: opts.policy.clone(),
        project: found.clone().filter(|_| opts.project_policy),
    };
    let mut policy = policy::load(&req, &mut catalogue, files)?;
    if let Some(f) = found.filter(|_| !opts.project_policy) {
        // Named with `--policy PATH`, it is a layer already.
        if !policy.layers.iter().any(|l| same_path(&l.path, &f)) {
            policy.not_applied.push(f);
        }
    }
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
pub(crate) const FILES: policy::Files<'static> = policy::Files {
    read: &read_text,
    catalogue_dir: &read_catalogue_dir,
    kinds: &engine::kinds,
    canonical: &canonical,
};

fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = crate::ingest::read_bounded(path, crate::ingest::DEFAULT_MAX_FILE_BYTES)?;
    Ok(crate::ingest::decode_text(path, &bytes)?.into_owned())
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

fn same_path(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The project file next to the inputs: `<dir>/sovra.toml` for a directory input,
/// `<parent>/sovra.toml` for a file, the first that exists.
pub(crate) fn find_project_file(inputs: &[PathBuf]) -> Option<PathBuf> {
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

/// The inputs as every command reads them: the candidate (a manifest, or plain inputs
/// as an implicit one) with its inventory, the facts file applied.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub(crate) loaded: crate::ingest::candidate::Loaded,
    /// The facts file's enrichment and evidence (`--facts`), for the checks.
    pub(crate) extra: Extra,
    /// Forge facts per package id or component name, for the score.
    pub(crate) forge: std::collections::BTreeMap<String, crate::facts::ForgeEvidence>,
}

/// Reads the inputs and applies the facts file (`--facts`): the reading step of every
/// command, those that judge (through [`load`]) and those that list (`inventory`,
/// `licenses`, `why`), so a flag means the same everywhere.
pub(crate) fn read(
    inputs: &[PathBuf],
    ingest: &IngestOptions,
    facts: Option<&Path>,
    today: jiff::civil::Date,
) -> Result<Read> {
    let mut loaded = crate::ingest::candidate::load_inputs(inputs, ingest)?;
    let mut extra = Extra::default();
    let mut forge = std::collections::BTreeMap::new();
    if let Some(file) = facts {
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
                let evidence = crate::facts::ForgeEvidence {
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
    Ok(Read {
        loaded,
        extra,
        forge,
    })
}

/// Reads the inputs and policy, then [`analyse`]s.
pub(crate) fn load(
    inputs: &[PathBuf],
    opts: &LoadOptions,
    today: jiff::civil::Date,
) -> Result<Analysis> {
    load_in(inputs, opts, &FILES, today)
}

/// [`load`] with policy files read through `files`.
pub(crate) fn load_in(
    inputs: &[PathBuf],
    opts: &LoadOptions,
    files: &policy::Files<'_>,
    today: jiff::civil::Date,
) -> Result<Analysis> {
    let (catalogue, policy) = load_policy_in(inputs, opts, files)?;
    let Read {
        loaded,
        mut extra,
        forge,
    } = read(inputs, &opts.ingest, opts.facts.as_deref(), today)?;
    let licenses = crate::license::resolve_all_at(
        &loaded.inventory,
        crate::license::LenientTable::builtin(),
        policy.confidence_threshold.value,
    );
    extra.facts = crate::facts::Facts::build(
        loaded.candidate,
        &loaded.inventory,
        &licenses,
        crate::vendors::layered(
            &[policy.vendor_files.clone(), loaded.registry_files].concat(),
            &loaded.vendor_files,
        )?,
        forge,
    );
    let kb = Kb::embedded()?;
    analyse(
        loaded.inventory,
        licenses,
        catalogue,
        policy,
        kb,
        extra,
        today,
    )
}

/// What [`assess`] needs besides the candidate.
#[derive(Debug, Clone, Default)]
pub struct AssessOptions {
    pub ingest: IngestOptions,
    /// A bundled policy name or a policy file, else `baseline`. A `sovra.toml` beside
    /// the candidate is never applied here (the bidder supplied it), so every candidate
    /// of a comparison is judged by the same policy.
    pub policy: Option<String>,
    /// A facts file of `sovra enrich` (`--facts`): applied to the inventory, given to
    /// the checks, and the source of the continuity dimension's forge evidence.
    pub facts: Option<PathBuf>,
}

/// A candidate after the rules ran, with its score.
#[derive(Debug)]
pub struct Assessment {
    pub(crate) analysis: crate::assess::Analysis,
    pub(crate) score: crate::score::Score,
}

/// One finding of an [`Assessment`] as a user reads it (English texts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingText {
    /// The rule's id, e.g. `JUR001`.
    pub rule: String,
    /// `gate`, `deny`, `warn` or `allow`.
    pub level: &'static str,
    pub message: String,
    /// The name of the candidate component the finding is about, if any.
    pub component: Option<String>,
    pub notes: Vec<String>,
    /// Whether a policy exception covers it.
    pub excepted: bool,
}

impl Assessment {
    /// The inventory the rules ran over (the facts file applied).
    pub fn inventory(&self) -> &Inventory {
        &self.analysis.inventory
    }

    /// The names of the candidate's components, in manifest order.
    pub fn components(&self) -> Vec<&str> {
        let c = &self.analysis.extra.facts.candidate.components;
        c.iter().map(|c| c.name.as_str()).collect()
    }

    /// Every finding, sorted by rule id, package and message.
    pub fn findings(&self) -> Vec<FindingText> {
        let comps = &self.analysis.extra.facts.candidate.components;
        self.analysis
            .findings
            .iter()
            .map(|f| FindingText {
                rule: f.rule.clone(),
                level: f.level.as_str(),
                message: f.hit.message.to_string(),
                component: f
                    .hit
                    .component
                    .and_then(|c| comps.get(c as usize))
                    .map(|c| c.name.clone()),
                notes: f.hit.notes.iter().map(ToString::to_string).collect(),
                excepted: f.exception.is_some(),
            })
            .collect()
    }

    /// The verdict's code, as the score and report JSON name it (`compliant`,
    /// `review-needed`, `non-compliant`, `not-assessed`).
    pub fn verdict(&self) -> &'static str {
        self.score.verdict.code()
    }

    /// The total score (0..=100), `None` when no dimension could be assessed.
    pub fn total(&self) -> Option<f64> {
        self.score.total
    }
}

/// Reads `paths` (files or directories) into one inventory, as `sovra inventory` does
/// before it renders.
pub fn read_inventory(paths: &[PathBuf], opts: &IngestOptions) -> Result<Inventory> {
    crate::ingest::ingest(paths, opts)
}

/// The pure stages after reading, over one inventory: the dependency graph and every
/// package's interpreted licence. What the fuzz targets and benchmarks run.
#[derive(Debug)]
pub struct InventoryAnalysis {
    graph: DepGraph,
    licenses: Licenses,
}

/// Builds the graph and interprets the licences of `inventory`. Pure.
pub fn analyse_inventory(inventory: &Inventory) -> InventoryAnalysis {
    InventoryAnalysis {
        graph: DepGraph::build(inventory),
        licenses: crate::license::resolve_all(inventory),
    }
}

impl InventoryAnalysis {
    /// Packages in the graph.
    pub fn packages(&self) -> usize {
        self.graph.len()
    }

    /// Packages with an interpreted licence state (one per package).
    pub fn licence_states(&self) -> usize {
        self.licenses.per_package.len()
    }

    /// Packages reachable from a root over runtime and optional edges, or over every
    /// edge when `runtime_only` is false.
    pub fn reachable(&self, runtime_only: bool) -> usize {
        self.graph.reachable(scope(runtime_only)).count()
    }

    /// Computes the inclusion path of every reachable package (every edge followed);
    /// returns how many were found. Each path starts at a root and ends at its package.
    pub fn inclusion_paths(&self) -> usize {
        let all = crate::graph::Scope::All;
        let reachable: Vec<_> = self.graph.reachable(all).collect();
        reachable
            .into_iter()
            .filter_map(|p| self.graph.inclusion_path(p, all))
            .count()
    }
}

fn scope(runtime_only: bool) -> crate::graph::Scope {
    if runtime_only {
        crate::graph::Scope::Runtime
    } else {
        crate::graph::Scope::All
    }
}

/// Reads `bytes` as a `publiccode.yml` (validated, then mapped to an inventory).
pub fn read_publiccode(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    crate::ingest::publiccode::read_in(path, None, bytes).map(|(_, inv)| inv)
}

/// Parses and validates `text` as the candidate manifest `path` in `dir`; returns the
/// names of its components. Files it names are looked for in `dir`, never outside.
pub fn parse_manifest(path: &Path, text: &str, dir: &Path) -> Result<Vec<String>> {
    let c = crate::ingest::candidate::parse_manifest(path, text, dir)?;
    Ok(c.components.into_iter().map(|c| c.name).collect())
}

/// Loads `text` as the policy file `path` over the embedded catalogue; any other file
/// it names (`extends`, user catalogues) reads as unreadable.
pub fn parse_policy(path: &Path, text: &str) -> Result<()> {
    let name = path.to_owned();
    let read = |p: &Path| -> Result<String> {
        if p == name {
            Ok(text.to_owned())
        } else {
            Err(Error::input(p, "not readable here"))
        }
    };
    let dir =
        |p: &Path| -> Result<Vec<(PathBuf, String)>> { Err(Error::input(p, "not readable here")) };
    let files = policy::Files {
        read: &read,
        catalogue_dir: &dir,
        canonical: &|_| None,
        kinds: &engine::kinds,
    };
    let mut catalogue = engine::embedded_catalogue()?;
    let req = PolicyRequest {
        policy: Some(path.display().to_string()),
        project: None,
    };
    policy::load(&req, &mut catalogue, &files).map(|_| ())
}

/// Parses `bytes` as a facts file of `sovra enrich`.
pub fn parse_facts(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::enrich::Facts::parse(path, bytes).map(|_| ())
}

/// Reads a candidate (or several plain inputs as one implicit candidate) and its
/// policy, runs the rules and scores it: the reading step in
/// front of the pure [`analyse`] and `score::score`.
pub fn assess(
    paths: &[PathBuf],
    opts: &AssessOptions,
    today: jiff::civil::Date,
) -> Result<Assessment> {
    assess_with(
        paths,
        &LoadOptions {
            ingest: opts.ingest.clone(),
            policy: opts.policy.clone(),
            project_policy: false,
            facts: opts.facts.clone(),
            ..LoadOptions::default()
        },
        today,
    )
}

/// [`assess`] with every option of [`load`] (`--select`, `--project-policy`).
pub(crate) fn assess_with(
    paths: &[PathBuf],
    opts: &LoadOptions,
    today: jiff::civil::Date,
) -> Result<Assessment> {
    assess_in(paths, opts, &FILES, today)
}

/// [`assess_with`] with policy files read through `files`.
pub(crate) fn assess_in(
    paths: &[PathBuf],
    opts: &LoadOptions,
    files: &policy::Files<'_>,
    today: jiff::civil::Date,
) -> Result<Assessment> {
    let analysis = load_in(paths, opts, files, today)?;
    let objective_of = |id: &str| analysis.catalogue.get(id).and_then(|r| r.csf_objective());
    let score = crate::score::score(
        &analysis.extra.facts,
        &analysis.findings,
        &objective_of,
        &analysis.policy.score_config,
    );
    Ok(Assessment { analysis, score })
}
