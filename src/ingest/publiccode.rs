//! publiccode.yml (versions 0.2 to 0.7, the `0` major version): strict validation like
//! the official Go parser, and the facts sovra needs.
//!
//! The YAML is read into a small tree that keeps every node's position (saphyr's event
//! parser), then checked against the schema below: unknown keys and wrong types are
//! errors, deprecated keys are warnings, required fields, enumerations, dates, URLs,
//! e-mail addresses, language and country codes and the SPDX syntax of `legal.license`
//! are checked. Checks that need the network (reachability of URLs, oEmbed, the Italian
//! iPA vocabulary) are not made. Relative paths (`logo`, screenshots, `authorsFile`) are
//! checked against the file's directory when one is given.

use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::error::{Error, Problem, Result};
use crate::model::{DocumentMeta, Ecosystem, InputFormat, Inventory, Package, PackageId};

/// Versions the v0 parser accepts; all are read as 0.7.
const VERSIONS: &[&str] = &[
    "0", "0.2", "0.2.0", "0.2.1", "0.2.2", "0.3", "0.3.0", "0.4", "0.4.0", "0.5.0", "0.5", "0.7.0",
    "0.7",
];

/// A `dependsOn` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dependency {
    pub name: String,
    pub optional: bool,
}

/// A maintenance contractor with the end of its contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Contractor {
    pub name: String,
    /// `YYYY-MM-DD`.
    pub until: String,
}

/// The facts of one publiccode.yml, and what validation found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PublicCode {
    pub path: PathBuf,
    pub version: Option<String>,
    pub name: String,
    pub url: Option<String>,
    pub license: Option<String>,
    pub main_copyright_owner: Option<String>,
    /// `internal`, `contract`, `community` or `none`.
    pub maintenance_type: Option<String>,
    pub contractors: Vec<Contractor>,
    pub depends_open: Vec<Dependency>,
    pub depends_proprietary: Vec<Dependency>,
    pub depends_hardware: Vec<Dependency>,
    /// `concept`, `development`, `beta`, `stable` or `obsolete`.
    pub development_status: Option<String>,
    /// `categories`: the functions the software serves (`office-suites`, …).
    pub categories: Vec<String>,
    /// The `shortDescription` in English, else German, else the first language given.
    pub short_description: Option<String>,
    pub warnings: Vec<Problem>,
    /// Validation errors; empty for a valid file.
    pub errors: Vec<Problem>,
}

impl PublicCode {
    /// A component's publiccode.yml that failed validation.
    pub(crate) fn invalid(path: &Path, errors: Vec<Problem>) -> PublicCode {
        PublicCode {
            path: path.to_owned(),
            errors,
            ..PublicCode::default()
        }
    }

