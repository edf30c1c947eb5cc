//! The inventory: plain data that every ingest produces and every later stage reads.
//!
//! An [`Inventory`] holds packages, typed edges between them and the roots (the
//! products or workspace members under assessment). Packages are addressed by
//! [`PkgIdx`], an index into [`Inventory::packages`]; ids ([`PackageId`]) are stable
//! strings (the purl where one exists) used to merge several inputs into one model.
//!
//! Licence fields stay raw strings here: interpreting them (strict SPDX parse, lenient
//! rewrites, classes) is the job of `crate::license`, so that nothing an input says is
//! rewritten before it can be recorded as a finding.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::BuildHasher as _;
use std::path::PathBuf;

/// Index of a package inside one [`Inventory`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PkgIdx(pub u32);

impl PkgIdx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Index of an input file inside [`Inventory::inputs`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InputIdx(pub u32);

/// Stable identity of a package across inputs: a purl when known, otherwise
/// `ecosystem:name@version` (see [`PackageId::synthetic`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PackageId(pub String);

impl PackageId {
    /// Id for a package that has no purl.
    pub fn synthetic(ecosystem: &Ecosystem, name: &str, version: Option<&str>) -> Self {
        match version {
            Some(v) => PackageId(format!("{}:{name}@{v}", ecosystem.as_str())),
            None => PackageId(format!("{}:{name}", ecosystem.as_str())),
        }
    }
}

impl fmt::Display for PackageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The package ecosystem, following purl types where one exists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Cargo,
    Npm,
    Maven,
    Pypi,
    Golang,
    Nuget,
    Gem,
    Composer,
    Github,
    /// Anything else, with its purl type (or `generic`).
    Other(String),
}

impl Ecosystem {
    pub fn as_str(&self) -> &str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Maven => "maven",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Golang => "golang",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Gem => "gem",
            Ecosystem::Composer => "composer",
            Ecosystem::Github => "github",
            Ecosystem::Other(s) => s,
        }
    }

    /// The ecosystem for a purl type (`pkg:<type>/…`).
    pub fn from_purl_type(ty: &str) -> Self {
        match ty.to_ascii_lowercase().as_str() {
            "cargo" => Ecosystem::Cargo,
            "npm" => Ecosystem::Npm,
            "maven" => Ecosystem::Maven,
            "pypi" => Ecosystem::Pypi,
            "golang" => Ecosystem::Golang,
            "nuget" => Ecosystem::Nuget,
            "gem" => Ecosystem::Gem,
            "composer" => Ecosystem::Composer,
            "github" => Ecosystem::Github,
            other => Ecosystem::Other(other.to_owned()),
        }
    }
}

/// Where a package's code comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// The ecosystem's default public registry (crates.io, registry.npmjs.org, …).
    DefaultRegistry,
    /// Another registry, with its URL.
    Registry(String),
    /// A git repository, with its URL.
    Git(String),
    /// A local path (workspace members, `file:` and `link:` dependencies).
    Path(String),
    /// The input does not say.
    #[default]
    Unknown,
}

/// The kind of a dependency edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// Needed at run time.
    Runtime,
    /// Needed at run time when enabled (npm `optionalDependencies`, peer dependencies
    /// marked optional).
    Optional,
    /// Needed only to develop or test the dependent.
    Dev,
    /// Needed only to build the dependent (Cargo build-dependencies).
    Build,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Runtime => "runtime",
            EdgeKind::Optional => "optional",
            EdgeKind::Dev => "dev",
            EdgeKind::Build => "build",
        }
    }
}

/// One dependency edge.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edge {
    pub from: PkgIdx,
    pub to: PkgIdx,
    pub kind: EdgeKind,
    /// Target-specific dependency (`cfg(windows)`), as the input spells it.
    pub target: Option<String>,
}

