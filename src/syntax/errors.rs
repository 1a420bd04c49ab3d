//! pest's parse errors in a jurist's words: "förväntade ett datum som 2026-05-01", never
//! `expected date`.

use super::grammar::Rule;
use crate::diagnostic::{Code, Diagnostic, Span};
use crate::source::FileId;

const CONDITION: &str = "ett villkor som `läsare = patient`";

/// The Swedish description of what a grammar rule matches, or `None` to leave it out.
/// (Long by nature: a table with one arm per grammar rule, read top to bottom.)
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::name => "ett namn som `patient.födelsedatum`",
        Rule::value | Rule::type_ref => "ett namn som `vårdnadshavare`",
        Rule::rule_id => "ett id som `N1`",
        Rule::string | Rule::string_inner => "en text inom citattecken",
        Rule::date => "ett datum som 2026-05-01",
        Rule::integer => "ett heltal som 16",
        Rule::literal | Rule::default_value => {
            "ett värde (ett datum, ett tal, `sant`, `falskt` eller en text)"
        }
        Rule::truth => "`sant` eller `falskt`",
        Rule::expr
        | Rule::disjunction
        | Rule::conjunction
        | Rule::negation
        | Rule::comparison
        | Rule::term
        | Rule::sum
        | Rule::paren
        | Rule::age_call => CONDITION,
        Rule::compare_op => "en jämförelse (`=`, `≠`, `<`, `<=`, `>`, `>=`)",
        Rule::membership => "`i { … }`",
        Rule::shift_op => "`+` eller `-`",
        Rule::duration => "en tidsperiod som `14 dagar`",
        Rule::unit => "`dagar`, `månader` eller `år`",
        Rule::fact_type
        | Rule::bool_type
        | Rule::int_type
        | Rule::date_type
        | Rule::text_type
        | Rule::id_type => {
            "en typ (`sant/falskt`, `datum`, `text`, `id`, `heltal 0..120` eller ett typnamn)"
        }
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
        Rule::remove_rule | Rule::remove_invariant => "`stryker`",
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
        // Optional after every fact: naming it would only be noise ("här väntas `(`").
        Rule::read_by_regions => return None,
        Rule::kw_lases => "`läses`",
        Rule::kw_av => "`av`",
        Rule::kw_regioner => "`regioner`",
        Rule::interpretation_clause | Rule::kw_tolkning => "`tolkning`",
        Rule::valid_from => "`gäller från`",
        Rule::valid_until => "`gäller till och med`",
        Rule::kw_galler => "`gäller`",
        Rule::shown_from | Rule::kw_visas => "`visas från`",
        Rule::require | Rule::kw_kraver => "`kräver`",
        Rule::presence => "`finns`/`saknas`",
        Rule::kw_fran => "`från`",
        Rule::kw_till => "`till och med`",
        Rule::kw_kan => "`kan saknas`",
        Rule::kw_finns => "`finns`",
        Rule::kw_saknas => "`saknas`",
        _ => return None,
    })
}

