//! Policies: named, layered settings that enable, disable and tune rules, plus the
//! deployment mode, link semantics, licence preference and exceptions.
//!
//! Layers are resolved base first (`baseline` → `de-public-sector` → a project's own
//! `sovra.toml`); a later layer overrides single values of an earlier one. The
//! [`EffectivePolicy`] records for every value the layer that set it. Files are parsed
//! with positions ([`raw`]), then validated against the catalogue; every problem of
//! every layer is reported at once.

mod raw;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::catalogue::{Catalogue, Kinds, embedded_policies};
use crate::error::{Error, Problem, Result};
use crate::finding::Level;

pub(crate) use raw::Pos;
use raw::RawPolicy;

/// The name of a project's own policy file, looked for next to the inputs.
pub(crate) const PROJECT_FILE: &str = "sovra.toml";

/// The policy used when none is given and no project file is found.
pub(crate) const DEFAULT_POLICY: &str = "baseline";

/// The policy `score`, `report`, `compare`, `init` and the catalogue apply unless one
/// is named: the one for public buyers, who are sovra's users; `check` (a CI gate over
/// one's own code) keeps [`DEFAULT_POLICY`].
pub(crate) const PUBLIC_BUYER_POLICY: &str = "de-public-sector";

/// How the assessed software reaches its users; obligations depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Deployment {
    /// Copies are handed to others (installed on their machines).
    Distributed,
    /// Operated as a service for others over a network.
    Saas,
    /// Used only inside the organisation; nothing is conveyed to others.
    Internal,
}

impl Deployment {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Deployment::Distributed => "distributed",
            Deployment::Saas => "saas",
            Deployment::Internal => "internal",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "distributed" => Some(Deployment::Distributed),
            "saas" => Some(Deployment::Saas),
            "internal" => Some(Deployment::Internal),
            _ => None,
        }
    }
}

/// How dependencies are combined with the dependent at build or run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Linking {
    /// Dependencies are compiled or linked into one work (Rust, Go, bundled JS).
    Static,
    /// Dependencies stay separate, replaceable libraries (shared objects, JARs).
    Dynamic,
}

impl Linking {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Linking::Static => "static",
            Linking::Dynamic => "dynamic",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "static" => Some(Linking::Static),
            "dynamic" => Some(Linking::Dynamic),
            _ => None,
        }
    }
}

/// A value and the layer that set it (`catalogue` for a rule's own defaults,
/// `default` for built-in defaults).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sourced<T> {
    pub value: T,
    pub layer: String,
}

impl<T> Sourced<T> {
    fn new(value: T, layer: &str) -> Self {
        Sourced {
            value,
            layer: layer.to_owned(),
        }
    }
}

/// One layer of the effective policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layer {
    pub name: String,
    /// Where it was read from (`rules/policies/<name>.toml` for bundled ones).
    pub path: PathBuf,
    pub description: Option<String>,
}

/// A rule as the effective policy runs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EffectiveRule {
    pub enabled: Sourced<bool>,
    pub level: Sourced<Level>,
    /// Parameters, key by key, over the rule's defaults.
    pub params: BTreeMap<String, Sourced<toml::Value>>,
}

impl EffectiveRule {
    /// The parameters as a table for the check kind.
    pub(crate) fn params_table(&self) -> toml::Table {
        self.params
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }
}

/// What an exception applies to, besides the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ExceptionTarget {
    /// A package by name, optionally limited to versions matching a requirement.
    Package {
        name: String,
        version: Option<semver::VersionReq>,
    },
    /// A licence id or expression (matched against the finding's subject or the
    /// package's licence expression).
    License(String),
    /// A vendor id (matched against the finding's subject).
    Vendor(String),
}

/// A documented, owned and dated permission to ignore findings of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exception {
    pub rule: String,
    pub target: ExceptionTarget,
    pub reason: String,
    pub owner: String,
    pub expires: Option<jiff::civil::Date>,
    /// The layer that declared it.
    pub layer: String,
    /// Where it was declared (`path:line:column`).
    pub location: String,
}