    pub(crate) fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Whether the bytes look like a publiccode.yml (a top-level `publiccodeYmlVersion` key).
pub(crate) fn looks_like(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    text.lines().any(|l| l.starts_with("publiccodeYmlVersion"))
}

/// Validates a publiccode.yml and maps it to an inventory of one package; an invalid
/// file is an error listing every problem.
pub(crate) fn read(path: &Path, bytes: &[u8]) -> Result<(PublicCode, Inventory)> {
    read_in(path, path.parent(), bytes)
}

/// Like [`read`], with `path` used in messages only and relative paths of the file
/// resolved in `base`.
pub(crate) fn read_in(
    path: &Path,
    base: Option<&Path>,
    bytes: &[u8],
) -> Result<(PublicCode, Inventory)> {
    let pc = validate(path, bytes, base);
    if !pc.is_valid() {
        return Err(Error::Invalid(pc.errors));
    }
    let mut inv = Inventory::new();
    let input = inv.add_input(super::input_file(
        path,
        InputFormat::PublicCode,
        DocumentMeta {
            spec_version: pc.version.clone(),
            ..DocumentMeta::default()
        },
    ));
    let eco = Ecosystem::Other("generic".into());
    let idx = inv.add_package(Package {
        id: PackageId::synthetic(&eco, &pc.name, None),
        name: pc.name.clone(),
        ecosystem: eco,
        declared: pc.license.iter().cloned().collect(),
        supplier: pc.main_copyright_owner.clone(),
        repository: pc.url.clone(),
        input,
        ..Package::default()
    });
    inv.add_root(idx);
    for w in &pc.warnings {
        inv.notice(input, crate::text::Text::as_is(w.to_string()));
    }
    super::seal(&mut inv, path, bytes);
    Ok((pc, inv))
}

// ---------------------------------------------------------------------------------
// YAML tree with positions

#[derive(Debug, Clone)]
enum Value {
    Scalar { text: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone)]
struct Node {
    value: Value,
    line: usize,
    col: usize,
}

impl Node {
    fn str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k.str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Deepest nesting of sequences and mappings read: a publiccode.yml needs five levels;
/// the bound keeps the tree (and the recursive validation over it) off the stack limit.
pub(crate) const MAX_YAML_DEPTH: usize = 64;

/// Most nodes a document may expand to, aliases counted at their full size: bounds the
/// memory and time of "billion laughs" alias chains. Real files have a few hundred.
pub(crate) const MAX_YAML_NODES: usize = 100_000;

fn parse_yaml(path: &Path, text: &str) -> std::result::Result<Option<Node>, Problem> {
    let mut stack: Vec<(Node, Option<Node>)> = Vec::new();
    let mut root = None;
    // Each anchored node with its size in nodes.
    let mut anchors: std::collections::HashMap<usize, (Node, usize)> =
        std::collections::HashMap::new();
    // Per open collection: its anchor and the node count when it opened.
    let mut anchor_of: Vec<(usize, usize)> = Vec::new();
    let mut nodes = 0usize;
    let too_many = |line, col| {
        Problem::new(
            path,
            line,
            col,
            format!(
                "the document expands to more than {MAX_YAML_NODES} nodes (aliases \
                 counted in full); refusing to read it"
            ),
        )
    };
    let mut docs = 0;
    for ev in Parser::new_from_str(text) {
        let (ev, span) = ev.map_err(|e| {
            Problem::new(
                path,
                e.marker().line(),
                e.marker().col() + 1,
                e.info().to_owned(),
            )
        })?;
        let (line, col) = (span.start.line(), span.start.col() + 1);
        let node = match ev {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(Problem::new(path, line, col, "more than one YAML document"));
                }
                continue;
            }
            Event::Scalar(v, style, anchor, _) => {
                let n = Node {
                    value: Value::Scalar {
                        text: v.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    line,
                    col,
                };
                nodes += 1;
                if anchor > 0 {
                    anchors.insert(anchor, (n.clone(), 1));
                }
                n
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some((n, size)) => {
                    nodes += size;
                    if nodes > MAX_YAML_NODES {
                        return Err(too_many(line, col));
                    }
                    n.clone()
                }
                None => return Err(Problem::new(path, line, col, "unknown alias")),
            },
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_YAML_DEPTH => {
                return Err(Problem::new(
                    path,
                    line,
                    col,
                    format!("nested more than {MAX_YAML_DEPTH} levels deep"),
                ));
            }
            Event::SequenceStart(anchor, _) => {
                anchor_of.push((anchor, nodes));
                stack.push((
                    Node {
                        value: Value::Seq(Vec::new()),
                        line,
                        col,
                    },
                    None,
                ));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                anchor_of.push((anchor, nodes));
                stack.push((
                    Node {
                        value: Value::Map(Vec::new()),
                        line,
                        col,
                    },
                    None,
                ));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((n, _)) = stack.pop() else { continue };
                let (anchor, start) = anchor_of.pop().unwrap_or((0, nodes));
                nodes += 1;
                if anchor > 0 {
                    anchors.insert(anchor, (n.clone(), nodes - start));
                }
                n
            }
            _ => continue,
        };
        if nodes > MAX_YAML_NODES {
            return Err(too_many(line, col));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some((parent, pending)) => match &mut parent.value {
                Value::Seq(items) => items.push(node),
                Value::Map(entries) => match pending.take() {
                    None => {
                        if let Some(k) = node.str() {
                            if entries.iter().any(|(e, _)| e.str() == Some(k)) {
                                return Err(Problem::new(
                                    path,
                                    node.line,
                                    node.col,
                                    format!("mapping key `{k}` already defined"),
                                ));
                            }
                        }
                        *pending = Some(node);
                    }
                    Some(key) => entries.push((key, node)),
                },
                Value::Scalar { .. } => {}
            },
        }
    }
    Ok(root)
}

// ---------------------------------------------------------------------------------
// Schema

#[derive(Debug, Clone, Copy)]
enum Ty {
    Str,
    /// A string of at most / at least this many grapheme clusters.
    Text {
        min: usize,
        max: usize,
    },
    Bool,
    Date,
    /// Any URL with a scheme and host.
    Url,
    /// An `http(s)` URL.
    HttpUrl,
    /// A URI (`scheme:rest`).
    Uri,
    Email,
    Mime,
    Language,
    Country,
    Spdx,
    /// A relative path inside the repository or an http(s) URL. `exts` lists the accepted
    /// file extensions (lower case, with the dot), read from the URL's path as the official
    /// parser does; empty accepts any file.
    PathOrUrl {
        exts: &'static [&'static str],
    },
    Enum(&'static [&'static str]),
    /// `alias:<known alias>` or a URI.
    Support,
    /// A string or a list of URLs.
    StrOrUrls,
    List {
        item: &'static Ty,
        min: usize,
    },
    Map(&'static [Field]),
    /// A map from language tags to descriptions.
    Langs(&'static [Field]),
}

#[derive(Debug)]
struct Field {
    key: &'static str,
    ty: Ty,
    required: bool,
    deprecated: Option<&'static str>,
}

const fn f(key: &'static str, ty: Ty) -> Field {
    Field {
        key,
        ty,
        required: false,
        deprecated: None,
    }
}

const fn req(key: &'static str, ty: Ty) -> Field {
    Field {
        key,
        ty,
        required: true,
        deprecated: None,
    }
}

const fn dep(key: &'static str, ty: Ty, msg: &'static str) -> Field {
    Field {
        key,
        ty,
        required: false,
        deprecated: Some(msg),
    }
}

const DROP: &str =
    "This key is DEPRECATED and will be removed in the future. It's safe to drop it.";

const STR: Ty = Ty::Str;
const URL: Ty = Ty::Url;
const HTTP: Ty = Ty::HttpUrl;
const STR_LIST: Ty = Ty::List { item: &STR, min: 0 };
const COUNTRY: Ty = Ty::Country;
const MIME: Ty = Ty::Mime;
/// Logos: vector or PNG (`.svgz` is compressed SVG), as publiccode-parser-go accepts.
const LOGO: Ty = Ty::PathOrUrl {
    exts: &[".svg", ".svgz", ".png"],
};
/// Screenshots: JPEG or PNG, spelled `.jpg` or `.png`, as publiccode-parser-go accepts.
const SCREENSHOT: Ty = Ty::PathOrUrl {
    exts: &[".jpg", ".png"],
};
const LANG: Ty = Ty::Language;

const DEVELOPMENT_STATUS: &[&str] = &["concept", "development", "beta", "stable", "obsolete"];
const SOFTWARE_TYPE: &[&str] = &[
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
];
const MAINTENANCE_TYPE: &[&str] = &["internal", "contract", "community", "none"];
const SCOPES: &[&str] = &[
    "agriculture",
    "culture",
    "defence",
    "education",
    "emergency-services",
    "employment",
    "energy",
    "environment",
    "finance-and-economic-development",
    "foreign-affairs",
    "government",
    "healthcare",
    "infrastructures",
    "justice",
    "local-authorities",
    "manufacturing",
    "research",
    "science-and-technology",
    "security",
    "society",
    "sport",
    "tourism",
    "transportation",
    "welfare",
];
const CATEGORIES: &[&str] = &[
    "accounting",
    "agile-project-management",
    "applicant-tracking",
    "application-development",
    "appointment-scheduling",
    "backup",
    "billing-and-invoicing",
    "blog",
    "budgeting",
    "business-intelligence",
    "business-process-management",
    "cad",
    "call-center-management",
    "cloud-management",
    "collaboration",
    "communications",
    "compliance-management",
    "contact-management",
    "content-management",
    "crm",
    "customer-service-and-support",
    "data-analytics",
    "data-collection",
    "data-visualization",
    "design",
    "design-system",
    "digital-asset-management",
    "digital-citizenship",
    "document-management",
    "donor-management",
    "e-commerce",
    "e-signature",
    "educational-content",
    "email-management",
    "email-marketing",
    "employee-management",
    "enterprise-project-management",
    "enterprise-social-networking",
    "erp",
    "event-management",
    "facility-management",
    "feedback-and-reviews-management",
    "financial-reporting",
    "fleet-management",
    "fundraising",
    "gamification",
    "geographic-information-systems",
    "grant-management",
    "graphic-design",
    "help-desk",
    "hr",
    "ide",
    "identity-management",
    "instant-messaging",
    "integrated-library-system",
    "inventory-management",
    "it-asset-management",
    "it-development",
    "it-management",
    "it-security",
    "it-service-management",
    "knowledge-management",
    "learning-management-system",
    "marketing",
    "mind-mapping",
    "mobile-marketing",
    "mobile-payment",
    "network-management",
    "office",
    "online-booking",
    "online-community",
    "payment-gateway",
    "payroll",
    "predictive-analysis",
    "procurement",
    "productivity-suite",
    "project-collaboration",
    "project-management",
    "property-management",
    "real-estate-management",
    "regulations-and-directives",
    "remote-support",
    "resource-management",
    "sales-management",
    "seo",
    "service-desk",
    "social-media-management",
    "survey",
    "talent-management",
    "task-management",
    "taxes-management",
    "test-management",
    "time-management",
    "time-tracking",
    "translation",
    "video-conferencing",
    "video-editing",
    "visitor-management",
    "voip",
    "warehouse-management",
    "web-collaboration",
    "web-conferencing",
    "whistleblowing",
    "website-builder",
    "workflow-management",
    "other",
];
const CATEGORY: Ty = Ty::Enum(CATEGORIES);
const SCOPE: Ty = Ty::Enum(SCOPES);

const DESCRIPTION: &[Field] = &[
    f("localisedName", STR),
    dep("genericName", Ty::Text { min: 0, max: 35 }, DROP),
    req("shortDescription", Ty::Text { min: 0, max: 150 }),
    req(
        "longDescription",
        Ty::Text {
            min: 150,
            max: 10_000,
        },
    ),
    f("documentation", HTTP),
    f("apiDocumentation", HTTP),
    req("features", Ty::List { item: &STR, min: 1 }),
    f(
        "screenshots",
        Ty::List {
            item: &SCREENSHOT,
            min: 0,
        },
    ),
    f(
        "videos",
        Ty::List {
            item: &HTTP,
            min: 0,
        },
    ),
    f("awards", STR_LIST),
];

/// Aliases of `supports[].id` that this validator knows; others must be URIs.
const SUPPORT_ALIASES: &[&str] = &["gdpr", "spid", "cie", "pagopa", "eidas", "nis2", "wcag"];
const SUPPORT_TY: Ty = Ty::Map(&[req("id", Ty::Support)]);

const ORGANISATION: &[Field] = &[f("name", STR), req("uri", Ty::Uri)];
const ORGANISATION_TY: Ty = Ty::Map(ORGANISATION);

const CONTRACTOR: &[Field] = &[
    req("name", STR),
    req("until", Ty::Date),
    f("email", Ty::Email),
    f("website", HTTP),
];
const CONTRACTOR_TY: Ty = Ty::Map(CONTRACTOR);
const CONTACT: &[Field] = &[
    req("name", STR),
    f("email", Ty::Email),
    f("phone", STR),
    f("affiliation", STR),
];
const CONTACT_TY: Ty = Ty::Map(CONTACT);

const DEPENDENCY: &[Field] = &[
    req("name", STR),
    f("versionMin", STR),
    f("versionMax", STR),
    f("version", STR),
    f("optional", Ty::Bool),
];
const DEPENDENCY_TY: Ty = Ty::Map(DEPENDENCY);
const DEPENDENCIES: Ty = Ty::List {
    item: &DEPENDENCY_TY,
    min: 0,
};

const IT: &[Field] = &[
    f("countryExtensionVersion", Ty::Enum(&["0.2", "1.0"])),
    dep(
        "conforme",
        Ty::Map(&[
            f("lineeGuidaDesign", Ty::Bool),
            f("modelloInteroperabilita", Ty::Bool),
            f("misureMinimeSicurezza", Ty::Bool),
            f("gdpr", Ty::Bool),
        ]),
        DROP,
    ),
    f(
        "riuso",
        Ty::Map(&[dep(
            "codiceIPA",
            Ty::Str,
            "This key is DEPRECATED and will be removed in the future. Use 'organisation.uri' and set it to 'urn:x-italian-pa:pcm' instead.",
        )]),
    ),
    f(
        "piattaforme",
        Ty::Map(&[
            f("spid", Ty::Bool),
            f("pagopa", Ty::Bool),
            f("cie", Ty::Bool),
            f("anpr", Ty::Bool),
            f("io", Ty::Bool),
        ]),
    ),
];

const ROOT: &[Field] = &[
    req("publiccodeYmlVersion", STR),
    req("name", STR),
    f("applicationSuite", STR),
    req("url", URL),
    f("landingURL", HTTP),
    f("isBasedOn", Ty::StrOrUrls),
    f("softwareVersion", STR),
    f("releaseDate", Ty::Date),
    f("logo", LOGO),
    dep(
        "monochromeLogo",
        LOGO,
        "This key is DEPRECATED and will be removed in the future. Use 'logo' instead.",
    ),
    dep(
        "inputTypes",
        Ty::List {
            item: &MIME,
            min: 0,
        },
        DROP,
    ),
    dep(
        "outputTypes",
        Ty::List {
            item: &MIME,
            min: 0,
        },
        DROP,
    ),
    req("platforms", Ty::List { item: &STR, min: 1 }),
    f(
        "categories",
        Ty::List {
            item: &CATEGORY,
            min: 0,
        },
    ),
    f("usedBy", STR_LIST),
    f("organisation", ORGANISATION_TY),
    f(
        "fundedBy",
        Ty::List {
            item: &ORGANISATION_TY,
            min: 0,
        },
    ),
    f("roadmap", HTTP),
    f(
        "supports",
        Ty::List {
            item: &SUPPORT_TY,
            min: 0,
        },
    ),
    req("developmentStatus", Ty::Enum(DEVELOPMENT_STATUS)),
    req("softwareType", Ty::Enum(SOFTWARE_TYPE)),
    f(
        "intendedAudience",
        Ty::Map(&[
            f(
                "countries",
                Ty::List {
                    item: &COUNTRY,
                    min: 0,
                },
            ),
            f(
                "unsupportedCountries",
                Ty::List {
                    item: &COUNTRY,
                    min: 0,
                },
            ),
            f(
                "scope",
                Ty::List {
                    item: &SCOPE,
                    min: 0,
                },
            ),
        ]),
    ),
    req("description", Ty::Langs(DESCRIPTION)),
    req(
        "legal",
        Ty::Map(&[
            req("license", Ty::Spdx),
            f("mainCopyrightOwner", STR),
            dep(
                "repoOwner",
                STR,
                "This key is DEPRECATED and will be removed in the future. Use 'organisation.name' instead.",
            ),
            dep("authorsFile", Ty::PathOrUrl { exts: &[] }, DROP),
        ]),
    ),
    req(
        "maintenance",
        Ty::Map(&[
            req("type", Ty::Enum(MAINTENANCE_TYPE)),
            f(
                "contractors",
                Ty::List {
                    item: &CONTRACTOR_TY,
                    min: 0,
                },
            ),
            f(
                "contacts",
                Ty::List {
                    item: &CONTACT_TY,
                    min: 0,
                },
            ),
        ]),
    ),
    req(
        "localisation",
        Ty::Map(&[
            req("localisationReady", Ty::Bool),
            req(
                "availableLanguages",
                Ty::List {
                    item: &LANG,
                    min: 1,
                },
            ),
        ]),
    ),
    f(
        "dependsOn",
        Ty::Map(&[
            f("open", DEPENDENCIES),
            f("proprietary", DEPENDENCIES),
            f("hardware", DEPENDENCIES),
        ]),
    ),
    f("IT", Ty::Map(IT)),
];

struct Check<'a> {
    path: &'a Path,
    base: Option<&'a Path>,
    errors: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Check<'_> {
    fn error(&mut self, n: &Node, key: &str, msg: impl std::fmt::Display) {
        self.errors.push(Problem::new(
            self.path,
            n.line,
            n.col,
            format!("`{key}`: {msg}"),
        ));
    }

    fn warn(&mut self, n: &Node, key: &str, msg: impl std::fmt::Display) {
        self.warnings.push(Problem::new(
            self.path,
            n.line,
            n.col,
            format!("`{key}`: {msg}"),
        ));
    }

    fn map(&mut self, node: &Node, key: &str, fields: &[Field]) {
        let Value::Map(entries) = &node.value else {
            self.error(node, key, "wrong type for this field");
            return;
        };
        for (k, v) in entries {
            let Some(name) = k.str() else {
                self.error(k, key, "keys must be strings");
                continue;
            };
            let full = join(key, name);
            match fields.iter().find(|fd| fd.key == name) {
                Some(fd) => {
                    if let Some(msg) = fd.deprecated {
                        self.warn(k, &full, msg);
                    }
                    if v.is_null() {
                        if fd.required {
                            self.error(k, &full, "is a required field");
                        }
                        continue;
                    }
                    self.value(v, &full, &fd.ty);
                }
                None => self.error(k, &full, "unknown field"),
            }
        }
        for fd in fields.iter().filter(|fd| fd.required) {
            if node.get(fd.key).is_none() {
                let full = join(key, fd.key);
                match fd.ty {
                    Ty::List { min, .. } if min > 0 => {
                        self.error(
                            node,
                            &full,
                            format!("must contain more than {} items", min - 1),
                        );
                    }
                    _ => self.error(node, &full, "is a required field"),
                }
            }
        }
    }

    fn value(&mut self, v: &Node, key: &str, ty: &Ty) {
        if let Ty::Map(fields) = ty {
            return self.map(v, key, fields);
        }
        if let Ty::List { item, min } = ty {
            let Value::Seq(items) = &v.value else {
                self.error(v, key, "wrong type for this field");
                return;
            };
            if items.len() < *min {
                self.error(v, key, format!("must contain more than {} items", min - 1));
            }
            for (i, it) in items.iter().enumerate() {
                self.value(it, &format!("{key}[{i}]"), item);
            }
            return;
        }
        if let Ty::Langs(fields) = ty {
            let Value::Map(entries) = &v.value else {
                self.error(v, key, "wrong type for this field");
                return;
            };
            if entries.is_empty() {
                self.error(v, key, "must contain more than 0 items");
            }
            for (k, d) in entries {
                let lang = k.str().unwrap_or_default();
                if !is_bcp47(lang) {
                    self.error(k, key, format!("`{lang}` must be a valid BCP 47 language"));
                }
                self.map(d, &join(key, lang), fields);
            }
            return;
        }
        if let Ty::StrOrUrls = ty {
            match &v.value {
                Value::Scalar { text, .. } => {
                    if !is_url(text) {
                        self.error(v, key, "must be a valid URL");
                    }
                }
                Value::Seq(items) => {
                    for (i, it) in items.iter().enumerate() {
                        self.value(it, &format!("{key}[{i}]"), &Ty::Url);
                    }
                }
                Value::Map(_) => self.error(v, key, "wrong type for this field"),
            }
            return;
        }
        let Value::Scalar { text, plain } = &v.value else {
            self.error(v, key, "wrong type for this field");
            return;
        };
        let s = text.as_str();
        match ty {
            Ty::Str => {}
            Ty::Text { min, max } => {
                let n = graphemes(s);
                if n < *min {
                    self.error(
                        v,
                        key,
                        format!("must be at least {min} characters in length"),
                    );
                }
                if n > *max {
                    self.error(
                        v,
                        key,
                        format!("must be a maximum of {max} characters in length"),
                    );
                }
            }
            Ty::Bool => {
                let ok =
                    *plain && matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE");
                if !ok {
                    self.error(v, key, "wrong type for this field");
                }
            }
            Ty::Date => {
                if !is_date(s) {
                    self.error(v, key, "must be a date with format 'YYYY-MM-DD'");
                }
            }
            Ty::Url => {
                if !is_url(s) {
                    self.error(v, key, "must be a valid URL");
                }
            }
            Ty::HttpUrl => {
                if !is_http_url(s) {
                    self.error(v, key, "must be an HTTP URL");
                }
            }
            Ty::Uri => {
                if !is_uri(s) {
                    self.error(v, key, "is not a valid URI");
                }
            }
            Ty::Email => {
                if !is_email(s) {
                    self.error(v, key, "must be a valid email address");
                }
            }
            Ty::Mime => {
                if !is_mime(s) {
                    self.error(v, key, "is not a valid MIME type");
                }
            }
            Ty::Language => {
                if !is_bcp47(s) {
                    self.error(v, key, "must be a valid BCP 47 language");
                }
            }
            Ty::Country => {
                let upper = s.to_ascii_uppercase();
                if !COUNTRIES.contains(&upper.as_str())
                    || !(s == upper || s == s.to_ascii_lowercase())
                {
                    self.error(
                        v,
                        key,
                        "must be a valid ISO 3166-1 alpha-2 two-letter country code",
                    );
                } else if s != upper {
                    self.warn(
                        v,
                        key,
                        format!("Lowercase country codes are DEPRECATED. Use uppercase instead ('{upper}')."),
                    );
                }
            }
            Ty::Spdx => {
                if let Err(e) = spdx::Expression::parse(s) {
                    self.error(v, key, format!("invalid license `{s}`: {}", e.reason));
                }
            }
            Ty::Enum(options) => {
                if !options.contains(&s) {
                    if options.len() > 12 {
                        self.error(
                            v,
                            key,
                            format!("`{s}` is not a valid value (see the publiccode.yml standard)"),
                        );
                    } else {
                        self.error(
                            v,
                            key,
                            format!("must be one of the following: {}", options.join(" ")),
                        );
                    }
                }
            }
            Ty::Support => match s.strip_prefix("alias:") {
                Some(a) if !SUPPORT_ALIASES.contains(&a) => {
                    self.error(v, key, format!("id contains an unknown alias `{a}`"));
                }
                Some(_) => {}
                None if !is_uri(s) => self.error(v, key, "is not a valid URI"),
                None => {}
            },
            Ty::PathOrUrl { exts } => self.path_or_url(v, key, s, exts),
            Ty::Map(_) | Ty::List { .. } | Ty::Langs(_) | Ty::StrOrUrls => {}
        }
    }

    fn path_or_url(&mut self, v: &Node, key: &str, s: &str, exts: &[&str]) {
        if s.starts_with("file:") {
            self.error(
                v,
                key,
                "is a file:// URL. Only relative paths or HTTP(s) URLs allowed",
            );
            return;
        }
        if s.starts_with('/') {
            self.error(
                v,
                key,
                "is an absolute path. Only relative paths or HTTP(s) URLs allowed",
            );
            return;
        }
        let ext = extension(s);
        if !exts.is_empty() && !exts.contains(&ext.as_str()) {
            self.error(v, key, format!("invalid file extension for: {s}"));
            return;
        }
        if is_http_url(s) {
            return;
        }
        let Some(base) = self.base else { return };
        let file = base.join(url_path(s));
        if file.exists() && !super::inside(base, &file) {
            self.error(
                v,
                key,
                format!("leads outside the repository directory: {s}"),
            );
            return;
        }
        // Only the first bytes matter (an image's signature), and only of a regular file.
        let head = || -> std::io::Result<Vec<u8>> {
            use std::io::Read;
            if !std::fs::metadata(&file)?.is_file() {
                return Err(std::io::ErrorKind::InvalidInput.into());
            }
            let mut bytes = Vec::new();
            std::fs::File::open(&file)?
                .take(8)
                .read_to_end(&mut bytes)?;
            Ok(bytes)
        };
        match head() {
            Err(_) => self.error(v, key, format!("no such file: {s}")),
            Ok(bytes) if ext == ".png" && !bytes.starts_with(b"\x89PNG\r\n\x1a\n") => {
                self.error(v, key, "image: unknown format");
            }
            Ok(_) => {}
        }
    }
}

