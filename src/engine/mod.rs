//! The engine: runs the rules of the effective policy over one candidate and returns
//! findings, with exceptions applied.
//!
//! A rule (data in `rules/catalogue/`) names a check kind (code in `src/checks/`) and
//! parameterises it. Checks are pure: they read the [`Ctx`] and push [`Hit`]s; the
//! engine turns hits into [`Finding`]s with the rule's id and effective level, attaches
//! inclusion paths, applies exceptions and sorts. No IO happens here.

use std::collections::HashMap;

use crate::catalogue::Catalogue;
use crate::checks::{Ctx, Phase, choice};
use crate::facts::{Extra, Kb};
use crate::finding::{AppliedException, Finding, Level};
use crate::graph::DepGraph;
use crate::license::Licenses;
use crate::model::Inventory;
use crate::policy::{EffectivePolicy, ExceptionTarget};
use crate::text::Text;

/// The registry of check kinds as the catalogue and the policy see it: `None` for an
/// unknown kind name, else whether `params` fit the kind's typed parameters.
pub(crate) fn kinds(name: &str, params: &toml::Table) -> Option<Result<(), String>> {
    crate::checks::kind(name).map(|k| (k.compile)(params).map(|_| ()))
}

/// The catalogue built into the binary, bound to the registry of check kinds.
pub(crate) fn embedded_catalogue() -> crate::Result<Catalogue> {
    Catalogue::embedded(&kinds)
}

/// What the engine runs over.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input<'a> {
    pub inventory: &'a Inventory,
    pub graph: &'a DepGraph,
    pub licenses: &'a Licenses,
    pub kb: &'a Kb,
    pub extra: &'a Extra,
    pub today: jiff::civil::Date,
}

/// Runs every enabled rule of `policy` and returns the findings, exceptions applied,
/// sorted by rule id, package and message.
/// The enabled rules of a policy, each bound to its check kind and compiled once,
/// before anything runs: a rule that cannot be bound or compiled is an error, never a
/// rule silently skipped.
pub(crate) struct Plan {
    rules: Vec<(String, Phase, crate::checks::Compiled)>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.rules.iter().map(|(id, phase, _)| (id, phase)))
            .finish()
    }
}

impl Plan {
    pub(crate) fn new(catalogue: &Catalogue, policy: &EffectivePolicy) -> crate::Result<Plan> {
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        for (id, eff) in &policy.rules {
            if !eff.enabled.value {
                continue;
            }
            let Some(rule) = catalogue.get(id) else {
                problems.push(format!("rule `{id}` is not in the catalogue"));
                continue;
            };
            let Some(kind) = crate::checks::kind(&rule.check) else {
                problems.push(format!("rule `{id}`: unknown check kind `{}`", rule.check));
                continue;
            };
            match (kind.compile)(&eff.params_table()) {
                Ok(check) => rules.push((id.clone(), kind.phase, check)),
                Err(e) => problems.push(format!("rule `{id}` (check `{}`): {e}", kind.name)),
            }
        }
        if problems.is_empty() {
            Ok(Plan { rules })
        } else {
            Err(crate::Error::Usage(problems.join("; ")))
        }
    }
}

/// Compiles the policy's rules ([`Plan::new`]) and runs them.
pub(crate) fn run(
    catalogue: &Catalogue,
    policy: &EffectivePolicy,
    input: &Input<'_>,
) -> crate::Result<Vec<Finding>> {
    Ok(run_plan(&Plan::new(catalogue, policy)?, policy, input))
}

/// Runs every rule of `plan` and returns the findings, exceptions applied, sorted by
/// rule id, package and message.
pub(crate) fn run_plan(plan: &Plan, policy: &EffectivePolicy, input: &Input<'_>) -> Vec<Finding> {
    let choices = choice::choose_all(input.licenses, &policy.prefer.value);
    let mut used = vec![false; policy.exceptions.len()];
    let mut ctx = Ctx {
        inventory: input.inventory,
        graph: input.graph,
        licenses: input.licenses,
        choices: &choices,
        kb: input.kb,
        policy,
        extra: input.extra,
        today: input.today,
        used_exceptions: &[],
    };
    let mut findings = run_phase(plan, policy, &ctx, Phase::Main);
    let index = exception_index(policy);
    for f in &mut findings {
        apply_exceptions(f, policy, &index, input, &mut used);
    }
    ctx.used_exceptions = &used;
    findings.extend(run_phase(plan, policy, &ctx, Phase::Post));
    sort(&mut findings, input.inventory);
    findings
}