impl Exception {
    /// Short description of what it matches: `` package `ring` (^0.17) ``.
    pub(crate) fn describe(&self) -> crate::text::Text {
        use crate::text;
        match &self.target {
            ExceptionTarget::Package {
                name,
                version: Some(v),
            } => text!(
                "exception.package-version",
                name = name,
                version = v.to_string()
            ),
            ExceptionTarget::Package {
                name,
                version: None,
            } => text!("exception.package", name = name),
            ExceptionTarget::License(l) => text!("exception.licence", licence = l.to_string()),
            ExceptionTarget::Vendor(v) => text!("exception.vendor", vendor = v),
        }
    }

    /// Whether it has expired on `today` (an exception expiring today still holds).
    pub(crate) fn is_expired(&self, today: jiff::civil::Date) -> bool {
        self.expires.is_some_and(|d| d < today)
    }
}

/// The policy in force: every layer merged, with provenance.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EffectivePolicy {
    /// Base first.
    pub layers: Vec<Layer>,
    pub deployment: Sourced<Deployment>,
    pub linking: Sourced<Linking>,
    /// Licence preference for choosing an `OR` branch, most preferred first.
    pub prefer: Sourced<Vec<String>>,
    /// The score a licence file's text must reach against an SPDX licence text to be
    /// identified as that licence (`licenses.confidence_threshold`, default 0.8 as
    /// cargo-deny).
    pub confidence_threshold: Sourced<f32>,
    /// Every catalogue rule, by id.
    pub rules: BTreeMap<String, EffectiveRule>,
    pub exceptions: Vec<Exception>,
    /// Remarks about how the layers were combined (an `extends` overridden by
    /// `--policy`).
    pub notes: Vec<String>,
    /// `[score]` settings, flattened (`critical_weight`, `weights.<dimension>`), with
    /// the layer that set each.
    pub score: BTreeMap<String, Sourced<toml::Value>>,
    /// Policy files found among the inputs and not applied (a policy applies only when
    /// the user names it), for the notice and the report's evidence.
    pub not_applied: Vec<PathBuf>,
    /// Those settings validated into the score's configuration, once, at load.
    pub score_config: crate::score::Config,
    /// Vendor registries the layers name (`vendors = [...]`, relative to their policy
    /// file), base layer first: path and contents, read at load.
    pub vendor_files: Vec<(PathBuf, String)>,
}

impl EffectivePolicy {
    /// The catalogue's defaults alone, with no policy layer.
    pub(crate) fn defaults(catalogue: &Catalogue) -> Self {
        let rules = catalogue
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    EffectiveRule {
                        enabled: Sourced::new(r.enabled, "catalogue"),
                        level: Sourced::new(r.level, "catalogue"),
                        params: r
                            .params
                            .iter()
                            .map(|(k, v)| (k.clone(), Sourced::new(v.clone(), "catalogue")))
                            .collect(),
                    },
                )
            })
            .collect();
        EffectivePolicy {
            layers: Vec::new(),
            deployment: Sourced::new(Deployment::Distributed, "default"),
            linking: Sourced::new(Linking::Static, "default"),
            prefer: Sourced::new(Vec::new(), "default"),
            confidence_threshold: Sourced::new(
                crate::license::identify::DEFAULT_THRESHOLD,
                "default",
            ),
            rules,
            exceptions: Vec::new(),
            notes: Vec::new(),
            score: BTreeMap::new(),
            not_applied: Vec::new(),
            score_config: crate::score::Config::default(),
            vendor_files: Vec::new(),
        }
    }

    /// Turns off every rule not in `ids` (the command line's `--select`); the selected
    /// ones run, even when the layers had them off.
    pub(crate) fn select(&mut self, ids: &[String]) {
        for (id, rule) in &mut self.rules {
            let on = ids.contains(id);
            if rule.enabled.value != on {
                rule.enabled = Sourced::new(on, "--select");
            }
        }
    }

    /// The names of the layers, base first, joined with ` → `.
    pub(crate) fn chain(&self) -> String {
        self.layers
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    }
}

