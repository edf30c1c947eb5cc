//! A string of a JSON document, borrowed from the document's text.
//!
//! serde borrows a `Cow<str>` marked `#[serde(borrow)]` only where it is a field's own
//! type: inside an `Option`, as a map key or in a list, `Cow`'s `Deserialize` always
//! copies. [`DocStr`] borrows wherever it stands, unless the string holds an escape (which
//! must be decoded into a copy).

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use serde::de::{Deserialize, Deserializer, Error, Visitor};

/// A document's string, borrowed unless it holds an escape.
/// Ordered as its text, so that it can key a map.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct DocStr<'a>(pub Cow<'a, str>);

impl Deref for DocStr<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for DocStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(v))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v.to_owned()))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(v))
            }
        }
        d.deserialize_str(V).map(DocStr)
    }
}

/// An optional string borrowed as [`DocStr`] borrows, for a field kept as
/// `Option<Cow<str>>`: `#[serde(borrow, default, deserialize_with = "opt_str")]` (the
/// `default` may come from the container instead; `deserialize_with` alone would make an
/// absent field an error).
pub(super) fn opt_str<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    Ok(Option::<DocStr<'a>>::deserialize(d)?.map(|s| s.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Deserialize)]
    struct Doc<'a> {
        #[serde(borrow)]
        field: Option<DocStr<'a>>,
        #[serde(borrow, default, deserialize_with = "opt_str")]
        cow: Option<Cow<'a, str>>,
        #[serde(borrow)]
        map: BTreeMap<DocStr<'a>, Option<DocStr<'a>>>,
    }

    #[test]
    fn borrows_in_options_and_keys_and_copies_escapes() {
        let text = r#"{"field": "plain", "map": {"key": "v\"q", "k\u00e9y": null}}"#;
        let doc: Doc<'_> = serde_json::from_str(text).unwrap();
        assert!(matches!(doc.field, Some(DocStr(Cow::Borrowed("plain")))));
        // Absent, the field is `None`; present, borrowed; `null`, `None`.
        assert_eq!(doc.cow, None);
        let present: Doc<'_> = serde_json::from_str(r#"{"cow": "c", "map": {}}"#).unwrap();
        assert!(matches!(present.cow, Some(Cow::Borrowed("c"))));
        let null: Doc<'_> = serde_json::from_str(r#"{"cow": null, "map": {}}"#).unwrap();
        assert_eq!(null.cow, None);
        let entries: Vec<_> = doc.map.iter().collect();
        assert_eq!(entries.len(), 2);
        assert!(
            matches!(entries[0], (DocStr(Cow::Borrowed("key")), Some(DocStr(Cow::Owned(v)))) if v == "v\"q")
        );
        assert!(matches!(entries[1], (DocStr(Cow::Owned(k)), None) if k == "kéy"));
        // Not a string: an error that says what was expected.
        let err = serde_json::from_str::<Doc<'_>>(r#"{"field": 1, "map": {}}"#)
            .err()
            .unwrap();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }
}
