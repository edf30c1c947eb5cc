//! The report view model: the one serialised description of a report.
//!
//! Every output format reads only this model: `--format json` serialises it as it is
//! (documented in `docs/report-json.md`), and every template (HTML, Markdown, flat ODF,
//! the terminal summary) is rendered from it. The model carries codes and raw numbers
//! (`"non-compliant"`, `0.4213`), never sentences: words come from the locale files and
//! numbers are formatted per language by the templates. Its layout is versioned by
//! [`SCHEMA`]; a change that removes or renames a field needs a new version.
//!
//! Internal types of the analysis are not `Serialize`; the builder (`super::build`)
//! copies what a report shows into these mirrors, in a deterministic order.

use serde::Serialize;

/// The schema identifier written into every report.
pub(crate) const SCHEMA: &str = "sovra.report/2";

/// One report: a single candidate or a comparison of several.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// `candidate` (one candidate) or `comparison` (several side by side).
    pub kind: ReportKind,
    /// The language the report was rendered in (`de`, `en`).
    pub lang: String,
    /// The date the report is issued for (`YYYY-MM-DD`): `--date`, else today.
    pub date: Option<String>,
    pub generator: Generator,
    /// The assessed candidates, in the order given on the command line.
    pub candidates: Vec<Candidate>,
    /// The side-by-side view; present for comparison reports.
    pub comparison: Option<Comparison>,
    /// Third-party notices of all candidates, once: licence texts grouped by licence,
    /// each with its packages. Empty with `--no-appendix`.
    pub attribution: Vec<Attribution>,
    /// Whether the documents carry the package lists appendix (each candidate's
    /// `components` when it has no manifest, and `licenses.unknown`); `false` with
    /// `--no-appendix`. The lists stay in this model either way; the body shows
    /// `summaries`.
    pub package_lists: bool,
}

/// Single candidate or comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ReportKind {
    Candidate,
    Comparison,
}

/// The tool and the data versions it ran with.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Generator {
    pub name: &'static str,
    pub version: &'static str,
    /// Version of the SPDX licence list compiled into sovra.
    pub spdx_list_version: &'static str,
    /// Date of the OSADL compatibility matrix in use, when one is loaded.
    pub osadl_matrix_date: Option<String>,
}

/// The overall verdict of a candidate: the score's verdict (`score::Verdict`), stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Verdict {
    /// No gate failed, no finding remains, the licence evidence is complete.
    Compliant,
    /// No gate failed, but violations (`deny`), findings to review (`warn`) or licences
    /// not known for every unit call for a person's decision.
    ReviewNeeded,
    /// No gate failed, and the evidence is too thin to decide: less of the score's
    /// weight could be assessed than the policy's `min_coverage` (`coverage.min_score`).
    NotAssessed,
    /// A gate failed without a valid exception.
    NonCompliant,
}

/// One assessed candidate (an offer, or the implicit candidate of plain inputs).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Candidate {
    pub name: String,
    pub version: Option<String>,
    pub vendor: Option<String>,
    /// `self-hosted`, `saas`, `hybrid`, when the candidate manifest says.
    pub deployment: Option<String>,
    pub verdict: Verdict,
    /// The sovereignty score, when it could be computed.
    pub score: Option<Score>,
    /// Rules of level `gate` that failed without a valid exception.
    pub failed_gates: Vec<Gate>,
    pub coverage: Coverage,
    pub stats: Stats,
    /// Whether the candidate has a manifest: then `components` are its components (a
    /// short table of the body); else they are its root or runtime packages (a list of
    /// the appendix).
    pub manifest: bool,
    /// What the body shows of the packages: one summary per component of the manifest,
    /// else one over all runtime packages (named after the candidate).
    pub summaries: Vec<ComponentSummary>,
    pub components: Vec<Component>,
    pub findings: Findings,
    pub licenses: LicenseInventory,
    pub vendors: Vendors,
    /// The EU Cloud Sovereignty Framework view, when the score provides it.
    pub csf: Option<Csf>,
    pub evidence: Evidence,
}

/// The sovereignty score (0–100, higher means less lock-in).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Score {
    pub value: f64,
    /// `low`, `moderate`, `high`, `critical` (lock-in).
    pub band: String,
    pub dimensions: Vec<Dimension>,
}

