//! Candidates: one offer as a procurement officer sees it.
//!
//! A directory holding `candidate.toml` is a candidate (format documented in
//! `docs/candidate.md`). The manifest is deserialised into raw span-carrying types
//! (`deny_unknown_fields`), then validated into [`Candidate`], with every problem reported
//! at once with file, line and column. Component inputs (SBOM, lockfile, Cargo, saved
//! metadata, publiccode.yml) are read through `crate::ingest` and their packages tagged
//! with the component's index. A plain input is an implicit candidate named after it.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Problem, Result};
use crate::ingest::publiccode::{self, PublicCode};
use crate::ingest::{self, IngestOptions};
use crate::model::{Ecosystem, Inventory, Package, PackageId};
use crate::vendors::toml_problem;

/// The manifest file name that makes a directory a candidate.
pub(crate) const MANIFEST: &str = "candidate.toml";

/// How the offer is operated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Deployment {
    SelfHosted,
    Saas,
    Hybrid,
}

impl Deployment {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Deployment::SelfHosted => "self-hosted",
            Deployment::Saas => "saas",
            Deployment::Hybrid => "hybrid",
        }
    }
}

/// How much of the offer depends on a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Criticality {
    Critical,
    Supporting,
}

impl Criticality {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Criticality::Critical => "critical",
            Criticality::Supporting => "supporting",
        }
    }
}

/// In which form customer data can leave the offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DataExport {
    None,
    Proprietary,
    OpenFormats,
}

impl DataExport {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DataExport::None => "none",
            DataExport::Proprietary => "proprietary",
            DataExport::OpenFormats => "open-formats",
        }
    }
}

/// What the provider charges for switching away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SwitchingCharges {
    None,
    /// Charges limited to the provider's direct costs (Data Act Art. 29(3)).
    AtCost,
    /// Charges beyond direct costs.
    Commercial,
}

impl SwitchingCharges {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SwitchingCharges::None => "none",
            SwitchingCharges::AtCost => "at-cost",
            SwitchingCharges::Commercial => "commercial",
        }
    }
}

/// Who holds the copyright of a component's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CopyrightHolders {
    Single,
    Many,
}

/// A period written as `"<n> days"`, `"<n> weeks"` or `"<n> months"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Period {
    pub amount: u32,
    pub unit: PeriodUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PeriodUnit {
    Days,
    Weeks,
    Months,
}

impl Period {
    pub(crate) fn parse(s: &str) -> Option<Period> {
        let mut it = s.split_whitespace();
        let amount: u32 = it.next()?.parse().ok()?;
        let unit = match it.next()? {
            "day" | "days" => PeriodUnit::Days,
            "week" | "weeks" => PeriodUnit::Weeks,
            "month" | "months" => PeriodUnit::Months,
            _ => return None,
        };
        it.next().is_none().then_some(Period { amount, unit })
    }

    /// The longest number of days the period can span (a month counts 31 days).
    pub(crate) fn max_days(self) -> u32 {
        match self.unit {
            PeriodUnit::Days => self.amount,
            PeriodUnit::Weeks => self.amount.saturating_mul(7),
            PeriodUnit::Months => self.amount.saturating_mul(31),
        }
    }
}

impl Period {
    /// The period in words (`3 months`), for messages in any language.
    pub(crate) fn text(self) -> crate::text::Text {
        use crate::text;
        let n = self.amount;
        match (self.unit, n == 1) {
            (PeriodUnit::Days, true) => text!("period.day", n = n),
            (PeriodUnit::Days, false) => text!("period.days", n = n),
            (PeriodUnit::Weeks, true) => text!("period.week", n = n),
            (PeriodUnit::Weeks, false) => text!("period.weeks", n = n),
            (PeriodUnit::Months, true) => text!("period.month", n = n),
            (PeriodUnit::Months, false) => text!("period.months", n = n),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text().fmt(f)
    }
}

/// Exit facts of the offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ExitFacts {
    pub data_export: Option<DataExport>,
    /// Formats of the export (`ODF`, `iCalendar`, `vCard`, `EML`, …).
    pub export_formats: Vec<String>,
    pub self_hostable: Option<bool>,
    pub works_disconnected: Option<bool>,
}

