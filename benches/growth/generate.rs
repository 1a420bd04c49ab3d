//! A generated region of any size, shaped like the real ones: a type of units (one value per
//! four rules, so a 10,000-rule region has a type of 2,500 values), enumeration equalities,
//! age thresholds, date comparisons (fixed dates and `datum - 14 dagar`), and per unit a
//! chain of `går före` over a group. Rules of different units never meet; within a unit the
//! chain settles every overlap, so the region checks and compiles without error.
//!
//! Shared by the growth bench and `tests/growth.rs`, which checks that it compiles and decides.

/// The text of one rule file holding a ruleset of `rules` rules (a multiple of four).
pub fn region(rules: usize) -> String {
    let units = rules.div_ceil(4);
    let mut text = String::from(
        "regelverk \"Genererad region\"\n\n\
         typ Läsare: patient, vårdnadshavare, ombud\n",
    );
    let values: Vec<String> = (0..units).map(|u| format!("e{u}")).collect();
    text.push_str(&format!("typ Enhet: {}\n\n", values.join(", ")));
    text.push_str(
        "fakta datum: datum\n\
         fakta läsare: Läsare\n\
         fakta patient.födelsedatum: datum\n\
         fakta post.enhet: Enhet\n\
         fakta post.datum: datum\n\n\
         härledd patient.ålder = ålder(patient.födelsedatum, datum)\n\
         härledd post.ny = post.datum > datum - 14 dagar\n\n\
         beslut direktåtkomst\n  utfall visa, dölj\n  standard dölj skäl ingen_behörighet\n  källa \"Genererad 1.1\"\n\n",
    );
    for u in 0..units {
        // Ages and connection dates vary by unit, so the age and date columns get many cuts.
        let child = 10 + u % 5;
        let adult = 15 + u % 4;
        let year = 2010 + u % 12;
        text.push_str(&format!(
            "regel E{u}A \"Vårdnadshavare ser barnets uppgifter vid enhet {u}\"\n  källa \"Genererad 2.{u}\"\n  beslut direktåtkomst\n  grupp g{u}\n  om post.enhet = e{u} och läsare = vårdnadshavare och patient.ålder <= {child}\n  då visa skäl vårdnadshavare\n\n\
             regel E{u}C \"Patienten ser sina uppgifter vid enhet {u}\"\n  källa \"Genererad 2.{u}\"\n  beslut direktåtkomst\n  grupp g{u}\n  om post.enhet = e{u} och läsare = patient och patient.ålder >= {adult}\n  då visa skäl egen_åtkomst\n\n\
             regel E{u}B \"Enhet {u} anslöts {year}-10-01\"\n  källa \"Genererad 3.{u}\"\n  beslut direktåtkomst\n  går före grupp g{u}\n  om post.enhet = e{u} och post.datum < {year}-10-01\n  då dölj skäl före_anslutning\n\n\
             regel E{u}D \"Nya uppgifter vid enhet {u} väntar\"\n  källa \"Genererad 4.{u}\"\n  beslut direktåtkomst\n  går före E{u}B\n  om post.enhet = e{u} och läsare = patient och post.ny\n  då dölj skäl rådrum\n\n"
        ));
    }
    text
}
