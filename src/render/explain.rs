//! A decision as `regel decide` prints it: one JSON object, and with `--explain` the row's
//! conditions and the rules it overrode, in words a jurist reads.

use crate::table::{
    ColumnKind, Condition, Decision, DecisionTable, Evaluator, RequestError, RuleInfo,
};
use serde_json::{Value as Json, json};

/// A row condition as a phrase: `läsare = vårdnadshavare`, `patient.ålder är 13–15`. A
/// predicate (a date comparison, a derived fact) reads as itself when true and as `inte (…)`
/// when false; a condition that allows every value says the fact must be given.
pub fn condition(table: &DecisionTable, c: &Condition) -> String {
    let column = table.columns.iter().find(|col| col.name == c.column);
    if column.is_some_and(|col| col.cells.len() == c.values.len() && col.cells.len() > 1) {
        return format!("{} anges (alla värden)", c.column);
    }
    match (c.values.as_slice(), column.map(|col| &col.kind)) {
        ([one], Some(ColumnKind::Presence(fact))) => format!("{fact} {one}"),
        ([one], Some(ColumnKind::Predicate(_))) if one == "sant" => c.column.clone(),
        ([one], Some(ColumnKind::Predicate(_))) if one == "falskt" => {
            format!("inte ({})", c.column)
        }
        ([one], Some(ColumnKind::Int { .. })) => format!("{} är {one}", c.column),
        ([one], _) => format!("{} = {one}", c.column),
        (many, Some(ColumnKind::Int { .. })) => format!("{} är {}", c.column, many.join(" eller ")),
        (many, _) => format!("{} i {{{}}}", c.column, many.join(", ")),
    }
}

/// A rule as an explanation cites it; `None` when it names a deviation the table lacks.
fn rule_json(table: &DecisionTable, rule: &RuleInfo) -> Option<Json> {
    let mut value = serde_json::Map::new();
    value.insert("id".into(), json!(rule.id));
    value.insert("titel".into(), json!(rule.title));
    value.insert("plats".into(), json!(rule.location));
    value.insert(
        "källor".into(),
        rule.sources
            .iter()
            .map(|s| json!({"källa": s.text, "plats": s.location}))
            .collect(),
    );
    if !rule.tolkning.is_empty() {
        value.insert("tolkning".into(), json!(rule.tolkning));
    }
    if let Some(period) = rule.period {
        value.insert("gäller".into(), json!(period.to_string()));
    }
    if let Some(d) = rule.suspended_by {
        let dev = table.deviations.get(d)?;
        if let Some(period) = dev.period {
            value.insert(
                "gäller_inte".into(),
                json!(format!("{period}, enligt avsteg {}", dev.id)),
            );
        }
    }
    if let Some(d) = rule.deviation {
        let dev = table.deviations.get(d)?;
        let mut avsteg = serde_json::Map::new();
        avsteg.insert("id".into(), json!(dev.id));
        avsteg.insert("titel".into(), json!(dev.title));
        avsteg.insert("motivering".into(), json!(dev.motivering));
        avsteg.insert(
            "källor".into(),
            dev.sources.iter().map(|s| json!(s.text)).collect(),
        );
        // A rule an avsteg makes has the avsteg's interpretations, shown once, on the rule.
        if !dev.tolkning.is_empty() && dev.tolkning != rule.tolkning {
            avsteg.insert("tolkning".into(), json!(dev.tolkning));
        }
        if let Some(period) = dev.period {
            avsteg.insert("gäller".into(), json!(period.to_string()));
        }
        value.insert("avsteg".into(), Json::Object(avsteg));
    }
    Some(Json::Object(value))
}

/// The JSON line for one decided (or refused) request.
pub fn response(
    evaluator: &Evaluator,
    result: Result<Decision<'_>, RequestError>,
    explain: bool,
) -> Json {
    let table = evaluator.table();
    let decision = match result {
        Ok(d) => d,
        Err(e) => return json!({ "fel": e.to_string() }),
    };
    let (rule_id, sources): (String, Vec<String>) = match decision.rule {
        Some(r) => (
            r.id.clone(),
            r.sources.iter().map(|s| s.text.clone()).collect(),
        ),
        None => (
            "standard".to_owned(),
            table
                .default_sources
                .iter()
                .map(|s| s.text.clone())
                .collect(),
        ),
    };
    let mut out = json!({
        "utfall": decision.outcome,
        "skäl": decision.reason,
        "regel": rule_id,
        "källor": sources,
    });
    if let (Some(date), Json::Object(map)) = (decision.shown_from, &mut out) {
        map.insert("visas_från".into(), json!(date.to_string()));
    }
    if !explain {
        return out;
    }
    // A table edited by hand can name rules it does not have: no answer is better than an
    // explanation that leaves the overriding rule or the deviation out.
    let Some(explanation) = explanation(table, &decision) else {
        return json!({ "fel": format!(
            "tabellen för `{}` hänvisar till en regel eller ett avsteg som den saknar: kompilera om den med `regel compile`",
            table.decision
        ) });
    };
    if let Json::Object(map) = &mut out {
        map.insert("förklaring".into(), explanation);
    }
    out
}

