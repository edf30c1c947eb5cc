//! CycloneDX JSON ingest (spec 1.2 to 1.6; 1.7 documents are read the same way).
//!
//! The document is deserialised into borrowed, validating mirror types: every value whose
//! shape the specification constrains and that sovra reads or can check cheaply (enums,
//! hash contents, serial number, timestamp, required fields, non-empty `bom-ref`s) is a
//! newtype whose `Deserialize` impl rejects bad values, so serde_json reports the error
//! at the offending line and column. Values sovra treats as *data* (a licence id that is
//! not on the SPDX list, a dependency on an unknown `bom-ref`) are accepted: the first
//! becomes a licence finding later, the second a [`crate::model::Notice`].
//!
//! Mapping onto the model:
//! - every component (nested `components` and `metadata.component` included) is a
//!   package; a nested component gets a runtime edge from its parent (containment, as
//!   SPDX `CONTAINS`); pedigree ancestors, descendants and variants are validated but
//!   are not part of the product, so they are not packages;
//! - `dependencies` become edges; an edge *to* a component with `scope: optional` is
//!   [`EdgeKind::Optional`], one to a component with `scope: excluded` (not shipped,
//!   e.g. test tooling) is [`EdgeKind::Dev`], so the runtime graph leaves it out;
//! - the package id is the purl; without a purl it is `generic:<group>/<name>@<version>`,
//!   suffixed with `#<bom-ref>` when another component of the same document already
//!   took that id (two different components must not merge by accident);
//! - licence entries (`expression`, `license.id`, `license.name`) are kept raw in
//!   `declared`, or in `concluded` when their `acknowledgement` (1.6) says so.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::doc_str::opt_str;
use crate::error::{Error, Result, line_col};
use crate::model::{
    DocumentMeta, Ecosystem, EdgeKind, InputFormat, InputIdx, Inventory, Package, PackageId,
    PkgIdx, SourceKind,
};

pub(super) type Str<'a> = Cow<'a, str>;

/// Parses a CycloneDX JSON document.
pub(crate) fn parse(path: &Path, bytes: &[u8]) -> Result<Inventory> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bom: Bom<'_> = serde_json::from_slice(text).map_err(|e| Error::json(path, &e))?;
    build(path, text, &bom)
}

// ---------------------------------------------------------------------------------------
// Mirror types. Unknown fields are ignored (the specification grows), except where the
// specification forbids extra members and the test documents rely on it (properties).
// ---------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bom<'a> {
    #[serde(rename = "bomFormat")]
    _bom_format: BomFormat,
    #[serde(borrow)]
    spec_version: Str<'a>,
    #[serde(rename = "serialNumber", default)]
    _serial_number: Option<SerialNumber>,
    #[serde(rename = "version", default)]
    _version: Option<BomVersion>,
    #[serde(borrow, default)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow, default)]
    components: Vec<Component<'a>>,
    #[serde(borrow, default)]
    services: Vec<Service<'a>>,
    #[serde(borrow, default)]
    dependencies: Option<Vec<Dependency<'a>>>,
    #[serde(default)]
    vulnerabilities: Option<Vec<serde::de::IgnoredAny>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata<'a> {
    #[serde(default)]
    timestamp: Option<Timestamp<'a>>,
    #[serde(borrow, default)]
    authors: Vec<Contact<'a>>,
    #[serde(default)]
    tools: Option<Tools>,
    #[serde(borrow, default)]
    component: Option<Box<Component<'a>>>,
    #[serde(borrow, default, rename = "licenses")]
    _licenses: Option<Vec<LicenseChoice<'a>>>,
    #[serde(borrow, default, rename = "properties")]
    _properties: Vec<Property<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Component<'a> {
    #[serde(rename = "type")]
    _type: ComponentType,
    #[serde(borrow, rename = "bom-ref", default)]
    bom_ref: Option<BomRef<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    group: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    version: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    description: Option<Str<'a>>,
    #[serde(default)]
    scope: Option<ComponentScope>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    purl: Option<Str<'a>>,
    #[serde(borrow, default)]
    supplier: Option<Organization<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    publisher: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    author: Option<Str<'a>>,
    #[serde(borrow, default)]
    authors: Vec<Contact<'a>>,
    #[serde(borrow, default)]
    licenses: Option<Vec<LicenseChoice<'a>>>,
    #[serde(default)]
    hashes: Vec<Hash>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    cpe: Option<Str<'a>>,
    #[serde(borrow, default)]
    external_references: Vec<ExternalReference<'a>>,
    #[serde(borrow, default)]
    components: Vec<Component<'a>>,
    #[serde(borrow, default, rename = "swid")]
    _swid: Option<Check<Swid<'a>>>,
    #[serde(borrow, default, rename = "pedigree")]
    _pedigree: Option<Check<Pedigree<'a>>>,
    #[serde(borrow, default, rename = "properties")]
    _properties: Option<Check<Vec<Property<'a>>>>,
}

#[derive(Deserialize)]
struct Organization<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    name: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct Contact<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    name: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    email: Option<Str<'a>>,
}

impl Contact<'_> {
    fn display(&self) -> Option<String> {
        contact(non_empty(&self.name), non_empty(&self.email))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExternalReference<'a> {
    #[serde(borrow, rename = "type")]
    ty: Str<'a>,
    #[serde(borrow)]
    url: Str<'a>,
}

