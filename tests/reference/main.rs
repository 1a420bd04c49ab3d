//! The differential test (issue 15): the compiled tables of the three repository rulesets
//! against an independent reference written by hand from the domain brief (`brief.rs`,
//! with its own calendar in `calendar.rs`), over random requests biased to the brief's
//! boundaries (`generate.rs`).
//!
//! Opt-in, as it sends a million requests per ruleset:
//!
//! ```sh
//! cargo test --release --test reference -- --ignored --nocapture
//! REGEL_REFERENCE_REQUESTS=100000 cargo test --release --test reference -- --ignored
//! ```
//!
//! (`.ci/run` runs it when `REGEL_REFERENCE=1` is set.) A plain `cargo test` runs only the
//! reference's own tests: the brief's worked examples and its rules of time.
//!
//! What is compared, per request:
//! - a complete request (every fact without a default given): the outcome, or both refuse;
//! - the same request with one such fact left out: the table may refuse it, or answer what
//!   the reference answers for *every* value the fact could have had (an answer that
//!   depends on the missing fact would be a guess);
//! - outside VGR, a VGR keyword (`tidig_hypotes`) must be refused.
//!
//! Every difference is counted by kind and shown with its request. Differences that wait
//! for a language feature still being built are counted apart and do not fail the test:
//! today that is the optional `vårdförsegling.slutdatum` of brief revision 2 (LANGUAGE.md,
//! "Optional facts"). Validity periods (`gäller från`) and `visas från` are not exercised:
//! every `datum` is on or after 2024-09-01, when every routine the brief names is in force,
//! and no outcome of the brief's three rulesets is delayed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop with the value that caused it"
)]

mod brief;
mod calendar;
mod generate;

use brief::{Decision, REQUIRED, Refusal, Request, Ruleset, Value, decide};
use generate::{Rng, VGR_UNDANTAG, domain, request};
use regelverk::table::{Evaluator, insert_dotted};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

fn to_json(request: &Request) -> Json {
    let mut map = Map::new();
    for (fact, value) in request {
        let json = match value {
            Value::Bool(b) => Json::Bool(*b),
            Value::Date(d) => Json::String(d.to_string()),
            Value::Text(t) => Json::String(t.clone()),
        };
        insert_dotted(&mut map, fact, json);
    }
    Json::Object(map)
}

/// The table's answer: its outcome, or `None` for `fel`.
fn actual(evaluator: &Evaluator, request: &Request) -> Option<String> {
    evaluator
        .decide_json(&to_json(request))
        .ok()
        .map(|d| d.outcome.to_owned())
}