/// Contract exit terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ContractFacts {
    pub notice_period: Option<Period>,
    pub transition_period: Option<Period>,
    pub switching_charges: Option<SwitchingCharges>,
}

/// The kind of an input analysed under a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum InputKind {
    Sbom,
    Lockfile,
    Cargo,
    Publiccode,
}

/// One part of the offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Component {
    pub name: String,
    pub function: Option<String>,
    pub criticality: Option<Criticality>,
    /// SPDX expression as declared; `None` when the manifest does not say.
    pub license: Option<String>,
    /// Registry vendor id or a free-text organisation name; the candidate's `vendor`
    /// when the component names none.
    pub vendor: Option<String>,
    pub repository: Option<String>,
    pub open_standards: Vec<String>,
    /// Artefacts without source (binary blobs, closed clients, cloud-only services).
    pub closed_artefacts: Vec<String>,
    /// Features only in a paid or enterprise edition.
    pub edition_only: Vec<String>,
    pub copyright_holders: Option<CopyrightHolders>,
    /// A contributor licence agreement lets the holder relicense contributions.
    pub cla: Option<bool>,
    /// Inputs analysed under this component, relative to the candidate directory.
    pub inputs: Vec<(InputKind, PathBuf)>,
    /// The component's publiccode.yml, when one was given.
    pub publiccode: Option<PublicCode>,
    /// A local clone of the component's source (`git = "path"`), relative to the
    /// candidate directory, for `sovra health`.
    pub git: Option<PathBuf>,
}

/// One offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub name: String,
    pub version: Option<String>,
    pub vendor: Option<String>,
    pub deployment: Option<Deployment>,
    pub functions: Vec<String>,
    pub components: Vec<Component>,
    pub exit: ExitFacts,
    pub contract: ContractFacts,
    /// Built from a plain input rather than a manifest.
    pub implicit: bool,
    /// The path the user gave.
    pub path: PathBuf,
}

/// The optional file of a candidate directory with vendors the registry lacks (same
/// format as `rules/vendors/*.toml`).
pub(crate) const VENDORS: &str = "vendors.toml";

