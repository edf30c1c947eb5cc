//! `sovra inventory` over a directory of several `publiccode.yml` files reads them as
//! it reads the files themselves: each one a component of the implicit candidate.

use crate::support::sovra;

const FIXTURES: &str = "tests/fixtures/rules/META004/fire";

fn json(args: &[&str]) -> serde_json::Value {
    let out = sovra(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn a_directory_of_publiccode_files_reads_as_the_files_do() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for case in ["fires-beta", "fires-obsolete", "ok-stable"] {
        let from = crate::support::root()
            .join(FIXTURES)
            .join(case)
            .join("publiccode.yml");
        let to = dir.path().join(case);
        std::fs::create_dir(&to).unwrap();
        std::fs::copy(&from, to.join("publiccode.yml")).unwrap();
        files.push(to.join("publiccode.yml").display().to_string());
    }
    let d = dir.path().display().to_string();
    let from_dir = json(&["inventory", &d, "--format", "json"]);
    let mut args = vec!["inventory", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let from_files = json(&args);

    let names = |v: &serde_json::Value| -> Vec<String> {
        let mut n: Vec<String> = v["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| p["name"].as_str().expect("name").to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(
        names(&from_dir),
        ["fires-beta", "fires-obsolete", "ok-stable"],
        "{from_dir:#}"
    );
    assert_eq!(names(&from_dir), names(&from_files));
    assert_eq!(from_dir["inputs"].as_array().map(Vec::len), Some(3));
    assert_eq!(from_dir["packages"], from_files["packages"]);

    // The human form and the other commands read the directory alike.
    for cmd in ["inventory", "licenses", "check", "score"] {
        let out = sovra(&[cmd, &d]);
        assert_ne!(
            out.status.code(),
            Some(2),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