/// How one request went.
enum Verdict {
    Agree,
    /// A difference the brief's revision 2 explains and a language feature will remove.
    Pending(&'static str),
    Differ(&'static str),
}

/// Whether the request depends on a feature still being built (see the module docs).
fn pending(ruleset: Ruleset, decision: Decision, request: &Request) -> Option<&'static str> {
    let sealed = request.get("vårdförsegling.finns") == Some(&Value::Bool(true));
    let open_ended = !request.contains_key("vårdförsegling.slutdatum");
    (decision == Decision::Direktåtkomst && ruleset != Ruleset::Rjh && sealed && open_ended)
        .then_some("vårdförsegling utan slutdatum: valfritt faktum (kan saknas) väntar")
}

fn judge(ruleset: Ruleset, decision: Decision, request: &Request, table: Option<&str>) -> Verdict {
    let reference = decide(ruleset, decision, request);
    // RJH refuses a care sealing without an end date; like any fact a request lacks, the
    // end date may go unread when the answer does not depend on it (§3: "conditions are
    // evaluated left to right and stop early"), as when the account is sealed anyway.
    if reference == Err(Refusal::NoEndDate) {
        return judge_incomplete(
            ruleset,
            decision,
            request,
            "vårdförsegling.slutdatum",
            table,
        );
    }
    let verdict = match (&reference, table) {
        (Ok(want), Some(got)) if *want == got => Verdict::Agree,
        (Err(_), None) => Verdict::Agree,
        (Ok(want), Some(got)) if opens(got) && !opens(want) => {
            Verdict::Differ("visar eller verkställer där briefen inte gör det")
        }
        (Ok(_), Some(_)) => Verdict::Differ("annat utfall"),
        (Ok(_), None) => Verdict::Differ("vägrar en välformad begäran"),
        (Err(_), Some(got)) if opens(got) => {
            Verdict::Differ("visar eller verkställer en begäran briefen vägrar")
        }
        (Err(_), Some(_)) => Verdict::Differ("svarar på en begäran briefen vägrar"),
    };
    // A pending difference still may not show what the brief hides.
    let closed = table.is_none_or(|got| !opens(got));
    match (verdict, pending(ruleset, decision, request)) {
        (Verdict::Differ(_), Some(why)) if closed => Verdict::Pending(why),
        (verdict, _) => verdict,
    }
}

fn opens(outcome: &str) -> bool {
    outcome == "visa" || outcome == "verkställ"
}

/// A request with `fact` left out: refused, or answered as the reference answers every
/// completion of it.
fn judge_incomplete(
    ruleset: Ruleset,
    decision: Decision,
    request: &Request,
    fact: &'static str,
    table: Option<&str>,
) -> Verdict {
    let Some(got) = table else {
        return Verdict::Agree;
    };
    for value in domain(fact, decision, request) {
        let mut complete = request.clone();
        complete.insert(fact, value);
        for answer in answers(ruleset, decision, &complete) {
            match answer {
                Ok(want) if want == got => {}
                // A completion the brief refuses (born after the day) says nothing here.
                Err(Refusal::Unborn) => {}
                _ if pending(ruleset, decision, &complete).is_some() => {
                    return Verdict::Pending(pending(ruleset, decision, &complete).unwrap());
                }
                _ => return Verdict::Differ("svarar utan ett faktum svaret beror på"),
            }
        }
    }
    Verdict::Agree
}

/// The reference's answers for a request, with RJH's missing end date of a care sealing
/// filled in every way (its refusal, like a missing fact's, binds only when the answer
/// depends on it).
fn answers(ruleset: Ruleset, decision: Decision, request: &Request) -> Vec<brief::Answer> {
    let answer = decide(ruleset, decision, request);
    if answer != Err(Refusal::NoEndDate) {
        return vec![answer];
    }
    let fact = "vårdförsegling.slutdatum";
    domain(fact, decision, request)
        .into_iter()
        .map(|end| {
            let mut complete = request.clone();
            complete.insert(fact, end);
            decide(ruleset, decision, &complete)
        })
        .collect()
}

/// The facts without a default a decision's rules read.
fn required(decision: Decision) -> Vec<&'static str> {
    REQUIRED
        .iter()
        .copied()
        .filter(|f| match decision {
            Decision::Direktåtkomst => !f.starts_with("begäran."),
            Decision::Upplåsning => {
                ["begäran.från", "begäran.inlämning", "begäran.fall"].contains(f)
            }
            Decision::Försegling => ["begäran.från", "begäran.beslutsfattare"].contains(f),
        })
        .collect()
}

/// Counts and examples of one ruleset and decision.
#[derive(Default)]
struct Tally {
    requests: usize,
    agree: usize,
    pending: BTreeMap<&'static str, usize>,
    differ: BTreeMap<&'static str, (usize, Vec<String>)>,
}

impl Tally {
    fn add(
        &mut self,
        verdict: Verdict,
        request: &Request,
        table: Option<&str>,
        ruleset: Ruleset,
        decision: Decision,
    ) {
        self.requests += 1;
        match verdict {
            Verdict::Agree => self.agree += 1,
            Verdict::Pending(why) => *self.pending.entry(why).or_default() += 1,
            Verdict::Differ(kind) => {
                let entry = self.differ.entry(kind).or_default();
                entry.0 += 1;
                if entry.1.len() < 5 {
                    entry.1.push(format!(
                        "{} → tabellen: {}, referensen: {:?}",
                        to_json(request),
                        table.unwrap_or("fel"),
                        decide(ruleset, decision, request)
                    ));
                }
            }
        }
    }
}

/// Every request of a decision whose facts are all truth values or enums: the whole input
/// space, each fact with a default also left out.
fn exhaustive(decision: Decision) -> Vec<Request> {
    let facts: Vec<(&'static str, Vec<Option<Value>>)> = match decision {
        Decision::Direktåtkomst => return Vec::new(),
        Decision::Upplåsning => vec![
            (
                "begäran.från",
                texts(&["patienten", "ombud", "fullmaktshavare", "annan"]),
            ),
            ("begäran.blankett_undertecknad", bools()),
            ("begäran.identitet_styrkt", bools()),
            ("begäran.misstanke_om_tvång", bools()),
            (
                "begäran.inlämning",
                texts(&["personligen_på_vårdenhet", "post_till_support"]),
            ),
            (
                "begäran.fall",
                texts(&[
                    "misstag",
                    "skydd_behövs_inte",
                    "ur_hotsituation",
                    "hotad_vill_inte",
                    "hotad_inget_att_dölja",
                    "hotad_katastrof",
                ]),
            ),
        ],
        Decision::Försegling => vec![
            (
                "begäran.från",
                texts(&["patienten", "ombud", "fullmaktshavare", "vården"]),
            ),
            ("begäran.akut", bools()),
            ("begäran.menprövning_gjord", bools()),
            ("begäran.slutdatum_satt", bools()),
            (
                "begäran.beslutsfattare",
                texts(&[
                    "verksamhetschef",
                    "av_verksamhetschefen_utsedd",
                    "överläkare_bakjour",
                    "annan",
                ]),
            ),
        ],
    };
    let mut out = vec![Request::new()];
    for (fact, values) in facts {
        out = out
            .into_iter()
            .flat_map(|r| {
                values.iter().map(move |v| {
                    let mut r = r.clone();
                    if let Some(v) = v {
                        r.insert(fact, v.clone());
                    }
                    r
                })
            })
            .collect();
    }
    out
}

