//! `sovra rules`: list the catalogue, explain one rule, print the rule reference.

use std::fmt::Write as _;

use super::{Status, emit};
use crate::catalogue::{Catalogue, Rule};
use crate::checks::KINDS;
use crate::error::{Error, Result};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// List every rule (or, with --kinds, every check kind)
    List(ListArgs),
    /// Explain one rule: what it checks, why it matters, an example, how to resolve
    Explain(ExplainArgs),
    /// Print the rule reference (Markdown) generated from the catalogue
    Reference,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    /// List the check kinds instead of the rules
    #[arg(long)]
    kinds: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {
    /// Rule id, such as LIC005
    rule: String,
}

pub(crate) fn run(cmd: Command) -> Result<Status> {
    let cat = crate::engine::embedded_catalogue()?;
    let text = match cmd {
        Command::List(a) if a.kinds => kinds(),
        Command::List(_) => list(&cat),
        Command::Explain(a) => {
            let id = a.rule.to_ascii_uppercase();
            let rule = cat.get(&id).ok_or_else(|| {
                Error::Usage(format!(
                    "unknown rule `{}` (see `sovra rules list`)",
                    a.rule
                ))
            })?;
            explain(rule)
        }
        Command::Reference => reference(&cat),
    };
    emit(&text)?;
    Ok(Status::Clean)
}

fn list(cat: &Catalogue) -> String {
    let mut s = String::new();
    let w = cat.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in cat.iter() {
        let _ = writeln!(
            s,
            "{:<7} {:<5} {:<3} {:<w$}  {}",
            r.id,
            r.level.as_str(),
            if r.enabled { "on" } else { "off" },
            r.name,
            r.summary
        );
    }
    s
}

fn kinds() -> String {
    let mut s = String::new();
    for k in KINDS {
        let _ = writeln!(s, "{}\n    {}\n", k.name, k.docs.replace('\n', "\n    "));
    }
    s
}

fn params(rule: &Rule) -> String {
    if rule.params.is_empty() {
        return String::new();
    }
    let table = toml::to_string(&rule.params).unwrap_or_default();
    format!("```toml\n[rules.{}.params]\n{}```\n", rule.id, table)
}

/// One rule's documentation as Markdown.
fn explain(r: &Rule) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {} {}\n", r.id, r.name);
    let _ = writeln!(s, "{}\n", capitalise(&r.summary));
    let _ = writeln!(
        s,
        "- check kind: `{}`\n- default level: `{}`{}\n- references: {}\n",
        r.check,
        r.level.as_str(),
        if r.enabled {
            ""
        } else {
            " (off unless a policy enables it)"
        },
        if r.references.is_empty() {
            "none".to_owned()
        } else {
            r.references.join(", ")
        }
    );
    for (title, text) in [
        ("What it checks", &r.docs.what),
        ("Why it matters", &r.docs.why),
        ("Example", &r.docs.example),
        ("How to resolve", &r.docs.resolve),
    ] {
        let _ = writeln!(s, "## {title}\n\n{}\n", text.trim());
    }
    let p = params(r);
    if !p.is_empty() {
        let _ = writeln!(s, "## Default parameters\n\n{p}");
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The rule reference as Markdown, generated from the catalogue.
pub(crate) fn reference(cat: &Catalogue) -> String {
    let mut s = String::from(
        "<!-- generated from rules/catalogue/ by `sovra rules reference`; do not edit -->\n\n# Rule reference\n\n",
    );
    s.push_str("| id | name | default level | summary |\n|---|---|---|---|\n");
    for r in cat.iter() {
        let _ = writeln!(
            s,
            "| [{}](#{}) | `{}` | `{}`{} | {} |",
            r.id,
            format!("{}-{}", r.id, r.name).to_ascii_lowercase(),
            r.name,
            r.level.as_str(),
            if r.enabled { "" } else { " (opt-in)" },
            r.summary
        );
    }
    s.push('\n');
    for r in cat.iter() {
        for line in explain(r).lines() {
            // One level down: rules are sections of the reference.
            if line.starts_with('#') {
                s.push('#');
            }
            s.push_str(line);
            s.push('\n');
        }
    }
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}
