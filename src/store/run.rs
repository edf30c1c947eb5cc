//! One catalogue run: materialise the stored inputs in a temporary directory, assess
//! them with the recorded policy and facts, and build the report view model JSON.
//!
//! `add` runs this over the inputs just captured (recording the policy files), and
//! `reproduce` over what the database holds (replaying them). The report names files
//! relative to the stored root (`opendesk/candidate.toml`): the temporary directory is
//! the one thing that differs between runs, and it is taken out of the JSON; a report
//! that still names it is an error rather than a stored difference.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::capture::{self, Bounds, Captured, Recorded, StoredFile};
use super::query::FindingRow;
use crate::assess::{Assessment, LoadOptions};
use crate::error::{Error, Result};
use crate::ingest::IngestOptions;
use crate::locale::Locale;
use crate::report::{build, render};

/// What `add` assesses.
#[derive(Debug, Clone)]
pub(crate) struct AddRequest {
    /// A candidate directory, or the plain inputs of one implicit candidate.
    pub inputs: Vec<PathBuf>,
    /// A bundled policy name or a policy file; [`super::DEFAULT_POLICY`] when `None`.
    pub policy: Option<String>,
    /// A facts file of `sovra enrich`.
    pub facts: Option<PathBuf>,
    /// The date the rules judge against, and the report states.
    pub date: jiff::civil::Date,
    /// Largest input file read (as `--max-input-size`).
    pub max_file_bytes: u64,
    /// `assessment`, or `import` for a publiccode.yml taken in bulk.
    pub kind: &'static str,
}

impl AddRequest {
    /// A request for `inputs` with the defaults of `sovra catalog add`.
    pub(crate) fn new(inputs: Vec<PathBuf>, date: jiff::civil::Date) -> AddRequest {
        AddRequest {
            inputs,
            policy: None,
            facts: None,
            date,
            max_file_bytes: crate::ingest::DEFAULT_MAX_FILE_BYTES,
            kind: "assessment",
        }
    }
}

/// An assessment ready to be stored: what it was run from, and what it found.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub name: String,
    pub vendor: Option<String>,
    pub description: Option<String>,
    pub kind: String,
    pub date: String,
    pub lang: String,
    pub material: Material,
    pub recorded: Recorded,
    pub policy_name: String,
    pub policy_layers: String,
    /// `compliant`, `review-needed`, `non-compliant`, `not-assessed`.
    pub verdict: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub coverage: Option<f64>,
    pub seal: Option<i64>,
    /// Findings at gate, deny, warn and allow, excepted ones left out.
    pub counts: [i64; 4],
    /// `(kind, value)`: `function`, `licence-class`, `jurisdiction`.
    pub tags: BTreeSet<(String, String)>,
    pub findings: Vec<FindingRow>,
    /// The report view model as `sovra report --format json` writes it.
    pub report: String,
    /// The same view model in each other language (`locale::LANGS`), for pages in that
    /// language: `(lang, json)`.
    pub views: Vec<(String, String)>,
}

/// The inputs of a run, as stored.
#[derive(Debug, Clone, Default)]
pub(crate) struct Material {
    pub captured: Captured,
    /// The facts file, under the stored root.
    pub facts: Option<StoredFile>,
    /// The policy as named (a bundled name or a path).
    pub policy: String,
    pub max_file_bytes: u64,
}

/// The outcome of `reproduce`.
#[derive(Debug, Clone)]
pub(crate) struct Reproduced {
    pub id: i64,
    pub identical: bool,
    /// sovra's version that stored the assessment.
    pub stored_version: String,
    pub stored_sha256: String,
    pub new_sha256: String,
    /// Lines that differ (`-` stored, `+` new, with the line number), the first few.
    pub differences: Vec<String>,
    /// Number of differing lines in all.
    pub differing_lines: usize,
}