/// Where the layers come from.
#[derive(Debug, Clone, Default)]
pub(crate) struct PolicyRequest {
    /// `--policy`: a bundled policy's name or a file path.
    pub policy: Option<String>,
    /// A project file found next to the inputs.
    pub project: Option<PathBuf>,
}

/// Names of the bundled policies, sorted.
pub(crate) fn bundled_names() -> Vec<&'static str> {
    embedded_policies()
        .iter()
        .filter_map(|(f, _)| f.strip_suffix(".toml"))
        .collect()
}

/// A file's path and its text.
pub(crate) type NamedText = (PathBuf, String);

/// How the loader reaches files and check kinds. Policies are pure; the caller
/// (`assess`) passes the file system and the engine's registry, tests may pass anything
/// else.
#[derive(Clone, Copy)]
pub(crate) struct Files<'a> {
    /// Reads one policy file.
    pub read: &'a dyn Fn(&Path) -> Result<String>,
    /// Reads the `*.toml` files of a user catalogue directory, sorted by path.
    pub catalogue_dir: &'a dyn Fn(&Path) -> Result<Vec<NamedText>>,
    /// The check kinds rules name (`engine::kinds`).
    pub kinds: Kinds<'a>,
    /// The file a path names, symbolic links and `.`/`..` resolved (`None` when it
    /// does not exist): `extends` cycles are found and `extends` is kept inside its
    /// file's directory on these.
    pub canonical: &'a dyn Fn(&Path) -> Option<PathBuf>,
}

impl std::fmt::Debug for Files<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Files")
    }
}

/// One policy source before parsing.
#[derive(Debug, Clone)]
struct Source {
    name: String,
    path: PathBuf,
    text: String,
}

fn bundled(name: &str) -> Option<Source> {
    embedded_policies()
        .iter()
        .find(|(f, _)| f.strip_suffix(".toml") == Some(name))
        .map(|(f, text)| Source {
            name: name.to_owned(),
            path: Path::new("rules/policies").join(f),
            text: (*text).to_owned(),
        })
}

fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.contains('\\') || s.ends_with(".toml")
}

fn read_file(path: &Path, files: &Files<'_>) -> Result<Source> {
    let text = (files.read)(path)?;
    Ok(Source {
        name: path.display().to_string(),
        path: path.to_owned(),
        text,
    })
}

/// Resolves `spec` (a bundled name or a path, relative to `base_dir` when given from a
/// file) to a source.
fn resolve(
    spec: &str,
    base_dir: Option<&Path>,
    pos: Option<&Pos>,
    files: &Files<'_>,
) -> Result<Source> {
    if !looks_like_path(spec) {
        if let Some(s) = bundled(spec) {
            return Ok(s);
        }
        let msg = format!(
            "unknown policy `{spec}`, expected one of {} or a path to a policy file",
            bundled_names()
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Err(match pos {
            Some(p) => Error::Invalid(vec![p.problem(msg)]),
            None => Error::Usage(msg),
        });
    }
    let outside = |d: &Path| {
        let d = if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        };
        match ((files.canonical)(d), (files.canonical)(&d.join(spec))) {
            (Some(d), Some(p)) => !p.starts_with(d),
            _ => false,
        }
    };
    let path = match base_dir {
        // A file's `extends` stays in its directory, symbolic links resolved.
        Some(d) if outside(d) => {
            let msg = format!("`extends = \"{spec}\"` leads outside the directory of the policy");
            return Err(match pos {
                Some(p) => Error::Invalid(vec![p.problem(msg)]),
                None => Error::Usage(msg),
            });
        }
        Some(d) => d.join(spec),
        None => PathBuf::from(spec),
    };
    read_file(&path, files)
}