/// What to write, for the most telling expected rule.
fn help_for(expected: &[Rule]) -> &'static str {
    let has = |r: Rule| expected.contains(&r);
    if has(Rule::date) && !has(Rule::integer) {
        "skriv datum med år, månad och dag: 2026-05-01"
    } else if has(Rule::kw_fran) || has(Rule::kw_till) || has(Rule::kw_och) && !has(Rule::kw_eller)
    {
        "skriv `gäller från 2022-03-01` eller `gäller till och med 2022-02-28`"
    } else if has(Rule::kw_kan) || has(Rule::kw_saknas) && !has(Rule::kw_finns) {
        "ett faktum som en begäran får utelämna skrivs `fakta vårdförsegling.slutdatum: datum, kan saknas`"
    } else if has(Rule::unit) || has(Rule::duration) {
        "skriv en tidsperiod med tal och enhet, t.ex. `- 14 dagar` eller `+ 1 år`"
    } else if has(Rule::fact_type) || has(Rule::bool_type) {
        "skriv typen efter kolon, t.ex. `fakta läsarval.rådrum: sant/falskt = falskt`"
    } else if has(Rule::outcome) || has(Rule::value) && has(Rule::kw_skal) {
        "skriv utfallet efter `då`, t.ex. `då dölj skäl förseglad`"
    } else if has(Rule::string) || has(Rule::string_inner) {
        "skriv texten inom raka citattecken, t.ex. `källa \"RJH rutin 3.4\"`; en regel, ett avsteg och ett exempel har en titel efter id:t: `regel N1 \"Titel\"`"
    } else if has(Rule::rule_id) {
        "skriv id och titel, t.ex. `regel N1 \"Patienten ser sina uppgifter från 16 år\"`"
    } else if expected.iter().any(|r| describe(*r) == Some(CONDITION)) {
        "skriv ett villkor, t.ex. `läsare = patient och patient.ålder >= 16`"
    } else if has(Rule::kw_da) || has(Rule::condition_clause) || has(Rule::outcome_clause) {
        "en regel skrivs `regel ID \"Titel\"` följt av `källa`, `beslut`, `om …` och `då …`"
    } else if has(Rule::EOI) {
        "varje deklaration börjar med ett av orden `regelverk`, `typ`, `fakta`, `härledd`, `beslut`, `regel`, `avsteg`, `invariant` eller `exempel`"
    } else if has(Rule::value) || has(Rule::name) || has(Rule::type_ref) {
        "skriv ett namn med bokstäver, siffror och `_`, t.ex. `vårdnadshavare` eller `patient.födelsedatum`"
    } else {
        "se språkreferensen i README.md, avsnittet \"Språket: referens för jurister\""
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

/// Punctuation the grammar writes as plain strings, in the order they are mentioned.
const PUNCTUATION: &[&str] = &[")", "}", ":", "=", "..", ",", "(", "{"];

fn describe_punctuation(p: &str) -> &'static str {
    match p {
        ")" => "`)`",
        "}" => "`}`",
        ":" => "`:`",
        "=" => "`=`",
        ".." => "`..`",
        "," => "`,`",
        "(" => "`(`",
        _ => "`{`",
    }
}

/// A date written with too few digits, like `2026-5-01`, which the grammar reads as a
/// subtraction.
fn bad_date(text: &str, pos: usize, file: FileId) -> Option<Diagnostic> {
    let is_date_char = |c: char| c.is_ascii_digit() || c == '-';
    let before = text.get(..pos)?;
    let start = before
        .rfind(|c: char| !is_date_char(c))
        .map_or(0, |i| i + 1);
    let after = text.get(start..)?;
    let len = after
        .find(|c: char| !is_date_char(c))
        .unwrap_or(after.len());
    let token = after.get(..len)?;
    let parts: Vec<&str> = token.split('-').collect();
    let looks_like_date = matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) && !(m.len() == 2 && d.len() == 2));
    if !looks_like_date {
        return None;
    }
    let start32 = u32::try_from(start).unwrap_or(u32::MAX);
    let span = Span::new(
        file,
        start32,
        start32.saturating_add(u32::try_from(len).unwrap_or(0)),
    );
    Some(
        Diagnostic::error(
            Code::InvalidLiteral,
            format!("`{token}` är inget datum"),
            span,
            "månad och dag behöver två siffror",
        )
        .with_help(match parts.as_slice() {
            [y, m, d] if m.len() <= 2 && d.len() <= 2 => {
                format!(
                    "menade du `{y}-{m:0>2}-{d:0>2}`? skriv datum med år, månad och dag: 2026-05-01"
                )
            }
            _ => "skriv datum med år, månad och dag: 2026-05-01".to_owned(),
        }),
    )
}

/// The words the grammar never accepts as a name (its `keyword` rule).
const RESERVED: &[&str] = &[
    "regelverk",
    "typ",
    "fakta",
    "härledd",
    "beslut",
    "utfall",
    "standard",
    "skäl",
    "regel",
    "källa",
    "grupp",
    "går",
    "om",
    "då",
    "avsteg",
    "motivering",
    "ersätter",
    "stryker",
    "ny",
    "omdefinierar",
    "utökar",
    "invariant",
    "alltid",
    "aldrig",
    "när",
    "exempel",
    "förväntat",
    "och",
    "eller",
    "inte",
    "i",
    "sant",
    "falskt",
    "tolkning",
    "gäller",
    "kräver",
];

