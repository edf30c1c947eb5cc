use super::*;

/// One raw entry: name bytes, type, content, link target.
type Entry<'a> = (&'a [u8], tar::EntryType, &'a [u8], &'a [u8]);

/// A tar archive of raw entries.
fn tar_of(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, kind, data, link) in entries {
        let mut h = tar::Header::new_old();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.as_old_mut().linkname[..link.len()].copy_from_slice(link);
        h.set_entry_type(*kind);
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn up(name: &str, bytes: Vec<u8>) -> Vec<Upload> {
    vec![Upload {
        name: name.to_owned(),
        bytes,
    }]
}

/// Unpacks into a fresh directory inside an outer one and returns the refusal, checking
/// that nothing was written outside the job's directory.
fn refused(uploads: &[Upload], limits: Limits) -> String {
    let outer = tempfile::tempdir().unwrap();
    let job = outer.path().join("job");
    fs::create_dir(&job).unwrap();
    let inspected = inspect(uploads, limits).unwrap_err();
    let unpacked = unpack(uploads, limits, &job).unwrap_err();
    assert_eq!(inspected, unpacked, "inspection and unpacking agree");
    let outside: Vec<_> = fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, vec![std::ffi::OsString::from("job")]);
    unpacked.0
}

const FILE: tar::EntryType = tar::EntryType::Regular;
const DIR: tar::EntryType = tar::EntryType::Directory;

#[test]
fn a_candidate_archive_unpacks_into_its_directory() {
    let bytes = tar_of(&[
        (b"offer/", DIR, b"", b""),
        (b"offer/candidate.toml", FILE, b"name = \"x\"\n", b""),
        (b"./offer/sbom/a.json", FILE, b"{}", b""),
    ]);
    for (name, bytes) in [("offer.tar", bytes.clone()), ("offer.tar.gz", gz(&bytes))] {
        let dir = tempfile::tempdir().unwrap();
        let uploads = up(name, bytes);
        assert_eq!(
            inspect(&uploads, Limits::default()).unwrap(),
            Summary {
                files: 2,
                bytes: 13
            }
        );
        let root = unpack(&uploads, Limits::default(), dir.path()).unwrap();
        assert_eq!(root, dir.path().join("offer"));
        assert_eq!(
            fs::read_to_string(root.join("candidate.toml")).unwrap(),
            "name = \"x\"\n"
        );
        assert!(root.join("sbom/a.json").is_file());
    }
}

#[test]
fn plain_files_are_written_under_their_base_name() {
    let dir = tempfile::tempdir().unwrap();
    let uploads = vec![
        Upload {
            name: "C:\\work\\package-lock.json".to_owned(),
            bytes: b"{}".to_vec(),
        },
        Upload {
            name: "../../bom.json".to_owned(),
            bytes: b"{}".to_vec(),
        },
    ];
    let root = unpack(&uploads, Limits::default(), dir.path()).unwrap();
    assert_eq!(root, dir.path());
    assert!(dir.path().join("package-lock.json").is_file());
    assert!(dir.path().join("bom.json").is_file());
    let twice = vec![uploads[1].clone(), uploads[1].clone()];
    let other = tempfile::tempdir().unwrap();
    assert_eq!(
        unpack(&twice, Limits::default(), other.path())
            .unwrap_err()
            .0,
        "`bom.json` is uploaded twice"
    );
}

#[test]
fn hostile_names_are_refused() {
    let cases: [(&[u8], &str); 5] = [
        (b"../evil", "climbs out with `..`"),
        (b"a/../../evil", "climbs out with `..`"),
        (b"/etc/evil", "is an absolute path"),
        (b"a\\..\\evil", "backslash"),
        (b"a\x1b[31m", "control character"),
    ];
    for (name, why) in cases {
        let bytes = tar_of(&[(name, FILE, b"x", b"")]);
        let msg = refused(&up("o.tar", bytes), Limits::default());
        assert!(msg.contains(why), "{msg}");
        assert!(msg.starts_with("`o.tar`: entry `"), "{msg}");
    }
}

#[test]
fn links_and_special_files_are_refused() {
    let cases: [(tar::EntryType, &[u8], &str); 4] = [
        (tar::EntryType::Symlink, b"/etc/passwd", "a symbolic link"),
        (tar::EntryType::Symlink, b"inside", "a symbolic link"),
        (tar::EntryType::Link, b"../../x", "a hard link"),
        (tar::EntryType::Fifo, b"", "neither a file nor a directory"),
    ];
    for (kind, target, why) in cases {
        // The link comes first and a file is written "through" it next.
        let bytes = tar_of(&[(b"l", kind, b"", target), (b"l/x", FILE, b"x", b"")]);
        let msg = refused(&up("o.tar", bytes), Limits::default());
        assert!(msg.contains(why), "{msg}");
    }
}

#[test]
fn bounds_stop_bombs_and_floods() {
    let limits = Limits {
        entries: 10,
        bytes: 1 << 20,
        depth: 4,
    };
    // A gzip bomb: 64 MiB of zeros in one entry compresses to a few dozen KiB.
    let zeros = vec![0u8; 64 << 20];
    let bomb = gz(&tar_of(&[(b"zeros", FILE, &zeros, b"")]));
    assert!(bomb.len() < 1 << 20);
    assert!(refused(&up("bomb.tar.gz", bomb), limits).contains("more than 1 MiB"));
    let many: Vec<Vec<u8>> = (0..11).map(|i| format!("f{i}").into_bytes()).collect();
    let entries: Vec<_> = many
        .iter()
        .map(|n| (n.as_slice(), FILE, &b"x"[..], &b""[..]))
        .collect();
    assert!(refused(&up("many.tar", tar_of(&entries)), limits).contains("more than 10 entries"));
    let deep = tar_of(&[(b"a/b/c/d/e", FILE, b"x", b"")]);
    assert!(refused(&up("deep.tar", deep), limits).contains("deeper than 4 levels"));
    // A truncated archive is refused, not half unpacked and accepted.
    let whole = tar_of(&[(b"f", FILE, &[7u8; 4096], b"")]);
    let cut = whole[..1024].to_vec();
    let msg = refused(&up("cut.tar", cut), limits);
    assert!(msg.contains("cut.tar"), "{msg}");
}

#[test]
fn an_empty_upload_is_refused() {
    assert_eq!(
        inspect(&up("e.tar", tar_of(&[])), Limits::default())
            .unwrap_err()
            .0,
        "the upload holds no file"
    );
}
