//! pest's parse errors in a jurist's words: "förväntade ett datum som 2026-05-01", never
//! `expected date`.

use super::lower::Rule;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::FileId;

/// The Swedish description of what a grammar rule matches, or `None` to leave it out.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::name => "ett namn som `patient.födelsedatum`",
        Rule::value | Rule::type_ref => "ett namn som `vårdnadshavare`",
        Rule::rule_id => "ett id som `N1`",
        Rule::string | Rule::string_inner => "en text inom citattecken",
        Rule::date => "ett datum som 2026-05-01",
        Rule::integer => "ett heltal som 16",
        Rule::literal | Rule::default_value => "ett värde (ett datum, ett tal, `sant`, `falskt` eller en text)",
        Rule::truth => "`sant` eller `falskt`",
        Rule::expr
        | Rule::disjunction
        | Rule::conjunction
        | Rule::negation
        | Rule::comparison
        | Rule::term
        | Rule::sum
        | Rule::paren
        | Rule::age_call => "ett villkor som `läsare = patient`",
        Rule::compare_op => "en jämförelse (`=`, `≠`, `<`, `<=`, `>`, `>=`)",
        Rule::membership => "`i { … }`",
        Rule::shift_op => "`+` eller `-`",
        Rule::duration => "en tidsperiod som `14 dagar`",
        Rule::unit => "`dagar`, `månader` eller `år`",
        Rule::fact_type
        | Rule::bool_type
        | Rule::int_type
        | Rule::date_type
        | Rule::text_type => "en typ (`sant/falskt`, `datum`, `text`, `heltal 0..120` eller ett typnamn)",
        Rule::outcome => "ett utfall som `visa`",
        Rule::value_list => "en lista av namn, åtskilda med komma",
        Rule::target | Rule::group_target => "ett regel-id eller `grupp namn`",
        Rule::EOI => "slutet av filen",
        Rule::header => "`regelverk`",
        Rule::type_decl => "`typ`",
        Rule::fact_decl => "`fakta`",
        Rule::derived_decl => "`härledd`",
        Rule::decision_decl => "`beslut`",
        Rule::rule_decl => "`regel`",
        Rule::deviation_decl => "`avsteg`",
        Rule::invariant_decl => "`invariant`",
        Rule::example_decl => "`exempel`",
        Rule::outcomes => "`utfall`",
        Rule::default_clause => "`standard`",
        Rule::source_clause => "`källa`",
        Rule::decision_ref => "`beslut`",
        Rule::group_clause => "`grupp`",
        Rule::overrides_clause => "`går före`",
        Rule::condition_clause => "`om`",
        Rule::outcome_clause => "`då`",
        Rule::motivation_clause => "`motivering`",
        Rule::replace_rule | Rule::replace_decision => "`ersätter`",
        Rule::remove_rule => "`stryker`",
        Rule::new_rule => "`ny regel`",
        Rule::redefine => "`omdefinierar`",
        Rule::extend => "`utökar`",
        Rule::assertion => "`alltid` eller `aldrig`",
        Rule::assignment => "ett faktum med värde som `läsare = patient`",
        Rule::expectation => "`förväntat`",
        Rule::kw_regelverk => "`regelverk`",
        Rule::kw_bygger => "`bygger på`",
        Rule::kw_pa => "`på`",
        Rule::kw_typ => "`typ`",
        Rule::kw_fakta => "`fakta`",
        Rule::kw_harledd => "`härledd`",
        Rule::kw_beslut => "`beslut`",
        Rule::kw_utfall => "`utfall`",
        Rule::kw_standard => "`standard`",
        Rule::kw_skal => "`skäl`",
        Rule::kw_regel => "`regel`",
        Rule::kw_kalla => "`källa`",
        Rule::kw_grupp => "`grupp`",
        Rule::kw_gar_fore => "`går före`",
        Rule::kw_om => "`om`",
        Rule::kw_da => "`då`",
        Rule::kw_avsteg => "`avsteg`",
        Rule::kw_motivering => "`motivering`",
        Rule::kw_ersatter => "`ersätter`",
        Rule::kw_stryker => "`stryker`",
        Rule::kw_ny => "`ny`",
        Rule::kw_omdefinierar => "`omdefinierar`",
        Rule::kw_utokar => "`utökar`",
        Rule::kw_med => "`med`",
        Rule::kw_invariant => "`invariant`",
        Rule::kw_alltid => "`alltid`",
        Rule::kw_aldrig => "`aldrig`",
        Rule::kw_nar => "`när`",
        Rule::kw_exempel => "`exempel`",
        Rule::kw_forvantat => "`förväntat`",
        Rule::kw_fel => "`fel`",
        Rule::kw_och => "`och`",
        Rule::kw_eller => "`eller`",
        Rule::kw_inte => "`inte`",
        Rule::kw_i => "`i`",
        Rule::kw_sant => "`sant`",
        Rule::kw_falskt => "`falskt`",
        Rule::kw_heltal => "`heltal`",
        Rule::kw_alder => "`ålder(…)`",
        _ => return None,
    })
}