/// The keyword a misspelt word most likely was, among the keywords the parser wanted. A
/// phrase (`går före`, `gäller från`) is given whole when the word after the misspelt one is
/// its second word: `gäler från` was `gäller från`.
fn keyword_like(word: &str, next: Option<&str>, wanted: &[&str]) -> Option<String> {
    let close = |written: &str, keyword: &str| {
        let limit = (written.chars().count() / 3).max(1);
        let d = strsim::levenshtein(written, keyword);
        (d <= limit).then_some(d)
    };
    let mut phrases: Vec<&str> = wanted
        .iter()
        .filter_map(|d| d.strip_prefix('`')?.strip_suffix('`'))
        .filter(|k| k.chars().all(|c| c.is_alphabetic() || c == ' '))
        .collect();
    // `gäller` is wanted as one word; what people write is one of its phrases.
    if phrases.contains(&"gäller") {
        phrases.extend(["gäller från", "gäller till och med"]);
    }
    phrases
        .into_iter()
        .filter_map(|phrase| {
            let mut words = phrase.split(' ');
            let first = words.next()?;
            let mut distance = close(word, first)?;
            if let Some(second) = words.next() {
                distance += close(next?, second)?;
            }
            // The keyword written right: the mistake is elsewhere.
            (distance > 0).then_some((distance, std::cmp::Reverse(phrase.len()), phrase))
        })
        .min()
        .map(|(_, _, phrase)| phrase.to_owned())
}

/// The word after the one at `pos`, spaces between.
fn next_word(text: &str, pos: usize, word: &str) -> Option<String> {
    let rest = text
        .get(pos + word.len()..)?
        .trim_start_matches([' ', '\t']);
    let next: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!next.is_empty()).then_some(next)
}

/// What a failed parse wanted, and where.
struct Expected {
    /// Where the parse failed (moved on to where punctuation was wanted, if further).
    pos: usize,
    positives: Vec<Rule>,
    negatives: Vec<Rule>,
    /// Punctuation wanted at `pos`, in [`PUNCTUATION`]'s terms.
    punctuation: Vec<&'static str>,
}

impl Expected {
    fn of(error: &pest::error::Error<Rule>) -> Expected {
        let pos = match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
        let (positives, negatives) = match &error.variant {
            pest::error::ErrorVariant::ParsingError {
                positives,
                negatives,
            } => (positives.clone(), negatives.clone()),
            pest::error::ErrorVariant::CustomError { .. } => (Vec::new(), Vec::new()),
        };
        let mut expected = Expected {
            pos,
            positives,
            negatives,
            punctuation: Vec::new(),
        };
        // Punctuation is not a grammar rule, so only the detailed attempts know it was
        // wanted, possibly further on than any rule: `typ Läsare patient` wants `:` after
        // `Läsare`.
        if let Some(attempts) = error.parse_attempts()
            && attempts.max_position >= pos
        {
            for token in attempts.expected_tokens() {
                let token = token.to_string();
                if let Some(p) = PUNCTUATION.iter().find(|p| **p == token)
                    && (attempts.max_position > pos || *p != "=")
                {
                    expected.punctuation.push(p);
                }
            }
            if attempts.max_position > pos && !expected.punctuation.is_empty() {
                expected.pos = attempts.max_position;
                expected.positives.clear();
            }
        }
        expected
    }

    /// Everything wanted, described for a jurist: punctuation first, then grammar rules.
    fn wanted(&self) -> Vec<&'static str> {
        let mut wanted: Vec<&str> = self
            .punctuation
            .iter()
            .map(|p| describe_punctuation(p))
            .collect();
        for rule in &self.positives {
            if let Some(d) = describe(*rule)
                && !wanted.contains(&d)
            {
                wanted.push(d);
            }
        }
        wanted
    }
}