/// One package (crate, npm package, SBOM component, …).
#[derive(Debug, Clone, Default)]
pub struct Package {
    /// Change it with [`Package::set_id`] only: the purl may be held as the id.
    pub id: PackageId,
    pub name: String,
    pub version: Option<String>,
    pub ecosystem: Ecosystem,
    /// The package URL: read with [`Package::purl`], written with [`Package::set_purl`]
    /// (most packages are identified by their purl, which is then held once, as the id).
    pub purl: Purl,
    /// Declared licence statements, raw, in input order (`license` in Cargo and npm,
    /// `licenseDeclared` in SPDX, every `licenses` entry in CycloneDX). Several entries
    /// apply together.
    pub declared: Vec<String>,
    /// Concluded licence statements, raw (`licenseConcluded` in SPDX).
    pub concluded: Vec<String>,
    /// A licence file named instead of an expression (`license-file` in Cargo).
    pub license_file: Option<String>,
    /// The text of `license_file` as read beside the manifest (bounded), for
    /// identification against the SPDX licence texts.
    pub license_text: Option<String>,
    /// Supplier as the input says (CycloneDX supplier / publisher, SPDX PackageSupplier).
    pub supplier: Option<String>,
    /// Authors as the input says (names, possibly with `<e-mail>`).
    pub authors: Vec<String>,
    pub repository: Option<String>,
    pub homepage: Option<String>,
    pub description: Option<String>,
    pub source: SourceKind,
    /// Content hash as the input states it (npm's subresource-integrity string
    /// `sha512-…`).
    pub integrity: Option<String>,
    /// Algorithms of the hashes an SBOM states for the component (`SHA-512`, …), as
    /// written; the values are validated by the reader, not kept.
    pub hash_algorithms: Vec<String>,
    /// A CPE name an SBOM gives for the component.
    pub cpe: Option<String>,
    /// Where the deployable form is distributed (CycloneDX `distribution` reference,
    /// SPDX download location).
    pub distribution: Option<String>,
    /// The input file this package was first read from.
    pub input: InputIdx,
    /// The candidate component this package belongs to, when ingested from a candidate
    /// manifest (index into the candidate's components).
    pub component: Option<u32>,
}

/// Where a package's purl is held (see [`Package::purl`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purl(PurlAt);

impl From<Option<String>> for Purl {
    /// A purl held on its own, whatever the package's id.
    fn from(purl: Option<String>) -> Self {
        Purl(purl.map_or(PurlAt::Unknown, PurlAt::Own))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum PurlAt {
    #[default]
    Unknown,
    /// The purl is the package's id.
    IsId,
    Own(String),
}

/// A package field that a facts file can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactField {
    License,
    Supplier,
    Repository,
}

impl FactField {
    pub fn as_str(self) -> &'static str {
        match self {
            FactField::License => "license",
            FactField::Supplier => "supplier",
            FactField::Repository => "repository",
        }
    }
}

impl Default for Ecosystem {
    fn default() -> Self {
        Ecosystem::Other("generic".to_owned())
    }
}

impl Package {
    /// A package of these id, name, ecosystem and source, with nothing else known.
    /// Readers build one per locked package: unlike `..Package::default()`, this builds
    /// no default ecosystem only to drop it.
    pub fn new(id: PackageId, name: String, ecosystem: Ecosystem, source: SourceKind) -> Self {
        Package::entry(
            id,
            false,
            name,
            None,
            ecosystem,
            source,
            InputIdx::default(),
        )
    }

