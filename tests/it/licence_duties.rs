//! `sovra licenses` names, per licence, the duties of the policy's deployment mode
//! (attribution, source offer, notice file, network use), from `rules/licenses/`, in
//! English and German, in both output forms.

use crate::support::sovra;

const SAMPLE: &str = "samples/rust-service";

fn run(policy: &str, lang: &str, format: &str) -> String {
    let out = sovra(&[
        "licenses", SAMPLE, "--policy", policy, "--lang", lang, "--format", format,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The duties of one expression, as codes.
fn duties(v: &serde_json::Value, expression: &str) -> Vec<String> {
    v["expressions"]
        .as_array()
        .expect("expressions")
        .iter()
        .find(|e| e["expression"] == expression)
        .unwrap_or_else(|| panic!("no {expression}"))["duties"]
        .as_array()
        .expect("duties")
        .iter()
        .map(|d| d["duty"].as_str().expect("duty").to_owned())
        .collect()
}

#[test]
fn duties_follow_the_deployment_mode_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let saas = dir.path().join("saas.toml");
    std::fs::write(&saas, "extends = \"baseline\"\ndeployment = \"saas\"\n").unwrap();
    let saas = saas.display().to_string();

    for lang in ["en", "de"] {
        let dist: serde_json::Value =
            serde_json::from_str(&run("baseline", lang, "json")).expect("JSON");
        assert_eq!(dist["deployment"], "distributed");
        assert_eq!(dist["lang"], lang);
        // EUPL-1.2: notices and the source when distributed; the source to network
        // users as a service.
        assert_eq!(duties(&dist, "EUPL-1.2"), ["attribution", "source-offer"]);
        assert_eq!(duties(&dist, "MIT"), ["attribution"]);
        // An `OR` lets the user choose: MIT asks no NOTICE file.
        assert_eq!(duties(&dist, "Apache-2.0 OR MIT"), ["attribution"]);

        let as_service: serde_json::Value =
            serde_json::from_str(&run(&saas, lang, "json")).expect("JSON");
        assert_eq!(as_service["deployment"], "saas");
        assert_eq!(duties(&as_service, "EUPL-1.2"), ["network-use"]);
        assert!(duties(&as_service, "MIT").is_empty());

        // The human form names each duty with its mode, worded in the language.
        let human = run(&saas, lang, "human");
        let words = match lang {
            "de" => "network-use (saas): Nutzern, die über ein Netzwerk",
            _ => "network-use (saas): offer the corresponding source code to users",
        };
        assert!(human.contains(words), "{human}");
        let human = run("baseline", lang, "human");
        let words = match lang {
            "de" => "source-offer (distributed): den zugehörigen Quelltext",
            _ => "source-offer (distributed): give the corresponding source code",
        };
        assert!(human.contains(words), "{human}");
    }
}
