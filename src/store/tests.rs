//! Tests of the catalogue on SQLite, and on PostgreSQL when `SOVRA_TEST_POSTGRES` names
//! a server where a fresh database may be created per test (required when `CI` is set).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn date() -> jiff::civil::Date {
    jiff::civil::date(2026, 3, 1)
}

/// A database to run one test against; a PostgreSQL one is dropped afterwards.
struct TestDb {
    url: String,
    _dir: Option<tempfile::TempDir>,
    drop: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, name)) = self.drop.take() {
            // On a thread of its own: the test's runtime may be this thread's.
            let done = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    use sqlx::Connection;
                    sqlx::any::install_default_drivers();
                    if let Ok(mut c) = sqlx::AnyConnection::connect(&server).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
                    }
                });
            });
            let _ = done.join();
        }
    }
}

/// The databases every catalogue test runs on: a SQLite file, and PostgreSQL when
/// `SOVRA_TEST_POSTGRES` is set (a fresh database on that server). Without it the
/// PostgreSQL half is skipped with a message, or fails when `CI` is set.
async fn databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = TestDb {
        url: dir.path().join("catalog.db").display().to_string(),
        _dir: Some(dir),
        drop: None,
    };
    let mut out = vec![sqlite];
    match std::env::var("SOVRA_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => {
            use sqlx::Connection;
            sqlx::any::install_default_drivers();
            let mut bytes = [0u8; 6];
            getrandom::fill(&mut bytes).unwrap();
            let name = format!(
                "sovra_test_{}",
                bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
            );
            let mut c = sqlx::AnyConnection::connect(&server)
                .await
                .unwrap_or_else(|e| panic!("SOVRA_TEST_POSTGRES: cannot connect: {e}"));
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut c)
                .await
                .unwrap();
            let (base, query) = match server.split_once('?') {
                Some((b, q)) => (b.to_owned(), format!("?{q}")),
                None => (server.clone(), String::new()),
            };
            let base = match base.rfind('/') {
                Some(i) if i > "postgres://".len() => base[..i].to_owned(),
                _ => base,
            };
            out.push(TestDb {
                url: format!("{base}/{name}{query}"),
                _dir: None,
                drop: Some((server, name)),
            });
        }
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set and SOVRA_TEST_POSTGRES is not: the PostgreSQL tests must run")
        }
        _ => eprintln!("SOVRA_TEST_POSTGRES not set: the catalogue's PostgreSQL tests are skipped"),
    }
    out
}

fn add_request(inputs: &[&Path]) -> AddRequest {
    AddRequest::new(inputs.iter().map(|p| p.to_path_buf()).collect(), date())
}

const PUBLICCODE: &str = r#"publiccodeYmlVersion: "0.4"
name: Example Office
url: "https://github.com/example-org/example-office"
platforms:
  - web
categories:
  - office
  - document-management
developmentStatus: stable
softwareType: "standalone/web"
description:
  en:
    shortDescription: "An office suite for tests."
    longDescription: >
      This file exists to test how sovra imports publiccode.yml descriptions into its
      catalogue of assessments, with their categories as functions of the software.
      It is long enough to satisfy the standard's minimum of 150 characters.
    features:
      - Testing
legal:
  license: EUPL-1.2
  mainCopyrightOwner: Example Org
maintenance:
  type: internal
  contacts:
    - name: Example Maintainer
localisation:
  localisationReady: true
  availableLanguages:
    - en
"#;

