//! `regel ny`: a new region's ruleset, ready to check, test and edit.

use super::error::{CliError, Exit};
use crate::source::normalize;
use std::path::{Component, Path, PathBuf};

/// Skapa ett nytt regionalt regelverk: en katalog med rubrik, ett avsteg och exempel.
///
/// Regelverket bygger på det nationella ramverket och klarar `regel check` och `regel test`
/// direkt. Byt sedan ut avsteget och exemplen mot regionens egna.
///
/// Exempel:
///   regel ny regions/uppsala --namn "Region Uppsala"
///   regel check regions/uppsala && regel test regions/uppsala
#[derive(clap::Args, Debug)]
pub struct Ny {
    /// Katalogen som skapas, t.ex. `regions/uppsala`. Den får inte finnas eller ska vara tom.
    #[arg(value_name = "KATALOG")]
    dir: PathBuf,
    /// Regionens namn, t.ex. "Region Uppsala" (annars katalogens namn).
    #[arg(long, value_name = "NAMN")]
    namn: Option<String>,
    /// Det nationella ramverkets katalog (annars den närmaste katalogen `rules` ovanför).
    #[arg(long = "bygger-på", value_name = "KATALOG")]
    bygger_pa: Option<PathBuf>,
}

impl Ny {
    pub fn run(self) -> Result<Exit, CliError> {
        let shown = crate::source::display_path(&self.dir);
        if std::fs::read_dir(&self.dir).is_ok_and(|mut d| d.next().is_some()) {
            return Err(CliError::Input(format!(
                "`{shown}` finns redan och är inte tom: välj en ny katalog"
            )));
        }
        let target = absolute(&self.dir)?;
        let national = match &self.bygger_pa {
            Some(dir) => absolute(dir)?,
            None => find_national(&target).ok_or_else(|| {
                CliError::Input(
                    "hittar ingen katalog `rules` ovanför: ange det nationella ramverket med `--bygger-på`"
                        .to_owned(),
                )
            })?,
        };
        let base = relative(&target, &national);
        let base_text = base.to_string_lossy().replace('\\', "/");
        let folder = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "region".to_owned());
        let name = self
            .namn
            .clone()
            .unwrap_or_else(|| format!("Region {folder}"));
        let prefix: String = folder
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect();
        let prefix = if prefix.is_empty() {
            "REGION".to_owned()
        } else {
            prefix
        };
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| CliError::Input(format!("kan inte skapa `{shown}`: {e}")))?;
        for (file, text) in skeleton(&name, &base_text, &prefix) {
            let path = self.dir.join(file);
            std::fs::write(&path, text).map_err(|e| {
                CliError::Input(format!(
                    "kan inte skriva `{}`: {e}",
                    crate::source::display_path(&path)
                ))
            })?;
        }
        // `regel test` wants every rule, the national ones too, decided by an example of the
        // region: the national examples are copied, to be kept where the region agrees.
        let mut copied = Vec::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&national)
            .map_err(|e| CliError::Input(format!("kan inte läsa det nationella ramverket: {e}")))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "regel")
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("exempel"))
            })
            .collect();
        entries.sort();
        for from in entries {
            let Some(file) = from.file_name() else {
                continue;
            };
            let file = format!("nationellt_{}", file.to_string_lossy());
            let to = self.dir.join(&file);
            std::fs::copy(&from, &to).map_err(|e| {
                CliError::Input(format!(
                    "kan inte skriva `{}`: {e}",
                    crate::source::display_path(&to)
                ))
            })?;
            copied.push(file);
        }
        eprintln!(
            "skapade {shown}: regelverk.regel, avsteg.regel, exempel.regel och det nationella \
             ramverkets exempel ({})\n\
             nästa steg: byt ut avsteget och exemplen mot regionens egna, och kör\n  \
             regel check {shown} && regel test {shown} && regel fmt --check {shown}",
            copied.join(", ")
        );
        Ok(Exit::Ok)
    }
}

/// `path` made absolute, with `.` and `..` resolved.
fn absolute(path: &Path) -> Result<PathBuf, CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::Input(format!("kan inte läsa arbetskatalogen: {e}")))?;
    Ok(normalize(&cwd.join(path)))
}

/// The nearest directory `rules` holding rule files, from the new directory's parent up.
fn find_national(target: &Path) -> Option<PathBuf> {
    target.ancestors().skip(1).find_map(|dir| {
        let rules = dir.join("rules");
        let has_rules = std::fs::read_dir(&rules)
            .ok()?
            .any(|e| e.is_ok_and(|e| crate::source::is_rule_file(&e.path())));
        has_rules.then_some(rules)
    })
}

/// The path from the directory `from` to `to` (both absolute and normalised).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for c in to.iter().skip(common) {
        path.push(c.as_os_str());
    }
    path
}

/// The files of a new region: its header, one deviation and two examples.
fn skeleton(name: &str, base: &str, prefix: &str) -> [(&'static str, String); 3] {
    let header = format!(
        "# {name}\n\
         #\n\
         # Regionens regelverk bygger på det nationella ramverket. Allt som inte ändras\n\
         # med ett avsteg gäller som i ramverket. Skriv här vilka rutiner regionen har\n\
         # och i vilken fil varje avsteg står.\n\
         \n\
         regelverk \"{name}\" bygger på \"{base}\"\n"
    );
    let deviation = format!(
        "# Ett exempel på ett avsteg: en ny regel som döljer uppgifter från barn- och\n\
         # ungdomspsykiatrin för vårdnadshavare. Regeln går med i den nationella gruppen\n\
         # `urval` och går före rådrum (N10); se tabellen över grupperna i README.md.\n\
         # Byt ut id, rubrik, motivering, källa och villkor mot regionens eget avsteg.\n\
         \n\
         avsteg {prefix}-1 \"Vårdnadshavare ser inte uppgifter från BUP\"\n  \
           motivering \"Skriv här, med regionens egna ord, varför regionen gör avsteg från ramverket.\"\n  \
           källa \"Regionens rutin, avsnitt …\"\n  \
           ny regel\n  \
           beslut direktåtkomst\n  \
           grupp urval\n  \
           går före N10\n  \
           om läsare = vårdnadshavare och post.verksamhet = bup\n  \
           då dölj skäl bup\n"
    );
    let examples = format!(
        "# Exempel som `regel test` kör: ett begärande och det utfall som förväntas.\n\
         # Skriv minst ett exempel där avsteget gör skillnad och ett där det inte gör det.\n\
         \n\
         exempel \"Vårdnadshavaren ser inte en uppgift från BUP ({prefix}-1)\"\n  \
           beslut direktåtkomst\n  \
           datum = 2026-05-01\n  \
           läsare = vårdnadshavare\n  \
           patient.födelsedatum = 2020-01-01\n  \
           post.datum = 2026-03-01\n  \
           post.vårdenhet = \"SE0000000000-BUP\"\n  \
           post.verksamhet = bup\n  \
           förväntat dölj skäl bup\n\
         \n\
         exempel \"Vårdnadshavaren ser en uppgift från vårdcentralen som i ramverket\"\n  \
           beslut direktåtkomst\n  \
           datum = 2026-05-01\n  \
           läsare = vårdnadshavare\n  \
           patient.födelsedatum = 2020-01-01\n  \
           post.datum = 2026-03-01\n  \
           post.vårdenhet = \"SE0000000000-VC\"\n  \
           förväntat visa skäl vårdnadshavare\n"
    );
    [
        ("regelverk.regel", header),
        ("avsteg.regel", deviation),
        ("exempel.regel", examples),
    ]
}