/// One entry of a `licenses` array: exactly one of `license` and `expression`.
#[derive(Deserialize)]
#[serde(try_from = "RawLicenseChoice<'a>", bound(deserialize = "'de: 'a"))]
struct LicenseChoice<'a> {
    statement: Str<'a>,
    concluded: bool,
    /// The licence's `text` when it has a `name` and no `id`: identified against the
    /// SPDX licence texts.
    text: Option<Attachment<'a>>,
}

#[derive(Deserialize)]
struct RawLicenseChoice<'a> {
    #[serde(borrow, default)]
    license: Option<License<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    expression: Option<Str<'a>>,
    #[serde(default)]
    acknowledgement: Option<Acknowledgement>,
}

impl<'a> TryFrom<RawLicenseChoice<'a>> for LicenseChoice<'a> {
    type Error = &'static str;

    fn try_from(raw: RawLicenseChoice<'a>) -> Result<Self, Self::Error> {
        match (raw.license, raw.expression) {
            (Some(_), Some(_)) => {
                Err("a `licenses` entry has both `license` and `expression`; it must have one")
            }
            (None, None) => Err("a `licenses` entry needs `license` or `expression`"),
            (Some(l), None) => {
                let ack = l.acknowledgement.or(raw.acknowledgement);
                Ok(LicenseChoice {
                    statement: l.statement,
                    concluded: ack == Some(Acknowledgement::Concluded),
                    text: l.text,
                })
            }
            (None, Some(e)) => Ok(LicenseChoice {
                statement: e,
                concluded: raw.acknowledgement == Some(Acknowledgement::Concluded),
                text: None,
            }),
        }
    }
}

/// A `license` object: `id` or `name` (the id wins when both are given).
#[derive(Deserialize)]
#[serde(try_from = "RawLicense<'a>", bound(deserialize = "'de: 'a"))]
struct License<'a> {
    statement: Str<'a>,
    acknowledgement: Option<Acknowledgement>,
    /// `text`, kept only for a licence without `id`.
    text: Option<Attachment<'a>>,
}

#[derive(Deserialize)]
struct RawLicense<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    id: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    name: Option<Str<'a>>,
    #[serde(default)]
    acknowledgement: Option<Acknowledgement>,
    #[serde(borrow, default)]
    text: Option<Attachment<'a>>,
    #[serde(borrow, default, rename = "properties")]
    _properties: Vec<Property<'a>>,
}

impl<'a> TryFrom<RawLicense<'a>> for License<'a> {
    type Error = &'static str;

    fn try_from(raw: RawLicense<'a>) -> Result<Self, Self::Error> {
        let text = if raw.id.is_none() { raw.text } else { None };
        let statement = raw
            .id
            .or(raw.name)
            .ok_or("a `license` needs an `id` or a `name`")?;
        Ok(License {
            statement,
            acknowledgement: raw.acknowledgement,
            text,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attachment<'a> {
    #[serde(default)]
    encoding: Option<Encoding>,
    #[serde(borrow)]
    content: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Swid<'a> {
    #[serde(borrow, rename = "tagId")]
    _tag_id: Str<'a>,
    #[serde(borrow, rename = "name")]
    _name: Str<'a>,
}

#[derive(Deserialize)]
struct Pedigree<'a> {
    #[serde(borrow, default, rename = "ancestors")]
    _ancestors: Vec<Component<'a>>,
    #[serde(borrow, default, rename = "descendants")]
    _descendants: Vec<Component<'a>>,
    #[serde(borrow, default, rename = "variants")]
    _variants: Vec<Component<'a>>,
    #[serde(default, rename = "patches")]
    _patches: Vec<Patch>,
}

#[derive(Deserialize)]
struct Patch {
    #[serde(rename = "type")]
    _type: PatchType,
    #[serde(default, rename = "resolves")]
    _resolves: Vec<Issue>,
}

#[derive(Deserialize)]
struct Issue {
    #[serde(rename = "type")]
    _type: IssueType,
}

/// A name-value property; the specification allows no other members.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Property<'a> {
    #[serde(borrow, rename = "name")]
    _name: Str<'a>,
    #[serde(default, rename = "value")]
    _value: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Service<'a> {
    #[serde(borrow, rename = "bom-ref", default)]
    bom_ref: Option<BomRef<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(default, rename = "data")]
    _data: Vec<DataFlow>,
    #[serde(borrow, default)]
    services: Vec<Service<'a>>,
    #[serde(borrow, default, rename = "properties")]
    _properties: Vec<Property<'a>>,
}

#[derive(Deserialize)]
struct DataFlow {
    #[serde(rename = "flow")]
    _flow: Flow,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dependency<'a> {
    #[serde(borrow, rename = "ref")]
    reference: BomRef<'a>,
    #[serde(borrow, default)]
    depends_on: Vec<BomRef<'a>>,
}

#[derive(Deserialize)]
struct LegacyTool<'a> {
    #[serde(borrow, default, deserialize_with = "opt_str")]
    vendor: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    name: Option<Str<'a>>,
    #[serde(borrow, default, deserialize_with = "opt_str")]
    version: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct ToolObject<'a> {
    #[serde(borrow, default)]
    components: Vec<Component<'a>>,
    #[serde(borrow, default)]
    services: Vec<Service<'a>>,
}

/// `metadata.tools`: the 1.2–1.4 array of tools or the 1.5+ `{components, services}`
/// object, flattened to display strings.
struct Tools(Vec<String>);