/// Captures the inputs of `req` and assesses them: the blocking half of `add`.
pub(crate) fn prepare(req: &AddRequest) -> Result<Prepared> {
    let bounds = Bounds {
        max_file_bytes: req.max_file_bytes,
        max_total_bytes: capture::MAX_STORED_BYTES,
        max_files: capture::MAX_STORED_FILES,
    };
    let captured = capture::capture(&req.inputs, bounds)?;
    let facts = match &req.facts {
        Some(path) => {
            let bytes = crate::ingest::read_bounded(path, req.max_file_bytes)?;
            let base = path.file_name().map_or_else(
                || "facts.json".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
            let name = if captured.roots.contains(&base) {
                format!("facts/{base}")
            } else {
                base
            };
            Some(StoredFile { path: name, bytes })
        }
        None => None,
    };
    prepare_captured(captured, facts, req)
}

/// Assesses inputs already captured (`req.inputs` is not read).
pub(crate) fn prepare_captured(
    captured: Captured,
    facts: Option<StoredFile>,
    req: &AddRequest,
) -> Result<Prepared> {
    let material = Material {
        captured,
        facts,
        policy: req
            .policy
            .clone()
            .unwrap_or_else(|| super::DEFAULT_POLICY.to_owned()),
        max_file_bytes: req.max_file_bytes,
    };
    let date = req.date.to_string();
    let run = run(&material, None, &date, "en")?;
    let mut prepared = summarise(&run, &date)?;
    prepared.kind = req.kind.to_owned();
    prepared.material = material;
    prepared.recorded = run.recorded;
    Ok(prepared)
}

/// One finished run.
#[derive(Debug)]
pub(crate) struct Run {
    pub assessment: Assessment,
    pub recorded: Recorded,
    /// The report view model JSON, paths relative to the stored root.
    pub json: String,
    /// The same in each other language: `(lang, json)`.
    pub views: Vec<(String, String)>,
    /// The temporary root with a trailing `/`, to take out of other texts.
    pub prefix: String,
}

/// Materialises `material` and assesses it: with the policy files read from disk and
/// recorded (`replay` `None`), or served from `replay`.
pub(crate) fn run(
    material: &Material,
    replay: Option<&Recorded>,
    date: &str,
    lang: &str,
) -> Result<Run> {
    let runs = run_many(std::slice::from_ref(material), &[replay], date, lang)?;
    runs.into_iter()
        .next()
        .ok_or_else(|| Error::External("no run".into()))
}

/// [`run`] of several stored assessments, each in its own directory; the report JSON
/// is of each alone.
pub(crate) fn run_many(
    materials: &[Material],
    replays: &[Option<&Recorded>],
    date: &str,
    lang: &str,
) -> Result<Vec<Run>> {
    let today: jiff::civil::Date = date
        .parse()
        .map_err(|e| Error::External(format!("stored date `{date}`: {e}")))?;
    let locale = Locale::load(lang, None)?;
    let others: Vec<Locale> = crate::locale::LANGS
        .iter()
        .filter(|&&l| l != lang)
        .map(|l| Locale::load(l, None))
        .collect::<Result<_>>()?;
    let mut out = Vec::with_capacity(materials.len());
    for (material, replay) in materials.iter().zip(replays) {
        let tmp = tempfile::Builder::new()
            .prefix("sovra-catalog-")
            .tempdir()
            .map_err(|e| Error::write(&std::env::temp_dir(), e))?;
        let root = tmp.path();
        capture::materialise(root, &material.captured.files)?;
        if let Some(f) = &material.facts {
            capture::materialise(root, std::slice::from_ref(f))?;
        }
        let paths: Vec<PathBuf> = material
            .captured
            .roots
            .iter()
            .map(|r| capture::safe_relative(r).map(|p| root.join(p)))
            .collect::<Result<_>>()?;
        let opts = LoadOptions {
            ingest: IngestOptions {
                offline: true,
                locked: false,
                max_file_bytes: material.max_file_bytes,
                vendors: Vec::new(),
            },
            policy: Some(material.policy.clone()),
            project_policy: false,
            facts: material
                .facts
                .as_ref()
                .map(|f| capture::safe_relative(&f.path).map(|p| root.join(p)))
                .transpose()?,
            select: Vec::new(),
        };
        let assess = |files: &crate::policy::Files<'_>| {
            crate::assess::assess_in(&paths, &opts, files, today)
        };
        let (assessment, recorded) = match replay {
            Some(r) => (capture::replaying(r, assess)?, (*r).clone()),
            None => capture::recording(assess)?,
        };
        let subject = build::Subject {
            analysis: &assessment.analysis,
            score: &assessment.score,
        };
        let view = |locale: &Locale| -> Result<String> {
            let model = build::report(
                std::slice::from_ref(&subject),
                &build::Options {
                    locale,
                    date: Some(date),
                    appendix: true,
                },
            );
            let json = render::render(
                &model,
                render::Format::Json,
                locale,
                &render::Templates::default(),
            )?;
            relative_to(root, json)
        };
        let json = view(&locale)?;
        let views = others
            .iter()
            .map(|l| Ok((l.lang.clone(), view(l)?)))
            .collect::<Result<_>>()?;
        out.push(Run {
            assessment,
            recorded,
            json,
            views,
            prefix: format!("{}/", root.display()),
        });
    }
    Ok(out)
}

