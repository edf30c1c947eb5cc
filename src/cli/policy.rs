//! `sovra policy show`: the effective policy, every value with the layer that set it.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::PolicyFlags;
use super::{Status, emit};
use crate::assess::{self, LoadOptions};
use crate::error::Result;
use crate::policy::EffectivePolicy;

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Show the effective policy and the layer that set each value
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// Inputs whose sovra.toml (next to them) is the last layer with `--project-policy`
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    policy: PolicyFlags,
}

pub(crate) fn run(cmd: Command) -> Result<Status> {
    match cmd {
        Command::Show(a) => {
            let opts = LoadOptions {
                policy: a.policy.policy.clone(),
                project_policy: a.policy.project_policy,
                select: a
                    .policy
                    .select
                    .iter()
                    .map(|s| s.to_ascii_uppercase())
                    .collect(),
                ..LoadOptions::default()
            };
            let inputs = if a.inputs.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                a.inputs
            };
            let (_, policy) = assess::load_policy(&inputs, &opts)?;
            super::policy_notices(&policy);
            emit(&show(&policy))?;
            Ok(Status::Clean)
        }
    }
}

fn toml_value(v: &toml::Value) -> String {
    match v {
        toml::Value::Table(t) => {
            let inner: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k} = {}", toml_value(v)))
                .collect();
            format!("{{ {} }}", inner.join(", "))
        }
        toml::Value::Array(a) => {
            let inner: Vec<String> = a.iter().map(toml_value).collect();
            format!("[{}]", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// The effective policy as annotated TOML: each value followed by the layer that set it.
pub(crate) fn show(p: &EffectivePolicy) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# effective policy: {}", p.chain());
    for (i, l) in p.layers.iter().enumerate() {
        let _ = writeln!(
            s,
            "# layer {}: {} ({}){}",
            i + 1,
            l.name,
            l.path.display(),
            l.description
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        );
    }
    for n in &p.notes {
        let _ = writeln!(s, "# note: {n}");
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "deployment = \"{}\"  # {}",
        p.deployment.value.as_str(),
        p.deployment.layer
    );
    let _ = writeln!(
        s,
        "linking = \"{}\"  # {}",
        p.linking.value.as_str(),
        p.linking.layer
    );
    let _ = writeln!(s, "\n[licenses]");
    let prefer: Vec<String> = p.prefer.value.iter().map(|x| format!("{x:?}")).collect();
    let _ = writeln!(s, "prefer = [{}]  # {}", prefer.join(", "), p.prefer.layer);
    if !p.score.is_empty() {
        let _ = writeln!(s, "\n[score]");
        for (k, v) in &p.score {
            let _ = writeln!(s, "{k} = {}  # {}", toml_value(&v.value), v.layer);
        }
    }
    for (id, r) in &p.rules {
        let _ = writeln!(s, "\n[rules.{id}]");
        let _ = writeln!(s, "enabled = {}  # {}", r.enabled.value, r.enabled.layer);
        let _ = writeln!(
            s,
            "level = \"{}\"  # {}",
            r.level.value.as_str(),
            r.level.layer
        );
        for (k, v) in &r.params {
            let _ = writeln!(s, "params.{k} = {}  # {}", toml_value(&v.value), v.layer);
        }
    }
    for e in &p.exceptions {
        let _ = writeln!(s, "\n[[exceptions]]  # {} ({})", e.layer, e.location);
        let _ = writeln!(s, "rule = {:?}", e.rule);
        match &e.target {
            crate::policy::ExceptionTarget::Package { name, version } => {
                let _ = writeln!(s, "package = {name:?}");
                if let Some(v) = version {
                    let _ = writeln!(s, "version = \"{v}\"");
                }
            }
            crate::policy::ExceptionTarget::License(l) => {
                let _ = writeln!(s, "license = {l:?}");
            }
            crate::policy::ExceptionTarget::Vendor(v) => {
                let _ = writeln!(s, "vendor = {v:?}");
            }
        }
        let _ = writeln!(s, "reason = {:?}", e.reason);
        let _ = writeln!(s, "owner = {:?}", e.owner);
        if let Some(d) = e.expires {
            let _ = writeln!(s, "expires = {d}");
        }
    }
    s
}