impl<'de> Deserialize<'de> for Tools {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tools;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of tools or an object with `components` and `services`")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                let tools: Vec<LegacyTool<'de>> =
                    Deserialize::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                let out = tools
                    .iter()
                    .filter_map(|t| join_words(&[&t.vendor, &t.name, &t.version]))
                    .collect();
                Ok(Tools(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let obj: ToolObject<'de> =
                    Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let mut out: Vec<String> = obj
                    .components
                    .iter()
                    .filter_map(|c| {
                        let name = Some(Cow::Borrowed(c.name.as_ref()));
                        join_words(&[&c.group, &name, &c.version])
                    })
                    .collect();
                out.extend(obj.services.iter().map(|s| s.name.to_string()));
                Ok(Tools(out))
            }
        }
        d.deserialize_any(V)
    }
}

fn join_words(parts: &[&Option<Str<'_>>]) -> Option<String> {
    let parts: Vec<Option<&str>> = parts.iter().map(|p| p.as_deref()).collect();
    words(&parts)
}

/// The non-empty parts, trimmed and joined by spaces (a tool's display string).
pub(super) fn words(parts: &[Option<&str>]) -> Option<String> {
    let words: Vec<&str> = parts
        .iter()
        .filter_map(|p| p.map(str::trim).filter(|s| !s.is_empty()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn non_empty<'s>(s: &'s Option<Str<'_>>) -> Option<&'s str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

// ---------------------------------------------------------------------------------------
// Validating newtypes.
// ---------------------------------------------------------------------------------------

/// Deserialises a string and checks it with `check`, which returns the error message.
/// The check runs inside the string visitor, so serde_json reports a failure at the
/// string itself (not at the end of the enclosing object).
pub(super) fn checked_str<'de, D, T>(
    d: D,
    check: impl FnOnce(Str<'de>) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<F>(F);
    impl<'de, T, F: FnOnce(Str<'de>) -> Result<T, String>> Visitor<'de> for V<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<T, E> {
            (self.0)(Cow::Borrowed(s)).map_err(E::custom)
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            (self.0)(Cow::Owned(s.to_owned())).map_err(E::custom)
        }
        fn visit_string<E: de::Error>(self, s: String) -> Result<T, E> {
            (self.0)(Cow::Owned(s)).map_err(E::custom)
        }
    }
    d.deserialize_str(V(check))
}

/// Deserialises a `T` to validate it and keeps nothing (for parts of a component that
/// sovra checks but does not read, so the mirror stays small at scale).
struct Check<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Check<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize(d)?;
        Ok(Check(std::marker::PhantomData))
    }
}

/// Checks `value` against an enumeration of the specification, for both syntaxes.
pub(super) fn check_enum(what: &str, allowed: &[&str], value: &str) -> Result<(), String> {
    if allowed.contains(&value) {
        return Ok(());
    }
    let list: Vec<String> = allowed.iter().map(|v| format!("`{v}`")).collect();
    Err(format!(
        "unknown {what} `{value}`, expected one of {}",
        list.join(", ")
    ))
}

/// A string-valued enumeration of the specification (its values in `$values`, shared
/// with the XML reader); only validated, the value is not kept.
macro_rules! str_enum {
    ($name:ident, $values:ident, $what:literal, [$($v:literal),+ $(,)?]) => {
        pub(super) const $values: &[&str] = &[$($v),+];
        struct $name;
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                checked_str(d, |s| check_enum($what, $values, &s).map(|()| $name))
            }
        }
    };
}

str_enum!(BomFormat, BOM_FORMATS, "`bomFormat`", ["CycloneDX"]);
str_enum!(
    ComponentType,
    COMPONENT_TYPES,
    "component type",
    [
        "application",
        "framework",
        "library",
        "container",
        "platform",
        "operating-system",
        "device",
        "device-driver",
        "firmware",
        "file",
        "machine-learning-model",
        "data",
        "cryptographic-asset",
    ]
);
str_enum!(
    PatchType,
    PATCH_TYPES,
    "patch type",
    ["unofficial", "monkey", "backport", "cherry-pick"]
);
str_enum!(
    IssueType,
    ISSUE_TYPES,
    "issue type",
    ["defect", "enhancement", "security"]
);
str_enum!(Encoding, ENCODINGS, "encoding", ["base64"]);
str_enum!(
    Flow,
    FLOWS,
    "data flow",
    ["inbound", "outbound", "bi-directional", "unknown"]
);

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ComponentScope {
    Required,
    Optional,
    Excluded,
}

impl ComponentScope {
    pub(super) fn parse(s: &str) -> Result<Self, String> {
        match s {
            "required" => Ok(ComponentScope::Required),
            "optional" => Ok(ComponentScope::Optional),
            "excluded" => Ok(ComponentScope::Excluded),
            other => Err(format!(
                "unknown scope `{other}`, expected one of `required`, `optional`, `excluded`"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for ComponentScope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |s| ComponentScope::parse(&s))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Acknowledgement {
    Declared,
    Concluded,
}

impl Acknowledgement {
    pub(super) fn parse(s: &str) -> Result<Self, String> {
        match s {
            "declared" => Ok(Acknowledgement::Declared),
            "concluded" => Ok(Acknowledgement::Concluded),
            other => Err(format!(
                "unknown acknowledgement `{other}`, expected `declared` or `concluded`"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Acknowledgement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |s| Acknowledgement::parse(&s))
    }
}

/// A `bom-ref` or a reference to one: a non-empty string.
struct BomRef<'a>(Str<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for BomRef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |s| {
            if s.is_empty() {
                Err("a `bom-ref` must not be empty".to_owned())
            } else {
                Ok(BomRef(s))
            }
        })
    }
}

/// `version` of the BOM: an integer of at least 1.
struct BomVersion;

impl<'de> Deserialize<'de> for BomVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u64::deserialize(d)?;
        if v == 0 {
            return Err(de::Error::custom("the BOM `version` must be at least 1"));
        }
        Ok(BomVersion)
    }
}