/// `text` with the temporary root taken out of every path; an error if it still names
/// the directory (a path written some other way).
pub(crate) fn relative_to(root: &Path, text: String) -> Result<String> {
    let prefix = format!("{}/", root.display());
    let text = text.replace(&prefix, "");
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !name.is_empty() && text.contains(&name) {
        return Err(Error::External(format!(
            "the report names the temporary directory `{}`; it cannot be stored reproducibly",
            root.display()
        )));
    }
    Ok(text)
}

/// The searchable summary and the findings of a run.
fn summarise(run: &Run, date: &str) -> Result<Prepared> {
    let a = &run.assessment;
    let analysis = &a.analysis;
    let facts = &analysis.extra.facts;
    let candidate = &facts.candidate;
    let mut tags = BTreeSet::new();
    let mut add = |kind: &str, value: &str| {
        let v = value.trim();
        if !v.is_empty() {
            tags.insert((kind.to_owned(), v.to_lowercase()));
        }
    };
    for f in &candidate.functions {
        add("function", f);
    }
    for c in &candidate.components {
        if let Some(f) = &c.function {
            add("function", f);
        }
        if let Some(pc) = &c.publiccode {
            for cat in &pc.categories {
                add("function", cat);
            }
        }
    }
    let model: serde_json::Value = serde_json::from_str(&run.json)
        .map_err(|e| Error::External(format!("the report JSON does not read back: {e}")))?;
    let cand = &model["candidates"][0];
    let str_at = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    if cand["manifest"].as_bool() == Some(true) {
        for c in cand["components"].as_array().into_iter().flatten() {
            if let Some(class) = c["license_class"].as_str() {
                add("licence-class", class);
            }
        }
    } else {
        for c in cand["licenses"]["classes"].as_array().into_iter().flatten() {
            if c["packages"].as_u64().unwrap_or(0) > 0
                && let Some(class) = c["class"].as_str()
            {
                add("licence-class", class);
            }
        }
    }
    for c in cand["vendors"]["countries"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if c["unknown"].as_bool() != Some(true)
            && let Some(country) = c["name"].as_str()
        {
            add("jurisdiction", country);
        }
    }
    let counts = analysis
        .counts()
        .map(|(_, n)| i64::try_from(n).unwrap_or(i64::MAX));
    let comps = &candidate.components;
    let rel = |s: String| s.replace(&run.prefix, "");
    let findings = analysis
        .findings
        .iter()
        .map(|f| FindingRow {
            rule: f.rule.clone(),
            level: f.level.as_str().to_owned(),
            subject: f
                .hit
                .package
                .map(|p| analysis.inventory.package(p).display_name())
                .or_else(|| {
                    f.hit
                        .component
                        .and_then(|c| comps.get(c as usize))
                        .map(|c| c.name.clone())
                })
                .or_else(|| f.hit.subject.clone())
                .map(rel)
                .unwrap_or_default(),
            message: rel(f.hit.message.to_string()),
            excepted: f.exception.is_some(),
        })
        .collect();
    let policy = &analysis.policy;
    Ok(Prepared {
        name: candidate.name.clone(),
        vendor: str_at(&cand["vendor"]),
        description: candidate
            .components
            .iter()
            .find_map(|c| c.publiccode.as_ref()?.short_description.clone()),
        kind: String::new(),
        date: date.to_owned(),
        lang: "en".to_owned(),
        material: Material::default(),
        recorded: Recorded::default(),
        policy_name: policy
            .layers
            .last()
            .map_or_else(|| "defaults".to_owned(), |l| l.name.clone()),
        policy_layers: policy
            .layers
            .iter()
            .map(|l| l.name.clone())
            .collect::<Vec<_>>()
            .join(" → "),
        verdict: a.verdict().to_owned(),
        score: a.total(),
        band: str_at(&cand["score"]["band"]),
        coverage: Some(a.score.coverage),
        seal: cand["csf"]["seal"].as_i64(),
        counts,
        tags,
        findings,
        report: run.json.clone(),
        views: run.views.clone(),
    })
}

/// The first differing lines of `stored` and `new` (at most `limit`), and how many
/// differ in all, position by position.
pub(crate) fn line_diff(stored: &str, new: &str, limit: usize) -> (Vec<String>, usize) {
    let a: Vec<&str> = stored.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut shown = Vec::new();
    let mut count = 0;
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (a.get(i), b.get(i));
        if x == y {
            continue;
        }
        count += 1;
        if shown.len() < limit {
            if let Some(x) = x {
                shown.push(format!("{}: - {}", i + 1, x.trim()));
            }
            if let Some(y) = y {
                shown.push(format!("{}: + {}", i + 1, y.trim()));
            }
        }
    }
    (shown, count)
}
