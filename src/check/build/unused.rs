//! The last pass: facts the ruleset declares but no rule, invariant or derived fact they
//! use reads. Run only on a ruleset without errors, where no rule was dropped.

use crate::check::model::*;
use crate::check::sink::Diagnostics;
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashSet;

/// Warns of the facts of the ruleset's own layer (the national one when `standalone`, else
/// the region's) that nothing reads.
pub(super) fn report(ruleset: &Ruleset, standalone: bool, out: &mut Diagnostics) {
    let used = used(ruleset);
    let own = if standalone {
        Origin::National
    } else {
        Origin::Region
    };
    for id in ruleset.fact_ids() {
        let f = ruleset.fact(id);
        // A national fact marked `(läses av regioner)` is vocabulary for the regions.
        let for_regions = standalone && f.read_by_regions;
        if f.origin == own && !used.facts.contains(&id) && !for_regions {
            out.push(
                Diagnostic::warning(Code::UnusedFact, format!("faktumet `{}` används inte av någon regel", f.name), f.span, "oanvänt")
                    .with_help("ta bort deklarationen eller använd faktumet i en regel; läses det bara av regionernas regler, skriv `(läses av regioner)` efter typen"),
            );
        }
    }
}

/// The names of the facts the rules, invariants and derived facts they use read, in name
/// order.
pub fn facts_read(ruleset: &Ruleset) -> Vec<String> {
    let used = used(ruleset);
    let mut names: Vec<String> = used
        .facts
        .iter()
        .map(|id| ruleset.fact(*id).name.clone())
        .collect();
    names.sort();
    names
}

fn used(ruleset: &Ruleset) -> Used {
    let mut used = Used::default();
    for r in &ruleset.rules {
        used.expr(&ruleset.applies_when(r));
        if let Some(date) = &r.shown_from {
            used.date(date);
        }
    }
    for i in &ruleset.invariants {
        used.expr(&i.condition);
    }
    // Derived facts used (transitively) pull in what they read.
    let mut queue: Vec<DerivedId> = used.derived.iter().copied().collect();
    while let Some(d) = queue.pop() {
        let mut more = Used::default();
        match &ruleset.derived(d).value {
            DerivedValue::Bool(e) => more.expr(e),
            DerivedValue::Int(t) => more.int(t),
            DerivedValue::Date(t) => more.date(t),
        }
        used.facts.extend(more.facts);
        for m in more.derived {
            if used.derived.insert(m) {
                queue.push(m);
            }
        }
    }
    used
}

/// Facts and derived facts expressions read.
#[derive(Default)]
struct Used {
    facts: HashSet<FactId>,
    derived: HashSet<DerivedId>,
}

impl Used {
    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Const(_) => {}
            Expr::BoolFact(f) | Expr::EnumIn { fact: f, .. } | Expr::Present(f) => {
                self.facts.insert(*f);
            }
            Expr::BoolDerived(d) => {
                self.derived.insert(*d);
            }
            Expr::Not(e) => self.expr(e),
            Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| self.expr(e)),
            Expr::IntCmp { term, .. } => self.int(term),
            Expr::DateCmp { lhs, rhs, .. } => {
                self.date(lhs);
                self.date(rhs);
            }
            Expr::TextEq { lhs, rhs } => {
                for t in [lhs, rhs] {
                    if let TextTerm::Fact(f) = t {
                        self.facts.insert(*f);
                    }
                }
            }
        }
    }

    fn int(&mut self, t: &IntTerm) {
        match t {
            IntTerm::Fact(f) => {
                self.facts.insert(*f);
            }
            IntTerm::Derived(d) => {
                self.derived.insert(*d);
            }
            IntTerm::Age { birth, on } => {
                self.date(birth);
                self.date(on);
            }
        }
    }

    fn date(&mut self, t: &DateTerm) {
        match t.base {
            DateBase::Fact(f) => {
                self.facts.insert(f);
            }
            DateBase::Derived(d) => {
                self.derived.insert(d);
            }
            DateBase::Literal(_) => {}
        }
    }
}