/// What to write, for the most telling expected rule.
fn help_for(expected: &[Rule]) -> &'static str {
    let has = |r: Rule| expected.contains(&r);
    if has(Rule::date) && !has(Rule::integer) {
        "skriv datum med år, månad och dag: 2026-05-01"
    } else if has(Rule::unit) || has(Rule::duration) {
        "skriv en tidsperiod med tal och enhet, t.ex. `- 14 dagar` eller `+ 1 år`"
    } else if has(Rule::fact_type) || has(Rule::bool_type) {
        "skriv typen efter kolon, t.ex. `fakta läsarval.rådrum: sant/falskt = falskt`"
    } else if has(Rule::outcome) || has(Rule::value) && has(Rule::kw_skal) {
        "skriv utfallet efter `då`, t.ex. `då dölj skäl förseglad`"
    } else if has(Rule::string) || has(Rule::string_inner) {
        "skriv texten inom raka citattecken, t.ex. \"RJH rutin 3.4\""
    } else if has(Rule::rule_id) {
        "skriv id och titel, t.ex. `regel N1 \"Patienten ser sina uppgifter från 16 år\"`"
    } else if has(Rule::expr) || has(Rule::term) || has(Rule::comparison) {
        "skriv ett villkor, t.ex. `läsare = patient och patient.ålder >= 16`"
    } else if has(Rule::kw_da) || has(Rule::condition_clause) || has(Rule::outcome_clause) {
        "en regel skrivs `regel ID \"Titel\"` följt av `källa`, `beslut`, `om …` och `då …`"
    } else if has(Rule::EOI) {
        "varje deklaration börjar med ett av orden `regelverk`, `typ`, `fakta`, `härledd`, `beslut`, `regel`, `avsteg`, `invariant` eller `exempel`"
    } else {
        "se språkreferensen i docs/language.md"
    }
}

/// The token at `pos`, for "hittade `…`".
fn found_at(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    if rest.is_empty() {
        return "filens slut".to_owned();
    }
    let token: String = match rest.chars().next() {
        Some(c) if c.is_alphanumeric() || c == '_' => rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '-')
            .take(40)
            .collect(),
        Some('\n') | Some('\r') => return "radslut".to_owned(),
        Some(c) => c.to_string(),
        None => String::new(),
    };
    format!("`{token}`")
}

/// Turns a pest error into a diagnostic on `file`.
pub(super) fn parse_error(error: &pest::error::Error<Rule>, file: FileId, text: &str) -> Diagnostic {
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let found = found_at(text, pos);
    let (positives, negatives) = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, negatives } => (positives.clone(), negatives.clone()),
        pest::error::ErrorVariant::CustomError { .. } => (Vec::new(), Vec::new()),
    };
    let mut wanted: Vec<&str> = Vec::new();
    for rule in &positives {
        if let Some(d) = describe(*rule)
            && !wanted.contains(&d)
        {
            wanted.push(d);
        }
    }
    let message = if negatives.contains(&Rule::keyword) || (positives.is_empty() && !negatives.is_empty()) {
        format!("{found} är ett reserverat ord och kan inte användas här")
    } else if wanted.is_empty() {
        format!("oväntat {found}")
    } else {
        format!("förväntade {}", join_or(&wanted))
    };
    let start = u32::try_from(pos).unwrap_or(u32::MAX);
    let len = match found.as_str() {
        "filens slut" | "radslut" => 0,
        token => token.trim_matches('`').len(),
    };
    let end = start.saturating_add(u32::try_from(len).unwrap_or(0));
    let help = if negatives.contains(&Rule::keyword) {
        "reserverade ord (som `och`, `om`, `regel`) kan inte vara namn: välj ett annat namn"
    } else {
        help_for(&positives)
    };
    Diagnostic::error(Code::Syntax, message, Span::new(file, start, end), format!("här står {found}"))
        .with_help(help)
}

/// "a, b eller c"
fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} eller {last}", init.join(", ")),
    }
}

/// The deepest nesting of parentheses allowed; deeper files are refused before parsing, so
/// no input can exhaust the parser's stack.
pub(super) const MAX_DEPTH: usize = 64;

/// Finds the first parenthesis nested deeper than [`MAX_DEPTH`], outside strings and comments.
pub(super) fn too_deep(text: &str, file: FileId) -> Option<Diagnostic> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    for (i, c) in text.char_indices() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '"' => in_string = !in_string,
            _ if in_string => {}
            '#' => in_comment = true,
            '(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let start = u32::try_from(i).unwrap_or(u32::MAX);
                    return Some(
                        Diagnostic::error(
                            Code::TooDeep,
                            format!("villkoret har fler än {MAX_DEPTH} parenteser inuti varandra"),
                            Span::new(file, start, start.saturating_add(1)),
                            "här blir det för djupt",
                        )
                        .with_help("dela upp villkoret med `härledd` fakta, så blir det också lättare att läsa"),
                    );
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