#[tokio::test]
async fn add_reproduce_history_diff_and_audit_on_every_database() {
    for db in databases().await {
        let store = Store::open(&db.url).await.unwrap();
        let opendesk = root().join("samples/opendesk");
        let first = store
            .add(add_request(&[&opendesk]), "tester")
            .await
            .unwrap();
        assert_eq!(
            (first.candidate.as_str(), first.version),
            ("openDesk CE", 1)
        );
        // Reproduced byte for byte from what is stored.
        let r = store.reproduce(first.id).await.unwrap().unwrap();
        assert!(r.identical, "{:?}", r.differences);
        assert_eq!(r.differing_lines, 0);
        // The stored report names files relative to the stored root, never the
        // temporary directory it was run in.
        let json = store.report_json(first.id).await.unwrap().unwrap();
        assert!(
            json.contains("\"opendesk/candidate.toml\""),
            "{}",
            &json[..400]
        );
        assert!(!json.contains("sovra-catalog-"));
        let detail = store.assessment(first.id).await.unwrap().unwrap();
        assert!(detail.functions.contains(&"office".to_owned()));
        assert!(
            detail
                .inputs
                .iter()
                .any(|i| i.path == "opendesk/candidate.toml")
        );
        assert!(
            detail
                .findings
                .iter()
                .all(|f| !f.message.contains("sovra-catalog-"))
        );

        // The same candidate under another policy: a new version, nothing overwritten.
        let mut req = add_request(&[&opendesk]);
        req.policy = Some("baseline".into());
        let second = store.add(req, "tester").await.unwrap();
        assert_eq!(second.version, 2);
        assert_eq!(second.candidate_id, first.candidate_id);
        let history = store.history("openDesk CE").await.unwrap();
        assert_eq!(
            history.iter().map(|h| h.id).collect::<Vec<_>>(),
            [first.id, second.id]
        );
        assert_eq!(store.report_json(first.id).await.unwrap().unwrap(), json);
        let d = store.diff(first.id, second.id).await.unwrap().unwrap();
        assert!(
            !(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty())
                || d.from.policy != d.to.policy,
            "a policy change shows"
        );
        let same = store.diff(first.id, first.id).await.unwrap().unwrap();
        assert!(same.added.is_empty() && same.removed.is_empty() && same.changed.is_empty());

        // A tampered report is found out.
        sqlx::query("UPDATE assessments SET report = $1 WHERE id = $2")
            .bind(pack(json.replacen("openDesk CE", "openDesk XX", 1).as_bytes()).unwrap())
            .bind(first.id)
            .execute(store.pool())
            .await
            .unwrap();
        let r = store.reproduce(first.id).await.unwrap().unwrap();
        assert!(!r.identical);
        assert!(r.differing_lines >= 1 && !r.differences.is_empty());

        // Every write is in the audit log, which refuses change.
        let audit = store.audit_log(10, 0).await.unwrap();
        assert_eq!(audit.len(), 2);
        assert!(
            audit
                .iter()
                .all(|a| a.actor == "tester" && a.action == "assessment")
        );
        for sql in ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"] {
            let e = sqlx::query(sql).execute(store.pool()).await;
            assert!(e.is_err(), "{sql} on {}", db.url);
            assert!(e.unwrap_err().to_string().contains("append-only"));
        }
        store.record("admin", "login", "session", "").await.unwrap();
        assert_eq!(store.audit_log(10, 0).await.unwrap().len(), 3);
        // Opening again applies no migration twice.
        drop(store);
        let again = Store::open(&db.url).await.unwrap();
        assert_eq!(again.list(10, 0).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn search_functions_candidate_and_compare() {
    for db in databases().await {
        let store = Store::open(&db.url).await.unwrap();
        let open = store
            .add(add_request(&[&root().join("samples/opendesk")]), "t")
            .await
            .unwrap();
        let closed = store
            .add(
                add_request(&[&root().join("samples/proprietary-suite")]),
                "t",
            )
            .await
            .unwrap();
        let all = store.search(&Search::default()).await.unwrap();
        assert_eq!(all.total, 2);
        let names = |p: &SearchPage| -> Vec<String> {
            p.items.iter().map(|s| s.row.candidate.clone()).collect()
        };
        let s = |f: fn(&mut Search)| {
            let mut q = Search::default();
            f(&mut q);
            q
        };
        let page = store
            .search(&s(|q| q.q = Some("desk".into())))
            .await
            .unwrap();
        assert_eq!(names(&page), ["openDesk CE"]);
        let page = store
            .search(&s(|q| q.verdict = Some("non-compliant".into())))
            .await
            .unwrap();
        assert_eq!(names(&page), std::slice::from_ref(&closed.candidate));
        let page = store
            .search(&s(|q| q.score_min = Some(50.0)))
            .await
            .unwrap();
        assert_eq!(names(&page), ["openDesk CE"]);
        let page = store
            .search(&s(|q| q.score_max = Some(50.0)))
            .await
            .unwrap();
        assert_eq!(names(&page), std::slice::from_ref(&closed.candidate));
        let page = store
            .search(&s(|q| q.jurisdiction = Some("de".into())))
            .await
            .unwrap();
        assert_eq!(names(&page), ["openDesk CE"]);
        let page = store
            .search(&s(|q| q.licence_class = Some("network-copyleft".into())))
            .await
            .unwrap();
        assert_eq!(names(&page), ["openDesk CE"]);
        let page = store
            .search(&s(|q| q.function = Some("office".into())))
            .await
            .unwrap();
        assert_eq!(page.total, 2);
        let page = store.search(&s(|q| q.q = Some("%".into()))).await.unwrap();
        assert_eq!(page.total, 0, "a wildcard is matched literally");
        let page = store
            .search(&s(|q| q.date_from = Some("2026-03-02".into())))
            .await
            .unwrap();
        assert_eq!(page.total, 0);
        let functions = store.functions().await.unwrap();
        let office = functions.iter().find(|f| f.function == "office").unwrap();
        assert_eq!(office.alternatives.len(), 2);
        assert_eq!(
            office.alternatives[0].id, open.id,
            "the better alternative first"
        );
        let c = store.candidate(open.candidate_id).await.unwrap().unwrap();
        assert_eq!((c.name.as_str(), c.history.len()), ("openDesk CE", 1));
        assert!(store.candidate(9999).await.unwrap().is_none());
        let cmp = store
            .compare(&[open.id, closed.id], "en")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            cmp.candidates,
            ["openDesk CE".to_owned(), closed.candidate.clone()]
        );
        assert_eq!(cmp.leader.as_deref(), Some("openDesk CE"));
        let html = store
            .render(open.id, crate::report::Format::Html, "de")
            .await
            .unwrap()
            .unwrap();
        assert!(html.contains("<html") && html.contains("lang=\"de\""));
    }
}

/// Search answers from a read model in memory; a write through another handle (another
/// server instance over the same database) must show in the next search, and every
/// stored assessment has its view in the other language.
#[tokio::test]
async fn the_read_model_follows_every_write_withdrawals_included() {
    for db in databases().await {
        let reader = Store::open(&db.url).await.unwrap();
        let writer = Store::open(&db.url).await.unwrap();
        let g0 = reader.generation().await.unwrap();
        assert_eq!(reader.search(&Search::default()).await.unwrap().total, 0);
        let closed = writer
            .add(
                add_request(&[&root().join("samples/proprietary-suite")]),
                "t",
            )
            .await
            .unwrap();
        assert!(
            reader.generation().await.unwrap() > g0,
            "a write raises the generation"
        );
        let page = reader.search(&Search::default()).await.unwrap();
        assert_eq!(page.total, 1, "{}: a stale read model", db.url);
        let snap = reader.snapshot().await.unwrap();
        assert!(
            Arc::ptr_eq(&snap, &reader.snapshot().await.unwrap()),
            "no write, no rebuild"
        );
        let again = writer
            .add(
                add_request(&[&root().join("samples/proprietary-suite")]),
                "t",
            )
            .await
            .unwrap();
        assert!(!Arc::ptr_eq(&snap, &reader.snapshot().await.unwrap()));
        let page = reader.search(&Search::default()).await.unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(
            page.items[0].row.id, again.id,
            "the newest version is found"
        );
        let en = reader
            .report_json_in(closed.id, "en")
            .await
            .unwrap()
            .unwrap();
        let de = reader
            .report_json_in(closed.id, "de")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(en, reader.report_json(closed.id).await.unwrap().unwrap());
        assert!(de.contains("\"lang\": \"de\"") && de.contains("Kündigungsfrist"));
        assert!(!en.contains("Kündigungsfrist"));
        let r = reader.reproduce(closed.id).await.unwrap().unwrap();
        assert!(r.identical, "{:?}", r.differences);

        // Withdrawn: out of search and the functions list, nothing deleted, audited once.
        let cid = closed.candidate_id;
        let w = writer
            .withdraw(cid, "t", "end of support")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(reader.search(&Search::default()).await.unwrap().total, 0);
        assert!(reader.functions().await.unwrap().is_empty());
        let again = writer.withdraw(cid, "u", "other").await.unwrap().unwrap();
        assert_eq!(again, w, "the first withdrawal stands");
        assert!(writer.withdraw(9999, "t", "x").await.unwrap().is_none());
        let c = reader.candidate(cid).await.unwrap().unwrap();
        assert_eq!(
            c.withdrawn.as_ref().map(|w| w.reason.as_str()),
            Some("end of support")
        );
        assert_eq!(c.history.len(), 2);
        let log = reader.audit_log(100, 0).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action == "withdraw").count(), 1);
        // A new assessment takes it back in.
        writer
            .add(
                add_request(&[&root().join("samples/proprietary-suite")]),
                "t",
            )
            .await
            .unwrap();
        assert_eq!(reader.search(&Search::default()).await.unwrap().total, 1);
        assert!(
            reader
                .candidate(cid)
                .await
                .unwrap()
                .unwrap()
                .withdrawn
                .is_none()
        );
    }
}

