//! Who may do what: roles, passwords, API tokens, sessions and CSRF tokens.
//!
//! Three roles, each including the one before: `reader` reads, `assessor` also uploads
//! offers, `admin` also deletes. Passwords are stored as Argon2id hashes (PHC strings);
//! API tokens and session ids are 32 random bytes shown once and stored as their
//! SHA-256, so a copy of the database lets no one sign in. A form carries a CSRF token:
//! the session's own, or before login the `sovra_csrf` cookie's (double submit); both
//! are compared in constant time.

use std::fmt;

use crate::digest::{hex, sha256_hex};

/// What a signed-in user or token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    Reader,
    Assessor,
    Admin,
}

impl Role {
    pub(crate) const ALL: [Role; 3] = [Role::Reader, Role::Assessor, Role::Admin];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Assessor => "assessor",
            Role::Admin => "admin",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may upload offers for assessment.
    pub(crate) fn may_write(self) -> bool {
        self >= Role::Assessor
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who is asking: a signed-in user or a token, by name, with its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Actor {
    /// `user:<name>` or `token:<name>`, as the audit log records it.
    pub id: String,
    pub role: Role,
}

/// `n` random bytes as lowercase hex.
pub(crate) fn random_hex(n: usize) -> std::io::Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(hex(&bytes))
}

/// A new secret (an API token, a session id, a CSRF token): 32 random bytes.
pub(crate) fn secret() -> std::io::Result<String> {
    random_hex(32)
}

/// The stored form of a secret: its SHA-256 in hex.
pub(crate) fn digest(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

/// An Argon2id hash of `password` with a random salt, as a PHC string.
pub(crate) fn hash_password(password: &str) -> Result<String, String> {
    use argon2::PasswordHasher;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the stored PHC `hash`; a malformed hash matches nothing.
pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the user does not exist, so a wrong name takes as
/// long as a wrong password.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password").unwrap_or_default())
}

/// Equality of two secrets in time independent of where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A user name: 1–64 letters, digits, `.`, `_`, `-`, `@`.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsE", &h));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(h, hash_password("correct horse").unwrap(), "salted");
    }

    #[test]
    fn secrets_are_random_and_stored_as_digests() {
        let (a, b) = (secret().unwrap(), secret().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(same(&a, &a.clone()) && !same(&a, &b) && !same("a", "ab"));
    }

    #[test]
    fn roles_include_the_ones_below() {
        assert!(!Role::Reader.may_write());
        assert!(Role::Assessor.may_write() && Role::Admin.may_write());
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(valid_name("anna.schmidt@itdz") && !valid_name("a b") && !valid_name(""));
    }
}