/// `urn:uuid:` followed by an RFC 4122 UUID (lower-case hex, as the schema's pattern).
struct SerialNumber;

impl<'de> Deserialize<'de> for SerialNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |s| {
            if is_serial_number(&s) {
                Ok(SerialNumber)
            } else {
                Err(format!(
                    "invalid `serialNumber` `{s}`, expected `urn:uuid:` followed by a UUID"
                ))
            }
        })
    }
}

pub(super) fn is_serial_number(s: &str) -> bool {
    let Some(uuid) = s.strip_prefix("urn:uuid:") else {
        return false;
    };
    let b = uuid.as_bytes();
    if b.len() != 36 {
        return false;
    }
    let hex = |c: u8| c.is_ascii_digit() || (b'a'..=b'f').contains(&c);
    b.iter().enumerate().all(|(i, &c)| match i {
        8 | 13 | 18 | 23 => c == b'-',
        14 => (b'1'..=b'5').contains(&c),
        19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
        _ => hex(c),
    })
}

/// An RFC 3339 date-time.
struct Timestamp<'a>(Str<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for Timestamp<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_str(d, |s| match s.parse::<jiff::Timestamp>() {
            Ok(_) => Ok(Timestamp(s)),
            Err(_) => Err(format!(
                "invalid `timestamp` `{s}`, expected an RFC 3339 date-time"
            )),
        })
    }
}

/// A hash: a known algorithm and hex content of the length that algorithm produces.
struct Hash(String);

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw<'a> {
            #[serde(borrow)]
            alg: Str<'a>,
            #[serde(borrow)]
            content: Str<'a>,
        }
        let raw = Raw::deserialize(d)?;
        check_hash(&raw.alg, &raw.content).map_err(de::Error::custom)?;
        Ok(Hash(raw.alg.to_string()))
    }
}

/// A hash: a known algorithm and hex content of the length that algorithm produces.
pub(super) fn check_hash(alg: &str, content: &str) -> Result<(), String> {
    let lengths: &[usize] = match alg {
        "MD5" => &[32],
        "SHA-1" => &[40],
        "SHA-256" | "SHA3-256" | "BLAKE2b-256" => &[64],
        "SHA-384" | "SHA3-384" | "BLAKE2b-384" => &[96],
        "SHA-512" | "SHA3-512" | "BLAKE2b-512" => &[128],
        "BLAKE3" | "Streebog-256" | "Streebog-512" => &[32, 40, 64, 96, 128],
        other => return Err(format!("unknown hash algorithm `{other}`")),
    };
    if !lengths.contains(&content.len()) || !content.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("malformed `{alg}` hash content `{content}`"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Mapping onto the inventory.
// ---------------------------------------------------------------------------------------

/// One component as both syntaxes give it, borrowed from the document: what the
/// mapping onto a [`Package`] reads. JSON and XML fill it alike, so the two forms of one
/// BOM give one inventory.
#[derive(Default)]
pub(super) struct Fields<'a> {
    pub bom_ref: Option<&'a str>,
    pub scope: Option<ComponentScope>,
    pub name: &'a str,
    pub group: Option<&'a str>,
    pub version: Option<&'a str>,
    pub description: Option<&'a str>,
    pub purl: Option<&'a str>,
    pub supplier: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub author: Option<&'a str>,
    /// `(name, email)` of each entry of `authors`.
    pub authors: Vec<(Option<&'a str>, Option<&'a str>)>,
    /// Licence statements, with whether each is acknowledged as concluded.
    pub licenses: Vec<(&'a str, bool)>,
    /// `(name, content, base64)` of each licence given by `name` and `text` (no `id`).
    pub license_texts: Vec<(&'a str, &'a str, bool)>,
    /// `(type, url)` of each external reference.
    pub external_references: Vec<(&'a str, &'a str)>,
    /// Algorithms of the component's hashes.
    pub hashes: Vec<&'a str>,
    pub cpe: Option<&'a str>,
}

fn json_fields<'a>(c: &'a Component<'a>) -> Fields<'a> {
    Fields {
        bom_ref: c.bom_ref.as_ref().map(|r| r.0.as_ref()),
        scope: c.scope,
        name: &c.name,
        group: c.group.as_deref(),
        version: c.version.as_deref(),
        description: c.description.as_deref(),
        purl: c.purl.as_deref(),
        supplier: c.supplier.as_ref().and_then(|s| s.name.as_deref()),
        publisher: c.publisher.as_deref(),
        author: c.author.as_deref(),
        authors: c
            .authors
            .iter()
            .map(|a| (a.name.as_deref(), a.email.as_deref()))
            .collect(),
        licenses: c
            .licenses
            .iter()
            .flatten()
            .map(|l| (l.statement.as_ref(), l.concluded))
            .collect(),
        license_texts: c
            .licenses
            .iter()
            .flatten()
            .filter_map(|l| {
                l.text.as_ref().map(|t| {
                    (
                        l.statement.as_ref(),
                        t.content.as_ref(),
                        t.encoding.is_some(),
                    )
                })
            })
            .collect(),
        external_references: c
            .external_references
            .iter()
            .map(|r| (r.ty.as_ref(), r.url.as_ref()))
            .collect(),
        hashes: c.hashes.iter().map(|h| h.0.as_str()).collect(),
        cpe: c.cpe.as_deref(),
    }
}

/// Maps components, services and dependencies of one document onto an inventory; shared
/// by the JSON and XML readers.
pub(super) struct Builder<'b> {
    inv: Inventory,
    input: InputIdx,
    /// `bom-ref` → package.
    refs: HashMap<&'b str, PkgIdx>,
    /// Scope of each package, by index, for the kind of edges pointing to it.
    scopes: Vec<Option<ComponentScope>>,
    /// Ids taken by components of this document, with the `bom-ref` that took them.
    taken: HashMap<PackageId, Option<&'b str>>,
    /// `bom-ref`s of services (dependencies on them are not package edges).
    services: HashMap<&'b str, ()>,
    dangling: usize,
    first_dangling: Option<String>,
}

fn build(path: &Path, text: &[u8], bom: &Bom<'_>) -> Result<Inventory> {
    let meta = bom.metadata.as_ref();
    let has_dependencies = bom.dependencies.as_ref().is_some_and(|d| !d.is_empty());
    let doc = DocumentMeta {
        spec_version: Some(bom.spec_version.to_string()),
        timestamp: meta
            .and_then(|m| m.timestamp.as_ref())
            .map(|t| t.0.to_string()),
        authors: meta
            .map(|m| m.authors.iter().filter_map(Contact::display).collect())
            .unwrap_or_default(),
        tools: meta
            .and_then(|m| m.tools.as_ref())
            .map(|t| t.0.clone())
            .unwrap_or_default(),
        has_dependencies,
        vulnerabilities: bom.vulnerabilities.as_ref().is_some_and(|v| !v.is_empty()),
    };
    let mut b = Builder::new(path, InputFormat::CycloneDxJson, doc, bom.components.len());
    let dup = |r: &str| duplicate_ref(path, text, r);
    if let Some(root) = meta.and_then(|m| m.component.as_deref()) {
        let idx = json_component(&mut b, root, None).map_err(dup)?;
        b.inv.add_root(idx);
    }
    for c in &bom.components {
        json_component(&mut b, c, None).map_err(dup)?;
    }
    json_services(&mut b, &bom.services).map_err(dup)?;
    for dep in bom.dependencies.iter().flatten() {
        b.depends(
            dep.reference.0.as_ref(),
            dep.depends_on.iter().map(|r| r.0.as_ref()),
        );
    }
    Ok(b.finish())
}

fn json_component<'b>(
    b: &mut Builder<'b>,
    c: &'b Component<'b>,
    parent: Option<PkgIdx>,
) -> Result<PkgIdx, &'b str> {
    let idx = b.component(&json_fields(c), parent)?;
    for child in &c.components {
        json_component(b, child, Some(idx))?;
    }
    Ok(idx)
}

