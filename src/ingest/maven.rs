//! Maven ingest: `pom.xml`, with the parents and modules that lie in the same tree.
//!
//! A POM declares a project's direct dependencies; it records no transitive ones (Maven
//! finds those in a repository, which sovra does not consult), and says so in a notice.
//! What is read:
//! - the project's coordinates (`groupId` and `version` inherited from `<parent>`), its
//!   licences (`<licenses>`; several are alternatives, as the POM reference says), name,
//!   description, URL, SCM URL and organisation;
//! - `<dependencies>` with scope (`compile`, `runtime`, `system` and `provided` are run
//!   time, `test` is dev) and `optional`; `<dependencyManagement>` versions and scopes,
//!   BOMs imported there (`scope` `import`) when they were read in the same tree;
//! - `<properties>` and `${…}` interpolation (`project.*`, `pom.*`, `project.parent.*`,
//!   properties of the project and its parents), recursion and length bounded;
//! - the parent chain: each parent is looked for at `<relativePath>` (default
//!   `../pom.xml`, a directory means its `pom.xml`), and used only when its coordinates
//!   match the reference, as Maven does; its properties, managed versions, dependencies
//!   and licences are inherited;
//! - `<modules>`, read as projects of their own, and profiles active by default.
//!
//! Nothing is guessed: a parent, BOM or module outside the tree, a property no POM in
//! the tree defines, a version nobody manages, a profile that needs a condition, is a
//! notice (an evidence gap) and the value stays unknown. Other files are reached only
//! through the caller's loader, which keeps them inside the tree read.
//!
//! XML is parsed as the CycloneDX XML reader does: `roxmltree`, no DTD, nesting and
//! node count bounded, every error with its line and column.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use roxmltree::Node;

use super::cyclonedx_xml::{NODES_LIMIT, bounded_document};
use super::flat;
use super::input_file;
use crate::error::{Error, Problem, Result};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFormat, InputIdx, Inventory, Package, PackageId,
    SourceKind,
};

/// The POM namespace; a POM may also use none.
const NAMESPACE: &str = "http://maven.apache.org/POM/4.0.0";

/// Most parents followed up one chain; real projects have a handful.
const MAX_PARENTS: usize = 32;
/// Most POMs one read takes in (the project, its modules, their parents).
const MAX_POMS: usize = 4096;
/// Deepest nesting of modules followed.
const MAX_MODULE_DEPTH: usize = 32;
/// Deepest `${…}` reference chain followed, and the longest value it may build (a few
/// properties that each repeat the next would otherwise grow without end).
const MAX_INTERPOLATION_DEPTH: usize = 16;
const MAX_VALUE_LEN: usize = 4096;

/// Whether an XML document whose root element is `root` and whose start is `head` is a
/// Maven POM: a `project` in the POM namespace, or without one but with Maven's
/// elements.
pub(crate) fn looks_like_pom(root: Option<&str>, head: &str) -> bool {
    root == Some("project")
        && (head.contains("maven.apache.org/POM/")
            || head.contains("<modelVersion>")
            || head.contains("<artifactId>")
            || head.contains("<groupId>"))
}

/// Reads another file of the tree (a parent or a module): its bytes, or `None` when it
/// does not exist or lies outside the tree. A directory stands for its `pom.xml`.
pub(crate) type Loader<'a> = dyn FnMut(&Path) -> Result<Option<Vec<u8>>> + 'a;

/// Parses one `pom.xml` alone: parents and modules are not looked up.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    read(path, bytes, &mut |_| Ok(None)).map(|(inv, _)| inv)
}

/// Parses a `pom.xml` with its parents and modules through `load`; also returns the
/// paths of the POMs read as projects (the modules), so a directory search reads each
/// once.
pub(crate) fn read(
    path: &Path,
    bytes: &[u8],
    load: &mut Loader<'_>,
) -> Result<(Inventory, Vec<PathBuf>)> {
    let mut r = Reader {
        load,
        poms: HashMap::new(),
        read: 0,
    };
    let first = r.parse_file(path, bytes, None)?;
    let mut projects = vec![(first.clone(), 0usize)];
    let mut gaps: Vec<(PathBuf, Gap)> = Vec::new();
    let mut i = 0;
    while i < projects.len() {
        let (file, depth) = projects[i].clone();
        i += 1;
        let modules = r.poms[&file].modules.clone();
        for m in &modules {
            let at = normalise(&dir_of(&file).join(m));
            let target = if m.ends_with(".xml") {
                at
            } else {
                at.join("pom.xml")
            };
            if projects.iter().any(|(p, _)| *p == target) {
                continue;
            }
            if depth + 1 > MAX_MODULE_DEPTH || r.read >= MAX_POMS {
                return Err(Error::input(
                    &file,
                    format!(
                        "modules nest deeper than {MAX_MODULE_DEPTH} levels or number more \
                         than {MAX_POMS} POMs"
                    ),
                ));
            }
            match r.get(&target)? {
                Some(_) => projects.push((target, depth + 1)),
                None => gaps.push((file.clone(), Gap::Module(m.clone()))),
            }
        }
    }

    let mut inv = Inventory::new();
    let mut inputs: BTreeMap<PathBuf, InputIdx> = BTreeMap::new();
    let mut resolved = Vec::new();
    for (file, _) in &projects {
        let pom = &r.poms[file];
        // The first file keeps the path as the user gave it.
        let shown = if *file == first { path } else { file.as_path() };
        let input = inv.add_input(input_file(
            shown,
            InputFormat::MavenPom,
            DocumentMeta {
                spec_version: pom.model_version.clone(),
                has_dependencies: true,
                ..DocumentMeta::default()
            },
        ));
        inputs.insert(file.clone(), input);
        resolved.push(r.effective(file)?);
    }
    let mut missing: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for (file, gap) in gaps {
        if let Gap::Module(m) = gap {
            missing.entry(file).or_default().push(m);
        }
    }
    for (file, modules) in missing {
        inv.notice(
            inputs[&file],
            crate::text!(
                "notice.maven-modules-missing",
                count = modules.len(),
                first = modules[0].clone()
            ),
        );
    }
    for (eff, (file, _)) in resolved.iter().zip(&projects) {
        let input = inputs[file];
        add_project(&mut inv, eff, file, input, r.poms[file].bytes(bytes));
    }
    inv.finish();
    let files = projects.into_iter().map(|(p, _)| p).collect();
    Ok((inv, files))
}