/// The row's conditions, the deciding rule and the rules it overrode.
fn explanation(table: &DecisionTable, decision: &Decision<'_>) -> Option<Json> {
    #[expect(
        clippy::indexing_slicing,
        reason = "the evaluator decides by a row of its own table"
    )]
    let row = &table.rows[decision.row];
    let overridden = row
        .overridden
        .iter()
        .map(|&i| {
            let r = table.rules.get(i)?;
            Some(json!({"id": r.id, "titel": r.title, "plats": r.location}))
        })
        .collect::<Option<Vec<Json>>>()?;
    let mut explanation = serde_json::Map::new();
    explanation.insert("rad".into(), json!(decision.row + 1));
    explanation.insert(
        "villkor".into(),
        json!(
            row.when
                .iter()
                .map(|c| condition(table, c))
                .collect::<Vec<_>>()
        ),
    );
    explanation.insert(
        "regel".into(),
        match decision.rule {
            Some(r) => rule_json(table, r)?,
            None => json!({
                "id": "standard",
                "titel": format!("standardutfallet för {}", table.decision),
                "källor": table.default_sources.iter().map(|s| json!({"källa": s.text, "plats": s.location})).collect::<Vec<_>>(),
            }),
        },
    );
    if !overridden.is_empty() {
        explanation.insert("går före".into(), Json::Array(overridden));
    }
    Some(Json::Object(explanation))
}

/// A decision as Swedish sentences for a person: the outcome, the conditions that held, the
/// rule with its sources, deviation and motivering, and the rules it went before.
pub fn text(evaluator: &Evaluator, result: Result<Decision<'_>, RequestError>) -> String {
    let table = evaluator.table();
    let decision = match result {
        Ok(d) => d,
        Err(e) => return format!("Begäran avgörs inte: {e}.\n"),
    };
    let mut out = String::new();
    let reason = decision
        .reason
        .map(|r| format!(" (skäl {r})"))
        .unwrap_or_default();
    out.push_str(&format!(
        "Beslut om {}: {}{reason}.\n",
        table.decision, decision.outcome
    ));
    if let Some(date) = decision.shown_from {
        out.push_str(&format!("Uppgiften visas från {date}.\n"));
    }
    #[expect(
        clippy::indexing_slicing,
        reason = "the evaluator decides by a row of its own table"
    )]
    let row = &table.rows[decision.row];
    if row.when.is_empty() {
        out.push_str("Det gäller varje begäran.\n");
    } else {
        out.push_str("Det gäller eftersom\n");
        for c in &row.when {
            out.push_str(&format!("  - {}\n", condition(table, c)));
        }
    }
    match decision.rule {
        Some(r) => {
            out.push_str(&format!(
                "Regeln {} \"{}\" avgör ({}).\n",
                r.id, r.title, r.location
            ));
            for s in &r.sources {
                out.push_str(&format!("  Källa: {} ({}).\n", s.text, s.location));
            }
            if let Some(dev) = r.deviation.and_then(|d| table.deviations.get(d)) {
                out.push_str(&format!(
                    "Regeln kommer från avsteget {} \"{}\" ({}).\n  Motivering: {}\n",
                    dev.id, dev.title, dev.location, dev.motivering
                ));
            }
        }
        None => {
            let sources: Vec<&str> = table
                .default_sources
                .iter()
                .map(|s| s.text.as_str())
                .collect();
            out.push_str(&format!(
                "Ingen regel gäller, så standardutfallet avgör (källa: {}).\n",
                sources.join("; ")
            ));
        }
    }
    let overridden: Vec<String> = row
        .overridden
        .iter()
        .filter_map(|&i| table.rules.get(i))
        .map(|r| format!("{} \"{}\" ({})", r.id, r.title, r.location))
        .collect();
    if !overridden.is_empty() {
        out.push_str("Den går före regler som också gällde:\n");
        for o in overridden {
            out.push_str(&format!("  - {o}\n"));
        }
    }
    out
}
