//! JUnit XML as GitLab and Jenkins read it: one test suite, one test case per enabled
//! rule without findings and per finding; failing findings are `<failure>`, excepted
//! ones `<skipped>`, findings below the fail level pass with their text in
//! `<system-out>`.

use super::{package_label, why};
use crate::assess::Analysis;
use crate::finding::Level;
use crate::report::render::escape_xml as esc;

pub(super) fn render(a: &Analysis, fail_on: Level) -> String {
    let mut cases = String::new();
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for (id, _) in a.policy.rules.iter().filter(|(_, r)| r.enabled.value) {
        let findings: Vec<_> = a.findings.iter().filter(|f| &f.rule == id).collect();
        let name = a.catalogue.get(id).map_or("", |r| r.name.as_str());
        if findings.is_empty() {
            tests += 1;
            cases.push_str(&format!(
                "    <testcase classname=\"sovra.{}\" name=\"{} {}: no findings\"/>\n",
                esc(id),
                esc(id),
                esc(name)
            ));
            continue;
        }
        for f in findings {
            tests += 1;
            let subject = package_label(a, f).unwrap_or_else(|| "candidate".to_owned());
            let mut body = f.hit.message.to_string();
            if let Some(w) = why(a, f) {
                body.push_str(&format!("\nwhy: {w}"));
            }
            for n in &f.hit.notes {
                body.push('\n');
                body.push_str(&n.to_string());
            }
            let head = format!(
                "    <testcase classname=\"sovra.{}\" name=\"{} {}: {}\">\n",
                esc(id),
                esc(id),
                esc(name),
                esc(&subject)
            );
            cases.push_str(&head);
            if let Some(e) = &f.exception {
                skipped += 1;
                cases.push_str(&format!(
                    "      <skipped message=\"{}\"/>\n",
                    esc(&format!(
                        "excepted by `{}` ({}): {}",
                        e.layer, e.owner, e.reason
                    ))
                ));
            } else if f.fails(fail_on) {
                failures += 1;
                cases.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    f.level.as_str(),
                    esc(&f.hit.message.to_string()),
                    esc(&body)
                ));
            } else {
                cases.push_str(&format!(
                    "      <system-out>{}: {}</system-out>\n",
                    f.level.as_str(),
                    esc(&body)
                ));
            }
            cases.push_str("    </testcase>\n");
        }
    }
    // Findings of rules that are not in the policy's rule table cannot occur; findings
    // are always of enabled rules.
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sovra\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n  <testsuite name=\"sovra check ({})\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{cases}  </testsuite>\n</testsuites>\n",
        esc(&a.policy.chain())
    )
}