/// Parses `start` and the layers it extends; returns them base first.
fn chain(start: Source, problems: &mut Vec<Problem>, files: &Files<'_>) -> Result<Vec<RawPolicy>> {
    let mut out: Vec<RawPolicy> = Vec::new();
    let mut next = Some(start);
    while let Some(src) = next.take() {
        let raw = raw::parse(&src.name, &src.path, &src.text, problems);
        if let Some(ext) = &raw.extends {
            let base_dir = src.path.parent().filter(|_| !is_bundled_path(&src.path));
            // An unknown or unreadable parent is one more problem, not the end of the
            // report.
            let parent = match resolve(&ext.value, base_dir, Some(&ext.pos), files) {
                Ok(p) => p,
                Err(Error::Invalid(mut p)) => {
                    problems.append(&mut p);
                    out.push(raw);
                    break;
                }
                Err(e) => {
                    problems.push(ext.pos.problem(e.to_string()));
                    out.push(raw);
                    break;
                }
            };
            // Compared as the files they are: `./a.toml`, `a.toml` and a link to it are
            // one file.
            let canon = |p: &Path| (files.canonical)(p).unwrap_or_else(|| p.to_owned());
            let parent_file = canon(&parent.path);
            if parent_file == canon(&src.path) || out.iter().any(|l| canon(&l.path) == parent_file)
            {
                problems.push(ext.pos.problem(format!(
                    "`extends = \"{}\"` makes a cycle of policies",
                    ext.value
                )));
            } else {
                next = Some(parent);
            }
        }
        out.push(raw);
    }
    out.reverse();
    Ok(out)
}

fn is_bundled_path(p: &Path) -> bool {
    p.starts_with("rules/policies")
        && bundled_names()
            .iter()
            .any(|n| p.ends_with(format!("{n}.toml")))
}

/// Loads the layers a request names, adds the user catalogues they name to
/// `catalogue`, and validates everything into the effective policy.
pub(crate) fn load(
    req: &PolicyRequest,
    catalogue: &mut Catalogue,
    files: &Files<'_>,
) -> Result<EffectivePolicy> {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut layers = match &req.policy {
        Some(spec) => chain(resolve(spec, None, None, files)?, &mut problems, files)?,
        None => Vec::new(),
    };
    match &req.project {
        Some(project) if !layers.iter().any(|l| same_file(&l.path, project)) => {
            let src = read_file(project, files)?;
            if req.policy.is_some() {
                let raw = raw::parse(&src.name, &src.path, &src.text, &mut problems);
                if let Some(ext) = &raw.extends {
                    notes.push(format!(
                        "`{}` extends `{}`, but `--policy` chose the base layers",
                        project.display(),
                        ext.value
                    ));
                }
                layers.push(raw);
            } else {
                layers = chain(src, &mut problems, files)?;
            }
        }
        Some(_) => {}
        None if req.policy.is_none() => {
            let base = bundled(DEFAULT_POLICY)
                .ok_or_else(|| Error::Usage(format!("the `{DEFAULT_POLICY}` policy is missing")))?;
            layers = chain(base, &mut problems, files)?;
        }
        None => {}
    }
    // User catalogues first: rule ids in the policies may refer to them.
    for layer in &layers {
        for dir in &layer.catalogue {
            let base = layer.path.parent().unwrap_or(Path::new("."));
            let dir_path = base.join(&dir.value);
            let added = (files.catalogue_dir)(&dir_path).and_then(|found| {
                let found: Vec<(PathBuf, &str)> =
                    found.iter().map(|(p, t)| (p.clone(), t.as_str())).collect();
                catalogue.add_files(&found, &dir_path.display().to_string(), files.kinds)
            });
            match added {
                Ok(()) => {}
                Err(Error::Invalid(mut p)) => problems.append(&mut p),
                Err(e) => problems.push(dir.pos.problem(e.to_string())),
            }
        }
    }
    let mut eff = EffectivePolicy::defaults(catalogue);
    eff.notes = notes;
    for layer in &layers {
        for file in &layer.vendors {
            let base = layer.path.parent().unwrap_or(Path::new("."));
            let path = base.join(&file.value);
            match (files.read)(&path) {
                Ok(text) => eff.vendor_files.push((path, text)),
                Err(e) => problems.push(file.pos.problem(e.to_string())),
            }
        }
    }
    for layer in &layers {
        apply(&mut eff, layer, catalogue, &mut problems);
    }
    // Parameters are checked once merged: a layer may complete another's.
    for (id, rule) in &eff.rules {
        let Some(def) = catalogue.get(id) else {
            continue;
        };
        if let Some(Err(e)) = (files.kinds)(&def.check, &rule.params_table()) {
            let pos = layers
                .iter()
                .rev()
                .flat_map(|l| &l.rules)
                .find(|r| r.id.value == *id && r.params.is_some())
                .and_then(|r| r.params.as_ref().map(|p| p.pos.clone()));
            let msg = format!("parameters of rule `{id}` (check `{}`): {e}", def.check);
            match pos {
                Some(p) => problems.push(p.problem(msg)),
                None => problems.push(Problem::new(Path::new(&def.origin), 1, 1, msg)),
            }
        }
    }
    match score_config(&eff) {
        Ok(cfg) => eff.score_config = cfg,
        Err(e) => problems.push(Problem::new(
            layers
                .last()
                .map_or(Path::new(DEFAULT_POLICY), |l| l.path.as_path()),
            1,
            1,
            format!("`[score]`: {e}"),
        )),
    }
    if problems.is_empty() {
        Ok(eff)
    } else {
        problems.sort();
        problems.dedup();
        Err(Error::Invalid(problems))
    }
}