/// A candidate with the inventory of all its inputs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Loaded {
    pub candidate: Candidate,
    pub inventory: Inventory,
    /// The candidate's own vendor file, when it has one: path and contents.
    pub vendor_files: Vec<(PathBuf, String)>,
    /// The buyer's vendor registries (`--vendors`): path and contents.
    pub registry_files: Vec<(PathBuf, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    candidate: Spanned<RawCandidate>,
    #[serde(default)]
    component: Vec<Spanned<RawComponent>>,
    #[serde(default)]
    exit: RawExit,
    #[serde(default)]
    contract: RawContract,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCandidate {
    name: Spanned<String>,
    version: Option<String>,
    vendor: Option<String>,
    deployment: Option<Spanned<String>>,
    #[serde(default)]
    functions: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    name: Spanned<String>,
    function: Option<Spanned<String>>,
    criticality: Option<Spanned<String>>,
    license: Option<Spanned<String>>,
    vendor: Option<String>,
    repository: Option<String>,
    #[serde(default)]
    open_standards: Vec<String>,
    #[serde(default)]
    closed_artefacts: Vec<String>,
    #[serde(default)]
    edition_only: Vec<String>,
    copyright_holders: Option<Spanned<String>>,
    cla: Option<bool>,
    sbom: Option<Spanned<String>>,
    lockfile: Option<Spanned<String>>,
    cargo: Option<Spanned<String>>,
    publiccode: Option<Spanned<String>>,
    git: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExit {
    data_export: Option<Spanned<String>>,
    #[serde(default)]
    export_formats: Vec<String>,
    self_hostable: Option<bool>,
    works_disconnected: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContract {
    notice_period: Option<Spanned<String>>,
    transition_period: Option<Spanned<String>>,
    switching_charges: Option<Spanned<String>>,
}

/// The keys each table of a manifest may hold, by table (`` for the top level).
const MANIFEST_KEYS: &[(&str, &[&str])] = &[
    ("", &["candidate", "component", "exit", "contract"]),
    (
        "candidate",
        &["name", "version", "vendor", "deployment", "functions"],
    ),
    (
        "component",
        &[
            "name",
            "function",
            "criticality",
            "license",
            "vendor",
            "repository",
            "open_standards",
            "closed_artefacts",
            "edition_only",
            "copyright_holders",
            "cla",
            "sbom",
            "lockfile",
            "cargo",
            "publiccode",
            "git",
        ],
    ),
    (
        "exit",
        &[
            "data_export",
            "export_formats",
            "self_hostable",
            "works_disconnected",
        ],
    ),
    (
        "contract",
        &["notice_period", "transition_period", "switching_charges"],
    ),
];

/// Every key of the manifest that no table allows, each with its position; empty when
/// the text is not TOML (the parser then reports the syntax error).
fn unknown_keys(path: &Path, text: &str) -> Vec<Problem> {
    use toml::de::{DeTable, DeValue};
    let Ok(doc) = DeTable::parse(text) else {
        return Vec::new();
    };
    let allowed = |table: &str| {
        MANIFEST_KEYS
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(&[][..], |(_, keys)| *keys)
    };
    let mut problems = Vec::new();
    let mut check = |table: &str, t: &DeTable<'_>| {
        let keys = allowed(table);
        for key in t.keys() {
            if !keys.contains(&key.get_ref().as_ref()) {
                let expected: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                problems.push(Problem::at_offset(
                    path,
                    text,
                    key.span().start,
                    format!(
                        "unknown field `{}`, expected one of {}",
                        key.get_ref(),
                        expected.join(", ")
                    ),
                ));
            }
        }
    };
    let top = doc.get_ref();
    check("", top);
    for (key, value) in top.iter() {
        let name = key.get_ref().as_ref();
        if !allowed("").contains(&name) {
            continue;
        }
        match value.get_ref() {
            DeValue::Table(t) => check(name, t),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        check(name, t);
                    }
                }
            }
            _ => {}
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

/// Collects problems while validating one manifest.
struct Validator<'a> {
    path: &'a Path,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn problem(&mut self, offset: usize, msg: impl Into<String>) {
        self.problems
            .push(Problem::at_offset(self.path, self.text, offset, msg));
    }

    fn choice<T: Copy>(
        &mut self,
        v: &Spanned<String>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        if let Some((_, t)) = options.iter().find(|(k, _)| *k == v.get_ref()) {
            return Some(*t);
        }
        let list: Vec<String> = options.iter().map(|(k, _)| format!("`{k}`")).collect();
        self.problem(
            v.span().start,
            format!(
                "unknown {what} `{}`: expected {}",
                v.get_ref(),
                list.join(", ")
            ),
        );
        None
    }

    fn period(&mut self, v: &Spanned<String>, what: &str) -> Option<Period> {
        let p = Period::parse(v.get_ref());
        if p.is_none() {
            self.problem(
                v.span().start,
                format!(
                    "{what} `{}` is not a period such as `30 days`, `6 weeks` or `2 months`",
                    v.get_ref()
                ),
            );
        }
        p
    }
}

