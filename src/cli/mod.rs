//! The `regel` command line: one file per subcommand, each a clap struct with a `run` that
//! returns `Result<Exit, CliError>`. Every command reads its rulesets through `input` and
//! fails through `error`, which prints the one kind of message and picks the exit code.

mod batch;
mod check;
mod compare;
mod compile;
mod decide;
mod deviations;
mod diff;
mod error;
mod fmt;
mod input;
mod lines;
mod lsp;
mod ny;
mod test;
mod write;

pub use check::ErrorFormat;
pub use error::{CliError, Exit};
pub use write::{WriteError, write_atomically};

use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "regel",
    version,
    about = "Regelverk för Journalen: kontrollera, kompilera och jämför regler för vem som får läsa vad",
    long_about = "regel läser regelverk — kataloger med .regel-filer — och kontrollerar, kompilerar och \
jämför dem. Det nationella ramverket ligger i rules/, varje region i regions/<region>/.\n\n\
Exempel:\n  regel check rules regions/vastra-gotaland\n  regel check --error-format json regions/jamtland-harjedalen\n\n\
Slutkoder: 0 allt i ordning, 1 fel i reglerna (eller skillnader), 2 fel i anropet eller filerna."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Check(check::Check),
    Compile(compile::Compile),
    Decide(decide::Decide),
    Test(test::Test),
    Diff(diff::DiffCmd),
    Deviations(deviations::Deviations),
    Compare(compare::Compare),
    Fmt(fmt::Fmt),
    Lsp(lsp::Lsp),
    Ny(ny::Ny),
}

/// Runs the command line. The work runs on a thread with a large stack, so that no input
/// can exhaust it. The exit code is always 0, 1 or 2 (see [`Exit`]): nothing here writes
/// with `print!` or `eprint!`, which panic when the stream is closed or full, and a panic
/// on the worker still ends in 2.
pub fn main() -> ExitCode {
    let matches = swedish(Cli::command()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            error::report(match cli.command {
                Command::Check(c) => c.run(),
                Command::Compile(c) => c.run(),
                Command::Decide(c) => c.run(),
                Command::Test(c) => c.run(),
                Command::Diff(c) => c.run(),
                Command::Deviations(c) => c.run(),
                Command::Compare(c) => c.run(),
                Command::Fmt(c) => c.run(),
                Command::Lsp(c) => c.run(),
                Command::Ny(c) => c.run(),
            })
        });
    match worker.map(|h| h.join()) {
        Ok(Ok(exit)) => exit.into(),
        _ => {
            error::eprint("fel: regel avbröts oväntat; rapportera gärna vad du körde\n");
            Exit::Error.into()
        }
    }
}

/// The help in Swedish like the rest of it: clap's own words (Usage, Options, Print help,
/// Print version) replaced, in the command and every subcommand.
fn swedish(command: clap::Command) -> clap::Command {
    const TEMPLATE: &str =
        "{before-help}{about-with-newline}\nAnvändning: {usage}\n\n{all-args}{after-help}";
    let headings = |c: clap::Command| {
        c.help_template(TEMPLATE)
            .subcommand_help_heading("Kommandon")
            .subcommand_value_name("KOMMANDO")
            .disable_help_flag(true)
            .mut_args(|a| {
                // The help text names the values and the default in Swedish (clap allows
                // hiding them only on arguments that take a value).
                let takes_value = a.get_action().takes_values();
                let a = if takes_value {
                    a.hide_possible_values(true).hide_default_value(true)
                } else {
                    a
                };
                if a.is_positional() {
                    a.help_heading("Argument")
                } else {
                    a.help_heading("Flaggor")
                }
            })
            .arg(
                Arg::new("hjälp")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("Visa hjälpen")
                    .help_heading("Flaggor"),
            )
    };
    headings(command)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Visa versionen")
                .help_heading("Flaggor"),
        )
        .mut_subcommands(headings)
}