/// One dimension of the score.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Dimension {
    /// Stable id, e.g. `licence-freedom`.
    pub id: String,
    pub weight: f64,
    /// 0–100; `None` when not assessed (missing evidence never scores as a pass).
    pub value: Option<f64>,
    /// Share (0–1) of the dimension's weight backed by evidence.
    pub coverage: f64,
    /// How the value is computed.
    pub formula: String,
    /// The formula's named inputs for this candidate.
    pub inputs: Vec<FormulaInput>,
    /// What evidence is missing (English, as `sovra score` words it).
    pub gaps: Vec<String>,
    /// The same gaps as kind and subject, for templates to word in their language
    /// (locale keys `score-gap.<kind>`).
    pub gap_notes: Vec<DimensionGap>,
}

/// A named input of a dimension's formula (`HHI`, `open weight`, …).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FormulaInput {
    /// English name, as `sovra score` shows it.
    pub name: String,
    pub value: String,
    /// Stable code of the name (`total-weight`, `hhi`, …; locale key `score-input.<key>`).
    pub key: String,
    /// The value as a number, for locale formatting (every input is a number; the
    /// field stays optional for the schema).
    pub number: Option<f64>,
}

/// One piece of evidence a dimension lacks.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DimensionGap {
    /// `no-evidence`, `origin-unknown` or `not-stated`.
    pub kind: String,
    /// The component, package or fact concerned.
    pub subject: String,
}

/// A failed gate.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Gate {
    pub rule: String,
    pub message: String,
}

/// How much of what the report judges rests on evidence.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Coverage {
    /// Share of runtime packages with a known licence (0–1); for a candidate known
    /// only from its manifest, the share of components with a stated licence.
    pub licences: f64,
    /// Share of runtime packages whose organisation is known (0–1); for a candidate
    /// known only from its manifest, the share of components with a stated vendor.
    pub origin: f64,
    /// Share of score weight that could be assessed (0–1), when scored.
    pub score: Option<f64>,
    /// The policy's threshold (0–1): a dimension with less of its weight backed by
    /// evidence is not assessed, and a candidate with less of the score's weight
    /// assessed gets the verdict `not-assessed`.
    pub min_score: f64,
    /// What is missing.
    pub gaps: Vec<Gap>,
}

/// One evidence gap: a code (worded by the locale under `gap.<code>`) and its counts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Gap {
    /// `licence-unknown`, `origin-unknown`, `unreachable`, or `dimension.<id>` for a
    /// score dimension that could not be assessed (counts 0).
    pub code: String,
    pub count: usize,
    pub total: usize,
}

/// Sizes of what was analysed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Stats {
    pub packages: usize,
    pub runtime_packages: usize,
    pub edges: usize,
    pub inputs: usize,
}

/// One row of the per-component table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Component {
    pub name: String,
    pub version: Option<String>,
    pub function: Option<String>,
    /// `critical` or `supporting`.
    pub criticality: Option<String>,
    /// The licence as an SPDX expression, or the raw text when it is not one.
    pub license: Option<String>,
    /// Licence class (`permissive`, `strong-copyleft`, …, `unknown`).
    pub license_class: String,
    pub vendor: Option<String>,
    /// ISO 3166 alpha-2 code of the vendor's jurisdiction.
    pub country: Option<String>,
    /// Findings that concern this component (exceptions not counted).
    pub findings: usize,
}

/// The runtime packages of one component, counted: the body's view of them, the full
/// list being in the appendix.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ComponentSummary {
    pub name: String,
    /// Runtime packages of the component (for a component known only from the
    /// manifest, 0: its row in `components` is what there is).
    pub packages: usize,
    /// Packages per licence class (`permissive`, …, `unknown`), in class order.
    pub classes: Vec<Count>,
    /// Packages per controlling organisation, largest first, `unknown` last.
    pub organisations: Vec<Count>,
    /// Packages whose controlling organisation is known.
    pub origin_known: usize,
}

/// A name and how many packages it stands for.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Count {
    pub name: String,
    pub count: usize,
}

/// The findings, grouped by level, most severe first.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Findings {
    pub gate: usize,
    pub deny: usize,
    pub warn: usize,
    pub allow: usize,
    /// Findings an exception suppressed.
    pub excepted: usize,
    pub groups: Vec<FindingGroup>,
}

/// All findings of one level, by rule.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FindingGroup {
    /// `gate`, `deny`, `warn`, `allow`.
    pub level: String,
    /// Number of findings at this level.
    pub count: usize,
    /// Rules with findings at this level, by rule id.
    pub rules: Vec<RuleFindings>,
}

