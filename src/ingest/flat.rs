//! The shared second half of the lockfile readers whose documents are flat lists of
//! packages (Composer, Poetry, uv, requirements.txt, Gemfile.lock): packages
//! name their dependencies by name (or name and version), and the project itself is a
//! root whose direct dependencies come from the lockfile where it records them, from the
//! manifest beside it where one was read, and otherwise are inferred as the packages no
//! other package needs (each in its own scope).

use hashbrown::HashMap;
use std::borrow::Cow;

use crate::model::{
    Ecosystem, EdgeKind, InputIdx, Inventory, Package, PackageId, PkgIdx, SourceKind,
};

/// One locked package, already in the inventory, and the dependencies it names.
#[derive(Debug)]
pub(super) struct Locked<'a> {
    pub idx: PkgIdx,
    /// Dependency keys (see [`Flat::keys`]) and kinds, in document order, borrowed from
    /// the document where a reader can.
    pub deps: Vec<(Cow<'a, str>, EdgeKind)>,
    /// The scope the lockfile puts the package in (`packages-dev`, Poetry's `category`),
    /// used only when the project's direct dependencies are inferred.
    pub scope: EdgeKind,
}

/// A flat lockfile read into packages, before the edges are resolved. The packages go
/// into the inventory as they are read (the project first), so none is moved again.
#[derive(Debug)]
pub(super) struct Flat<'a> {
    /// The project the lockfile belongs to.
    pub root: PkgIdx,
    pub locked: Vec<Locked<'a>>,
    /// The project's direct dependencies (keys and kinds) when the lockfile or its
    /// manifest records them; `None` infers them.
    pub direct: Option<Vec<(Cow<'a, str>, EdgeKind)>>,
}

impl<'a> Flat<'a> {
    /// Adds the project `root` to `inv`, as a root.
    pub(super) fn new(inv: &mut Inventory, root: Package) -> Self {
        let root = inv.add_package(root);
        inv.add_root(root);
        Flat {
            root,
            locked: Vec::new(),
            direct: None,
        }
    }

    /// Adds a locked package to `inv`, with the dependencies it names and its scope.
    pub(super) fn lock(
        &mut self,
        inv: &mut Inventory,
        pkg: Package,
        deps: Vec<(Cow<'a, str>, EdgeKind)>,
        scope: EdgeKind,
    ) {
        let idx = inv.add_package(pkg);
        self.locked.push(Locked { idx, deps, scope });
    }

    /// Adds the edges to `inv`. A dependency key that names
    /// no locked package is left out and said in a notice; inferred direct dependencies
    /// are said too. Returns the number of keys left out. `key` turns a package name or a
    /// dependency key into the form they are matched in (borrowing when it is unchanged).
    pub(super) fn into_inventory(
        self,
        inv: &mut Inventory,
        input: InputIdx,
        key: for<'k> fn(&'k str) -> Cow<'k, str>,
    ) -> usize {
        let Flat {
            root,
            locked: rest,
            direct,
        } = self;
        // Name keys borrow the names the inventory now holds, so none is copied. A
        // package merged into an earlier one has that one's id, which every reader
        // derives from the name and version: its keys are the earlier package's.
        let packages = &inv.packages;
        let mut by_name: HashMap<Cow<'_, str>, PkgIdx> = HashMap::with_capacity(rest.len());
        for &Locked { idx, .. } in &rest {
            by_name
                .entry(key(&packages[idx.index()].name))
                .or_insert(idx);
        }
        // `name version` keys only where some dependency is named so (uv.lock's, when a
        // name is locked at several versions): most lockfiles name none.
        let spaced = |d: &Cow<'_, str>| d.as_bytes().contains(&b' ');
        let by_version: HashMap<String, PkgIdx> =
            if rest.iter().any(|l| l.deps.iter().any(|d| spaced(&d.0)))
                || direct.iter().flatten().any(|d| spaced(&d.0))
            {
                rest.iter()
                    .filter_map(|&Locked { idx, .. }| {
                        let p = &packages[idx.index()];
                        let v = p.version.as_deref()?;
                        Some((format!("{} {v}", key(&p.name)), idx))
                    })
                    .collect()
            } else {
                HashMap::new()
            };
        // `name` or `name version`: the name in its matched form, the version as written.
        let find = |dep: &str| {
            if dep.as_bytes().contains(&b' ') {
                by_version.get(&*key(dep)).copied()
            } else {
                by_name.get(&key(dep)).copied()
            }
        };
        let mut edges = Vec::new();
        let mut unresolved = 0;
        let mut first: Option<String> = None;
        let mut miss = |dep: &str| {
            unresolved += 1;
            first.get_or_insert_with(|| dep.to_owned());
        };
        let mut needed = vec![false; packages.len()];
        for Locked {
            idx: from, deps, ..
        } in &rest
        {
            for (dep, kind) in deps {
                match find(dep) {
                    Some(to) if to != *from => {
                        edges.push((*from, to, *kind));
                        needed[to.index()] = true;
                    }
                    Some(_) => {}
                    None => miss(dep),
                }
            }
        }
        let inferred = direct.is_none();
        match direct {
            Some(direct) => {
                for (dep, kind) in direct {
                    match find(&dep) {
                        Some(to) if to != root => edges.push((root, to, kind)),
                        Some(_) => {}
                        None => miss(&dep),
                    }
                }
            }
            None => {
                for &Locked { idx, scope, .. } in &rest {
                    if idx != root && !needed[idx.index()] {
                        edges.push((root, idx, scope));
                    }
                }
            }
        }
        // The indices borrow the inventory's names: released before it is written.
        drop((by_name, by_version));
        if inferred {
            inv.notice(input, crate::text!("notice.lock-roots-inferred"));
        }
        inv.edges.reserve(edges.len());
        for (from, to, kind) in edges {
            inv.add_edge(from, to, kind, None);
        }
        if let Some(first) = first {
            inv.notice(
                input,
                crate::text!("notice.lock-unresolved", count = unresolved, first = first),
            );
        }
        unresolved
    }
}

