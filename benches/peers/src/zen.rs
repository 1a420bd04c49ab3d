//! The policy for zen-engine (`policy/vgr.jdm.json`), a GoRules JDM graph: an expression
//! node derives the facts the rules read (age, "newer than 14 days", identifiers in upper
//! case, defaults for facts left out), and a decision table with the `first` hit policy
//! holds the rules in priority order.

use crate::{Outcome, Verdict};
use std::sync::Arc;
use zen_engine::model::DecisionContent;
use zen_engine::{Decision, DecisionEngine, Variable};

pub const GRAPH: &str = include_str!("../policy/vgr.jdm.json");

pub struct Zen {
    decision: Decision,
    runtime: tokio::runtime::Runtime,
}

impl Zen {
    pub fn new() -> Result<Zen, String> {
        let content: DecisionContent =
            serde_json::from_str(GRAPH).map_err(|e| format!("vgr.jdm.json: {e}"))?;
        let mut decision = DecisionEngine::default()
            .create_decision(Arc::new(content))
            .map_err(|e| format!("vgr.jdm.json: {e}"))?;
        decision.compile();
        // zen's evaluation is async, but a graph without function or HTTP nodes never
        // waits: a current-thread runtime drives it on the caller's thread.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Zen { decision, runtime })
    }

    /// Decides an input already read into zen's value.
    pub fn decide(&self, input: Variable) -> Result<Variable, String> {
        self.runtime
            .block_on(self.decision.evaluate(input))
            .map(|response| response.result)
            .map_err(|e| format!("zen: {e}"))
    }

    /// From JSON text: read into zen's value, then decided.
    pub fn decide_text(&self, text: &str) -> Result<Variable, String> {
        let input: Variable = serde_json::from_str(text).map_err(|e| format!("zen: {e}"))?;
        self.decide(input)
    }

    pub fn verdict(&self, text: &str) -> Result<Verdict, String> {
        let result = self.decide_text(text)?;
        let field = |key: &str| {
            result
                .dot(key)
                .and_then(|v| v.as_str().map(str::to_owned))
                .ok_or_else(|| format!("zen answered {}", result.to_value()))
        };
        Ok(Verdict {
            outcome: Outcome::from_name(&field("utfall")?)
                .ok_or_else(|| format!("zen answered {}", result.to_value()))?,
            reason: field("skäl")?,
        })
    }
}