fn json_services<'b>(b: &mut Builder<'b>, services: &'b [Service<'b>]) -> Result<(), &'b str> {
    for s in services {
        b.service(s.bom_ref.as_ref().map(|r| r.0.as_ref()))?;
        json_services(b, &s.services)?;
    }
    Ok(())
}

impl<'b> Builder<'b> {
    pub(super) fn new(
        path: &Path,
        format: InputFormat,
        doc: DocumentMeta,
        capacity: usize,
    ) -> Self {
        let mut inv = Inventory::new();
        let input = inv.add_input(super::input_file(path, format, doc));
        Builder {
            inv,
            input,
            refs: HashMap::with_capacity(capacity + 1),
            scopes: Vec::with_capacity(capacity + 1),
            taken: HashMap::with_capacity(capacity + 1),
            services: HashMap::new(),
            dangling: 0,
            first_dangling: None,
        }
    }

    /// Adds a component (with a containment edge from `parent`); a repeated `bom-ref` is
    /// returned as the error, for the caller to position.
    pub(super) fn component(
        &mut self,
        c: &Fields<'b>,
        parent: Option<PkgIdx>,
    ) -> Result<PkgIdx, &'b str> {
        let pkg = package(c, self.input);
        let bom_ref = c.bom_ref;
        let mut id = pkg.id.clone();
        if let Some(prev) = self.taken.get(&id) {
            if pkg.purl().is_none() && *prev != bom_ref {
                // Same name and version, different component: keep them apart.
                id = PackageId(format!("{}#{}", id.0, bom_ref.unwrap_or("")));
            }
        }
        self.taken.entry(id.clone()).or_insert(bom_ref);
        let mut pkg = pkg;
        pkg.set_id(id);
        let idx = self.inv.add_package(pkg);
        if self.scopes.len() <= idx.index() {
            self.scopes.resize(idx.index() + 1, None);
            self.scopes[idx.index()] = c.scope;
        }
        if let Some(r) = bom_ref {
            match self.refs.insert(r, idx) {
                None => {}
                // Some generators list the document's subject (`metadata.component`)
                // again among the components, with the same `bom-ref`. The `bom-ref` is
                // then not unique, but both name one and the same package: say so and
                // read on. Any other repeated `bom-ref` is an error.
                Some(prev) if prev == idx && self.inv.is_root(idx) => {
                    self.inv.notice(
                        self.input,
                        crate::text!("notice.cyclonedx-subject-again", reference = r.to_string()),
                    );
                }
                Some(_) => return Err(r),
            }
        }
        if let Some(parent) = parent {
            self.inv.add_edge(parent, idx, edge_kind(c.scope), None);
        }
        Ok(idx)
    }

    pub(super) fn add_root(&mut self, idx: PkgIdx) {
        self.inv.add_root(idx);
    }

    /// Records a service's `bom-ref` (after every component); a repeated one is returned.
    pub(super) fn service(&mut self, bom_ref: Option<&'b str>) -> Result<(), &'b str> {
        if let Some(r) = bom_ref {
            if self.refs.contains_key(r) || self.services.insert(r, ()).is_some() {
                return Err(r);
            }
        }
        Ok(())
    }

    /// One `dependencies` entry: edges from `from` to each of `to` (after every component
    /// and service). Unknown references are counted for one notice.
    pub(super) fn depends<'r>(&mut self, from: &'r str, to: impl Iterator<Item = &'r str>) {
        let Some(&from_idx) = self.refs.get(from) else {
            if !self.services.contains_key(from) {
                self.dangling += 1;
                self.first_dangling.get_or_insert_with(|| from.to_owned());
            }
            return;
        };
        for to_ref in to {
            match self.refs.get(to_ref) {
                Some(&to) => {
                    let kind = edge_kind(self.scopes[to.index()]);
                    self.inv.add_edge(from_idx, to, kind, None);
                }
                None if self.services.contains_key(to_ref) => {}
                None => {
                    self.dangling += 1;
                    self.first_dangling.get_or_insert_with(|| to_ref.to_owned());
                }
            }
        }
    }

    pub(super) fn finish(mut self) -> Inventory {
        if let Some(first) = self.first_dangling {
            self.inv.notice(
                self.input,
                crate::text!(
                    "notice.cyclonedx-dangling",
                    count = self.dangling,
                    first = first
                ),
            );
        }
        self.inv.finish();
        self.inv
    }
}

