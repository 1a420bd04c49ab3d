//! # regelverk and its peers, side by side
//!
//! The `direktåtkomst` policy of Västra Götalandsregionen — the national framework in
//! `rules/` with VGR's deviations in `regions/vastra-gotaland/` — encoded for other engines,
//! checked against regelverk, and benchmarked (issue 13, goal 5):
//!
//! 1. [`regelverk`]: the reference, the repository's own ruleset compiled to its table.
//! 2. [`handwritten`]: plain Rust over a typed [`request::Request`], the baseline.
//! 3. [`rego`]: Rego for regorus (`policy/vgr.rego`), on the RVM and in the interpreter.
//! 4. [`cedar`]: cedar policies (`policy/vgr.cedar`).
//! 5. [`zen`]: a GoRules JDM graph for zen-engine (`policy/vgr.jdm.json`).
//!
//! [`generate`] makes random valid requests around every boundary of the policy, and
//! [`gate`] runs them through every engine: the benchmark refuses to report unless all
//! agree with regelverk. [`scenarios`] are the four requests the benchmark times, and
//! [`report`] turns criterion's results into the table of the README.

pub mod cedar;
pub mod date;
pub mod gate;
pub mod generate;
pub mod handwritten;
pub mod regelverk;
pub mod rego;
pub mod report;
pub mod request;
pub mod scenarios;
pub mod zen;

/// `visa` or `dölj`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Show,
    Hide,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Show => "visa",
            Outcome::Hide => "dölj",
        }
    }

    pub fn from_name(name: &str) -> Option<Outcome> {
        match name {
            "visa" => Some(Outcome::Show),
            "dölj" => Some(Outcome::Hide),
            _ => None,
        }
    }
}

/// An engine's answer, as the gate compares them: the outcome and its reason.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Verdict {
    pub outcome: Outcome,
    pub reason: String,
}

impl From<(Outcome, &str)> for Verdict {
    fn from((outcome, reason): (Outcome, &str)) -> Verdict {
        Verdict {
            outcome,
            reason: reason.to_owned(),
        }
    }
}

impl From<handwritten::Decision> for Verdict {
    fn from(d: handwritten::Decision) -> Verdict {
        Verdict {
            outcome: if d.show { Outcome::Show } else { Outcome::Hide },
            reason: d.reason.to_owned(),
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.outcome.name(), self.reason)
    }
}
