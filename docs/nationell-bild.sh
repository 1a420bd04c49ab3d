#!/usr/bin/env bash
# The national picture: every region in regions/ against the national framework in rules/.
# Run from anywhere; writes into docs/ and overwrites what is there:
#
#   docs/nationell-bild.sh
#
#   docs/nationell-bild.md          the overview: per region, each deviation (what is hidden,
#                                   from when, the source), with links to the pages below
#   docs/jamforelse.md, .html       `regel compare rules regions/*`: every situation where a
#                                   region decides differently from the framework, grouped by
#                                   the regions and deviations that cause it
#   docs/avsteg/REGION.md           `regel deviations regions/REGION`: each deviation with its
#                                   period, motivering, källa, tolkning and the decisions it
#                                   changes
#
# compare and deviations exit with 1 when rulesets differ, which is the point here; any
# other failure (2: a ruleset that does not check, a usage error) stops the script. Needs
# cargo and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --bin regel
regel=./target/debug/regel

regions=()
for dir in regions/*/; do
  regions+=("${dir%/}")
done

run() {
  local out=$1
  shift
  local status=0
  "$regel" "$@" > "$out.tmp" || status=$?
  if [ "$status" -gt 1 ]; then
    rm -f "$out.tmp"
    echo "regel $* misslyckades (slutkod $status)" >&2
    exit "$status"
  fi
  mv "$out.tmp" "$out"
}

mkdir -p docs/avsteg
rm -rf docs/jamforelse
rm -f docs/avsteg/*.md
run docs/jamforelse.md compare rules "${regions[@]}" --format markdown
run docs/jamforelse.html compare rules "${regions[@]}" --format html
# The pages sit in docs/: their links to the rule files go one directory up.
sed -i 's#href="\(rules\|regions\)/#href="../\1/#g' docs/jamforelse.html
sed -i 's#](\(rules\|regions\)/#](../\1/#g' docs/jamforelse.md
for region in "${regions[@]}"; do
  name=$(basename "$region")
  run "docs/avsteg/$name.md" deviations "$region" --format markdown
  sed -i 's#](\(rules\|regions\)/#](../../\1/#g' "docs/avsteg/$name.md"
  run "docs/avsteg/$name.json.tmp" deviations "$region" --format json
  "$regel" compile "$region" --format json --output "docs/avsteg/$name.table.tmp" 2>/dev/null
done

# From the compiled table (its keys and tags are English, see the README): each
# deviation's period, and the day a rule it makes promises to show what it hides ("visas
# från"), as jq definitions that write them in Swedish.
facts='
  def day: if . == null then "utan tidsgräns"
    elif .from and .until then "\(.from) – \(.until)"
    elif .from then "från och med \(.from)"
    else "till och med \(.until)" end;
  def unit($n): {Days: ["dag", "dagar"], Months: ["månad", "månader"], Years: ["år", "år"]}
    [.][if $n == 1 or $n == -1 then 0 else 1 end];
  def term: if type == "object" and has("Fact") then .Fact
    elif type == "object" and has("Literal") then .Literal
    elif type == "object" and has("Shift") then
      .Shift as [$base, $n, $unit]
      | "\($base | term) \(if $n < 0 then "-" else "+" end) \(if $n < 0 then -$n else $n end) \($unit | unit($n))"
    else "ett datum" end;
  ([.tables[].deviations[] | {key: .id, value: (.period | day)}] | from_entries) as $period
  | ([.tables[].rules[] | select(.deviation != null and .shown_from != null)
      | {key: .id, value: (.shown_from | term)}] | from_entries) as $shown
  | {period: $period, shown: $shown}'

# One row of a region's table: a deviation as `regel deviations` gives it, with its period
# and its delay from the compiled table. A | in a cell would end the cell.
row='
  def cell: gsub("\\|"; "\\|");
  $facts[0] as $f | .avsteg[] | .avsteg.id as $id
  | "| `\($id)` | \(.avsteg.titel | cell) | \(.["ändring"])"
    + " | \($f.period[$id] // "utan tidsgräns") | \($f.shown[$id] // "")"
    + " | \(.avsteg["källor"] | join("; ") | cell) | \(.skillnader | length) |"'

{
  echo "# Den nationella bilden"
  echo
  echo "Genererat av \`docs/nationell-bild.sh\` ur regelfilerna i \`rules/\` och \`regions/\`."
  echo "Ändra inte för hand: ändra regelfilerna och kör skriptet igen."
  echo
  echo "Varje region jämförs med det nationella ramverket. Hela jämförelsen, situation för situation"
  echo "och med de regioner som gör samma ändring i samma situation på en rad:"
  echo "[Markdown](jamforelse.md), [HTML](jamforelse.html) (\`regel compare rules regions/*\`)."
  echo
  echo "Tabellen under en region räknar upp"
  echo "regionens avsteg: vad regionen döljer eller visar annorlunda, under vilken tid avsteget"
  echo "gäller (läst mot begärans \`datum\`; \"utan tidsgräns\" när källan inte anger någon tid),"
  echo "från vilken dag en dold uppgift visas när regionen visar den först efter en fördröjning,"
  echo "vilken sida det står på, och i hur många slags situationer ett beslut ändras. Ett avsteg"
  echo "som utökar ordförrådet (\`utökar\`) ger värden som det nationella ramverket och andra"
  echo "regioner avvisar som okända."
  echo
  echo "| region | avsteg | situationer | avsteg i detalj |"
  echo "|---|---|---|---|"
  for region in "${regions[@]}"; do
    name=$(basename "$region")
    json="docs/avsteg/$name.json.tmp"
    title=$(jq -r '.region' "$json")
    count=$(jq '.avsteg | length' "$json")
    situations=$(jq '[.avsteg[].skillnader | length] | add // 0' "$json")
    echo "| [$title](#$name) | $count | $situations | [avsteg/$name.md](avsteg/$name.md) |"
  done
  for region in "${regions[@]}"; do
    name=$(basename "$region")
    json="docs/avsteg/$name.json.tmp"
    echo
    echo "<a id=\"$name\"></a>"
    echo
    echo "## $(jq -r '.region' "$json") (\`$region\`)"
    echo
    echo "| avsteg | vad | ändring | gäller | visas från | källa | situationer |"
    echo "|---|---|---|---|---|---|---|"
    jq "$facts" "docs/avsteg/$name.table.tmp" > "docs/avsteg/$name.facts.tmp"
    jq -r --slurpfile facts "docs/avsteg/$name.facts.tmp" "$row" "$json"
    echo
    echo "Motivering, tolkningar och ändrade beslut: [avsteg/$name.md](avsteg/$name.md)."
  done
} > docs/nationell-bild.md.tmp
mv docs/nationell-bild.md.tmp docs/nationell-bild.md

{
  echo "# Avsteg från ramverket, region för region"
  echo
  echo "Genererat av \`docs/nationell-bild.sh\` med \`regel deviations REGION --format markdown\`."
  echo "Ändra inte för hand: ändra regelfilerna och kör skriptet igen."
  echo
  for region in "${regions[@]}"; do
    name=$(basename "$region")
    echo "- [$(jq -r '.region' "docs/avsteg/$name.json.tmp")]($name.md) (\`$region\`)"
  done
} > docs/avsteg/README.md

rm -f docs/avsteg/*.tmp