/// One `<dependency>` as written.
#[derive(Debug, Clone, Default)]
struct Dep {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    ty: Option<String>,
    classifier: Option<String>,
    system_path: Option<String>,
    /// Byte offsets of the `<dependency>` and its `<scope>`.
    at: usize,
    scope_at: usize,
}

impl Dep {
    /// Maven's management key: `groupId:artifactId:type:classifier`.
    fn key<'d>(&'d self, value: impl Fn(&'d str) -> Cow<'d, str>) -> String {
        let parts = [
            value(self.group.as_deref().unwrap_or("")),
            value(self.artifact.as_deref().unwrap_or("")),
            value(self.ty.as_deref().unwrap_or("jar")),
            value(self.classifier.as_deref().unwrap_or("")),
        ];
        let mut key = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                key.push(':');
            }
            key.push_str(part);
        }
        key
    }
}

/// `<parent>` as written.
#[derive(Debug, Clone, Default)]
struct ParentRef {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    /// `None`: Maven's default `../pom.xml`; `Some("")`: not looked up locally.
    relative: Option<String>,
}

/// One POM as written.
#[derive(Debug, Clone, Default)]
struct Pom {
    /// The bytes of a POM the loader read (the first POM's are the caller's, never
    /// copied): hashed for the evidence record, and read for line numbers in notices.
    loaded: Option<Rc<[u8]>>,
    model_version: Option<String>,
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    packaging: Option<String>,
    name: Option<String>,
    description: Option<String>,
    url: Option<String>,
    scm: Option<String>,
    organisation: Option<String>,
    licences: Vec<String>,
    parent: Option<ParentRef>,
    properties: BTreeMap<String, String>,
    managed: Vec<Dep>,
    deps: Vec<Dep>,
    modules: Vec<String>,
    /// Profiles not active by default that declare dependencies.
    conditional_profiles: usize,
}

impl Pom {
    /// The bytes the POM was read from: its own, or `first`, those of the first POM.
    fn bytes<'b>(&'b self, first: &'b [u8]) -> &'b [u8] {
        self.loaded.as_deref().unwrap_or(first)
    }

    fn group(&self) -> Option<&str> {
        self.group
            .as_deref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.group.as_deref()))
    }

    fn version(&self) -> Option<&str> {
        self.version
            .as_deref()
            .or_else(|| self.parent.as_ref().and_then(|p| p.version.as_deref()))
    }
}

/// An evidence gap met while reading.
#[derive(Debug, Clone)]
enum Gap {
    Parent { parent: String, at: String },
    Module(String),
    Bom(String),
}

impl Gap {
    fn notice(self, inv: &mut Inventory, input: InputIdx) {
        let text = match self {
            Gap::Parent { parent, at } => {
                crate::text!("notice.maven-parent-missing", parent = parent, path = at)
            }
            Gap::Module(module) => crate::text!(
                "notice.maven-modules-missing",
                count = 1usize,
                first = module
            ),
            Gap::Bom(bom) => crate::text!("notice.maven-bom-missing", bom = bom),
        };
        inv.notice(input, text);
    }
}

/// A project's model after inheritance: what it declares and the values to
/// interpolate with.
#[derive(Debug, Clone)]
struct Effective {
    own: Rc<Pom>,
    properties: BTreeMap<String, String>,
    managed: Vec<Dep>,
    deps: Vec<Dep>,
    licences: Vec<String>,
    parent_version: Option<String>,
    parent_group: Option<String>,
    parent_artifact: Option<String>,
    gaps: Vec<Gap>,
}

struct Reader<'l, 'a> {
    load: &'l mut Loader<'a>,
    /// Every POM read, by its (lexically normalised) path; `None` when absent.
    poms: HashMap<PathBuf, Rc<Pom>>,
    read: usize,
}

impl Reader<'_, '_> {
    /// Reads the POM at `path`; `loaded` holds the bytes the loader read, `None` the
    /// first POM's `bytes`.
    fn parse_file(
        &mut self,
        path: &Path,
        bytes: &[u8],
        loaded: Option<Rc<[u8]>>,
    ) -> Result<PathBuf> {
        let key = normalise(path);
        let mut pom = parse_pom(path, bytes)?;
        pom.loaded = loaded;
        self.read += 1;
        self.poms.insert(key.clone(), Rc::new(pom));
        Ok(key)
    }

