//! LIC005 end to end: compatibility per edge and per distributed work, with levels per
//! deployment mode.

#![allow(clippy::unwrap_used)] // helpers of tests: a failed unwrap is a failed test

use crate::support::sovra;

/// A CycloneDX BOM: the root `app` under `root_licence`, then `(name, licence, parent)`.
fn bom(root_licence: &str, parts: &[(&str, &str, &str)]) -> String {
    let comp = |name: &str, lic: &str| {
        format!(
            r#"{{"type":"library","bom-ref":"{name}@1.0.0","name":"{name}","version":"1.0.0","licenses":[{{"expression":"{lic}"}}],"purl":"pkg:cargo/{name}@1.0.0"}}"#
        )
    };
    let components: Vec<String> = parts.iter().map(|(n, l, _)| comp(n, l)).collect();
    let mut deps: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (n, _, parent) in parts {
        deps.entry(format!("{parent}@1.0.0"))
            .or_default()
            .push(format!("\"{n}@1.0.0\""));
    }
    let deps: Vec<String> = deps
        .iter()
        .map(|(r, on)| format!(r#"{{"ref":"{r}","dependsOn":[{}]}}"#, on.join(",")))
        .collect();
    format!(
        r#"{{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"metadata":{{"component":{}}},"components":[{}],"dependencies":[{}]}}"#,
        comp("app", root_licence),
        components.join(","),
        deps.join(",")
    )
}

/// `(level, message)` of every LIC005 finding for `deployment`.
fn findings(bom: &str, deployment: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.json");
    std::fs::write(&path, bom).unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        format!("extends = \"baseline\"\ndeployment = \"{deployment}\"\n"),
    )
    .unwrap();
    let out = sovra(&[
        "check",
        path.to_str().unwrap(),
        "--policy",
        policy.to_str().unwrap(),
        "--select",
        "LIC005",
        "--format",
        "json",
        "--no-project-policy",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let mut got: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["level"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    got
}

#[test]
fn mpl_dependencies_of_permissive_crates_are_notes_not_violations() {
    // The 989-crate workspace's case: MIT and Apache-2.0 crates depending on MPL-2.0.
    let b = bom(
        "MIT",
        &[
            ("webpki-roots", "MPL-2.0", "app"),
            ("tls", "Apache-2.0", "app"),
            ("option-ext", "MPL-2.0", "tls"),
        ],
    );
    let got = findings(&b, "distributed");
    assert_eq!(got.len(), 2, "{got:?}");
    for (level, message) in &got {
        assert_eq!(level, "allow", "{message}");
        assert!(
            message.contains("the copyleft stays with the component"),
            "{message}"
        );
    }
}

#[test]
fn a_copyleft_reaching_the_work_is_an_obligation_per_deployment_mode() {
    // An MIT application linking a GPL library through an MIT crate: the GPL reaches the
    // distributed work (once, for the work), no edge is a violation.
    let b = bom(
        "MIT",
        &[
            ("glue", "MIT", "app"),
            ("gpl-lib", "GPL-3.0-or-later", "glue"),
        ],
    );
    let distributed = findings(&b, "distributed");
    assert_eq!(
        distributed,
        vec![(
            "warn".to_owned(),
            "`gpl-lib@1.0.0` (`GPL-3.0-or-later`) in the work `app@1.0.0` (`MIT`): the copyleft \
             reaches the work: distributed, the work must be offered under `GPL-3.0-or-later`"
                .to_owned()
        )]
    );
    let saas = findings(&b, "saas");
    assert_eq!(saas.len(), 1);
    assert_eq!(saas[0].0, "allow");
    // A network copyleft reaches a service too.
    let b = bom("MIT", &[("agpl-lib", "AGPL-3.0-only", "app")]);
    assert_eq!(findings(&b, "saas")[0].0, "warn");
    assert_eq!(findings(&b, "internal")[0].0, "allow");
}

#[test]
fn incompatibility_is_found_on_the_edge_and_through_the_work() {
    // Apache-2.0 app -> MIT crate -> GPL-2.0-only library: the MIT crate's edge is fine
    // (the GPL would reach it), but the distributed work cannot satisfy both Apache-2.0
    // and GPL-2.0-only.
    let b = bom(
        "Apache-2.0",
        &[
            ("glue", "MIT", "app"),
            ("gpl2", "GPL-2.0-only", "glue"),
            ("direct", "GPL-2.0-only", "app"),
        ],
    );
    let got = findings(&b, "distributed");
    let messages: Vec<&str> = got.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        got.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
        ["deny", "deny"],
        "{messages:#?}"
    );
    assert!(messages.iter().any(
        |m| m.starts_with("`direct@1.0.0` (`GPL-2.0-only`) in `app@1.0.0`")
            && m.contains("incompatible")
    ));
    assert!(messages.iter().any(|m| {
        m.starts_with("`gpl2@1.0.0` (`GPL-2.0-only`) in the work `app@1.0.0`")
            && m.contains("incompatible")
    }));
    // Used only internally, nothing is conveyed: a review finding, said why.
    let internal = findings(&b, "internal");
    assert!(internal.iter().all(|(l, _)| l == "warn"), "{internal:?}");
}