/// Parses and validates a manifest. `dir` is the candidate directory: component input
/// paths must exist inside it. Pure apart from checking that those files exist.
pub(crate) fn parse_manifest(path: &Path, text: &str, dir: &Path) -> Result<Candidate> {
    // Every unknown key at once, with its position (serde stops at the first).
    let unknown = unknown_keys(path, text);
    if !unknown.is_empty() {
        return Err(Error::Invalid(unknown));
    }
    let raw: RawManifest =
        toml::from_str(text).map_err(|e| Error::Invalid(vec![toml_problem(path, text, &e)]))?;
    let mut v = Validator {
        path,
        text,
        problems: Vec::new(),
    };
    let c = raw.candidate.into_inner();
    if c.name.get_ref().trim().is_empty() {
        v.problem(c.name.span().start, "`name` must not be empty");
    }
    let deployment = c.deployment.as_ref().and_then(|d| {
        v.choice(
            d,
            "deployment",
            &[
                ("self-hosted", Deployment::SelfHosted),
                ("saas", Deployment::Saas),
                ("hybrid", Deployment::Hybrid),
            ],
        )
    });
    let mut functions = Vec::new();
    for f in &c.functions {
        if functions.contains(f.get_ref()) {
            v.problem(
                f.span().start,
                format!("function `{}` is listed twice", f.get_ref()),
            );
        }
        functions.push(f.get_ref().clone());
    }
    let mut components: Vec<Component> = Vec::new();
    for rc in raw.component {
        let rc = rc.into_inner();
        let name = rc.name.get_ref().clone();
        if name.trim().is_empty() {
            v.problem(rc.name.span().start, "component `name` must not be empty");
        }
        if components.iter().any(|c| c.name == name) {
            v.problem(
                rc.name.span().start,
                format!("component `{name}` is declared twice"),
            );
        }
        let criticality = match &rc.criticality {
            Some(s) => v.choice(
                s,
                "criticality",
                &[
                    ("critical", Criticality::Critical),
                    ("supporting", Criticality::Supporting),
                ],
            ),
            None => {
                v.problem(
                    rc.name.span().start,
                    format!("component `{name}` needs `criticality` (`critical` or `supporting`)"),
                );
                None
            }
        };
        if let Some(f) = &rc.function {
            if !functions.is_empty() && !functions.contains(f.get_ref()) {
                v.problem(
                    f.span().start,
                    format!(
                        "function `{}` is not among the candidate's `functions`",
                        f.get_ref()
                    ),
                );
            }
        }
        if let Some(l) = &rc.license {
            if let Err(e) = spdx::Expression::parse(l.get_ref()) {
                v.problem(
                    l.span().start,
                    format!(
                        "`{}` is not an SPDX licence expression: {}",
                        l.get_ref(),
                        e.reason
                    ),
                );
            }
        }
        let copyright_holders = rc.copyright_holders.as_ref().and_then(|s| {
            v.choice(
                s,
                "copyright_holders",
                &[
                    ("single", CopyrightHolders::Single),
                    ("many", CopyrightHolders::Many),
                ],
            )
        });
        let mut inputs = Vec::new();
        for (kind, p) in [
            (InputKind::Sbom, &rc.sbom),
            (InputKind::Lockfile, &rc.lockfile),
            (InputKind::Cargo, &rc.cargo),
            (InputKind::Publiccode, &rc.publiccode),
        ] {
            let Some(p) = p else { continue };
            let rel = PathBuf::from(p.get_ref());
            if rel.is_absolute()
                || rel
                    .components()
                    .any(|c| c == std::path::Component::ParentDir)
            {
                v.problem(
                    p.span().start,
                    format!(
                        "`{}` must be a path inside the candidate directory",
                        p.get_ref()
                    ),
                );
            } else if !dir.join(&rel).exists() {
                v.problem(p.span().start, format!("`{}` does not exist", p.get_ref()));
            } else if !crate::ingest::inside(dir, &dir.join(&rel)) {
                v.problem(
                    p.span().start,
                    format!(
                        "`{}` leads outside the candidate directory through a symbolic link",
                        p.get_ref()
                    ),
                );
            } else {
                inputs.push((kind, rel));
            }
        }
        let git = rc.git.as_ref().and_then(|g| {
            let rel = PathBuf::from(g.get_ref());
            if rel.is_absolute()
                || rel
                    .components()
                    .any(|c| c == std::path::Component::ParentDir)
            {
                v.problem(
                    g.span().start,
                    format!(
                        "`{}` must be a path inside the candidate directory",
                        g.get_ref()
                    ),
                );
                None
            } else if !dir.join(&rel).is_dir() {
                v.problem(
                    g.span().start,
                    format!("`{}` is not a directory", g.get_ref()),
                );
                None
            } else if !crate::ingest::inside(dir, &dir.join(&rel)) {
                v.problem(
                    g.span().start,
                    format!(
                        "`{}` leads outside the candidate directory through a symbolic link",
                        g.get_ref()
                    ),
                );
                None
            } else {
                Some(rel)
            }
        });
        components.push(Component {
            name,
            function: rc.function.map(Spanned::into_inner),
            criticality,
            license: rc.license.map(Spanned::into_inner),
            // A component that names no vendor is the offer's vendor's.
            vendor: rc.vendor.or_else(|| c.vendor.clone()),
            repository: rc.repository,
            open_standards: rc.open_standards,
            closed_artefacts: rc.closed_artefacts,
            edition_only: rc.edition_only,
            copyright_holders,
            cla: rc.cla,
            inputs,
            publiccode: None,
            git,
        });
    }
    let exit = ExitFacts {
        data_export: raw.exit.data_export.as_ref().and_then(|d| {
            v.choice(
                d,
                "data_export",
                &[
                    ("none", DataExport::None),
                    ("proprietary", DataExport::Proprietary),
                    ("open-formats", DataExport::OpenFormats),
                ],
            )
        }),
        export_formats: raw.exit.export_formats,
        self_hostable: raw.exit.self_hostable,
        works_disconnected: raw.exit.works_disconnected,
    };
    let contract = ContractFacts {
        notice_period: raw
            .contract
            .notice_period
            .as_ref()
            .and_then(|p| v.period(p, "notice_period")),
        transition_period: raw
            .contract
            .transition_period
            .as_ref()
            .and_then(|p| v.period(p, "transition_period")),
        switching_charges: raw.contract.switching_charges.as_ref().and_then(|s| {
            v.choice(
                s,
                "switching_charges",
                &[
                    ("none", SwitchingCharges::None),
                    ("at-cost", SwitchingCharges::AtCost),
                    ("commercial", SwitchingCharges::Commercial),
                ],
            )
        }),
    };
    if !v.problems.is_empty() {
        v.problems.sort();
        return Err(Error::Invalid(v.problems));
    }
    Ok(Candidate {
        name: c.name.into_inner(),
        version: c.version,
        vendor: c.vendor,
        deployment,
        functions,
        components,
        exit,
        contract,
        implicit: false,
        path: dir.to_owned(),
    })
}