/// The path of a URL or relative reference: without scheme, authority, query and fragment.
fn url_path(s: &str) -> &str {
    let s = s.split(['?', '#']).next().unwrap_or(s);
    match s.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => s,
    }
}

/// The lower-case extension (with its dot) of the last segment of a URL's path, or "".
fn extension(s: &str) -> String {
    let path = url_path(s);
    let last = path.rsplit('/').next().unwrap_or(path);
    last.rfind('.')
        .map_or_else(String::new, |i| last[i..].to_ascii_lowercase())
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Validates a publiccode.yml; `base` is the directory relative paths are resolved in.
pub(crate) fn validate(path: &Path, bytes: &[u8], base: Option<&Path>) -> PublicCode {
    let mut pc = PublicCode {
        path: path.to_owned(),
        ..PublicCode::default()
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, col) = crate::error::line_col(
                &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                e.valid_up_to(),
            );
            pc.errors
                .push(Problem::new(path, line, col, "invalid UTF-8"));
            return pc;
        }
    };
    let root = match parse_yaml(path, text) {
        Ok(Some(r)) => r,
        Ok(None) => {
            pc.errors.push(Problem::new(path, 1, 1, "empty document"));
            return pc;
        }
        Err(p) => {
            pc.errors.push(p);
            return pc;
        }
    };
    let mut c = Check {
        path,
        base,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    // Country sections: `IT` (or the deprecated `it`) only.
    let mut root_checked = root.clone();
    if let Value::Map(entries) = &mut root_checked.value {
        let has_upper = entries.iter().any(|(k, _)| k.str() == Some("IT"));
        let mut i = 0;
        while i < entries.len() {
            if entries[i].0.str() == Some("it") {
                let k = entries[i].0.clone();
                c.warn(
                    &k,
                    "it",
                    "Lowercase country codes are DEPRECATED and will be removed in the future. Use 'IT' instead.",
                );
                if has_upper {
                    c.error(&k, "it", "'IT' key already present. Remove this key.");
                    entries.remove(i);
                    continue;
                }
                if let Value::Scalar { text, .. } = &mut entries[i].0.value {
                    *text = "IT".into();
                }
            }
            i += 1;
        }
    }
    c.map(&root_checked, "", ROOT);
    let root = root_checked;

    let s = |n: Option<&Node>| n.and_then(Node::str).map(str::to_owned);
    pc.version = s(root.get("publiccodeYmlVersion"));
    if let Some(v) = root.get("publiccodeYmlVersion") {
        if let Some(ver) = v.str() {
            if !VERSIONS.contains(&ver) {
                c.error(
                    v,
                    "publiccodeYmlVersion",
                    format!(
                        "unsupported version: '{ver}'. Supported versions: {}",
                        VERSIONS.join(", ")
                    ),
                );
            } else if ver != "0" && !ver.starts_with("0.7") {
                let short: String = ver.split('.').take(2).collect::<Vec<_>>().join(".");
                c.warn(
                    v,
                    "publiccodeYmlVersion",
                    format!(
                        "Version {short} is outdated: the current version is 0.7, and '0' always means the latest 0.x. This file is validated against v0.7."
                    ),
                );
            }
        }
    }
    pc.name = s(root.get("name")).unwrap_or_default();
    pc.url = s(root.get("url"));
    pc.development_status = s(root.get("developmentStatus"));
    if let Some(Value::Seq(items)) = root.get("categories").map(|n| &n.value) {
        pc.categories = items.iter().filter_map(|n| s(Some(n))).collect();
    }
    if let Some(Value::Map(langs)) = root.get("description").map(|n| &n.value) {
        let short = |lang: Option<&str>| {
            langs
                .iter()
                .find(|(k, _)| lang.is_none_or(|l| k.str() == Some(l)))
                .and_then(|(_, v)| s(v.get("shortDescription")))
        };
        pc.short_description = short(Some("en"))
            .or_else(|| short(Some("de")))
            .or_else(|| short(None));
    }
    let legal = root.get("legal");
    pc.license = s(legal.and_then(|l| l.get("license")));
    pc.main_copyright_owner = s(legal.and_then(|l| l.get("mainCopyrightOwner")));
    if let Some(m) = root.get("maintenance") {
        pc.maintenance_type = s(m.get("type"));
        let kind = pc.maintenance_type.as_deref();
        let contractors = m.get("contractors").filter(|n| !n.is_null());
        let contacts = m.get("contacts").filter(|n| !n.is_null());
        if kind == Some("contract") && contractors.is_none() {
            c.error(
                m,
                "maintenance.contractors",
                "is a required field when \"type\" is \"contract\"",
            );
        }
        if let (Some(k), Some(n)) = (kind, contractors) {
            if k != "contract" {
                c.error(
                    n,
                    "maintenance.contractors",
                    "must not be present unless \"type\" is \"contract\"",
                );
            }
        }
        if matches!(kind, Some("internal" | "community")) && contacts.is_none() {
            c.error(
                m,
                "maintenance.contacts",
                "is a required field when \"type\" is \"internal\" or \"community\"",
            );
        }
        if let Some(Value::Seq(items)) = contractors.map(|n| &n.value) {
            for it in items {
                if let (Some(name), Some(until)) = (s(it.get("name")), s(it.get("until"))) {
                    pc.contractors.push(Contractor { name, until });
                }
            }
        }
    }
    if let Some(d) = root.get("dependsOn") {
        for (key, out) in [
            ("open", &mut pc.depends_open),
            ("proprietary", &mut pc.depends_proprietary),
            ("hardware", &mut pc.depends_hardware),
        ] {
            if let Some(Value::Seq(items)) = d.get(key).map(|n| &n.value) {
                for it in items {
                    if let Some(name) = s(it.get("name")) {
                        let optional = it.get("optional").and_then(Node::str) == Some("true");
                        out.push(Dependency { name, optional });
                    }
                }
            }
        }
    }
    c.errors.sort();
    c.warnings.sort();
    pc.errors = c.errors;
    pc.warnings = c.warnings;
    pc
}