#[tokio::test]
async fn import_counts_invalid_files_with_their_position() {
    for db in databases().await {
        let store = Store::open(&db.url).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("a/publiccode.yml");
        std::fs::create_dir_all(ok.parent().unwrap()).unwrap();
        std::fs::write(&ok, PUBLICCODE).unwrap();
        let bad = dir.path().join("b/publiccode.yml");
        std::fs::create_dir_all(bad.parent().unwrap()).unwrap();
        std::fs::write(
            &bad,
            PUBLICCODE.replace("developmentStatus: stable", "developmentStatus: stabel"),
        )
        .unwrap();
        std::fs::write(dir.path().join("b/other.yml"), "x: 1\n").unwrap();
        let r = import_publiccode(&store, &[dir.path().to_owned()], false, date(), "t")
            .await
            .unwrap();
        assert_eq!((r.imported.len(), r.invalid), (1, 1));
        assert!(
            r.problems[0].contains("b/publiccode.yml:9:"),
            "{:?}",
            r.problems
        );
        let row = &r.imported[0];
        assert_eq!(
            (row.candidate.as_str(), row.kind.as_str()),
            ("Example Office", "import")
        );
        assert_eq!(
            row.description.as_deref(),
            Some("An office suite for tests.")
        );
        let d = store.assessment(row.id).await.unwrap().unwrap();
        assert_eq!(d.functions, ["document-management", "office"]);
        assert!(store.reproduce(row.id).await.unwrap().unwrap().identical);
        let r = import_publiccode(&store, &[dir.path().to_owned()], true, date(), "t")
            .await
            .unwrap();
        assert_eq!((r.imported.len(), r.invalid), (1, 2), "{:?}", r.problems);
        assert_eq!(r.imported[0].version, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_adds_all_land_as_versions() {
    for db in databases().await {
        let store = Store::open(&db.url).await.unwrap();
        let input = root().join("tests/fixtures/sbom/product.cdx.json");
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let store = store.clone();
                let req = add_request(&[&input]);
                tokio::spawn(async move { store.add(req, &format!("client{i}")).await })
            })
            .collect();
        let mut versions = Vec::new();
        for t in tasks {
            versions.push(t.await.unwrap().unwrap().version);
        }
        versions.sort_unstable();
        assert_eq!(versions, (1..=8).collect::<Vec<_>>());
        assert_eq!(store.audit_log(100, 0).await.unwrap().len(), 8);
    }
}

#[test]
fn capture_is_bounded_and_confined() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5 {
        std::fs::write(dir.path().join(format!("f{i}.json")), "{}").unwrap();
    }
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/HEAD"), "x").unwrap();
    let bounds = capture::Bounds {
        max_file_bytes: 10,
        max_total_bytes: 1000,
        max_files: 5,
    };
    let c = capture::capture(&[dir.path().to_owned()], bounds).unwrap();
    assert_eq!(c.files.len(), 5, ".git is not stored");
    std::fs::write(dir.path().join("f5.json"), "{}").unwrap();
    let e = capture::capture(&[dir.path().to_owned()], bounds).unwrap_err();
    assert!(e.to_string().contains("more than 5 files"), "{e}");
    std::fs::remove_file(dir.path().join("f5.json")).unwrap();
    std::fs::write(dir.path().join("f0.json"), "[1,2,3,4,5,6,7]").unwrap();
    let e = capture::capture(&[dir.path().to_owned()], bounds).unwrap_err();
    assert!(e.to_string().contains("f0.json"), "{e}");
    let e = capture::capture(
        &[dir.path().to_owned()],
        capture::Bounds {
            max_total_bytes: 5,
            max_file_bytes: 100,
            max_files: 100,
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("MiB together"), "{e}");
    #[cfg(unix)]
    {
        std::fs::write(dir.path().join("f0.json"), "{}").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link.json")).unwrap();
        let c = capture::capture(
            &[dir.path().to_owned()],
            capture::Bounds {
                max_files: 100,
                ..bounds
            },
        )
        .unwrap();
        assert_eq!(c.left_out.len(), 1, "{:?}", c.left_out);
    }
    for bad in ["../x", "/etc/passwd", "a//b", "a/./b", ""] {
        assert!(capture::safe_relative(bad).is_err(), "{bad}");
    }
}

#[test]
fn urls() {
    assert_eq!(
        connect_url("/tmp/a b.db").unwrap(),
        (
            "sqlite:///tmp/a%20b.db?mode=rwc".to_owned(),
            Backend::Sqlite
        )
    );
    assert_eq!(
        connect_url("sqlite:x.db").unwrap(),
        ("sqlite:x.db?mode=rwc".to_owned(), Backend::Sqlite)
    );
    assert_eq!(
        connect_url("postgres://u:p@h/db").unwrap().1,
        Backend::Postgres
    );
    assert!(connect_url("mysql://h/db").is_err());
    assert!(connect_url("").is_err());
    assert_eq!(
        redact("postgres://u:secret@h:5432/db"),
        "postgres://u:***@h:5432/db"
    );
    assert_eq!(redact("/tmp/x.db"), "/tmp/x.db");
}

#[test]
fn every_migration_file_is_listed() {
    for dialect in ["sqlite", "postgres"] {
        let dir = root().join("src/store/migrations").join(dialect);
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|(v, d, _, _)| format!("{v:04}_{d}.sql"))
            .collect();
        assert_eq!(files, listed, "{dialect}");
    }
}