/// A file of the candidate directory as text, read within the input bounds (a regular
/// file of at most `--max-input-size` bytes) and decoded as any input is.
fn read(path: &Path, opts: &IngestOptions) -> Result<String> {
    let bytes = ingest::read_bounded(path, opts.max_file_bytes)?;
    Ok(ingest::decode_text(path, &bytes)?.into_owned())
}

/// Loads a candidate: a directory with `candidate.toml`, or any plain input (implicit
/// candidate named after the input).
pub(crate) fn load(path: &Path, opts: &IngestOptions) -> Result<Loaded> {
    let manifest = path.join(MANIFEST);
    if path.is_dir() && manifest.is_file() {
        return load_manifest(path, &manifest, opts);
    }
    if path.is_file() && path.file_name().is_some_and(|n| n == MANIFEST) {
        let dir = path.parent().unwrap_or(Path::new("."));
        return load_manifest(dir, path, opts);
    }
    if path.is_dir() {
        refuse_nested_candidates(path)?;
    }
    let mut candidate = Candidate {
        name: implicit_name(path),
        implicit: true,
        path: path.to_owned(),
        ..Candidate::default()
    };
    if path.is_file() {
        let bytes = ingest::read_bounded(path, opts.max_file_bytes)?;
        if publiccode::looks_like(&bytes) {
            let (pc, inventory) = publiccode::read(path, &bytes)?;
            candidate.components.push(component_from_publiccode(&pc));
            candidate.components[0].publiccode = Some(pc);
            return Ok(Loaded {
                candidate,
                inventory,
                vendor_files: Vec::new(),
                registry_files: Vec::new(),
            });
        }
    }
    if path.is_dir() {
        let (mut inventory, publiccode) = ingest::read_dir_parts(path, opts)?;
        if inventory.inputs.is_empty() {
            // Only publiccode.yml files: each is a component, as one file is.
            for (i, file) in publiccode.iter().enumerate() {
                let bytes = ingest::read_bounded(file, opts.max_file_bytes)?;
                let (pc, mut part) = publiccode::read(file, &bytes)?;
                let idx = u32::try_from(i).unwrap_or(u32::MAX);
                for p in &mut part.packages {
                    p.component = Some(idx);
                }
                candidate.components.push(component_from_publiccode(&pc));
                candidate.components[i].publiccode = Some(pc);
                inventory.merge(part);
            }
        }
        inventory.finish();
        return Ok(Loaded {
            candidate,
            inventory,
            vendor_files: Vec::new(),
            registry_files: Vec::new(),
        });
    }
    let inventory = ingest::ingest(&[path.to_owned()], opts)?;
    Ok(Loaded {
        candidate,
        inventory,
        vendor_files: Vec::new(),
        registry_files: Vec::new(),
    })
}