/// The key of a name matched as written.
pub(super) fn exact(name: &str) -> Cow<'_, str> {
    Cow::Borrowed(name)
}

/// A package with the fields every reader sets, built in place (a package is half a
/// KB, and every reader makes one per entry).
#[inline(always)]
pub(super) fn package(
    ecosystem: Ecosystem,
    name: impl Into<String>,
    version: Option<&str>,
    purl: Option<String>,
    source: SourceKind,
    input: InputIdx,
) -> Package {
    // A name the reader built is moved, not copied.
    let name = name.into();
    let (id, purl_is_id) = match purl {
        Some(purl) => (PackageId(purl), true),
        None => (PackageId::synthetic(&ecosystem, &name, version), false),
    };
    Package::entry(
        id,
        purl_is_id,
        name,
        version.map(str::to_owned),
        ecosystem,
        source,
        input,
    )
}

/// The project a lockfile belongs to: named by its manifest or lockfile, else after the
/// folder holding the lockfile. Its id carries the lockfile's path, so the projects of
/// two lockfiles never merge.
pub(super) fn project(
    path: &std::path::Path,
    ecosystem: Ecosystem,
    name: Option<&str>,
    version: Option<&str>,
    input: InputIdx,
) -> Package {
    // The folder's name only where the manifest gives none.
    let folder = match name {
        Some(_) => None,
        None => path.parent().and_then(|d| d.file_name()).map(lossy),
    };
    let name = name.or(folder.as_deref()).unwrap_or("project");
    // `<ecosystem>:<name>@<version or local> (<path>)`, pushed rather than formatted:
    // every lockfile makes one.
    let (eco, version_or_local, shown) = (
        ecosystem.as_str(),
        version.unwrap_or("local"),
        lossy(path.as_os_str()),
    );
    let mut id =
        String::with_capacity(eco.len() + name.len() + version_or_local.len() + shown.len() + 5);
    for part in [eco, ":", name, "@", version_or_local, " (", &shown, ")"] {
        id.push_str(part);
    }
    let id = PackageId(id);
    let mut p = Package::new(id, name.to_owned(), ecosystem, SourceKind::Path(".".into()));
    p.version = version.map(str::to_owned);
    p.input = input;
    p
}