fn score_config(eff: &EffectivePolicy) -> std::result::Result<crate::score::Config, String> {
    crate::score::Config::from_settings(eff.score.iter().map(|(k, v)| (k, &v.value)))
}

/// Whether two paths name the same file, judged by their text (no file system access).
fn same_file(a: &Path, b: &Path) -> bool {
    let norm = |p: &Path| -> PathBuf {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    norm(a) == norm(b)
}

/// Applies one layer over the effective policy, recording problems.
fn apply(
    eff: &mut EffectivePolicy,
    layer: &RawPolicy,
    cat: &Catalogue,
    problems: &mut Vec<Problem>,
) {
    let name = layer.name.as_str();
    eff.layers.push(Layer {
        name: name.to_owned(),
        path: layer.path.clone(),
        description: layer.description.clone(),
    });
    if let Some(d) = &layer.deployment {
        match Deployment::parse(&d.value) {
            Some(v) => eff.deployment = Sourced::new(v, name),
            None => problems.push(d.pos.problem(format!(
                "unknown deployment `{}`, expected `distributed`, `saas` or `internal`",
                d.value
            ))),
        }
    }
    if let Some(l) = &layer.linking {
        match Linking::parse(&l.value) {
            Some(v) => eff.linking = Sourced::new(v, name),
            None => problems.push(l.pos.problem(format!(
                "unknown linking `{}`, expected `static` or `dynamic`",
                l.value
            ))),
        }
    }
    if let Some(p) = &layer.prefer {
        for id in &p.value {
            if spdx::Licensee::parse(id).is_err() {
                problems.push(p.pos.problem(format!(
                    "`{id}` in `licenses.prefer` is not an SPDX licence id"
                )));
            }
        }
        eff.prefer = Sourced::new(p.value.clone(), name);
    }
    if let Some(t) = &layer.confidence_threshold {
        if (0.0..=1.0).contains(&t.value) {
            eff.confidence_threshold = Sourced::new(t.value as f32, name);
        } else {
            problems.push(t.pos.problem(format!(
                "`licenses.confidence_threshold` must be between 0 and 1, not {}",
                t.value
            )));
        }
    }
    for r in &layer.rules {
        let id = &r.id.value;
        let Some(rule) = eff.rules.get_mut(id) else {
            problems.push(
                r.id.pos
                    .problem(format!("unknown rule `{id}` (see `sovra rules list`)")),
            );
            continue;
        };
        if let Some(e) = &r.enabled {
            rule.enabled = Sourced::new(e.value, name);
        }
        if let Some(l) = &r.level {
            match Level::parse(&l.value) {
                Some(v) => {
                    rule.level = Sourced::new(v, name);
                    // Setting a level without `enabled` turns the rule on.
                    if r.enabled.is_none() && !rule.enabled.value {
                        rule.enabled = Sourced::new(true, name);
                    }
                }
                None => problems.push(l.pos.problem(format!(
                    "unknown level `{}`, expected `allow`, `warn`, `deny` or `gate`",
                    l.value
                ))),
            }
        }
        if let Some(p) = &r.params {
            for (k, v) in &p.value {
                rule.params.insert(k.clone(), Sourced::new(v.clone(), name));
            }
        }
    }
    if let Some(sc) = &layer.score {
        for (k, v) in &sc.value {
            match (k.as_str(), v) {
                ("weights", toml::Value::Table(w)) => {
                    for (dk, dv) in w {
                        eff.score
                            .insert(format!("weights.{dk}"), Sourced::new(dv.clone(), name));
                    }
                }
                _ => {
                    eff.score.insert(k.clone(), Sourced::new(v.clone(), name));
                }
            }
        }
        if let Err(e) = score_config(eff) {
            problems.push(sc.pos.problem(format!("`[score]`: {e}")));
        }
    }
    for e in &layer.exceptions {
        if let Some(ex) = exception(&e.value, &e.pos, name, cat, problems) {
            eff.exceptions.push(ex);
        }
    }
}

fn exception(
    raw: &raw::RawException,
    pos: &Pos,
    layer: &str,
    cat: &Catalogue,
    problems: &mut Vec<Problem>,
) -> Option<Exception> {
    let before = problems.len();
    if cat.get(&raw.rule).is_none() {
        problems.push(pos.problem(format!(
            "exception names unknown rule `{}` (see `sovra rules list`)",
            raw.rule
        )));
    }
    for (field, value) in [("reason", &raw.reason), ("owner", &raw.owner)] {
        if value.trim().is_empty() {
            problems.push(pos.problem(format!("exception `{field}` must not be empty")));
        }
    }
    let version = match &raw.version {
        Some(v) => match semver::VersionReq::parse(v) {
            Ok(req) => Some(req),
            Err(e) => {
                problems.push(pos.problem(format!("exception `version = \"{v}\"`: {e}")));
                None
            }
        },
        None => None,
    };
    let targets = [
        raw.package.is_some(),
        raw.license.is_some(),
        raw.vendor.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if targets != 1 {
        problems.push(
            pos.problem("an exception names exactly one of `package`, `license` or `vendor`"),
        );
    }
    if raw.version.is_some() && raw.package.is_none() {
        problems.push(pos.problem("exception `version` needs `package`"));
    }
    let expires = match &raw.expires {
        Some(dt) => match (dt.date, dt.time) {
            (Some(d), None) => {
                jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok()
            }
            _ => None,
        }
        .or_else(|| {
            problems.push(pos.problem(format!(
                "exception `expires = {dt}` must be a date like 2027-03-31"
            )));
            None
        }),
        None => None,
    };
    if problems.len() > before {
        return None;
    }
    let target = if let Some(name) = &raw.package {
        ExceptionTarget::Package {
            name: name.clone(),
            version,
        }
    } else if let Some(l) = &raw.license {
        ExceptionTarget::License(l.clone())
    } else {
        ExceptionTarget::Vendor(raw.vendor.clone().unwrap_or_default())
    };
    Some(Exception {
        rule: raw.rule.clone(),
        target,
        reason: raw.reason.clone(),
        owner: raw.owner.clone(),
        expires,
        layer: layer.to_owned(),
        location: pos.to_string(),
    })
}
