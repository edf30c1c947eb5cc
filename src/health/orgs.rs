//! Organisations of commit authors from their e-mail domains, through the versioned
//! table `rules/health/organisations.toml`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;

/// Who an author address belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Org {
    /// A named or domain-named organisation.
    Named(String),
    /// An independent individual (public mail provider, no-reply or address without a
    /// domain), identified by the address.
    Individual(String),
}

/// The parsed mapping table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Table {
    pub version: String,
    individual: BTreeSet<String>,
    organisations: BTreeMap<String, String>,
}

const TEXT: &str = include_str!("../../rules/health/organisations.toml");

/// The built-in table (parsed once; a tidy test keeps it valid).
pub(crate) static TABLE: LazyLock<Table> = LazyLock::new(|| {
    toml::from_str(TEXT).unwrap_or(Table {
        version: "invalid".into(),
        individual: BTreeSet::new(),
        organisations: BTreeMap::new(),
    })
});

impl Table {
    /// The organisation of a lowercased e-mail address.
    pub(crate) fn of(&self, email: &str) -> Org {
        let Some((_, domain)) = email.rsplit_once('@') else {
            return Org::Individual(email.to_owned());
        };
        let domain = domain.trim_end_matches('.');
        if domain.is_empty() || domain.starts_with("users.noreply.") || !domain.contains('.') {
            return Org::Individual(email.to_owned());
        }
        // The domain, then each parent domain with at least two labels.
        let mut d = domain;
        loop {
            if self.individual.contains(d) {
                return Org::Individual(email.to_owned());
            }
            if let Some(name) = self.organisations.get(d) {
                return Org::Named(name.clone());
            }
            match d.split_once('.') {
                Some((_, rest)) if rest.contains('.') => d = rest,
                _ => break,
            }
        }
        Org::Named(domain.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses_and_maps() {
        let t: Table = toml::from_str(TEXT).expect("organisations.toml parses");
        assert_eq!(t.version, TABLE.version);
        assert_eq!(t.of("a@gmail.com"), Org::Individual("a@gmail.com".into()));
        assert_eq!(
            t.of("1+a@users.noreply.github.com"),
            Org::Individual("1+a@users.noreply.github.com".into())
        );
        assert_eq!(
            t.of("x@users.noreply.codeberg.example"),
            Org::Individual("x@users.noreply.codeberg.example".into())
        );
        assert_eq!(t.of("a@nextcloud.com"), Org::Named("Nextcloud".into()));
        assert_eq!(t.of("a@mail.nextcloud.com"), Org::Named("Nextcloud".into()));
        assert_eq!(t.of("a@example.org"), Org::Named("example.org".into()));
        assert_eq!(
            t.of("root@localhost"),
            Org::Individual("root@localhost".into())
        );
        assert_eq!(t.of("nobody"), Org::Individual("nobody".into()));
        for d in t.individual.iter().chain(t.organisations.keys()) {
            assert_eq!(d, &d.to_ascii_lowercase(), "domains are lowercase");
        }
    }
}