/// The kind of an edge to a component of `scope`: `optional` is optional, `excluded`
/// (not shipped, e.g. test tooling) is development only.
fn edge_kind(scope: Option<ComponentScope>) -> EdgeKind {
    match scope {
        Some(ComponentScope::Optional) => EdgeKind::Optional,
        Some(ComponentScope::Excluded) => EdgeKind::Dev,
        _ => EdgeKind::Runtime,
    }
}

/// The error for a `bom-ref` used twice, at its second occurrence as a `bom-ref` value.
/// A licence `text`'s content, base64-decoded when its `encoding` says so; none when it
/// does not decode to UTF-8 text (the licence then stays its name, unparsed).
/// Bounded as a licence file is ([`super::cargo::LICENSE_FILE_LIMIT`]).
fn license_text(content: &str, base64: bool) -> Option<String> {
    let limit = super::cargo::LICENSE_FILE_LIMIT as usize;
    let limit = if base64 { limit / 3 * 4 + 4 } else { limit };
    if content.len() > limit {
        return None;
    }
    if !base64 {
        return Some(content.to_owned());
    }
    use base64::Engine as _;
    let compact: String = content.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    String::from_utf8(bytes).ok()
}

fn duplicate_ref(path: &Path, text: &[u8], r: &str) -> Error {
    let text = String::from_utf8_lossy(text);
    let (line, col) = locate_value(&text, "bom-ref", r, 2).unwrap_or((1, 1));
    Error::at(path, line, col, format!("duplicate `bom-ref` `{r}`"))
}

/// Line and column of the `nth` (1-based) occurrence of `"key": "value"` in JSON text,
/// for problems found after deserialisation (where serde_json's position is gone).
pub(super) fn locate_value(
    text: &str,
    key: &str,
    value: &str,
    nth: usize,
) -> Option<(usize, usize)> {
    let key = format!("\"{key}\"");
    let needle = serde_json::to_string(value).ok()?;
    let mut seen = 0;
    let mut from = 0;
    while let Some(pos) = text[from..].find(&key) {
        let after = from + pos + key.len();
        let rest = text[after..].trim_start();
        if let Some(rest) = rest.strip_prefix(':') {
            let rest = rest.trim_start();
            if rest.starts_with(&needle) {
                seen += 1;
                if seen == nth {
                    return Some(line_col(text, text.len() - rest.len()));
                }
            }
        }
        from = after;
    }
    None
}