fn run_phase(plan: &Plan, policy: &EffectivePolicy, ctx: &Ctx<'_>, phase: Phase) -> Vec<Finding> {
    let rules: Vec<_> = plan
        .rules
        .iter()
        .filter(|(_, rule_phase, _)| *rule_phase == phase)
        .filter_map(|(id, _, check)| Some((id, policy.rules.get(id)?, check)))
        .collect();
    let checks: Vec<_> = rules.iter().map(|&(_, _, check)| check).collect();
    let hits = run_checks(&checks, ctx);
    let mut out = Vec::with_capacity(hits.iter().map(Vec::len).sum());
    for ((id, eff, _), hits) in rules.iter().zip(hits) {
        for hit in hits {
            let mut level = if hit.review_only {
                eff.level.value.min(Level::Warn)
            } else {
                eff.level.value
            };
            if let Some(cap) = hit.cap {
                level = level.min(cap);
            }
            let path = hit.package.and_then(|p| Some((p, ctx.graph.scope_of(p)?)));
            out.push(Finding {
                rule: (*id).clone(),
                level,
                hit,
                path,
                exception: None,
            });
        }
    }
    out
}

/// The hits of every check, in order. On a large candidate the checks run on a few
/// threads ([`crate::parallel::each_on_threads`]); the result does not depend on which
/// thread ran what.
fn run_checks(checks: &[&crate::checks::Compiled], ctx: &Ctx<'_>) -> Vec<Vec<crate::finding::Hit>> {
    /// Below this many packages and inputs the checks take well under a millisecond
    /// together, less than starting a thread.
    const PARALLEL_FROM: usize = 4_096;
    let size = ctx.inventory.packages.len() + ctx.inventory.inputs.len();
    if size < PARALLEL_FROM {
        return checks.iter().map(|check| check(ctx)).collect();
    }
    crate::parallel::each_on_threads(checks, |check| check(ctx))
}

/// The exceptions by rule and the name they match (a package name, a licence, a
/// vendor id), each list in declaration order: a finding looks at the few that can
/// match it, not at every exception (a policy may hold tens of thousands).
type ExceptionIndex<'p> = HashMap<(&'p str, &'p str), Vec<usize>>;

fn exception_index(policy: &EffectivePolicy) -> ExceptionIndex<'_> {
    let mut index: ExceptionIndex<'_> = HashMap::new();
    for (i, ex) in policy.exceptions.iter().enumerate() {
        let key = match &ex.target {
            ExceptionTarget::Package { name, .. } => name.as_str(),
            ExceptionTarget::License(l) => l.as_str(),
            ExceptionTarget::Vendor(v) => v.as_str(),
        };
        index.entry((ex.rule.as_str(), key)).or_default().push(i);
    }
    index
}

/// Attaches the first unexpired exception that matches `f`, and marks it used.
fn apply_exceptions(
    f: &mut Finding,
    policy: &EffectivePolicy,
    index: &ExceptionIndex<'_>,
    input: &Input<'_>,
    used: &mut [bool],
) {
    // The names an exception of this finding's rule could be keyed by.
    let mut keys: Vec<&str> = Vec::with_capacity(3);
    if let Some(p) = f.hit.package {
        keys.push(input.inventory.package(p).name.as_str());
        if let Some(crate::license::LicenseState::Known(k)) =
            input.licenses.per_package.get(p.index())
        {
            keys.push(k.text());
        }
    }
    if let Some(s) = f.hit.subject.as_deref() {
        keys.push(s);
    }
    let mut candidates: Vec<usize> = keys
        .iter()
        .filter_map(|k| index.get(&(f.rule.as_str(), *k)))
        .flatten()
        .copied()
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    for i in candidates {
        let ex = &policy.exceptions[i];
        if ex.rule != f.rule || ex.is_expired(input.today) {
            continue;
        }
        let matched = match &ex.target {
            ExceptionTarget::Package { name, version } => f.hit.package.is_some_and(|p| {
                let pkg = input.inventory.package(p);
                pkg.name == *name
                    && version.as_ref().is_none_or(|req| {
                        pkg.version
                            .as_deref()
                            .and_then(|v| semver::Version::parse(v).ok())
                            .is_some_and(|v| req.matches(&v))
                    })
            }),
            ExceptionTarget::License(l) => {
                f.hit.subject.as_deref() == Some(l.as_str())
                    || f.hit.package.is_some_and(|p| {
                        matches!(
                            input.licenses.per_package.get(p.index()),
                            Some(crate::license::LicenseState::Known(k)) if k.text() == l
                        )
                    })
            }
            ExceptionTarget::Vendor(v) => f.hit.subject.as_deref() == Some(v.as_str()),
        };
        if matched {
            used[i] = true;
            f.exception = Some(AppliedException {
                index: i,
                reason: ex.reason.clone(),
                owner: ex.owner.clone(),
                expires: ex.expires.map(|d| d.to_string()),
                layer: ex.layer.clone(),
            });
            return;
        }
    }
}