    /// The POM at `path` (a directory means its `pom.xml`), read once.
    fn get(&mut self, path: &Path) -> Result<Option<PathBuf>> {
        let key = normalise(path);
        if self.poms.contains_key(&key) {
            return Ok(Some(key));
        }
        if self.read >= MAX_POMS {
            return Err(Error::input(
                path,
                format!("more than {MAX_POMS} POMs in one project"),
            ));
        }
        match (self.load)(&key)? {
            Some(bytes) => {
                let bytes: Rc<[u8]> = bytes.into();
                self.parse_file(&key, &bytes, Some(Rc::clone(&bytes)))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    /// The parent chain of the POM at `file`, nearest first, and the gap that ended it.
    fn ancestors(&mut self, file: &Path) -> Result<(Vec<PathBuf>, Option<Gap>)> {
        let mut chain: Vec<PathBuf> = Vec::new();
        let mut at = file.to_owned();
        loop {
            let pom = &self.poms[&at];
            let Some(parent) = pom.parent.clone() else {
                return Ok((chain, None));
            };
            let coords = format!(
                "{}:{}:{}",
                parent.group.as_deref().unwrap_or("?"),
                parent.artifact.as_deref().unwrap_or("?"),
                parent.version.as_deref().unwrap_or("?")
            );
            let relative = parent.relative.as_deref().unwrap_or("../pom.xml").trim();
            if relative.is_empty() {
                let gap = Gap::Parent {
                    parent: coords,
                    at: String::new(),
                };
                return Ok((chain, Some(gap)));
            }
            let target = normalise(&dir_of(&at).join(relative));
            let target = if relative.ends_with(".xml") {
                target
            } else {
                target.join("pom.xml")
            };
            let gap = Gap::Parent {
                parent: coords,
                at: target.display().to_string(),
            };
            if chain.len() >= MAX_PARENTS || target == at || chain.contains(&target) {
                return Ok((chain, Some(gap)));
            }
            let Some(found) = self.get(&target)? else {
                return Ok((chain, Some(gap)));
            };
            let p = &self.poms[&found];
            // Maven takes a local parent only when it is the one referenced.
            let matches = p.artifact == parent.artifact
                && p.group() == parent.group.as_deref()
                && p.version() == parent.version.as_deref();
            if !matches {
                return Ok((chain, Some(gap)));
            }
            chain.push(found.clone());
            at = found;
        }
    }

    /// The project at `file` with its parents' properties, management, dependencies and
    /// licences inherited, and the BOMs imported from the tree.
    fn effective(&mut self, file: &Path) -> Result<Effective> {
        let (chain, gap) = self.ancestors(file)?;
        let own = Rc::clone(&self.poms[file]);
        let mut gaps: Vec<Gap> = gap.into_iter().collect();
        let mut properties = BTreeMap::new();
        let mut managed: Vec<Dep> = Vec::new();
        let mut deps: Vec<Dep> = Vec::new();
        let mut licences = Vec::new();
        // Farthest ancestor first, so nearer declarations win.
        for p in chain.iter().rev().map(|f| &self.poms[f]).chain([&own]) {
            properties.extend(p.properties.clone());
            overlay(&mut managed, &p.managed);
            overlay(&mut deps, &p.deps);
            if !p.licences.is_empty() {
                licences = p.licences.clone();
            }
        }
        let parent = own.parent.clone().unwrap_or_default();
        let mut eff = Effective {
            own,
            properties,
            managed,
            deps,
            licences,
            parent_version: parent.version,
            parent_group: parent.group,
            parent_artifact: parent.artifact,
            gaps: Vec::new(),
        };
        // BOMs: an imported BOM's managed versions join, below the project's own.
        let imports: Vec<Dep> = eff
            .managed
            .iter()
            .filter(|d| d.scope.as_deref() == Some("import"))
            .cloned()
            .collect();
        for bom in imports {
            let coords = [&bom.group, &bom.artifact, &bom.version]
                .map(|v| v.as_deref().and_then(|v| eff.value(v).ok()));
            let label = coords
                .iter()
                .map(|c| c.as_deref().unwrap_or("?"))
                .collect::<Vec<_>>()
                .join(":");
            let found = self
                .poms
                .iter()
                .filter(|(_, p)| {
                    p.artifact.as_deref() == coords[1].as_deref()
                        && p.group() == coords[0].as_deref()
                        && p.version() == coords[2].as_deref()
                })
                .map(|(f, _)| f.clone())
                .min();
            match found {
                Some(f) if f != file => {
                    let bom_eff = Box::new(self.effective(&f)?);
                    let extra: Vec<Dep> = bom_eff
                        .managed
                        .iter()
                        .map(|d| {
                            // Its values are the BOM's, interpolated in the BOM.
                            let v = |s: &Option<String>| {
                                s.as_deref()
                                    .map(|s| bom_eff.value(s).unwrap_or(s.to_owned()))
                            };
                            Dep {
                                group: v(&d.group),
                                artifact: v(&d.artifact),
                                version: v(&d.version),
                                scope: v(&d.scope),
                                ty: v(&d.ty),
                                classifier: v(&d.classifier),
                                ..d.clone()
                            }
                        })
                        .collect();
                    let have: BTreeSet<String> = eff.managed.iter().map(|d| eff.key(d)).collect();
                    for d in extra {
                        if !have.contains(&eff.key(&d)) {
                            eff.managed.push(d);
                        }
                    }
                }
                _ => gaps.push(Gap::Bom(label)),
            }
        }
        eff.gaps = gaps;
        Ok(eff)
    }
}

/// Adds the dependencies of a nearer POM over those of a farther one: a key the nearer
/// POM declares replaces the farther POM's declarations of it. Within one POM, every
/// declaration is kept (a key declared twice stays twice, never silently dropped).
fn overlay(base: &mut Vec<Dep>, newer: &[Dep]) {
    if base.is_empty() {
        base.extend_from_slice(newer);
        return;
    }
    let keys: BTreeSet<String> = newer.iter().map(|d| d.key(Cow::Borrowed)).collect();
    base.retain(|b| !keys.contains(&b.key(Cow::Borrowed)));
    base.extend(newer.iter().cloned());
}

/// Why a value could not be interpolated.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unresolved {
    /// A `${name}` the tree does not define.
    Missing(String),
    /// References nest too deep or build too long a value.
    TooLarge,
}

impl Effective {
    fn group(&self) -> Option<String> {
        self.own.group().and_then(|g| self.value(g).ok())
    }

    fn version(&self) -> Option<String> {
        self.own.version().and_then(|v| self.value(v).ok())
    }

    /// A built-in model value (`project.version`, …) or a property.
    fn lookup(&self, name: &str) -> Option<String> {
        let model = name
            .strip_prefix("project.")
            .or_else(|| name.strip_prefix("pom."))
            .or(match name {
                "version" | "groupId" | "artifactId" => Some(name),
                _ => None,
            });
        if let Some(field) = model {
            let own = &self.own;
            let raw = match field {
                "groupId" => own.group().map(str::to_owned),
                "artifactId" => own.artifact.clone(),
                "version" => own.version().map(str::to_owned),
                "packaging" => Some(own.packaging.clone().unwrap_or_else(|| "jar".into())),
                "name" => own.name.clone(),
                "description" => own.description.clone(),
                "url" => own.url.clone(),
                "parent.groupId" => self.parent_group.clone(),
                "parent.artifactId" => self.parent_artifact.clone(),
                "parent.version" => self.parent_version.clone(),
                _ => None,
            };
            if raw.is_some() {
                return raw;
            }
        }
        match name {
            "parent.version" => self.parent_version.clone(),
            "parent.groupId" => self.parent_group.clone(),
            _ => self.properties.get(name).cloned(),
        }
    }

    /// `text` with every `${…}` replaced.
    fn value(&self, text: &str) -> std::result::Result<String, Unresolved> {
        let mut out = String::new();
        self.expand(text, 0, &mut out)?;
        Ok(out)
    }

    fn expand(
        &self,
        text: &str,
        depth: usize,
        out: &mut String,
    ) -> std::result::Result<(), Unresolved> {
        if depth > MAX_INTERPOLATION_DEPTH {
            return Err(Unresolved::TooLarge);
        }
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = after[..end].trim();
            match self.lookup(name) {
                Some(v) => self.expand(&v, depth + 1, out)?,
                None => return Err(Unresolved::Missing(name.to_owned())),
            }
            if out.len() > MAX_VALUE_LEN {
                return Err(Unresolved::TooLarge);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        if out.len() > MAX_VALUE_LEN {
            return Err(Unresolved::TooLarge);
        }
        Ok(())
    }

    /// The management key of `d` with its values interpolated (as written where they
    /// cannot be).
    fn key(&self, d: &Dep) -> String {
        d.key(|s| {
            if s.contains("${") {
                Cow::Owned(self.value(s).unwrap_or_else(|_| s.to_owned()))
            } else {
                Cow::Borrowed(s)
            }
        })
    }
}

/// The project's package id: its purl when its coordinates are known, else one that
/// carries the file's path (two unnamed POMs never merge).
fn project_package(eff: &Effective, file: &Path, input: InputIdx) -> Package {
    let group = eff.group();
    let artifact = eff.own.artifact.as_deref().and_then(|a| eff.value(a).ok());
    let version = eff.version();
    let mut pkg = match (&group, &artifact) {
        (Some(g), Some(a)) => {
            let purl = flat::purl("maven", &format!("{g}/{a}"), version.as_deref());
            let mut p = flat::package(
                Ecosystem::Maven,
                format!("{g}:{a}"),
                version.as_deref(),
                Some(purl),
                SourceKind::Path(".".into()),
                input,
            );
            if version.is_none() {
                p.set_id(PackageId(format!(
                    "maven:{g}:{a}@local ({})",
                    file.display()
                )));
            }
            p
        }
        _ => flat::project(file, Ecosystem::Maven, None, version.as_deref(), input),
    };
    let v = |s: &Option<String>| s.as_deref().and_then(|s| eff.value(s).ok());
    pkg.description = v(&eff.own.description);
    pkg.homepage = v(&eff.own.url);
    pkg.repository = v(&eff.own.scm);
    pkg.supplier = v(&eff.own.organisation);
    let licences: Vec<String> = eff
        .licences
        .iter()
        .map(|l| eff.value(l).unwrap_or_else(|_| l.clone()))
        .collect();
    pkg.declared = match licences.len() {
        0 => Vec::new(),
        1 => licences,
        _ => vec![
            licences
                .iter()
                .map(|l| {
                    if l.contains(' ') {
                        format!("({l})")
                    } else {
                        l.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        ],
    };
    pkg
}

/// Adds one project, its direct dependencies and its gaps to `inv`; `bytes` are those of
/// its `file`, for line numbers.
fn add_project(inv: &mut Inventory, eff: &Effective, file: &Path, input: InputIdx, bytes: &[u8]) {
    let root = inv.add_package(project_package(eff, file, input));
    inv.add_root(root);
    for gap in eff.gaps.clone() {
        // A BOM matters only to the project's own dependencies' versions.
        if matches!(gap, Gap::Bom(_)) && eff.deps.is_empty() {
            continue;
        }
        gap.notice(inv, input);
    }
    let managed: HashMap<String, &Dep> = eff.managed.iter().map(|d| (eff.key(d), d)).collect();
    let mut unresolved: Vec<String> = Vec::new();
    let mut unversioned: Vec<String> = Vec::new();
    let mut incomplete = 0usize;
    let mut first_incomplete = 0usize;
    let mut inherited_incomplete = 0usize;
    // The project's own declarations come last (see `overlay`): their offsets are in
    // this file; those before them were declared in a parent.
    let own_from = eff.deps.len().saturating_sub(eff.own.deps.len());
    for (i, d) in eff.deps.iter().enumerate() {
        let managed = managed.get(&eff.key(d)).copied();
        let mut value = |raw: Option<&String>, what: &str| -> Option<String> {
            let raw = raw?;
            match eff.value(raw) {
                Ok(v) if !v.trim().is_empty() => Some(v.trim().to_owned()),
                Ok(_) => None,
                Err(Unresolved::Missing(name)) => {
                    unresolved.push(format!("`${{{name}}}` ({what})"));
                    None
                }
                Err(Unresolved::TooLarge) => {
                    unresolved.push(format!("`{raw}` ({what})"));
                    None
                }
            }
        };
        let group = value(d.group.as_ref(), "groupId");
        let artifact = value(d.artifact.as_ref(), "artifactId");
        let (Some(group), Some(artifact)) = (group, artifact) else {
            if d.group.is_none() || d.artifact.is_none() {
                if i < own_from {
                    inherited_incomplete += 1;
                } else {
                    incomplete += 1;
                    if first_incomplete == 0 {
                        // The bytes were read as UTF-8 text, offsets counted after any
                        // byte-order mark.
                        let text = String::from_utf8_lossy(bytes);
                        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                        first_incomplete = crate::error::line_col(text, d.at).0;
                    }
                }
            }
            continue;
        };
        let name = format!("{group}:{artifact}");
        let version_raw = d
            .version
            .as_ref()
            .or_else(|| managed.and_then(|m| m.version.as_ref()));
        let had_version = version_raw.is_some();
        let version = value(version_raw, &format!("version of {name}"));
        if !had_version {
            unversioned.push(name.clone());
        }
        let scope = d
            .scope
            .as_ref()
            .or_else(|| managed.and_then(|m| m.scope.as_ref()))
            .and_then(|s| eff.value(s).ok())
            .unwrap_or_else(|| "compile".into());
        let optional = d
            .optional
            .as_ref()
            .or_else(|| managed.and_then(|m| m.optional.as_ref()))
            .and_then(|s| eff.value(s).ok())
            .is_some_and(|s| s.trim() == "true");
        let kind = match scope.trim() {
            "test" => EdgeKind::Dev,
            _ if optional => EdgeKind::Optional,
            _ => EdgeKind::Runtime,
        };
        let source = match (scope.trim(), &d.system_path) {
            ("system", Some(p)) => SourceKind::Path(eff.value(p).unwrap_or_else(|_| p.clone())),
            _ => SourceKind::Unknown,
        };
        let purl = flat::purl("maven", &format!("{group}/{artifact}"), version.as_deref());
        let pkg = flat::package(
            Ecosystem::Maven,
            name,
            version.as_deref(),
            Some(purl),
            source,
            input,
        );
        let to = inv.add_package(pkg);
        if to != root {
            inv.add_edge(root, to, kind, None);
        }
    }
    if !unresolved.is_empty() {
        inv.notice(
            input,
            crate::text!(
                "notice.maven-unresolved",
                count = unresolved.len(),
                first = unresolved[0].clone()
            ),
        );
    }
    if !unversioned.is_empty() {
        inv.notice(
            input,
            crate::text!(
                "notice.maven-unversioned",
                count = unversioned.len(),
                first = unversioned[0].clone()
            ),
        );
    }
    if incomplete > 0 {
        inv.notice(
            input,
            crate::text!(
                "notice.maven-incomplete",
                count = incomplete,
                line = first_incomplete
            ),
        );
    }
    if inherited_incomplete > 0 {
        inv.notice(
            input,
            crate::text!(
                "notice.maven-incomplete-inherited",
                count = inherited_incomplete
            ),
        );
    }
    if eff.own.conditional_profiles > 0 {
        inv.notice(
            input,
            crate::text!(
                "notice.maven-profiles",
                count = eff.own.conditional_profiles
            ),
        );
    }
    if !eff.deps.is_empty() {
        inv.notice(input, crate::text!("notice.maven-direct-only"));
    }
}

/// The directory holding `file`.
fn dir_of(file: &Path) -> PathBuf {
    file.parent().map(Path::to_owned).unwrap_or_default()
}

/// `path` with `.` dropped and `..` applied where it can be (lexically; the loader
/// confines what is read).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            // A leading `./` is kept, so paths read the way the user gave them.
            Component::CurDir if out.as_os_str().is_empty() => out.push("."),
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Parses one POM's XML into what it declares.
fn parse_pom(path: &Path, bytes: &[u8]) -> Result<Pom> {
    let (text, doc) = bounded_document(path, bytes, NODES_LIMIT)?;
    let root = doc.root_element();
    let ns = root.tag_name().namespace();
    if root.tag_name().name() != "project" || !matches!(ns, None | Some(NAMESPACE)) {
        return Err(Error::Invalid(vec![Problem::at_offset(
            path,
            text,
            root.range().start,
            format!(
                "not a Maven POM: root element `{}`, expected `project` in `{NAMESPACE}` \
                 or in no namespace",
                root.tag_name().name()
            ),
        )]));
    }
    let x = Xml { ns };
    let mut pom = Pom {
        model_version: x.text(root, "modelVersion"),
        group: x.text(root, "groupId"),
        artifact: x.text(root, "artifactId"),
        version: x.text(root, "version"),
        packaging: x.text(root, "packaging"),
        name: x.text(root, "name"),
        description: x.text(root, "description"),
        url: x.text(root, "url"),
        scm: x.child(root, "scm").and_then(|s| x.text(s, "url")),
        organisation: x
            .child(root, "organization")
            .and_then(|o| x.text(o, "name")),
        ..Pom::default()
    };
    if let Some(p) = x.child(root, "parent") {
        pom.parent = Some(ParentRef {
            group: x.text(p, "groupId"),
            artifact: x.text(p, "artifactId"),
            version: x.text(p, "version"),
            relative: x
                .child(p, "relativePath")
                .map(|r| r.text().unwrap_or("").trim().to_owned()),
        });
    }
    if let Some(ls) = x.child(root, "licenses") {
        for l in x.children(ls, "license") {
            if let Some(name) = x.text(l, "name").or_else(|| x.text(l, "url")) {
                pom.licences.push(name);
            }
        }
    }
    x.read_section(root, &mut pom)?;
    if let Some(profiles) = x.child(root, "profiles") {
        for profile in x.children(profiles, "profile") {
            let by_default = x
                .child(profile, "activation")
                .and_then(|a| x.text(a, "activeByDefault"))
                .is_some_and(|v| v == "true");
            if by_default {
                x.read_section(profile, &mut pom)?;
            } else if x.child(profile, "dependencies").is_some()
                || x.child(profile, "dependencyManagement").is_some()
            {
                pom.conditional_profiles += 1;
            }
        }
    }
    for d in pom.deps.iter().chain(&pom.managed) {
        if let Some(scope) = &d.scope {
            let known = ["compile", "runtime", "provided", "test", "system", "import"];
            if !known.contains(&scope.as_str()) && !scope.contains("${") {
                return Err(Error::Invalid(vec![Problem::at_offset(
                    path,
                    text,
                    d.scope_at,
                    format!(
                        "unknown dependency scope `{scope}`; Maven knows compile, runtime, \
                         provided, test, system and import"
                    ),
                )]));
            }
        }
    }
    Ok(pom)
}

/// The trimmed text of element `n` (its text and CDATA, nested ones included), `None`
/// when empty; borrowed until trimmed where the element holds one text node (the rule).
fn content(n: Node<'_, '_>) -> Option<String> {
    let only = n.first_child().filter(|c| c.next_sibling().is_none());
    let t: Cow<'_, str> = match only {
        Some(c) if c.is_text() => Cow::Borrowed(c.text().unwrap_or("")),
        _ => Cow::Owned(
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect(),
        ),
    };
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Element access within the POM's namespace.
struct Xml<'t> {
    ns: Option<&'t str>,
}

impl<'t> Xml<'t> {
    fn is(&self, n: &Node<'_, '_>, name: &str) -> bool {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == self.ns
    }

    fn child<'a, 'i>(&self, n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
        n.children().find(|c| self.is(c, name))
    }

    fn children<'a, 'i, 's>(
        &'s self,
        n: Node<'a, 'i>,
        name: &'s str,
    ) -> impl Iterator<Item = Node<'a, 'i>> + 's
    where
        'a: 's,
        'i: 's,
    {
        n.children().filter(move |c| self.is(c, name))
    }

    /// The trimmed text of child `name`, `None` when absent or empty.
    fn text(&self, n: Node<'_, '_>, name: &str) -> Option<String> {
        content(self.child(n, name)?)
    }

    /// One `<dependency>`: each field from the first child of its name, in one pass
    /// over the children.
    fn dep(&self, n: Node<'_, '_>) -> Dep {
        let mut d = Dep {
            at: n.range().start,
            scope_at: n.range().start,
            ..Dep::default()
        };
        let mut seen = 0u8;
        for c in n.children() {
            if !c.is_element() || c.tag_name().namespace() != self.ns {
                continue;
            }
            let (bit, slot) = match c.tag_name().name() {
                "groupId" => (0, &mut d.group),
                "artifactId" => (1, &mut d.artifact),
                "version" => (2, &mut d.version),
                "scope" => (3, &mut d.scope),
                "optional" => (4, &mut d.optional),
                "type" => (5, &mut d.ty),
                "classifier" => (6, &mut d.classifier),
                "systemPath" => (7, &mut d.system_path),
                _ => continue,
            };
            if seen & (1 << bit) == 0 {
                seen |= 1 << bit;
                *slot = content(c);
                if bit == 3 {
                    d.scope_at = c.range().start;
                }
            }
        }
        d
    }

    /// Properties, managed dependencies, dependencies and modules of the project or of
    /// a profile.
    fn read_section(&self, n: Node<'_, '_>, pom: &mut Pom) -> Result<()> {
        if let Some(props) = self.child(n, "properties") {
            for p in props.children().filter(Node::is_element) {
                pom.properties.insert(
                    p.tag_name().name().to_owned(),
                    content(p).unwrap_or_default(),
                );
            }
        }
        if let Some(dm) = self.child(n, "dependencyManagement") {
            if let Some(ds) = self.child(dm, "dependencies") {
                pom.managed
                    .extend(self.children(ds, "dependency").map(|d| self.dep(d)));
            }
        }
        if let Some(ds) = self.child(n, "dependencies") {
            pom.deps
                .extend(self.children(ds, "dependency").map(|d| self.dep(d)));
        }
        if let Some(ms) = self.child(n, "modules") {
            pom.modules
                .extend(self.children(ms, "module").filter_map(content));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> impl FnMut(&Path) -> Result<Option<Vec<u8>>> + use<> {
        let map: BTreeMap<PathBuf, Vec<u8>> = list
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
            .collect();
        move |p: &Path| Ok(map.get(p).cloned())
    }

    fn names(inv: &Inventory) -> Vec<String> {
        let mut v: Vec<String> = inv
            .edges
            .iter()
            .map(|e| {
                let p = inv.package(e.to);
                format!(
                    "{}@{} {}",
                    p.name,
                    p.version.as_deref().unwrap_or("?"),
                    e.kind.as_str()
                )
            })
            .collect();
        v.sort();
        v
    }

    fn keys(inv: &Inventory) -> Vec<String> {
        inv.notices
            .iter()
            .map(|n| n.message.key().to_owned())
            .collect()
    }

    #[test]
    fn incomplete_dependencies_are_counted_at_their_lines() {
        // The first POM starts with a byte-order mark; the module is read by the loader.
        let parent = "\u{feff}<project><groupId>g</groupId><artifactId>p</artifactId>\n\
            <version>1</version><modules><module>m</module></modules>\n\
            <dependencies>\n\
            <dependency><artifactId>no-group</artifactId></dependency>\n\
            </dependencies></project>";
        let module = "<project><parent><groupId>g</groupId><artifactId>p</artifactId>\n\
            <version>1</version></parent><artifactId>m</artifactId>\n\
            <dependencies>\n\
            <dependency><groupId>a</groupId><artifactId>b</artifactId><version>1</version>\n\
            </dependency>\n\
            <dependency><groupId>x</groupId><version>2</version></dependency>\n\
            <dependency>\n\
              <groupId>d</groupId><groupId>ignored</groupId><groupId></groupId>\n\
              <artifactId>e</artifactId><version/><version>3</version>\n\
            </dependency>\n\
            </dependencies></project>";
        let mut load = files(&[("p/m/pom.xml", module)]);
        let (inv, _) = read(Path::new("p/pom.xml"), parent.as_bytes(), &mut load).unwrap();
        let incomplete: Vec<String> = inv
            .notices
            .iter()
            .filter(|n| n.message.key() == "notice.maven-incomplete")
            .map(|n| n.message.to_string())
            .collect();
        assert_eq!(incomplete.len(), 2, "{incomplete:?}");
        assert!(incomplete[0].contains("first at line 4"), "{incomplete:?}");
        assert!(incomplete[1].contains("first at line 6"), "{incomplete:?}");
        // The parent's incomplete dependency, inherited by the module, is said apart:
        // its line is in another file.
        let inherited: Vec<_> = inv
            .notices
            .iter()
            .filter(|n| n.message.key() == "notice.maven-incomplete-inherited")
            .map(|n| (n.input, n.message.to_string()))
            .collect();
        assert_eq!(inherited.len(), 1, "{inherited:?}");
        assert_eq!(
            inv.inputs[inherited[0].0.0 as usize].path,
            Path::new("p/m/pom.xml")
        );
        assert!(inherited[0].1.starts_with("1 "), "{inherited:?}");
        // Each field is its first element's, empty or not.
        let d = inv
            .packages
            .iter()
            .find(|p| p.name.starts_with("d:"))
            .unwrap();
        assert_eq!((d.name.as_str(), d.version.as_deref()), ("d:e", None));
    }

    #[test]
    fn parent_in_the_tree_gives_versions_properties_and_dependencies() {
        let parent = r#"<project xmlns="http://maven.apache.org/POM/4.0.0">
            <groupId>g</groupId><artifactId>parent</artifactId><version>2</version>
            <packaging>pom</packaging>
            <licenses><license><name>Apache-2.0</name></license></licenses>
            <properties><lib.version>1.5</lib.version></properties>
            <dependencyManagement><dependencies>
              <dependency><groupId>m</groupId><artifactId>managed</artifactId>
                <version>${lib.version}</version><scope>provided</scope></dependency>
            </dependencies></dependencyManagement>
            <dependencies><dependency><groupId>i</groupId><artifactId>inherited</artifactId>
              <version>3</version></dependency></dependencies>
            <modules><module>app</module></modules>
            </project>"#;
        let child = r#"<project xmlns="http://maven.apache.org/POM/4.0.0">
            <parent><groupId>g</groupId><artifactId>parent</artifactId><version>2</version></parent>
            <artifactId>app</artifactId>
            <dependencies>
              <dependency><groupId>m</groupId><artifactId>managed</artifactId></dependency>
              <dependency><groupId>g</groupId><artifactId>sib</artifactId>
                <version>${project.version}</version><optional>true</optional></dependency>
              <dependency><groupId>t</groupId><artifactId>junit</artifactId>
                <version>4</version><scope>test</scope></dependency>
              <dependency><groupId>u</groupId><artifactId>unknown</artifactId>
                <version>${nowhere}</version></dependency>
            </dependencies></project>"#;
        let mut load = files(&[("p/app/pom.xml", child)]);
        let (inv, read) = read(Path::new("p/pom.xml"), parent.as_bytes(), &mut load).unwrap();
        assert_eq!(
            read,
            [PathBuf::from("p/pom.xml"), PathBuf::from("p/app/pom.xml")]
        );
        assert_eq!(inv.roots.len(), 2);
        let app = inv.package(inv.roots[1]);
        assert_eq!(app.purl(), Some("pkg:maven/g/app@2"));
        assert_eq!(app.declared, ["Apache-2.0"]);
        assert_eq!(
            names(&inv),
            [
                "g:sib@2 optional",
                "i:inherited@3 runtime",
                "i:inherited@3 runtime",
                "m:managed@1.5 runtime",
                "t:junit@4 dev",
                "u:unknown@? runtime",
            ]
        );
        let k = keys(&inv);
        assert!(k.contains(&"notice.maven-unresolved".to_owned()), "{k:?}");
        assert!(
            !k.contains(&"notice.maven-parent-missing".to_owned()),
            "{k:?}"
        );
    }

    #[test]
    fn what_is_not_in_the_tree_is_a_gap() {
        let pom = r#"<project><parent><groupId>x</groupId><artifactId>up</artifactId>
            <version>1</version></parent><artifactId>a</artifactId>
            <dependencyManagement><dependencies><dependency><groupId>b</groupId>
            <artifactId>bom</artifactId><version>1</version><type>pom</type>
            <scope>import</scope></dependency></dependencies></dependencyManagement>
            <dependencies><dependency><groupId>n</groupId><artifactId>nov</artifactId>
            </dependency></dependencies>
            <modules><module>gone</module></modules></project>"#;
        let inv = parse(Path::new("d/pom.xml"), pom.as_bytes()).unwrap();
        let k = keys(&inv);
        for want in [
            "notice.maven-parent-missing",
            "notice.maven-bom-missing",
            "notice.maven-unversioned",
            "notice.maven-modules-missing",
            "notice.maven-direct-only",
        ] {
            assert!(k.contains(&want.to_owned()), "{want} in {k:?}");
        }
        // Coordinates inherited from the parent reference, without the parent itself.
        assert_eq!(inv.package(inv.roots[0]).purl(), Some("pkg:maven/x/a@1"));
        assert_eq!(names(&inv), ["n:nov@? runtime"]);
    }

    #[test]
    fn a_parent_with_other_coordinates_is_not_used() {
        let parent = "<project><groupId>o</groupId><artifactId>other</artifactId>\
            <version>1</version><properties><v>9</v></properties></project>";
        let child = "<project><parent><groupId>x</groupId><artifactId>up</artifactId>\
            <version>1</version></parent><artifactId>a</artifactId><dependencies>\
            <dependency><groupId>d</groupId><artifactId>d</artifactId><version>${v}</version>\
            </dependency></dependencies></project>";
        let mut load = files(&[("pom.xml", parent)]);
        let (inv, _) = read(Path::new("a/pom.xml"), child.as_bytes(), &mut load).unwrap();
        assert_eq!(names(&inv), ["d:d@? runtime"]);
        assert!(keys(&inv).contains(&"notice.maven-parent-missing".to_owned()));
    }

    #[test]
    fn interpolation_is_bounded() {
        let mut props = String::new();
        for i in 0..30 {
            props.push_str(&format!("<p{i}>${{p{n}}}${{p{n}}}</p{i}>", n = i + 1));
        }
        let pom = format!(
            "<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version>\
             <properties>{props}<p30>x</p30><loop>${{loop}}</loop></properties><dependencies>\
             <dependency><groupId>d</groupId><artifactId>d</artifactId><version>${{p0}}</version>\
             </dependency><dependency><groupId>e</groupId><artifactId>e</artifactId>\
             <version>${{loop}}</version></dependency></dependencies></project>"
        );
        let inv = parse(Path::new("pom.xml"), pom.as_bytes()).unwrap();
        assert_eq!(names(&inv), ["d:d@? runtime", "e:e@? runtime"]);
    }

    #[test]
    fn malformed_and_hostile_xml_has_positions() {
        let e = parse(Path::new("pom.xml"), b"<project>\n  <a>\n</project>").unwrap_err();
        assert!(e.to_string().starts_with("pom.xml:3:"), "{e}");
        let dtd = b"<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY a \"b\">]>\n<project/>";
        let e = parse(Path::new("pom.xml"), dtd).unwrap_err();
        assert!(e.to_string().starts_with("pom.xml:2:1: "), "{e}");
        let deep = format!("<project>{}", "<a>".repeat(300));
        let e = parse(Path::new("pom.xml"), deep.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("nest deeper"), "{e}");
        let e = parse(
            Path::new("pom.xml"),
            b"<project>\n<dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId>\n<scope>weird</scope></dependency></dependencies></project>",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown dependency scope"), "{e}");
    }

    #[test]
    fn parent_cycles_and_module_loops_end() {
        let a = "<project><parent><groupId>g</groupId><artifactId>b</artifactId>\
            <version>1</version><relativePath>../b</relativePath></parent>\
            <artifactId>a</artifactId><modules><module>../b</module></modules></project>";
        let b = "<project><parent><groupId>g</groupId><artifactId>a</artifactId>\
            <version>1</version><relativePath>../a</relativePath></parent>\
            <artifactId>b</artifactId><modules><module>../a</module></modules></project>";
        let mut load = files(&[("r/a/pom.xml", a), ("r/b/pom.xml", b)]);
        let (inv, read) = read(Path::new("r/a/pom.xml"), a.as_bytes(), &mut load).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(inv.roots.len(), 2);
    }
}