fn texts(values: &[&str]) -> Vec<Option<Value>> {
    values
        .iter()
        .map(|v| Some(Value::Text((*v).to_owned())))
        .collect()
}

fn bools() -> Vec<Option<Value>> {
    vec![Some(Value::Bool(false)), Some(Value::Bool(true)), None]
}

fn request_count() -> usize {
    std::env::var("REGEL_REFERENCE_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// Runs one ruleset: the whole input space of `upplåsning` and `försegling`, and random
/// requests (80 % `direktåtkomst`), complete and with one fact left out.
fn run(ruleset: Ruleset, n: usize, rng: &mut Rng) -> BTreeMap<Decision, Tally> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let compiled = regelverk::Pipeline::load(&root.join(ruleset.dir()))
        .unwrap()
        .compiled
        .unwrap_or_else(|| panic!("{} compiles", ruleset.dir()));
    let mut tallies: BTreeMap<Decision, Tally> = BTreeMap::new();
    for decision in Decision::ALL {
        let evaluator = Evaluator::new(compiled.table(decision.name()).unwrap().clone()).unwrap();
        let tally = tallies.entry(decision).or_default();
        for request in exhaustive(decision) {
            let table = actual(&evaluator, &request);
            let verdict = judge(ruleset, decision, &request, table.as_deref());
            tally.add(verdict, &request, table.as_deref(), ruleset, decision);
        }
        let share = match decision {
            Decision::Direktåtkomst => n * 8 / 10,
            _ => n / 10,
        };
        let facts = required(decision);
        for _ in 0..share {
            let mut request = request(rng, ruleset, decision);
            if rng.chance(8) {
                let fact = rng.pick(&facts);
                request.remove(fact);
                let table = actual(&evaluator, &request);
                let verdict = judge_incomplete(ruleset, decision, &request, fact, table.as_deref());
                tally.add(verdict, &request, table.as_deref(), ruleset, decision);
                continue;
            }
            if decision == Decision::Direktåtkomst && ruleset != Ruleset::Vgr && rng.chance(2) {
                request.insert(
                    "post.undantag",
                    Value::Text(rng.pick(&VGR_UNDANTAG).to_owned()),
                );
            }
            let table = actual(&evaluator, &request);
            let verdict = judge(ruleset, decision, &request, table.as_deref());
            tally.add(verdict, &request, table.as_deref(), ruleset, decision);
        }
    }
    tallies
}

#[test]
#[ignore = "opt-in: a million requests per ruleset; cargo test --release --test reference -- --ignored"]
fn the_tables_agree_with_the_brief() {
    let n = request_count();
    let mut report = String::new();
    let mut failed = false;
    let mut rng = Rng(2026);
    for ruleset in Ruleset::ALL {
        let start = Instant::now();
        let tallies = run(ruleset, n, &mut rng);
        let total: usize = tallies.values().map(|t| t.requests).sum();
        let agree: usize = tallies.values().map(|t| t.agree).sum();
        let _ = writeln!(
            report,
            "{}: {total} begäranden, {agree} lika ({:.4} %), {:.1} s",
            ruleset.dir(),
            100.0 * agree as f64 / total as f64,
            start.elapsed().as_secs_f64()
        );
        for (decision, t) in &tallies {
            let _ = writeln!(
                report,
                "  {}: {} begäranden, {} lika",
                decision.name(),
                t.requests,
                t.agree
            );
            for (why, count) in &t.pending {
                let _ = writeln!(report, "    väntar ({count}): {why}");
            }
            for (kind, (count, examples)) in &t.differ {
                failed = true;
                let _ = writeln!(report, "    SKILLNAD ({count}): {kind}");
                for e in examples {
                    let _ = writeln!(report, "      {e}");
                }
            }
        }
    }
    assert!(!failed, "the tables and the brief differ:\n{report}");
    eprintln!("{report}");
}