/// `s` as text, borrowed where it is UTF-8 (as nearly every path is): what
/// `to_string_lossy` gives, but checked in bulk, where that walks it chunk by chunk
/// (every lockfile's project converts two).
fn lossy(s: &std::ffi::OsStr) -> Cow<'_, str> {
    s.to_str()
        .map_or_else(|| s.to_string_lossy(), Cow::Borrowed)
}

/// `pkg:<ty>/<namespace/>name@version`, each segment percent-encoded.
pub(super) fn purl(ty: &str, name: &str, version: Option<&str>) -> String {
    purl_parts(ty, &[name], version)
}

/// [`purl`] of the name `parts` joined by `/`.
pub(super) fn purl_parts(ty: &str, parts: &[&str], version: Option<&str>) -> String {
    let len: usize = parts.iter().map(|p| p.len() + 1).sum();
    let mut out = String::with_capacity(5 + ty.len() + len + version.map_or(0, |v| v.len() + 1));
    out.push_str("pkg:");
    out.push_str(ty);
    out.push('/');
    // Each `/`-separated segment encoded, the separators kept.
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_with(&mut out, part, true);
    }
    if let Some(v) = version {
        out.push('@');
        encode_into(&mut out, v);
    }
    out
}

/// Percent-encodes what a purl segment may not hold as is.
pub(super) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s);
    out
}

fn encode_into(out: &mut String, s: &str) {
    encode_with(out, s, false);
}

/// [`encode_into`], keeping `/` as it is when `keep_slash` (a namespace's separators).
fn encode_with(out: &mut String, s: &str, keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    // The bytes a segment keeps as they are (`/` only where `keep_slash`; `.` stands in
    // for it otherwise, as it is kept anyway), in a form the compiler vectorises.
    let slash = if keep_slash { b'/' } else { b'.' };
    let kept = |b: u8| {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        let mark = (b == b'.') | (b == b'-') | (b == b'_') | (b == b'~') | (b == b'+');
        letter | digit | mark | (b == slash)
    };
    // Most names need no encoding: checked whole first, sixteen bytes at a time, and
    // copied in one piece. The last bytes are checked as the sixteen that end the name
    // (overlapping the chunk before), not copied into a padded block: reading such a
    // block back right after the copy stalls on the stores. A name shorter than
    // sixteen bytes is checked byte by byte.
    let all_kept = |c: &[u8; 16]| c.iter().fold(true, |ok, &b| ok & kept(b));
    let plain = match bytes.len().checked_sub(16) {
        None => bytes.iter().all(|&b| kept(b)),
        Some(tail) => {
            bytes
                .chunks_exact(16)
                .all(|c| <&[u8; 16]>::try_from(c).is_ok_and(all_kept))
                && <&[u8; 16]>::try_from(&bytes[tail..]).is_ok_and(all_kept)
        }
    };
    if plain {
        out.push_str(s);
        return;
    }
    // Runs of kept bytes are copied whole. A run starts after an encoded byte and ends
    // before one: both ends are ASCII, so both are character boundaries (an encoded
    // character's later bytes start empty runs, which are skipped).
    let mut start = 0;
    while let Some(off) = bytes[start..].iter().position(|&b| !kept(b)) {
        let i = start + off;
        if start < i {
            out.push_str(&s[start..i]);
        }
        let b = bytes[i];
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
        start = i + 1;
    }
    if start < s.len() {
        out.push_str(&s[start..]);
    }
}

