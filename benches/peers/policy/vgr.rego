# Västra Götalandsregionen, direktåtkomst: the national framework (rules/) with VGR's
# deviations (regions/vastra-gotaland/), for regorus.
#
# `beslut` is an `else` chain: the first branch that holds decides, in the priority order
# of rules/dölj.regel with VGR's rules where the region places them. Facts left out of
# the request take their defaults (BRIEF §3.1); identifiers are compared in upper case.
package vgr

import rego.v1

beslut := {"utfall": "dölj", "skäl": "reservnummer"} if {
	fakta("patient", "reservnummer", false)
} else := {"utfall": "dölj", "skäl": "förseglad"} if {
	fakta("patient", "försegling", "ingen") == "av_patienten"
} else := {"utfall": "dölj", "skäl": "skyddad_identitet"} if {
	skyddad_identitet
	alder < 18
} else := {"utfall": "dölj", "skäl": "vårdförseglad"} if {
	vardforseglad
} else := {"utfall": "dölj", "skäl": "vårdnadshavare_blockerad"} if {
	input["läsare"] == "vårdnadshavare"
	fakta("vårdnadshavare", "blockerad", false)
} else := {"utfall": "dölj", "skäl": "undantag"} if {
	undantag in {
		"uppgiftslämnare", "synnerlig_vikt", "våldsutsatthet", "förundersökning",
		"tidig_hypotes", "enkelblind_prövning",
	}
} else := {"utfall": "dölj", "skäl": "undantag"} if {
	undantag == "orosanmälan_barn"
	input["läsare"] == "vårdnadshavare"
} else := {"utfall": "dölj", "skäl": "bup"} if {
	input["läsare"] == "vårdnadshavare"
	fakta("post", "verksamhet", "övrig") == "bup"
} else := {"utfall": "dölj", "skäl": "före_anslutning"} if {
	input["läsare"] == "vårdnadshavare"
	dag(input.post.datum) < dag("2019-10-01")
} else := {"utfall": "dölj", "skäl": "osignerad"} if {
	dag(input.datum) <= dag("2022-02-28")
	not fakta("post", "signerad", true)
	input.post.kategori == "anteckning"
	ny
} else := {"utfall": "dölj", "skäl": "rådrum"} if {
	fakta("läsarval", "rådrum", false)
	ny
} else := {"utfall": "visa", "skäl": "egen_åtkomst"} if {
	input["läsare"] == "patient"
	alder >= 16
} else := {"utfall": "visa", "skäl": "tidig_egen_åtkomst"} if {
	input["läsare"] == "patient"
	alder >= 13
	alder <= 15
	beviljad(input.patient["tidig_åtkomst"])
} else := {"utfall": "visa", "skäl": "vårdnadshavare"} if {
	input["läsare"] == "vårdnadshavare"
	alder < 13
} else := {"utfall": "visa", "skäl": "förlängd_åtkomst"} if {
	input["läsare"] == "vårdnadshavare"
	alder >= 13
	alder <= 15
	beviljad(input["vårdnadshavare"]["förlängning"])
} else := {"utfall": "dölj", "skäl": "ombud"} if {
	input["läsare"] == "ombud"
} else := {"utfall": "dölj", "skäl": "ingen_behörighet"}

# A fact with a default: `input[objekt][namn]`, or the default when left out.
fakta(objekt, namn, standard) := object.get(input, [objekt, namn], standard)

undantag := fakta("post", "undantag", "inget")

# The entry is newer than 14 days (post.ny).
ny if dag(input.post.datum) > time.add_date(dag(input.datum), 0, 0, -14)

# A date as nanoseconds since the epoch (UTC midnight).
dag(text) := time.parse_ns("2006-01-02", text)

# Completed years on `datum`: this year's birthday has come when the month and day of
# `datum` are not before those of the birth date, so a 29 February birthday comes on
# 1 March in a year without one.
alder := ar - fodd[0] if {
	not fore_fodelsedagen
} else := (ar - fodd[0]) - 1

fodd := time.date(dag(input.patient["födelsedatum"]))

idag := time.date(dag(input.datum))

ar := idag[0]

fore_fodelsedagen if {
	(idag[1] * 100) + idag[2] < (fodd[1] * 100) + fodd[2]
}

skyddad_identitet if fakta("patient", "skyddad_identitet", false)

skyddad_identitet if fakta("patient", "vårdnadshavare_med_skyddad_identitet", false)

vardforseglad if {
	fakta("vårdförsegling", "finns", false)
	dag(input.datum) <= dag(input["vårdförsegling"].slutdatum)
	omfattar_posten
}

omfattar_posten if input["vårdförsegling"].omfattning == "alla_enheter"

omfattar_posten if samma_enhet(input["vårdförsegling"].enhet)

samma_enhet(enhet) if upper(enhet) == upper(input.post["vårdenhet"])

# A decision for 13–15 (förlängning, tidig_åtkomst) in force for the entry's unit.
beviljad(grant) if {
	object.get(grant, "finns", false)
	samma_enhet(grant.enhet)
	dag(grant.signerad) <= dag(input.datum)
}
