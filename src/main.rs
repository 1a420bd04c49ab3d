//! The `regel` command: argument parsing and dispatch live in [`regelverk::cli`].

fn main() -> std::process::ExitCode {
    regelverk::cli::main()
}