/// A directory without a manifest whose subdirectories are candidates (a folder of
/// offers) is not one candidate: merging them would judge them together, and one
/// failing offer could pass in the crowd. Refused, naming the candidates found.
fn refuse_nested_candidates(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    // The entry's own type comes with the listing; only a directory, or a link that may
    // reach one, is looked at further (a directory of 50,000 SBOMs is not stated twice).
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| match e.file_type() {
            Ok(t) => t.is_dir() || t.is_symlink(),
            Err(_) => true,
        })
        .map(|e| e.path())
        .filter(|p| p.is_dir() && p.join(MANIFEST).is_file())
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let list: Vec<String> = found.iter().map(|p| format!("`{}`", p.display())).collect();
    let what = if found.len() == 1 {
        "a candidate"
    } else {
        "candidates"
    };
    Err(Error::Usage(format!(
        "`{}` is not a candidate but holds {what} ({}): give each candidate directory on \
         its own, or compare them with `sovra compare`",
        dir.display(),
        list.join(", ")
    )))
}

/// Loads the inputs of one command as one candidate: a single candidate (a directory
/// with `candidate.toml`, the manifest itself, or a plain input), or several plain
/// inputs merged into one implicit candidate named after them.
pub(crate) fn load_inputs(paths: &[PathBuf], opts: &IngestOptions) -> Result<Loaded> {
    let mut loaded = load_candidates(paths, opts)?;
    for file in &opts.vendors {
        loaded
            .registry_files
            .push((file.clone(), read(file, opts)?));
    }
    Ok(loaded)
}

fn load_candidates(paths: &[PathBuf], opts: &IngestOptions) -> Result<Loaded> {
    let Some((first, rest)) = paths.split_first() else {
        return Err(Error::Usage("no input given".into()));
    };
    let mut merged = load(first, opts)?;
    if rest.is_empty() {
        return Ok(merged);
    }
    only_plain(first, &merged.candidate)?;
    let mut names = vec![merged.candidate.name.clone()];
    for path in rest {
        let mut loaded = load(path, opts)?;
        only_plain(path, &loaded.candidate)?;
        // Component indices of the merged-in packages follow the ones already there.
        let offset = u32::try_from(merged.candidate.components.len()).unwrap_or(u32::MAX);
        for p in &mut loaded.inventory.packages {
            p.component = p.component.map(|c| c + offset);
        }
        merged
            .candidate
            .components
            .append(&mut loaded.candidate.components);
        merged.inventory.merge(loaded.inventory);
        merged.vendor_files.append(&mut loaded.vendor_files);
        names.push(loaded.candidate.name);
    }
    merged.inventory.finish();
    merged.candidate.name = names.join(", ");
    Ok(merged)
}