    /// A package of these fields, with nothing else known: identified by its purl (held
    /// once, as the id) when `purl_is_id`, else by `id` alone. The one literal every
    /// constructor goes through, so that a package is built where it is returned to.
    #[inline]
    pub fn entry(
        id: PackageId,
        purl_is_id: bool,
        name: String,
        version: Option<String>,
        ecosystem: Ecosystem,
        source: SourceKind,
        input: InputIdx,
    ) -> Self {
        Package {
            id,
            name,
            version,
            ecosystem,
            purl: Purl(if purl_is_id {
                PurlAt::IsId
            } else {
                PurlAt::Unknown
            }),
            declared: Vec::new(),
            concluded: Vec::new(),
            license_file: None,
            license_text: None,
            supplier: None,
            authors: Vec::new(),
            repository: None,
            homepage: None,
            description: None,
            source,
            integrity: None,
            hash_algorithms: Vec::new(),
            cpe: None,
            distribution: None,
            input,
            component: None,
        }
    }

    /// A package identified by its `purl`, which is held once, as the id.
    pub fn with_purl(purl: String, name: String, ecosystem: Ecosystem, source: SourceKind) -> Self {
        Package::entry(
            PackageId(purl),
            true,
            name,
            None,
            ecosystem,
            source,
            InputIdx::default(),
        )
    }

    /// The package URL, when one is known.
    pub fn purl(&self) -> Option<&str> {
        match &self.purl.0 {
            PurlAt::Unknown => None,
            PurlAt::IsId => Some(&self.id.0),
            PurlAt::Own(p) => Some(p),
        }
    }

    pub fn set_purl(&mut self, purl: Option<String>) {
        self.purl = Purl(match purl {
            None => PurlAt::Unknown,
            Some(p) if p == self.id.0 => PurlAt::IsId,
            Some(p) => PurlAt::Own(p),
        });
    }

    /// Gives the package another id; its purl stays what it was. Change an id only this
    /// way, and only before the package is added to an inventory (which indexes it).
    pub fn set_id(&mut self, id: PackageId) {
        let old = std::mem::replace(&mut self.id, id);
        if self.purl.0 == PurlAt::IsId {
            self.purl = Purl(PurlAt::Own(old.0));
        }
    }

    /// `name@version`, or the name alone.
    /// `name@version` as a label for people, control characters (newline included)
    /// written as `\u{..}` so a name cannot drive a terminal or forge a line.
    pub fn display_name(&self) -> String {
        // Pushed, not formatted: a large offer asks for a label per package per check.
        let version = self.version.as_deref();
        let mut label = String::with_capacity(self.name.len() + version.map_or(0, |v| v.len() + 1));
        label.push_str(&self.name);
        if let Some(v) = version {
            label.push('@');
            label.push_str(v);
        }
        if label.contains(char::is_control) {
            crate::text::escape_controls(&label)
        } else {
            label
        }
    }
}

/// The format of one input file, detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputFormat {
    CargoMetadata,
    CargoManifest,
    CycloneDxJson,
    CycloneDxXml,
    Spdx3JsonLd,
    SpdxJson,
    SpdxYaml,
    SpdxTagValue,
    NpmLock,
    ComposerLock,
    PoetryLock,
    UvLock,
    PipfileLock,
    CargoLock,
    GoMod,
    GemfileLock,
    YarnLock,
    PnpmLock,
    NugetLock,
    GradleLock,
    MavenPom,
    Requirements,
    /// A project manifest or checksum file read beside a lockfile, not on its own.
    ComposerJson,
    PyprojectToml,
    PackageJson,
    GoSum,
    PublicCode,
    Candidate,
    Facts,
}