/// One rule's findings: what the rule is about once, then each hit.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RuleFindings {
    pub rule: String,
    /// The rule's one-line summary from the catalogue, when known.
    pub rule_name: Option<String>,
    /// Why the rule matters, from the rule's docs.
    pub why: Option<String>,
    /// How to resolve it, from the rule's docs.
    pub remediation: Option<String>,
    /// Framework references (`CSF SOV-3`, `§16a EGovG`, …).
    pub frameworks: Vec<String>,
    /// The hits, sorted by package and message; a cause with many hits is in
    /// `grouped` instead.
    pub findings: Vec<Finding>,
    /// Causes with more than [`GROUP_AT`] package hits, each once with the packages
    /// it concerns (one "origin unknown" entry, not a line per package).
    pub grouped: Vec<GroupedFindings>,
}

/// A cause with more package hits than this is reported once, as a
/// [`GroupedFindings`]; hits about a component (a manifest has few) stay single.
pub(crate) const GROUP_AT: usize = 20;

/// Many findings of one rule with the same cause.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GroupedFindings {
    /// Message key of the cause (`origin-known.unknown`, …).
    pub cause: String,
    /// Number of findings with this cause.
    pub count: usize,
    /// The first finding, as an example of the wording.
    pub example: Finding,
    /// The packages concerned (`name@version`), sorted; findings without a package
    /// are counted only.
    pub packages: Vec<String>,
    /// Every distinct supporting note of the group's findings, sorted.
    pub notes: Vec<String>,
    /// Every finding of the group, as in `findings` of a rule: the JSON keeps them all;
    /// the templates show the count, the example, packages and notes.
    pub findings: Vec<Finding>,
}

/// One finding as a report shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Finding {
    pub rule: String,
    pub level: String,
    /// The package concerned (`name@version`), if any.
    pub package: Option<String>,
    /// What was found.
    pub message: String,
    /// Supporting detail of this finding (the `OR` branch chosen, the matrix verdict…).
    pub notes: Vec<String>,
    /// Inclusion path, root first (`name@version` each).
    pub path: Vec<String>,
}

/// An exception applied to a finding (listed in the evidence; the finding itself is
/// only counted).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Exception {
    pub rule: String,
    /// Package, licence or vendor the exception names.
    pub subject: Option<String>,
    pub reason: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// The policy layer that declared it.
    pub layer: String,
}

/// Licence inventory.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LicenseInventory {
    /// Every distinct licence expression, most used first.
    pub expressions: Vec<LicenseRow>,
    /// Packages per licence class with the class's obligations.
    pub classes: Vec<ClassRow>,
    /// Packages whose licence is unknown, with the reason code.
    pub unknown: Vec<UnknownLicense>,
}

/// One distinct licence expression.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LicenseRow {
    pub expression: String,
    pub class: String,
    /// Whether every licence on at least one `OR` branch is OSI-approved.
    pub osi: bool,
    pub packages: Vec<String>,
}

/// One licence class.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClassRow {
    pub class: String,
    pub packages: usize,
    /// Obligations per deployment mode (`distributed`, `saas`, `internal`).
    pub obligations: Vec<Obligation>,
}

/// Obligations of a licence class in one deployment mode.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Obligation {
    pub mode: String,
    /// In the report's language, from the knowledge base
    /// (`rules/licenses/obligations.toml`); empty when it has none.
    pub duties: Vec<String>,
}

/// A package whose licence is unknown.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct UnknownLicense {
    pub package: String,
    /// `missing`, `noassertion`, `none`, `license-file-only`, `unparseable`.
    pub reason: String,
    /// The raw text or file name, when there is one.
    pub detail: Option<String>,
}

/// Third-party notices for one licence.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Attribution {
    /// SPDX id, with `+` when any later version is allowed.
    pub license: String,
    /// Full name from the SPDX list.
    pub name: String,
    /// The licence text from the SPDX list.
    pub text: String,
    /// Packages under this licence (`name@version`), sorted.
    pub packages: Vec<String>,
}

/// Vendor and jurisdiction breakdown.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Vendors {
    /// Share of units per controlling organisation, largest first. The units are the
    /// components of a candidate with a manifest, else the runtime packages; the two are
    /// never mixed.
    pub organisations: Vec<Share>,
    /// Share of units per country (ISO alpha-2, `unknown`), largest first.
    pub countries: Vec<Share>,
    /// The score's Herfindahl–Hirschman index (0–1): controlling organisations of the
    /// open units, by unit weight (`score::Score::hhi`), the one HHI every output shows.
    pub hhi: Option<f64>,
    /// The same index over the units of this breakdown by count (0–1, known
    /// organisations only): a second view, labelled as such wherever it is shown.
    pub hhi_by_count: Option<f64>,
    /// Share of all units (components, else runtime packages) whose controlling
    /// organisation sits inside the EU/EEA (0–1); units of unknown seat count as
    /// outside. `None` when no seat is known at all.
    pub eu_eea: Option<f64>,
}

