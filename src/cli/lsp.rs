//! `regel lsp`: the language server for editors, over standard in and out.

use super::error::{CliError, Exit};

/// Starta språkservern för redigerare (VS Code m.fl.) över standard in och ut.
///
/// Redigeraren startar den själv; den visar fel medan du skriver (även i filer som inte är
/// sparade), förklaringar, gå till definition, alla användningar, förslag och formatering.
#[derive(clap::Args, Debug)]
pub struct Lsp {
    /// Tas emot för redigerare som anger det; språkservern talar alltid över standard in och ut.
    #[arg(long)]
    stdio: bool,
}

impl Lsp {
    pub fn run(self) -> Result<Exit, CliError> {
        let _ = self.stdio;
        crate::lsp::run().map_err(CliError::Input)?;
        Ok(Exit::Ok)
    }
}