impl InputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::CargoMetadata => "cargo-metadata",
            InputFormat::CargoManifest => "cargo-manifest",
            InputFormat::CycloneDxJson => "cyclonedx-json",
            InputFormat::CycloneDxXml => "cyclonedx-xml",
            InputFormat::Spdx3JsonLd => "spdx3-jsonld",
            InputFormat::SpdxJson => "spdx-json",
            InputFormat::SpdxYaml => "spdx-yaml",
            InputFormat::SpdxTagValue => "spdx-tag-value",
            InputFormat::NpmLock => "npm-lock",
            InputFormat::ComposerLock => "composer-lock",
            InputFormat::PoetryLock => "poetry-lock",
            InputFormat::UvLock => "uv-lock",
            InputFormat::PipfileLock => "pipfile-lock",
            InputFormat::CargoLock => "cargo-lock",
            InputFormat::GoMod => "go-mod",
            InputFormat::GemfileLock => "gemfile-lock",
            InputFormat::YarnLock => "yarn-lock",
            InputFormat::PnpmLock => "pnpm-lock",
            InputFormat::NugetLock => "nuget-lock",
            InputFormat::GradleLock => "gradle-lockfile",
            InputFormat::MavenPom => "maven-pom",
            InputFormat::Requirements => "pip-requirements",
            InputFormat::ComposerJson => "composer-json",
            InputFormat::PyprojectToml => "pyproject-toml",
            InputFormat::PackageJson => "package-json",
            InputFormat::GoSum => "go-sum",
            InputFormat::PublicCode => "publiccode-yml",
            InputFormat::Candidate => "candidate",
            InputFormat::Facts => "facts",
        }
    }
}

/// One input file read into the inventory, for the evidence section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// The path as the user gave it (or relative to the candidate directory).
    pub path: PathBuf,
    pub format: InputFormat,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub bytes: u64,
    /// Document-level facts: spec version, creation time, tool, authors.
    pub meta: DocumentMeta,
}

/// Document-level facts an SBOM carries (used by the SBOM completeness rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentMeta {
    pub spec_version: Option<String>,
    pub timestamp: Option<String>,
    pub authors: Vec<String>,
    pub tools: Vec<String>,
    /// Whether the document states dependency relationships at all.
    pub has_dependencies: bool,
    /// Whether the document carries vulnerability data (CycloneDX `vulnerabilities`,
    /// SPDX 3 security elements), which BSI TR-03183-2 v2.1 keeps out of an SBOM.
    pub vulnerabilities: bool,
}

/// Something odd but valid that ingest noticed (a dangling reference, a duplicate id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Notice {
    pub input: InputIdx,
    /// Worded by the locale (`msg.notice.*`); `Display` is English.
    pub message: crate::text::Text,
}

/// The text of a non-SPDX licence an input defines itself (SPDX `LicenseRef-*` with
/// `hasExtractedLicensingInfos` / `ExtractedText`), so reports can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractedLicense {
    /// The licence's name, when the input gives one.
    pub name: Option<String>,
    pub text: String,
    /// The input that defined it.
    pub input: InputIdx,
}

/// A file that looks like evidence of the offer but was not read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub path: std::path::PathBuf,
    /// Why, in English (a located error, or the format that is not read).
    pub reason: String,
}

/// Packages, edges and roots read from one or more inputs.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub packages: Vec<Package>,
    pub edges: Vec<Edge>,
    /// Packages under assessment (workspace members, SBOM subjects, lockfile roots).
    pub roots: Vec<PkgIdx>,
    pub inputs: Vec<InputFile>,
    pub notices: Vec<Notice>,
    /// Licences defined by the inputs themselves, by `LicenseRef-*` id.
    pub license_refs: BTreeMap<String, ExtractedLicense>,
    /// Package fields filled from a facts file (`sovra enrich`), not stated by the
    /// inputs, in the order they were filled.
    pub from_facts: Vec<(PkgIdx, FactField)>,
    /// Files of a directory input that look like evidence but were not read, with the
    /// reason, in path order.
    pub skipped: Vec<Skipped>,
    /// The packages by id: indices into `packages`, hashed by the package's id (which
    /// does not change once the package is added), so no id is held twice.
    by_id: hashbrown::HashTable<PkgIdx>,
    /// Seeded per process, so that a bidder cannot choose ids that collide.
    id_hasher: hashbrown::DefaultHashBuilder,
    /// `roots` as a set once there are more than [`Inventory::ROOTS_SCANNED`], so adding
    /// one is constant time (an SBOM may describe 100,000); empty before, when `roots` is
    /// scanned instead (a lockfile has one root, and would build a table for it).
    root_set: hashbrown::HashSet<PkgIdx>,
}