/// A TOML syntax or shape error at its position.
pub(super) fn toml_error(
    path: &std::path::Path,
    text: &str,
    e: &toml::de::Error,
) -> crate::error::Error {
    let offset = e.span().map_or(0, |s| s.start);
    crate::error::Error::Invalid(vec![crate::error::Problem::at_offset(
        path,
        text,
        offset,
        super::toml_message(e),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock<'a>(
        flat: &mut Flat<'a>,
        inv: &mut Inventory,
        name: &str,
        deps: &[&'a str],
        scope: EdgeKind,
    ) {
        let pkg = package(
            Ecosystem::Composer,
            name,
            Some("1"),
            Some(purl("composer", name, Some("1"))),
            SourceKind::DefaultRegistry,
            InputIdx(0),
        );
        let deps = deps
            .iter()
            .map(|d| (Cow::Borrowed(*d), EdgeKind::Runtime))
            .collect();
        flat.lock(inv, pkg, deps, scope);
    }

    #[test]
    fn inferred_roots_are_what_nothing_else_needs() {
        let mut inv = Inventory::new();
        let mut flat = Flat::new(
            &mut inv,
            project(
                std::path::Path::new("composer.lock"),
                Ecosystem::Composer,
                None,
                None,
                InputIdx(0),
            ),
        );
        lock(
            &mut flat,
            &mut inv,
            "a/a",
            &["b/b", "php", "ext-json"],
            EdgeKind::Runtime,
        );
        lock(&mut flat, &mut inv, "b/b", &[], EdgeKind::Runtime);
        lock(&mut flat, &mut inv, "t/t", &["b/b"], EdgeKind::Dev);
        let unresolved =
            flat.into_inventory(&mut inv, InputIdx(0), |k| Cow::Owned(k.to_lowercase()));
        assert_eq!(unresolved, 2);
        assert_eq!(inv.packages.len(), 4);
        let kinds: Vec<_> = inv
            .edges
            .iter()
            .map(|e| {
                (
                    inv.package(e.from).name.as_str(),
                    inv.package(e.to).name.as_str(),
                    e.kind,
                )
            })
            .collect();
        assert!(kinds.contains(&("project", "a/a", EdgeKind::Runtime)));
        assert!(kinds.contains(&("project", "t/t", EdgeKind::Dev)));
        assert!(!kinds.iter().any(|k| k.0 == "project" && k.1 == "b/b"));
    }

    #[test]
    fn purls_encode_segments() {
        assert_eq!(purl("composer", "a/b", Some("1.0")), "pkg:composer/a/b@1.0");
        assert_eq!(
            purl("golang", "x.io/a b", Some("v1+x")),
            "pkg:golang/x.io/a%20b@v1+x"
        );
        // Every byte of a character beyond ASCII is encoded; a version keeps no `/`.
        assert_eq!(
            purl("gem", "ü/é~", Some("1/2%")),
            "pkg:gem/%C3%BC/%C3%A9~@1%2F2%25"
        );
        assert_eq!(encode("a~b/ c"), "a~b%2F%20c");
        // Each byte alone and inside a name, whichever path encodes it: letters, digits
        // and `.-_~+` as they are, `/` only in a name's segments, every other byte
        // percent-encoded.
        for b in 0..=255u8 {
            let Ok(c) = std::str::from_utf8(&[b]).map(str::to_owned) else {
                continue;
            };
            let safe = b.is_ascii_alphanumeric() || b".-_~+".contains(&b);
            let enc = if safe { c.clone() } else { format!("%{b:02X}") };
            assert_eq!(encode(&c), enc, "byte {b}");
            assert_eq!(
                encode(&format!("ab{c}cd")),
                format!("ab{enc}cd"),
                "byte {b}"
            );
            let in_name = if b == b'/' { c.clone() } else { enc.clone() };
            assert_eq!(
                purl("t", &format!("{c}x"), None),
                format!("pkg:t/{in_name}x"),
                "byte {b}"
            );
        }
        // A byte to encode is found wherever it is: in a whole chunk of sixteen, in the
        // last sixteen that overlap one, or in a name shorter than sixteen.
        for len in [1, 2, 15, 16, 17, 31, 32, 33, 47] {
            for at in 0..len {
                let mut name = "a".repeat(len);
                name.replace_range(at..=at, " ");
                let want = format!("{}%20{}", "a".repeat(at), "a".repeat(len - at - 1));
                assert_eq!(encode(&name), want, "length {len}, at {at}");
            }
            assert_eq!(encode(&"a".repeat(len)), "a".repeat(len));
        }
    }
}