fn package(c: &Fields<'_>, input: InputIdx) -> Package {
    fn ne(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let name = match ne(c.group) {
        Some(g) => format!("{g}/{}", c.name),
        None => c.name.to_string(),
    };
    let version = ne(c.version).map(str::to_owned);
    let purl = ne(c.purl).map(str::to_owned);
    let (ecosystem, source) = match &purl {
        Some(p) => purl_facts(p),
        None => (Ecosystem::default(), SourceKind::Unknown),
    };
    let id = match &purl {
        Some(p) => PackageId(p.clone()),
        None => PackageId::synthetic(&ecosystem, &name, version.as_deref()),
    };
    let mut declared = Vec::new();
    let mut concluded = Vec::new();
    // A licence given only by its name and text: the text is identified against the SPDX
    // licence texts (as a Cargo `license-file` is) when it is the component's only licence.
    let (license_file, license_text) = match (c.licenses.as_slice(), c.license_texts.as_slice()) {
        ([(statement, _)], [(name, content, base64)]) if statement == name => {
            (Some((*name).to_owned()), license_text(content, *base64))
        }
        _ => (None, None),
    };
    for &(statement, is_concluded) in &c.licenses {
        if license_text.is_some() {
            break;
        }
        let target = if is_concluded {
            &mut concluded
        } else {
            &mut declared
        };
        target.push(statement.to_owned());
    }
    let mut authors: Vec<String> = c
        .authors
        .iter()
        .filter_map(|&(n, e)| contact(ne(n), ne(e)))
        .collect();
    if let Some(a) = ne(c.author) {
        authors.push(a.to_owned());
    }
    let supplier = ne(c.supplier)
        .or_else(|| ne(c.publisher))
        .or_else(|| ne(c.author))
        .or_else(|| c.authors.iter().find_map(|&(n, _)| ne(n)))
        .map(str::to_owned);
    let ext = |ty: &str| {
        c.external_references
            .iter()
            .find(|&&(t, url)| t == ty && !url.trim().is_empty())
            .map(|&(_, url)| url.trim().to_owned())
    };
    Package {
        integrity: None,
        id,
        name,
        version,
        ecosystem,
        purl: purl.into(),
        declared,
        concluded,
        license_file,
        license_text,
        supplier,
        authors,
        repository: ext("vcs").or_else(|| ext("source-distribution")),
        homepage: ext("website"),
        description: ne(c.description).map(str::to_owned),
        source,
        input,
        component: None,
        hash_algorithms: c.hashes.iter().map(|h| (*h).to_owned()).collect(),
        cpe: ne(c.cpe).map(str::to_owned),
        distribution: ext("distribution").or_else(|| ext("distribution-intake")),
    }
}

/// `name <email>`, or whichever of the two is given.
pub(super) fn contact(name: Option<&str>, email: Option<&str>) -> Option<String> {
    match (name, email) {
        (Some(n), Some(e)) => Some(format!("{n} <{e}>")),
        (Some(n), None) => Some(n.to_owned()),
        (None, Some(e)) => Some(e.to_owned()),
        (None, None) => None,
    }
}

/// Ecosystem and source kind from a purl (`pkg:type/namespace/name@version?qualifiers`).
///
/// A purl of a registry ecosystem without a `repository_url` qualifier points into that
/// ecosystem's default registry; `repository_url` names another registry and `vcs_url`
/// a git source. Generic and unknown types say nothing about the source.
pub(super) fn purl_facts(purl: &str) -> (Ecosystem, SourceKind) {
    let Some(rest) = purl.strip_prefix("pkg:") else {
        return (Ecosystem::default(), SourceKind::Unknown);
    };
    let rest = rest.trim_start_matches('/');
    let ty = rest.split('/').next().unwrap_or("");
    if ty.is_empty() || rest.len() == ty.len() {
        return (Ecosystem::default(), SourceKind::Unknown);
    }
    let ecosystem = Ecosystem::from_purl_type(ty);
    let qualifiers = rest
        .split('#')
        .next()
        .and_then(|r| r.split_once('?'))
        .map(|(_, q)| q)
        .unwrap_or("");
    let qualifier = |key: &str| {
        qualifiers
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| percent_decode(v))
    };
    let source = if let Some(v) = qualifier("vcs_url") {
        SourceKind::Git(v)
    } else if let Some(r) = qualifier("repository_url") {
        SourceKind::Registry(r)
    } else {
        match ecosystem {
            Ecosystem::Github => {
                let path = rest[ty.len() + 1..]
                    .split(['@', '?', '#'])
                    .next()
                    .unwrap_or("");
                SourceKind::Git(format!("https://github.com/{path}"))
            }
            Ecosystem::Other(_) => SourceKind::Unknown,
            _ => SourceKind::DefaultRegistry,
        }
    };
    (ecosystem, source)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Inventory> {
        parse(Path::new("bom.json"), s.as_bytes())
    }

    fn err(s: &str) -> String {
        match parse_str(s) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    const HEAD: &str = r#""bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1"#;

    #[test]
    fn maps_components_dependencies_and_licences() {
        let doc = format!(
            r#"{{ {HEAD},
  "metadata": {{
    "timestamp": "2024-01-02T03:04:05Z",
    "authors": [{{"name": "Ada", "email": "ada@example.org"}}],
    "tools": [{{"vendor": "Acme", "name": "scan", "version": "1"}}],
    "component": {{"type": "application", "bom-ref": "app", "name": "app", "version": "1.0"}}
  }},
  "components": [
    {{"type": "library", "bom-ref": "a", "name": "a", "version": "1", "purl": "pkg:npm/a@1",
      "supplier": {{"name": "A Corp"}}, "publisher": "ignored",
      "licenses": [{{"license": {{"id": "MIT"}}}}, {{"license": {{"name": "Custom"}}}}],
      "externalReferences": [{{"type": "vcs", "url": "https://git.example/a"}},
                             {{"type": "website", "url": "https://a.example"}}],
      "components": [{{"type": "library", "name": "inner", "scope": "optional"}}]}},
    {{"type": "library", "bom-ref": "t", "name": "t", "scope": "excluded",
      "licenses": [{{"expression": "MIT OR Apache-2.0", "acknowledgement": "concluded"}}]}}
  ],
  "dependencies": [
    {{"ref": "app", "dependsOn": ["a", "t", "nowhere"]}}
  ]
}}"#
        );
        let inv = parse_str(&doc).unwrap();
        assert_eq!(inv.packages.len(), 4);
        assert_eq!(inv.roots, vec![PkgIdx(0)]);
        let a = &inv.packages[1];
        assert_eq!(a.id.0, "pkg:npm/a@1");
        assert_eq!(a.ecosystem, Ecosystem::Npm);
        assert_eq!(a.source, SourceKind::DefaultRegistry);
        assert_eq!(a.declared, vec!["MIT", "Custom"]);
        assert_eq!(a.supplier.as_deref(), Some("A Corp"));
        assert_eq!(a.repository.as_deref(), Some("https://git.example/a"));
        assert_eq!(a.homepage.as_deref(), Some("https://a.example"));
        let inner = &inv.packages[2];
        assert_eq!(inner.id.0, "generic:inner");
        let t = &inv.packages[3];
        assert_eq!(t.concluded, vec!["MIT OR Apache-2.0"]);
        assert!(t.declared.is_empty());
        let edges: Vec<_> = inv
            .edges
            .iter()
            .map(|e| (e.from.0, e.to.0, e.kind))
            .collect();
        assert_eq!(
            edges,
            vec![
                (0, 1, EdgeKind::Runtime),
                (0, 3, EdgeKind::Dev),
                (1, 2, EdgeKind::Optional)
            ]
        );
        assert_eq!(inv.notices.len(), 1);
        assert!(inv.notices[0].message.to_string().contains("`nowhere`"));
        let meta = &inv.inputs[0].meta;
        assert_eq!(meta.spec_version.as_deref(), Some("1.6"));
        assert_eq!(meta.timestamp.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(meta.authors, vec!["Ada <ada@example.org>"]);
        assert_eq!(meta.tools, vec!["Acme scan 1"]);
        assert!(meta.has_dependencies);
    }

    #[test]
    fn tools_object_form_and_no_metadata_component() {
        let doc = format!(
            r#"{{ {HEAD}, "metadata": {{"tools": {{"components": [
                {{"type": "application", "group": "g", "name": "cdxgen", "version": "10"}}],
                "services": [{{"name": "signer"}}]}}}},
              "components": [{{"type": "library", "name": "x", "author": "Bob"}}]}}"#
        );
        let inv = parse_str(&doc).unwrap();
        assert_eq!(inv.inputs[0].meta.tools, vec!["g cdxgen 10", "signer"]);
        assert!(inv.roots.is_empty());
        assert_eq!(inv.packages[0].supplier.as_deref(), Some("Bob"));
        assert_eq!(inv.packages[0].authors, vec!["Bob"]);
        assert!(!inv.inputs[0].meta.has_dependencies);
    }

    #[test]
    fn same_name_different_components_stay_apart() {
        let doc = format!(
            r#"{{ {HEAD}, "components": [
                {{"type": "library", "bom-ref": "1", "name": "x", "version": "1"}},
                {{"type": "library", "bom-ref": "2", "name": "x", "version": "1"}}]}}"#
        );
        let inv = parse_str(&doc).unwrap();
        assert_eq!(inv.packages.len(), 2);
        assert_eq!(inv.packages[1].id.0, "generic:x@1#2");
    }

    #[test]
    fn subject_listed_again_among_components_is_a_notice() {
        let doc = format!(
            r#"{{ {HEAD}, "metadata": {{"component": {{"type": "application", "bom-ref": "app",
                "name": "app", "version": "1", "purl": "pkg:npm/app@1"}}}},
              "components": [{{"type": "application", "bom-ref": "app", "name": "app",
                "version": "1", "purl": "pkg:npm/app@1"}}]}}"#
        );
        let inv = parse_str(&doc).unwrap();
        assert_eq!(inv.packages.len(), 1);
        assert_eq!(inv.notices.len(), 1);
        // The same `bom-ref` on a different component stays an error.
        let other = format!(
            r#"{{ {HEAD}, "metadata": {{"component": {{"type": "application", "bom-ref": "app",
                "name": "app", "version": "1", "purl": "pkg:npm/app@1"}}}},
              "components": [{{"type": "library", "bom-ref": "app", "name": "lib",
                "version": "1", "purl": "pkg:npm/lib@1"}}]}}"#
        );
        assert!(parse_str(&other).is_err());
    }

    #[test]
    fn errors_carry_positions() {
        let e = err(&format!(
            "{{ {HEAD},\n\"components\": [\n{{\"type\": \"foo\", \"name\": \"x\"}}]}}"
        ));
        assert!(
            e.starts_with("bom.json:3:14: unknown component type `foo`"),
            "{e}"
        );
        let e = err(&format!(
            "{{ {HEAD},\n\"components\": [\n{{\"type\": \"library\", \"bom-ref\": \"a\", \"name\": \"x\"}},\n{{\"type\": \"library\", \"bom-ref\": \"a\", \"name\": \"y\"}}]}}"
        ));
        assert_eq!(e, "bom.json:4:32: duplicate `bom-ref` `a`");
        let e = err("{\"bomFormat\": \"CycloneDX\"}");
        assert!(e.contains("missing field `specVersion`"), "{e}");
        let e = err(&format!(
            "{{ {HEAD}, \"components\": [{{\"type\": \"library\", \"name\": \"x\", \"hashes\": [{{\"alg\": \"MD5\", \"content\": \"abc\"}}]}}]}}"
        ));
        assert!(e.contains("malformed `MD5` hash content"), "{e}");
    }

    #[test]
    fn purl_facts_read_type_and_qualifiers() {
        assert_eq!(
            purl_facts("pkg:maven/org.a/b@1?repository_url=https%3A%2F%2Frepo.example"),
            (
                Ecosystem::Maven,
                SourceKind::Registry("https://repo.example".into())
            )
        );
        assert_eq!(
            purl_facts("pkg:github/owner/repo@v1"),
            (
                Ecosystem::Github,
                SourceKind::Git("https://github.com/owner/repo".into())
            )
        );
        assert_eq!(purl_facts("pkg:generic/x@1").1, SourceKind::Unknown);
        assert_eq!(purl_facts("nonsense").0, Ecosystem::default());
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