fn sort(findings: &mut [Finding], inv: &Inventory) {
    // By rule, package (name, version) and component first, all borrowed; the rendered
    // message, then the notes, only break ties within a run that shares that key (one
    // SBOM-level finding per input shares it across thousands of inputs). The order is
    // that of the whole tuple (rule, package, component, message, notes), and stable:
    // each key is worked out once per finding and sorted with the finding's place.
    let order = {
        let mut keyed: Vec<(CheapKey<'_>, usize)> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| (cheap_key(f, inv), i))
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, i)| i).collect()
    };
    permute(findings, order);
    for run in runs(findings, |a, b| cheap_key(a, inv) == cheap_key(b, inv)) {
        let order = {
            // English, so the order is the same in every language.
            let mut keyed: Vec<(String, usize)> = run
                .iter()
                .enumerate()
                .map(|(i, f)| (f.hit.message.to_string(), i))
                .collect();
            keyed.sort_unstable();
            for tie in runs(&mut keyed, |a, b| a.0 == b.0) {
                tie.sort_by_cached_key(|(_, i)| {
                    run[*i]
                        .hit
                        .notes
                        .iter()
                        .map(Text::to_string)
                        .collect::<Vec<_>>()
                });
            }
            keyed.into_iter().map(|(_, i)| i).collect()
        };
        permute(run, order);
    }
}

/// Moves the items into the order given: `order[k]` is the index of the item that goes
/// to place `k` (a permutation of the indices).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        // Follow the cycle through `start`: each place takes its item, once.
        let mut k = start;
        while order[k] != DONE {
            let from = order[k];
            order[k] = DONE;
            if from == start {
                break;
            }
            items.swap(k, from);
            k = from;
        }
    }
}

type CheapKey<'a> = (&'a str, Option<(&'a str, Option<&'a str>)>, Option<u32>);

fn cheap_key<'a>(f: &'a Finding, inv: &'a Inventory) -> CheapKey<'a> {
    let pkg = f.hit.package.map(|p| {
        let p = inv.package(p);
        (p.name.as_str(), p.version.as_deref())
    });
    (f.rule.as_str(), pkg, f.hit.component)
}