impl Inventory {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn package(&self, idx: PkgIdx) -> &Package {
        &self.packages[idx.index()]
    }

    pub fn find(&self, id: &PackageId) -> Option<PkgIdx> {
        self.find_hashed(self.id_hasher.hash_one(id), id)
    }

    fn find_hashed(&self, hash: u64, id: &PackageId) -> Option<PkgIdx> {
        self.by_id
            .find(hash, |&i| self.packages[i.index()].id == *id)
            .copied()
    }

    /// The most packages [`Inventory::reserve`] makes room for up front.
    pub const RESERVE_AT_MOST: usize = 1 << 16;

    /// Room for `additional` more packages and as many edges, so that a reader that
    /// knows how many it will add grows the lists and the id index once. A hint, often
    /// counted from the input's lines: at most [`Inventory::RESERVE_AT_MOST`] are
    /// reserved (a package takes about half a KB, and a bidder's file of 256 MiB of
    /// empty lines must not ask for a hundred GB); beyond that the tables grow as
    /// packages come.
    pub fn reserve(&mut self, additional: usize) {
        let additional = additional.min(Self::RESERVE_AT_MOST);
        self.packages.reserve(additional);
        // Most packages are needed by at least one other (or by the project).
        self.edges.reserve(additional);
        let (packages, hasher) = (&self.packages, &self.id_hasher);
        self.by_id
            .reserve(additional, |&i| hasher.hash_one(&packages[i.index()].id));
    }

    /// Adds a package, or returns the existing one with the same id. When the package
    /// exists, facts the existing entry lacks are filled from `pkg` (merging inputs).
    ///
    /// Inlined, so that a reader's new package is moved once, into the list; the rarer
    /// merge is a call of its own.
    #[inline(always)]
    pub fn add_package(&mut self, pkg: Package) -> PkgIdx {
        let hash = self.id_hasher.hash_one(&pkg.id);
        if let Some(idx) = self.find_hashed(hash, &pkg.id) {
            self.fill_package(idx, pkg);
            return idx;
        }
        let idx = PkgIdx(u32::try_from(self.packages.len()).unwrap_or(u32::MAX));
        self.packages.push(pkg);
        let (packages, hasher) = (&self.packages, &self.id_hasher);
        self.by_id
            .insert_unique(hash, idx, |&i| hasher.hash_one(&packages[i.index()].id));
        idx
    }

    /// Fills the facts package `idx` lacks from `pkg`, read again with the same id.
    #[inline(never)]
    fn fill_package(&mut self, idx: PkgIdx, pkg: Package) {
        let existing = &mut self.packages[idx.index()];
        if existing.purl.0 == PurlAt::Unknown {
            // The ids are equal: a purl held as the id carries over as it is.
            existing.purl = pkg.purl;
        }
        fill(&mut existing.version, pkg.version);
        fill(&mut existing.license_file, pkg.license_file);
        fill(&mut existing.license_text, pkg.license_text);
        fill(&mut existing.supplier, pkg.supplier);
        fill(&mut existing.repository, pkg.repository);
        fill(&mut existing.homepage, pkg.homepage);
        fill(&mut existing.description, pkg.description);
        fill(&mut existing.integrity, pkg.integrity);
        fill(&mut existing.cpe, pkg.cpe);
        fill(&mut existing.distribution, pkg.distribution);
        if existing.hash_algorithms.is_empty() {
            existing.hash_algorithms = pkg.hash_algorithms;
        }
        if existing.declared.is_empty() {
            existing.declared = pkg.declared;
        }
        if existing.concluded.is_empty() {
            existing.concluded = pkg.concluded;
        }
        if existing.authors.is_empty() {
            existing.authors = pkg.authors;
        }
        if existing.source == SourceKind::Unknown {
            existing.source = pkg.source;
        }
        if existing.component.is_none() {
            existing.component = pkg.component;
        }
    }

