//! The four requests the benchmark times, one per row of issue 13's table.

/// A benchmark scenario: its name (the criterion group), the request as JSON text, and
/// what regelverk decides.
pub struct Scenario {
    pub name: &'static str,
    pub json: &'static str,
    pub outcome: &'static str,
    pub reason: &'static str,
}

pub const SCENARIOS: [Scenario; 4] = [
    Scenario {
        name: "patient 16",
        json: r#"{"datum": "2026-05-01", "läsare": "patient",
                  "patient": {"födelsedatum": "2010-05-01"},
                  "post": {"datum": "2026-03-12", "vårdenhet": "SE2321000131-VC7", "kategori": "provsvar"}}"#,
        outcome: "visa",
        reason: "egen_åtkomst",
    },
    Scenario {
        name: "guardian, unit extension",
        json: r#"{"datum": "2026-06-01", "läsare": "vårdnadshavare",
                  "patient": {"födelsedatum": "2012-01-15"},
                  "vårdnadshavare": {"förlängning": {"finns": true, "signerad": "2025-06-01", "enhet": "SE2321000131-PED1"}},
                  "post": {"datum": "2026-01-01", "vårdenhet": "SE2321000131-PED1", "kategori": "provsvar"}}"#,
        outcome: "visa",
        reason: "förlängd_åtkomst",
    },
    Scenario {
        name: "sealed account",
        json: r#"{"datum": "2026-05-01", "läsare": "patient",
                  "patient": {"födelsedatum": "1980-05-01", "försegling": "av_patienten"},
                  "post": {"datum": "2026-04-20", "vårdenhet": "SE2321000131-VC7", "kategori": "provsvar"}}"#,
        outcome: "dölj",
        reason: "förseglad",
    },
    Scenario {
        name: "guardian, BUP, child 10",
        json: r#"{"datum": "2026-05-01", "läsare": "vårdnadshavare",
                  "patient": {"födelsedatum": "2016-03-10"},
                  "post": {"datum": "2026-02-03", "vårdenhet": "SE2321000131-BUP1", "verksamhet": "bup", "kategori": "provsvar"}}"#,
        outcome: "dölj",
        reason: "bup",
    },
];
