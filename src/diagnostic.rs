//! One diagnostic type for the whole pipeline, rendered with codespan-reporting here and
//! nowhere else. Every diagnostic has a stable code, a primary label on the exact span, the
//! places that matter as secondary labels, and a help line that says what to write.

use crate::source::Sources;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::term;
use serde::Serialize;

/// Spans live with the sources they point into; diagnostics carry them.
pub use crate::source::Span;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($($name:ident = $code:literal, $title:literal;)*) => {
        /// Stable diagnostic codes. A code never changes meaning once published.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($name,)* }
        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];
            /// The code as written in messages, e.g. `R0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code,)* }
            }
            /// A short Swedish title for documentation.
            pub fn title(self) -> &'static str {
                match self { $(Code::$name => $title,)* }
            }
        }
    };
}

codes! {
    Syntax = "R0001", "syntaxfel";
    InvalidUtf8 = "R0002", "filen är inte UTF-8";
    TooDeep = "R0003", "för djupt nästlade parenteser";
    InvalidLiteral = "R0004", "ogiltigt datum eller tal";
    DuplicateClause = "R0005", "samma rad två gånger";
    MissingClause = "R0006", "en obligatorisk rad saknas";
    UnknownName = "R0101", "okänt namn";
    UnknownValue = "R0102", "okänt värde";
    TypeMismatch = "R0103", "typfel";
    Duplicate = "R0104", "dubblett";
    MissingSource = "R0105", "regel utan källa";
    MissingMotivation = "R0106", "avsteg utan motivering";
    UnknownNationalRule = "R0107", "avsteg från okänd nationell regel";
    RedeclaredNationalFact = "R0108", "regionen deklarerar om ett nationellt faktum";
    Cycle = "R0109", "cykel bland härledda fakta";
    RegionRuleWithoutDeviation = "R0110", "regionen ändrar nationella regler utan avsteg";
    DeviationChange = "R0111", "avsteg utan en tydlig ändring";
    Header = "R0112", "fel i regelverkets rubrik";
    OptionalFact = "R0113", "faktum som kan saknas används fel";
    Period = "R0114", "fel i giltighetstid";
    ShownFrom = "R0115", "fel i visas från";
    UnknownNationalInvariant = "R0116", "avsteg från okänd nationell invariant";
    UnusedFact = "W0101", "oanvänt faktum";
    OverridesOwnGroup = "W0102", "regel som går före sin egen grupp";
    Conflict = "R0201", "motstridiga regler";
    Gap = "R0202", "lucka: ingen regel avgör";
    TooLarge = "R0203", "för stort att kompilera";
    InvariantBroken = "R0204", "invarianten håller inte";
    InvariantUndecided = "R0205", "invarianten kunde inte avgöras";
    DeadRule = "W0201", "regel som aldrig avgör något";
    RedundantDeviation = "W0202", "avsteg som inte ändrar något beslut";
    ReasonTypo = "W0203", "skäl som liknar ett annat";
    PriorityNeverMatters = "W0204", "företräde som aldrig spelar roll";
}

/// A label on a span: the primary one says what is wrong, secondary ones where else to look.
#[derive(Clone, Debug, Serialize)]
pub struct Label {
    #[serde(skip)]
    pub span: Span,
    pub message: String,
}

/// A problem found in the rule files.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with its primary label.
    pub fn error(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// A warning with its primary label.
    pub fn warning(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span, label)
        }
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note (e.g. an example request).
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders diagnostics as text, the way `regel check` prints them.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let label = |l: &Label, primary: bool| {
            let style = if primary {
                cs::LabelStyle::Primary
            } else {
                cs::LabelStyle::Secondary
            };
            // The database holds the files as written: ranges are moved there.
            let range = sources
                .get(l.span.file)
                .map_or(l.span.start as usize..l.span.end as usize, |f| {
                    f.written_range(l.span.start, l.span.end)
                });
            cs::Label::new(style, l.span.file, range).with_message(l.message.clone())
        };
        let mut labels = vec![label(&d.primary, true)];
        labels.extend(d.secondary.iter().map(|l| label(l, false)));
        let mut notes: Vec<String> = d.help.iter().map(|h| format!("hjälp: {h}")).collect();
        notes.extend(d.notes.iter().cloned());
        let diagnostic = cs::Diagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(d.message.clone())
            .with_labels(labels)
            .with_notes(notes);
        if term::emit_to_string(&mut out, &config, sources, &diagnostic).is_err() {
            // A span outside its file: fall back to the location line so nothing is lost.
            out.push_str(&format!(
                "{}[{}]: {}\n",
                severity_word(d.severity),
                d.code.as_str(),
                d.message
            ));
        }
    }
    out
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    label: &'a str,
    secondary: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
}

/// The same diagnostics as JSON, one object per line (`--error-format json`).
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let locate = |span: Span| {
        let file = sources.file(span.file);
        let range = file.written_range(span.start, span.end);
        let (line, column) = file.written_line_col(range.start);
        let (end_line, end_column) = file.written_line_col(range.end);
        (file.name.as_str(), line, column, end_line, end_column)
    };
    let mut out = String::new();
    for d in diagnostics {
        let (file, line, column, end_line, end_column) = locate(d.primary.span);
        let secondary = d
            .secondary
            .iter()
            .map(|l| {
                let (file, line, column, end_line, end_column) = locate(l.span);
                JsonLabel {
                    file,
                    line,
                    column,
                    end_line,
                    end_column,
                    message: &l.message,
                }
            })
            .collect();
        let json = JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity,
            message: &d.message,
            file,
            line,
            column,
            end_line,
            end_column,
            label: &d.primary.message,
            secondary,
            help: d.help.as_deref(),
            notes: &d.notes,
        };
        #[expect(
            clippy::expect_used,
            reason = "a struct of strings, numbers and lists always serialises"
        )]
        let line = serde_json::to_string(&json).expect("diagnostic as JSON");
        out.push_str(&line);
        out.push('\n');
    }
    out
}