    pub fn add_edge(&mut self, from: PkgIdx, to: PkgIdx, kind: EdgeKind, target: Option<String>) {
        self.edges.push(Edge {
            from,
            to,
            kind,
            target,
        });
    }

    /// How many roots are looked up by scanning `roots` rather than in a set.
    const ROOTS_SCANNED: usize = 16;

    pub fn add_root(&mut self, idx: PkgIdx) {
        if self.roots.len() < Self::ROOTS_SCANNED {
            if !self.roots.contains(&idx) {
                self.roots.push(idx);
            }
            return;
        }
        if self.root_set.is_empty() {
            self.root_set.extend(self.roots.iter().copied());
        }
        if self.root_set.insert(idx) {
            self.roots.push(idx);
        }
    }

    /// Whether `idx` was added as a root.
    pub fn is_root(&self, idx: PkgIdx) -> bool {
        if self.roots.len() <= Self::ROOTS_SCANNED {
            self.roots.contains(&idx)
        } else {
            self.root_set.contains(&idx)
        }
    }

    pub fn add_input(&mut self, input: InputFile) -> InputIdx {
        let idx = InputIdx(u32::try_from(self.inputs.len()).unwrap_or(u32::MAX));
        self.inputs.push(input);
        idx
    }

    pub fn notice(&mut self, input: InputIdx, message: crate::text::Text) {
        self.notices.push(Notice { input, message });
    }

    /// Merges `other` into `self`: packages with equal ids become one, edges and roots are
    /// re-indexed, duplicate edges dropped.
    pub fn merge(&mut self, other: Inventory) {
        let input_offset = u32::try_from(self.inputs.len()).unwrap_or(u32::MAX);
        self.inputs.extend(other.inputs);
        let mut map = Vec::with_capacity(other.packages.len());
        for mut pkg in other.packages {
            pkg.input = InputIdx(pkg.input.0 + input_offset);
            map.push(self.add_package(pkg));
        }
        for e in other.edges {
            self.edges.push(Edge {
                from: map[e.from.index()],
                to: map[e.to.index()],
                kind: e.kind,
                target: e.target,
            });
        }
        for r in other.roots {
            self.add_root(map[r.index()]);
        }
        for n in other.notices {
            self.notices.push(Notice {
                input: InputIdx(n.input.0 + input_offset),
                message: n.message,
            });
        }
        self.skipped.extend(other.skipped);
        for (id, mut lic) in other.license_refs {
            lic.input = InputIdx(lic.input.0 + input_offset);
            match self.license_refs.get(&id) {
                // `LicenseRef-*` ids are scoped to their document: two inputs may use
                // one id for different texts. The first definition is kept, and the
                // clash said.
                Some(existing) if existing.text != lic.text => {
                    let input = lic.input;
                    self.notice(input, crate::text!("notice.licence-ref-clash", id = &id));
                }
                Some(_) => {}
                None => {
                    self.license_refs.insert(id, lic);
                }
            }
        }
    }

    /// Sorts and de-duplicates edges; call once at the end of an ingest (not per
    /// merge: a directory of 50,000 SBOMs merges 50,000 times).
    pub fn finish(&mut self) {
        self.edges.sort();
        self.edges.dedup();
    }
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(name: &str, version: &str) -> Package {
        Package {
            id: PackageId::synthetic(&Ecosystem::Npm, name, Some(version)),
            name: name.into(),
            version: Some(version.into()),
            ecosystem: Ecosystem::Npm,
            ..Package::default()
        }
    }