/// One slice of a breakdown.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Share {
    /// The organisation or country; meaningless when `unknown` is set.
    pub name: String,
    /// This slice collects what could not be attributed.
    pub unknown: bool,
    pub count: usize,
    /// 0–1.
    pub share: f64,
}

/// The EU Cloud Sovereignty Framework view (indicative, software scope only).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Csf {
    pub objectives: Vec<CsfObjective>,
    /// Indicative SEAL level over all assessed objectives: the lowest (0–4).
    pub seal: Option<u8>,
    /// Weighted total with the CSF v1.2.1 weights (15/10/10/15/20/15/10/5).
    pub total_v1_2_1: Option<f64>,
    /// Weighted total with the 2026 calculator's weights (20/10/10/15/10/15/15/5).
    pub total_2026: Option<f64>,
}

/// One CSF objective (SOV-1 … SOV-8).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CsfObjective {
    pub id: String,
    /// Weight under CSF v1.2.1.
    pub weight: f64,
    /// Weight under the 2026 calculator.
    pub weight_2026: f64,
    /// 0–100; `None` when no mapped dimension is assessed.
    pub value: Option<f64>,
    /// Indicative SEAL level (0–4), capped by failed rules citing the objective.
    pub seal: Option<u8>,
    /// Failed rules citing the objective.
    pub rules: Vec<String>,
}

/// What the report rests on.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Evidence {
    /// Effective policy: its name and layers, base first.
    pub policy: Option<Policy>,
    pub inputs: Vec<Input>,
    /// The facts file pinned by `sovra enrich` and given with `--facts`, if any.
    pub facts: Option<FactsFile>,
    /// The buyer's vendor registries layered over the bundled one (`--vendors`), in
    /// order; absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vendor_registries: Vec<VendorRegistry>,
    pub exceptions: Vec<Exception>,
    /// Odd but valid things noticed while reading the inputs.
    pub notices: Vec<String>,
}

/// A vendor registry layered over the bundled one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct VendorRegistry {
    pub path: String,
    /// Ids of bundled entries this file corrects (replaces), sorted as found.
    pub corrected: Vec<String>,
}

/// The effective policy.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Policy {
    pub name: String,
    pub layers: Vec<String>,
    /// Policy files found among the inputs and not applied (the bidder's own
    /// `sovra.toml`); absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_applied: Vec<String>,
    /// `distributed`, `saas`, `internal`.
    pub deployment: Option<String>,
}

/// One input file.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Input {
    pub path: String,
    pub format: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The facts file a report used instead of the network.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FactsFile {
    pub path: String,
    pub sha256: String,
    /// When `sovra enrich` wrote the file (RFC 3339).
    pub generated: String,
    /// The oldest retrieval time of any fact in it.
    pub oldest_retrieval: Option<String>,
    /// Whole days from `generated` to the report's date.
    pub age_days: Option<i64>,
}

/// The side-by-side view of several candidates.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Comparison {
    /// Candidate names, in column order.
    pub candidates: Vec<String>,
    /// The one effective policy every candidate was judged by (its layers, base first,
    /// joined by ` → `).
    pub policy: String,
    /// Rows of the comparison table.
    pub rows: Vec<ComparisonRow>,
    /// The rows whose values differ in a way that decides (verdict, band, gates,
    /// violations, score apart by 10 points or more, a dimension by 20 or more…), as row
    /// keys.
    pub deciding: Vec<String>,
    /// The candidate ranked first (compliant before review before non-compliant, then
    /// higher score), when there is one.
    pub leader: Option<String>,
}

/// One row of the comparison table: a key and one cell per candidate.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ComparisonRow {
    /// Locale key of the row label (`row.verdict`, `row.score`,
    /// `dimension.licence-freedom`, …).
    pub key: String,
    pub cells: Vec<Cell>,
    pub deciding: bool,
}

/// One cell: a code (translated by the template), a number, or free text.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cell {
    /// `verdict` or `band` (then `code` is set), `number`, `index` (0–1, shown with its
    /// decimals), `percent` (a share 0–1),
    /// `seal` (a SEAL level in `number`), `text`, or `none` (not assessed).
    pub kind: String,
    pub code: Option<String>,
    pub number: Option<f64>,
    pub text: Option<String>,
}
