//! `data-act-exit`: contract exit terms within the envelope of the EU Data Act.

use super::{Ctx, Kind, Params, Phase, compile_with};
use crate::finding::Hit;
use crate::ingest::candidate::{Deployment, Period, SwitchingCharges};
use crate::text;
use crate::text::{Arg, Text};

pub(crate) static KIND: Kind = Kind {
    name: "data-act-exit",
    docs: "Checks the contract facts of SaaS and hybrid offers (and of any offer that \
states them) against Regulation (EU) 2023/2854 (Data Act): a notice period of at most \
`max_notice` (Art. 25(2)(a): two months), a transitional period of at most \
`max_transition` (Art. 25(2)(a): 30 calendar days), and no switching charges from \
`charges_free_from` (Art. 29(1): 12 January 2027; before then, charges at cost, \
Art. 29(2)-(3)). A term the manifest does not state is a review finding.\n\nParameters: \
`max_notice` (default `\"2 months\"`), `max_transition` (default `\"30 days\"`), \
`charges_free_from` (date, default `2027-01-12`).",
    phase: Phase::Main,
    compile: |t| compile_with(t, run),
};

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct P {
    #[serde(default = "two_months")]
    max_notice: String,
    #[serde(default = "thirty_days")]
    max_transition: String,
    #[serde(default = "cutoff")]
    charges_free_from: String,
}

fn two_months() -> String {
    "2 months".into()
}
fn thirty_days() -> String {
    "30 days".into()
}
fn cutoff() -> String {
    "2027-01-12".into()
}

impl Params for P {
    fn validate(&self) -> Result<(), String> {
        for (k, v) in [
            ("max_notice", &self.max_notice),
            ("max_transition", &self.max_transition),
        ] {
            if Period::parse(v).is_none() {
                return Err(format!(
                    "`{k}` is `{v}`: expected a period such as `30 days`"
                ));
            }
        }
        self.charges_free_from
            .parse::<jiff::civil::Date>()
            .map(|_| ())
            .map_err(|_| {
                format!(
                    "`charges_free_from` is `{}`: expected YYYY-MM-DD",
                    self.charges_free_from
                )
            })
    }
}

fn run(ctx: &Ctx<'_>, p: &P) -> Vec<Hit> {
    let c = &ctx.extra.facts.candidate;
    let t = &c.contract;
    let stated =
        t.notice_period.is_some() || t.transition_period.is_some() || t.switching_charges.is_some();
    let cloud = matches!(c.deployment, Some(Deployment::Saas | Deployment::Hybrid));
    if c.implicit || !(cloud || stated) {
        return Vec::new();
    }
    let (Some(max_notice), Some(max_transition)) = (
        Period::parse(&p.max_notice),
        Period::parse(&p.max_transition),
    ) else {
        return Vec::new();
    };
    let mut hits = Vec::new();
    let missing = |what: Text| Hit {
        message: text!("data-act-exit.not-stated", candidate = &c.name, what = what),
        review_only: true,
        ..Hit::default()
    };
    let mut out = Vec::new();
    match t.notice_period {
        Some(n) if n.max_days() > max_notice.max_days() => hits.push(Hit {
            message: text!(
                "data-act-exit.notice-too-long",
                period = n.text(),
                limit = max_notice.text()
            ),
            notes: vec![text!("data-act-exit.notice-basis")],
            ..Hit::default()
        }),
        Some(_) => {}
        None => out.push(missing(text!("data-act-exit.notice-period"))),
    }
    match t.transition_period {
        Some(n) if n.max_days() > max_transition.max_days() => hits.push(Hit {
            message: text!(
                "data-act-exit.transition-too-long",
                period = n.text(),
                limit = max_transition.text()
            ),
            notes: vec![text!("data-act-exit.transition-basis")],
            ..Hit::default()
        }),
        Some(_) => {}
        None => out.push(missing(text!("data-act-exit.transition-period"))),
    }
    let free_from: Option<jiff::civil::Date> = p.charges_free_from.parse().ok();
    let charges_banned = free_from.is_some_and(|d| ctx.today >= d);
    match t.switching_charges {
        Some(SwitchingCharges::None) => {}
        Some(SwitchingCharges::AtCost) if !charges_banned => {}
        Some(s) => hits.push(Hit {
            message: text!(
                "data-act-exit.charges",
                charges = crate::text::Arg::label("charges", s.as_str())
            ),
            notes: vec![text!(
                "data-act-exit.charges-basis",
                from = Arg::Date(p.charges_free_from.clone())
            )],
            ..Hit::default()
        }),
        None => out.push(missing(text!("data-act-exit.switching-charges"))),
    }
    hits.extend(out);
    hits
}