/// The maximal runs of neighbours that `same` joins, longer than one.
fn runs<T>(items: &mut [T], same: impl Fn(&T, &T) -> bool) -> Vec<&mut [T]> {
    let mut out = Vec::new();
    let mut rest = items;
    while !rest.is_empty() {
        let len = 1 + rest.windows(2).take_while(|w| same(&w[0], &w[1])).count();
        let (run, tail) = rest.split_at_mut(len);
        if run.len() > 1 {
            out.push(run);
        }
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Ecosystem, Package, PackageId};
    use crate::policy::{self, PolicyRequest};

    fn inventory() -> Inventory {
        let mut inv = Inventory::new();
        let mut add = |name: &str, lic: &str| {
            inv.add_package(Package {
                id: PackageId::synthetic(&Ecosystem::Cargo, name, Some("1.0.0")),
                name: name.into(),
                version: Some("1.0.0".into()),
                ecosystem: Ecosystem::Cargo,
                declared: if lic.is_empty() {
                    vec![]
                } else {
                    vec![lic.into()]
                },
                ..Package::default()
            })
        };
        let app = add("app", "EUPL-1.2");
        let a = add("a", "MIT OR Apache-2.0");
        let b = add("b", "GPL v2 or whatever");
        let c = add("c", "");
        inv.add_edge(app, a, crate::model::EdgeKind::Runtime, None);
        inv.add_edge(a, b, crate::model::EdgeKind::Runtime, None);
        inv.add_edge(app, c, crate::model::EdgeKind::Dev, None);
        inv.add_root(app);
        inv
    }

    fn policy_file(text: &str) -> (tempfile::TempDir, PolicyRequest) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sovra.toml");
        std::fs::write(&p, text).unwrap();
        (
            dir,
            PolicyRequest {
                policy: None,
                project: Some(p),
            },
        )
    }

    fn run_with(text: &str, today: &str) -> Vec<(String, Level, String, bool)> {
        let mut cat = crate::engine::embedded_catalogue().unwrap();
        let (_d, req) = policy_file(text);
        let pol = policy::load(&req, &mut cat, &crate::assess::FILES).unwrap();
        let inv = inventory();
        let graph = DepGraph::build(&inv);
        let licenses = crate::license::resolve_all(&inv);
        let findings = run(
            &cat,
            &pol,
            &Input {
                inventory: &inv,
                graph: &graph,
                licenses: &licenses,
                kb: &Kb::default(),
                extra: &Extra::default(),
                today: today.parse().unwrap(),
            },
        )
        .unwrap();
        findings
            .into_iter()
            .map(|f| {
                (
                    f.rule,
                    f.level,
                    f.hit.message.to_string(),
                    f.exception.is_some(),
                )
            })
            .collect()
    }

    #[test]
    fn permute_puts_each_item_in_its_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        permute(&mut items, vec![2, 0, 1, 4, 3, 5]);
        assert_eq!(items, ['c', 'a', 'b', 'e', 'd', 'f']);
    }

    #[test]
    fn embedded_catalogue_and_policies_load() {
        let mut cat = crate::engine::embedded_catalogue().unwrap();
        assert!(cat.get("LIC001").is_some());
        for name in policy::bundled_names() {
            let req = PolicyRequest {
                policy: Some(name.to_owned()),
                project: None,
            };
            policy::load(&req, &mut cat, &crate::assess::FILES).unwrap();
        }
    }

    #[test]
    fn exceptions_suppress_expire_and_go_stale() {
        let f = run_with(
            r#"
extends = "baseline"
[[exceptions]]
rule = "LIC001"
package = "b"
version = "^1"
reason = "licence read from COPYING by hand: GPL-2.0-or-later"
owner = "ospo@example.org"
expires = 2027-01-31

[[exceptions]]
rule = "LIC001"
package = "zzz"
reason = "typo"
owner = "ospo@example.org"

[[exceptions]]
rule = "LIC001"
package = "c"
reason = "old"
owner = "ospo@example.org"
expires = 2026-01-01
"#,
            "2026-11-22",
        );
        // Only LIC001 and the policy rules concern this test (sovereignty rules such as
        // SUP002 fire on the bare test packages too).
        let rules: Vec<_> = f
            .iter()
            .filter(|x| x.0 == "LIC001" || x.0.starts_with("POL"))
            .map(|x| (x.0.as_str(), x.3))
            .collect();
        assert_eq!(
            rules,
            vec![
                ("LIC001", true),
                ("LIC001", false),
                ("POL001", false),
                ("POL002", false)
            ],
            "{f:#?}"
        );
        let c = f
            .iter()
            .find(|x| x.0 == "LIC001" && x.2.contains("`c@1.0.0` states no licence"))
            .unwrap_or_else(|| panic!("{f:#?}"));
        assert_eq!(c.1, Level::Warn);
    }

    #[test]
    fn policy_problems_are_reported_together_with_positions() {
        let mut cat = crate::engine::embedded_catalogue().unwrap();
        let (_d, req) = policy_file(
            "extends = \"baseline\"\ncolour = 1\n[rules.LIC999]\nlevel = \"deny\"\n[rules.LIC001]\nlevel = \"fatal\"\nparams = { scope = \"everything\" }\n",
        );
        let err = policy::load(&req, &mut cat, &crate::assess::FILES)
            .unwrap_err()
            .to_string();
        let lines: Vec<_> = err
            .lines()
            .map(|l| l.rsplit_once("sovra.toml:").unwrap().1.to_owned())
            .collect();
        assert_eq!(lines.len(), 4, "{err}");
        assert!(lines[0].starts_with("2:1: unknown key `colour`"), "{err}");
        assert!(lines[1].starts_with("3:8: unknown rule `LIC999`"), "{err}");
        assert!(lines[2].starts_with("6:9: unknown level `fatal`"), "{err}");
        assert!(
            lines[3].starts_with("7:10: parameters of rule `LIC001`"),
            "{err}"
        );
    }

    #[test]
    fn a_rule_that_cannot_compile_is_an_error_not_a_skip() {
        let mut cat = crate::engine::embedded_catalogue().unwrap();
        let req = PolicyRequest {
            policy: Some("baseline".into()),
            project: None,
        };
        let mut pol = policy::load(&req, &mut cat, &crate::assess::FILES).unwrap();
        assert!(Plan::new(&cat, &pol).is_ok());
        let rule = pol.rules.get_mut("LIC009").unwrap();
        rule.enabled.value = true;
        let threshold = rule.params.get_mut("threshold").unwrap();
        threshold.value = toml::Value::String("lots".into());
        let err = Plan::new(&cat, &pol).unwrap_err().to_string();
        assert!(err.contains("rule `LIC009`"), "{err}");
    }
}