/// A lockfile given alone is stored in a folder of its folder's name, with the manifest
/// beside it: the stored run reads what `sovra check` on the same path reads, and a
/// lockfile without a manifest (whose project is named after its folder) no longer
/// names the temporary directory. Two inputs from folders of one name keep theirs apart.
#[test]
fn a_lockfile_alone_is_stored_in_its_folder_with_its_manifest() {
    const LOCK: &str = r#"{"content-hash":"0","packages":[{"name":"psr/log","version":"3.0.0","license":["MIT"],
        "dist":{"type":"zip","url":"https://example.org/log.zip"}}],"packages-dev":[]}"#;
    const MANIFEST: &str =
        r#"{"name":"acme/offer","license":"EUPL-1.2","require":{"psr/log":"^3"}}"#;
    let dir = tempfile::tempdir().unwrap();
    for (folder, manifest) in [("a/offer", true), ("b/offer", false)] {
        let d = dir.path().join(folder);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("composer.lock"), LOCK).unwrap();
        if manifest {
            std::fs::write(d.join("composer.json"), MANIFEST).unwrap();
        }
    }
    let (a, b) = (
        dir.path().join("a/offer/composer.lock"),
        dir.path().join("b/offer/composer.lock"),
    );
    let bounds = capture::Bounds {
        max_file_bytes: 1 << 20,
        max_total_bytes: 1 << 20,
        max_files: 10,
    };
    let c = capture::capture(&[a.clone(), b.clone()], bounds).unwrap();
    let stored: Vec<&str> = c.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        stored,
        [
            "2/offer/composer.lock",
            "offer/composer.json",
            "offer/composer.lock"
        ]
    );
    assert_eq!(c.roots, ["offer/composer.lock", "2/offer/composer.lock"]);
    for (input, project_licence) in [(&a, Some("EUPL-1.2")), (&b, None)] {
        let prepared = run::prepare(&add_request(&[input.as_path()])).unwrap();
        let json = &prepared.report;
        assert!(!json.contains("sovra-catalog-"), "{json}");
        if let Some(licence) = project_licence {
            assert!(json.contains(licence), "the manifest was not read");
        }
    }
}