/// Turns a pest error into a diagnostic on `file`.
pub(super) fn parse_error(
    error: &pest::error::Error<Rule>,
    file: FileId,
    text: &str,
) -> Diagnostic {
    let mut expected = Expected::of(error);
    let pos = expected.pos;
    if let Some(d) = bad_date(text, pos, file) {
        return d;
    }
    let rest = text.get(pos..).unwrap_or("");
    // A text that is never closed swallows the rest of the file: say so where it starts.
    if rest.starts_with('"') && !rest.get(1..).unwrap_or("").contains('"') {
        return Diagnostic::error(
            Code::Syntax,
            "texten avslutas aldrig",
            span_at(file, pos, 1),
            "texten börjar här",
        )
        .with_help("avsluta texten med ett citattecken, t.ex. `källa \"RJH rutin 3.4\"`");
    }
    let wants_clause = expected.positives.iter().any(|r| {
        matches!(
            r,
            Rule::source_clause | Rule::kw_kalla | Rule::condition_clause | Rule::kw_om
        )
    });
    if let Some(d) = super::hints::hint(text, pos, file, wants_clause) {
        return d;
    }
    let found = found_at(text, pos);
    // A condition may start with `(`: no need to say so twice.
    if expected
        .positives
        .iter()
        .any(|r| describe(*r) == Some(CONDITION))
    {
        expected.punctuation.retain(|p| *p != "(");
    }
    let mut wanted = expected.wanted();
    let word = found.trim_matches('`');
    let positives = &expected.positives;
    let negatives = &expected.negatives;
    let wants_a_name = !positives.is_empty()
        && positives
            .iter()
            .all(|r| matches!(r, Rule::name | Rule::value | Rule::rule_id | Rule::type_ref));
    let reserved = negatives.contains(&Rule::keyword) || (wants_a_name && RESERVED.contains(&word));
    let between_items = positives.contains(&Rule::EOI);
    // Between declarations, a comma could only have started `, kan saknas` after a fact.
    if between_items {
        wanted.retain(|d| *d != "`,`");
    }
    // "slutet av filen" is a possibility only the parser cares about.
    // Nor is the `(` of a fact's `(läses av regioner)`.
    wanted.retain(|d| !between_items || (*d != "slutet av filen" && *d != "`(`"));
    let misspelt = if reserved {
        None
    } else {
        keyword_like(word, next_word(text, pos, word).as_deref(), &wanted)
    };
    let message = if reserved || (positives.is_empty() && !negatives.is_empty()) {
        format!("{found} är ett reserverat ord och kan inte vara ett namn")
    } else if misspelt.is_some() {
        // A list of everything the parser wanted would bury the one word meant.
        format!("okänt nyckelord {found}")
    } else if wanted.is_empty() {
        format!("oväntat {found}")
    } else if between_items {
        format!("oväntat {found}: här väntas {}", join_or(&wanted))
    } else {
        format!("förväntade {}", join_or(&wanted))
    };
    // At the end of the file, point just after the last thing written.
    let (start, len, label) = if rest.trim().is_empty() {
        (text.trim_end().len(), 0, "här tar filen slut".to_owned())
    } else {
        let len = match found.as_str() {
            "radslut" => 0,
            token => token.trim_matches('`').len(),
        };
        (pos, len, format!("här står {found}"))
    };
    let help = if reserved {
        "reserverade ord (som `och`, `om`, `regel`) kan inte vara namn: välj ett annat namn"
            .to_owned()
    } else if let Some(k) = misspelt {
        format!("menade du `{k}`?")
    } else {
        punctuation_help(&expected.punctuation)
            .unwrap_or_else(|| help_for(positives))
            .to_owned()
    };
    Diagnostic::error(Code::Syntax, message, span_at(file, start, len), label).with_help(help)
}

/// The span of `len` bytes from `start`.
fn span_at(file: FileId, start: usize, len: usize) -> Span {
    let start = u32::try_from(start).unwrap_or(u32::MAX);
    Span::new(
        file,
        start,
        start.saturating_add(u32::try_from(len).unwrap_or(0)),
    )
}

/// What to write when punctuation was missing, the most telling first.
fn punctuation_help(punctuation: &[&str]) -> Option<&'static str> {
    let has = |p: &str| punctuation.contains(&p);
    Some(if has(")") {
        "varje `(` behöver en `)`: stäng parentesen där villkoret inuti slutar"
    } else if has(":") {
        "skriv ett kolon efter namnet, t.ex. `typ Läsare: patient, ombud` eller `fakta läsare: Läsare`"
    } else if has("}") {
        "avsluta listan med `}`, t.ex. `post.undantag i {uppgiftslämnare, synnerlig_vikt}`"
    } else if has("..") {
        "skriv det minsta och det största värdet med två punkter emellan, t.ex. `heltal 0..120`"
    } else if has("=") {
        "skriv `=` och ett värde, t.ex. `härledd post.ny = post.datum > datum - 14 dagar`"
    } else {
        return None;
    })
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
const MAX_DEPTH: usize = 64;

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