    #[test]
    fn a_purl_held_as_the_id_survives_a_new_id() {
        let purl = "pkg:npm/a@1";
        let mut p =
            Package::with_purl(purl.into(), "a".into(), Ecosystem::Npm, SourceKind::Unknown);
        assert_eq!((p.id.0.as_str(), p.purl()), (purl, Some(purl)));
        p.set_id(PackageId("npm:a@workspace".into()));
        assert_eq!((p.id.0.as_str(), p.purl()), ("npm:a@workspace", Some(purl)));
        // A purl set equal to the id is held once, one set apart stays apart.
        let mut q = pkg("b", "2");
        q.set_purl(Some(q.id.0.clone()));
        assert_eq!(q.purl, Purl(PurlAt::IsId));
        q.set_purl(Some("pkg:npm/b@2".into()));
        q.set_id(PackageId("other".into()));
        assert_eq!(q.purl(), Some("pkg:npm/b@2"));
        q.set_purl(None);
        assert_eq!(q.purl(), None);
        // A package read again fills the purl the first reading lacked.
        let mut inv = Inventory::new();
        let mut bare = Package::new(
            PackageId(purl.into()),
            "a".into(),
            Ecosystem::Npm,
            SourceKind::Unknown,
        );
        bare.version = Some("1".into());
        let first = inv.add_package(bare);
        let again =
            Package::with_purl(purl.into(), "a".into(), Ecosystem::Npm, SourceKind::Unknown);
        assert_eq!(inv.add_package(again), first);
        assert_eq!(inv.package(first).purl(), Some(purl));
        assert_eq!(inv.package(first).purl, Purl(PurlAt::IsId));
    }

    #[test]
    fn reserving_is_bounded_whatever_the_hint() {
        let mut inv = Inventory::new();
        inv.reserve(usize::MAX / 2);
        assert!(inv.packages.capacity() <= 2 * Inventory::RESERVE_AT_MOST);
        // The index still finds what is added after a reservation.
        let a = inv.add_package(pkg("a", "1.0.0"));
        assert_eq!(inv.find(&inv.packages[a.index()].id.clone()), Some(a));
    }

    #[test]
    fn merge_unifies_equal_ids_and_fills_gaps() {
        let mut a = Inventory::new();
        let x = a.add_package(pkg("x", "1.0.0"));
        let y = a.add_package(pkg("y", "2.0.0"));
        a.add_edge(x, y, EdgeKind::Runtime, None);
        a.add_root(x);

        let mut b = Inventory::new();
        let mut y2 = pkg("y", "2.0.0");
        y2.declared = vec!["MIT".into()];
        let y2 = b.add_package(y2);
        let z = b.add_package(pkg("z", "3.0.0"));
        b.add_edge(y2, z, EdgeKind::Dev, None);

        a.merge(b);
        assert_eq!(a.packages.len(), 3);
        assert_eq!(a.package(y).declared, vec!["MIT".to_owned()]);
        assert_eq!(a.edges.len(), 2);
        assert_eq!(a.edges[1].from, y);
    }

    #[test]
    fn roots_are_kept_once_scanned_or_in_the_set() {
        // Below, at and past the number of roots that are scanned, each added twice: the
        // list holds each once, in order, and `is_root` answers for every index.
        for n in [
            1,
            Inventory::ROOTS_SCANNED,
            Inventory::ROOTS_SCANNED + 1,
            100,
        ] {
            let mut inv = Inventory::new();
            for _ in 0..2 {
                for i in 0..n {
                    inv.add_root(PkgIdx(u32::try_from(2 * i).unwrap()));
                }
            }
            let want: Vec<PkgIdx> = (0..n)
                .map(|i| PkgIdx(u32::try_from(2 * i).unwrap()))
                .collect();
            assert_eq!(inv.roots, want, "{n}");
            for i in 0..2 * n + 2 {
                let idx = PkgIdx(u32::try_from(i).unwrap());
                assert_eq!(inv.is_root(idx), i % 2 == 0 && i < 2 * n, "{n} {i}");
            }
        }
    }
}