/// The name of an implicit candidate: the input's file or directory name (`.` is named
/// after the directory it stands for).
fn implicit_name(path: &Path) -> String {
    let named = path.file_name().filter(|n| *n != "." && *n != "..");
    let resolved;
    let path = if named.is_none() {
        resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        resolved.as_path()
    } else {
        path
    };
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Several inputs make one implicit candidate only when none of them is a candidate.
fn only_plain(path: &Path, candidate: &Candidate) -> Result<()> {
    if candidate.implicit {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "`{}` is a candidate: give it on its own, or compare candidates with `sovra compare`",
        path.display()
    )))
}

fn component_from_publiccode(pc: &PublicCode) -> Component {
    Component {
        name: pc.name.clone(),
        license: pc.license.clone(),
        repository: pc.url.clone(),
        ..Component::default()
    }
}

/// The candidate's name as written, for the ids of its component packages.
fn candidate_name(text: &str) -> String {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("candidate")?.get("name")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn load_manifest(dir: &Path, manifest: &Path, opts: &IngestOptions) -> Result<Loaded> {
    let raw = ingest::read_bounded(manifest, opts.max_file_bytes)?;
    let text = ingest::decode_text(manifest, &raw)?;
    let mut candidate = parse_manifest(manifest, &text, dir)?;
    let mut inventory = Inventory::new();
    // The manifest is an input of its own: every component is a root package of it,
    // carrying the component's declared licence, repository and vendor, so that the
    // licence rules judge components as they judge packages.
    let manifest_input = inventory.add_input(crate::ingest::input_file(
        manifest,
        crate::model::InputFormat::Candidate,
        crate::model::DocumentMeta::default(),
    ));
    ingest::seal(&mut inventory, manifest, &raw);
    let mut problems = Vec::new();
    for (i, comp) in candidate.components.iter_mut().enumerate() {
        let idx = u32::try_from(i).unwrap_or(u32::MAX);
        let eco = Ecosystem::Other("candidate".into());
        let own = inventory.add_package(Package {
            id: PackageId::synthetic(
                &eco,
                &format!("{}/{}", candidate_name(&text), comp.name),
                None,
            ),
            name: comp.name.clone(),
            version: None,
            ecosystem: eco,
            declared: comp.license.iter().cloned().collect(),
            supplier: comp.vendor.clone(),
            repository: comp.repository.clone(),
            input: manifest_input,
            component: Some(idx),
            ..Package::default()
        });
        inventory.add_root(own);
        for (kind, rel) in comp.inputs.clone() {
            let file = dir.join(&rel);
            let part = if kind == InputKind::Publiccode {
                let bytes = ingest::read_bounded(&file, opts.max_file_bytes)?;
                // Messages name the file relative to the candidate directory.
                match publiccode::read_in(&rel, file.parent(), &bytes) {
                    Ok((pc, inv)) => {
                        comp.publiccode = Some(pc);
                        inv
                    }
                    Err(Error::Invalid(ps)) => {
                        // An invalid publiccode.yml of a component is a finding
                        // (META001), not a failure of the run.
                        comp.publiccode = Some(PublicCode::invalid(&rel, ps));
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            } else {
                match ingest::read_path(&file, opts) {
                    Ok(inv) => inv,
                    Err(Error::Invalid(ps)) => {
                        problems.extend(ps);
                        continue;
                    }
                    Err(e) => return Err(e),
                }
            };
            let mut part = part;
            for p in &mut part.packages {
                p.component = Some(idx);
            }
            let roots: Vec<PackageId> = part
                .roots
                .iter()
                .map(|r| part.packages[r.index()].id.clone())
                .collect();
            inventory.merge(part);
            // The component depends on what its inputs describe.
            for id in roots {
                if let Some(r) = inventory.find(&id) {
                    inventory.add_edge(own, r, crate::model::EdgeKind::Runtime, None);
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    inventory.finish();
    candidate.path = dir.to_owned();
    let vendors = dir.join(VENDORS);
    let vendor_files = if vendors.is_file() {
        vec![(vendors.clone(), read(&vendors, opts)?)]
    } else {
        Vec::new()
    };
    Ok(Loaded {
        candidate,
        inventory,
        vendor_files,
        registry_files: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> String {
        match parse_manifest(Path::new("candidate.toml"), text, Path::new(".")) {
            Ok(c) => format!("{c:#?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn periods() {
        assert_eq!(Period::parse("2 months").map(Period::max_days), Some(62));
        assert_eq!(Period::parse("30 days").map(Period::max_days), Some(30));
        assert_eq!(Period::parse("1 week").map(Period::max_days), Some(7));
        assert_eq!(Period::parse("two months"), None);
        assert_eq!(Period::parse("2 months later"), None);
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let text = r#"[candidate]
name = "x"
deployment = "cloud"
functions = ["chat"]

[[component]]
name = "a"
function = "video"
license = "MIT OR"

[contract]
notice_period = "soon"
switching_charges = "free"
"#;
        assert_eq!(
            check(text),
            "candidate.toml:3:14: unknown deployment `cloud`: expected `self-hosted`, `saas`, `hybrid`\n\
             candidate.toml:7:8: component `a` needs `criticality` (`critical` or `supporting`)\n\
             candidate.toml:8:12: function `video` is not among the candidate's `functions`\n\
             candidate.toml:9:11: `MIT OR` is not an SPDX licence expression: expected one of `<license>`, `(` here\n\
             candidate.toml:12:17: notice_period `soon` is not a period such as `30 days`, `6 weeks` or `2 months`\n\
             candidate.toml:13:21: unknown switching_charges `free`: expected `none`, `at-cost`, `commercial`"
        );
    }

    #[test]
    fn every_unknown_key_is_reported_at_once() {
        let text = "[candidate]\nname = \"x\"\nvendr = \"y\"\ncolour = 1\n\n\
                    [exit]\ndata_exprt = \"open-formats\"\n\n\
                    [[component]]\nname = \"a\"\ncriticality = \"critical\"\nlicence = \"MIT\"\n\n\
                    [contract]\nnotice = \"1 month\"\n\n[extra]\n";
        let err = check(text);
        let at: Vec<&str> = err
            .lines()
            .map(|l| l.split(": unknown field").next().unwrap_or(""))
            .collect();
        assert_eq!(
            at,
            [
                "candidate.toml:3:1",
                "candidate.toml:4:1",
                "candidate.toml:7:1",
                "candidate.toml:12:1",
                "candidate.toml:15:1",
                "candidate.toml:17:2",
            ],
            "{err}"
        );
        assert!(
            err.contains("unknown field `licence`, expected one of `name`"),
            "{err}"
        );
        assert!(
            err.contains("unknown field `extra`, expected one of `candidate`"),
            "{err}"
        );
    }

    #[test]
    fn the_candidate_vendor_applies_to_components_that_name_none() {
        let text = "[candidate]\nname = \"x\"\nvendor = \"nextcloud\"\n\n\
                    [[component]]\nname = \"a\"\ncriticality = \"critical\"\n\n\
                    [[component]]\nname = \"b\"\ncriticality = \"critical\"\nvendor = \"collabora\"\n";
        let c = parse_manifest(Path::new("candidate.toml"), text, Path::new(".")).unwrap();
        let vendors: Vec<Option<&str>> = c.components.iter().map(|c| c.vendor.as_deref()).collect();
        assert_eq!(vendors, [Some("nextcloud"), Some("collabora")]);
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = check("[candidate]\nname = \"x\"\nvendr = \"y\"\n");
        assert!(
            err.starts_with("candidate.toml:3:1: unknown field `vendr`"),
            "{err}"
        );
    }
}