// ---------------------------------------------------------------------------------
// Value syntax

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    if !s[0..4]
        .bytes()
        .chain(s[5..7].bytes())
        .chain(s[8..10].bytes())
        .all(|c| c.is_ascii_digit())
    {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn scheme_and_rest(s: &str) -> Option<(&str, &str)> {
    let i = s.find(':')?;
    let scheme = &s[..i];
    let ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then(|| (scheme, &s[i + 1..]))
}

fn is_uri(s: &str) -> bool {
    !s.contains(char::is_whitespace) && scheme_and_rest(s).is_some_and(|(_, rest)| !rest.is_empty())
}

fn is_url(s: &str) -> bool {
    if s.contains(char::is_whitespace) {
        return false;
    }
    match scheme_and_rest(s) {
        Some((_, rest)) => rest
            .strip_prefix("//")
            .is_some_and(|r| !r.is_empty() && !r.starts_with('/')),
        None => false,
    }
}

fn is_http_url(s: &str) -> bool {
    is_url(s)
        && scheme_and_rest(s).is_some_and(|(sc, _)| {
            sc.eq_ignore_ascii_case("http") || sc.eq_ignore_ascii_case("https")
        })
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

fn is_mime(s: &str) -> bool {
    let token = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
    };
    let main = s.split(';').next().unwrap_or_default().trim();
    matches!(main.split_once('/'), Some((a, b)) if token(a) && token(b))
}

/// Primary language subtags of three letters that are accepted besides the two-letter
/// ISO 639-1 codes (a short list of languages without a two-letter code).
const THREE_LETTER_LANGUAGES: &[&str] = &[
    "fil", "gsw", "haw", "nds", "yue", "ast", "ceb", "hsb", "dsb",
];

fn is_bcp47(s: &str) -> bool {
    let mut parts = s.split('-');
    let Some(lang) = parts.next() else {
        return false;
    };
    let alpha = |t: &str| t.chars().all(|c| c.is_ascii_alphabetic());
    let lang_ok = alpha(lang)
        && (lang.len() == 2
            || THREE_LETTER_LANGUAGES.contains(&lang.to_ascii_lowercase().as_str()));
    lang_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Grapheme clusters, approximated: combining marks, variation selectors, emoji
/// modifiers and characters joined by ZERO WIDTH JOINER do not start a new cluster.
fn graphemes(s: &str) -> usize {
    let mut n = 0;
    let mut joined = false;
    for c in s.chars() {
        let u = c as u32;
        let extends = matches!(u,
            0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
            | 0xFE20..=0xFE2F | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0xE0020..=0xE007F
            | 0x200D);
        if !extends && !joined {
            n += 1;
        }
        joined = u == 0x200D;
    }
    n
}

/// ISO 3166-1 alpha-2 codes.
const COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_syntax() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2017-04-15T10:00:00Z"));
        assert!(is_url("https://github.com/x/y.git"));
        assert!(!is_url("foobar"));
        assert!(is_uri("urn:x-italian-pa:pcm"));
        assert!(!is_uri("1"));
        assert!(is_bcp47("sl-IT-nedis"));
        assert!(!is_bcp47("en_GB"));
        assert!(!is_bcp47("xxx"));
        assert!(is_mime("text/plain"));
        assert!(!is_mime("foo"));
        assert_eq!(graphemes("e\u{301}a"), 2);
    }

    #[test]
    fn image_extensions_come_from_the_url_path() {
        assert_eq!(extension("https://example.org/a/logo.PNG?raw=true"), ".png");
        assert_eq!(extension("https://example.org/x.svg/logo"), "");
        assert_eq!(extension("https://example.org"), "");
        assert_eq!(extension("img/logo.svgz#top"), ".svgz");
        assert_eq!(url_path("img/logo.png?raw=true"), "img/logo.png");
        let check = |key: &str, value: &str| {
            let text = format!("{key}: \"{value}\"\n");
            let pc = validate(Path::new("p.yml"), text.as_bytes(), None);
            !pc.errors
                .iter()
                .any(|e| e.message.contains("invalid file extension"))
        };
        let logo = |v: &str| check("logo", v);
        assert!(logo("https://example.org/logo.png?raw=true"));
        assert!(logo("https://example.org/logo.svgz"));
        assert!(logo("https://example.org/logo.svg"));
        assert!(!logo("https://example.org/logo.jpg"));
        assert!(!logo("https://example.org/logo.png.zip?x=.png"));
        let shot = |v: &str| {
            let text = format!("description:\n  en:\n    screenshots:\n      - \"{v}\"\n");
            let pc = validate(Path::new("p.yml"), text.as_bytes(), None);
            !pc.errors
                .iter()
                .any(|e| e.message.contains("invalid file extension"))
        };
        assert!(shot("https://example.org/s.jpg?raw=true"));
        assert!(shot("https://example.org/s.png"));
        assert!(!shot("https://example.org/s.jpeg"));
        assert!(!shot("https://example.org/s.svg"));
    }

    #[test]
    fn unknown_keys_wrong_types_and_missing_fields_are_errors() {
        let text = "publiccodeYmlVersion: \"0.2\"\nname: []\nfoo: 1\nlegal:\n  license: MIT OR\n";
        let pc = validate(Path::new("p.yml"), text.as_bytes(), None);
        let errors: Vec<String> = pc.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "p.yml:1:1: `description`: is a required field",
                "p.yml:1:1: `developmentStatus`: is a required field",
                "p.yml:1:1: `localisation`: is a required field",
                "p.yml:1:1: `maintenance`: is a required field",
                "p.yml:1:1: `platforms`: must contain more than 0 items",
                "p.yml:1:1: `softwareType`: is a required field",
                "p.yml:1:1: `url`: is a required field",
                "p.yml:2:7: `name`: wrong type for this field",
                "p.yml:3:1: `foo`: unknown field",
                "p.yml:5:12: `legal.license`: invalid license `MIT OR`: expected one of `<license>`, `(` here",
            ]
        );
        assert_eq!(
            pc.warnings[0].to_string(),
            "p.yml:1:23: `publiccodeYmlVersion`: Version 0.2 is outdated: the current version is 0.7, and '0' always means the latest 0.x. This file is validated against v0.7."
        );
    }
}
