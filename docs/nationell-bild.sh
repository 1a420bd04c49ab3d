#!/usr/bin/env bash
# The national picture: `regel compare` over the national framework and every region in
# regions/, as Markdown and HTML, and each region's deviations ("Avsteg från ramverket") as
# Markdown. Run from anywhere; writes into docs/ and overwrites what is there:
#
#   docs/nationell-bild.sh
#
# compare and deviations exit with 1 when rulesets differ, which is the point here; any
# other failure (2: a ruleset that does not check, a usage error) stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin regel
regel=./target/release/regel

rulesets=(rules)
for dir in regions/*/; do
  rulesets+=("${dir%/}")
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

run docs/nationell-bild.md compare "${rulesets[@]}" --format markdown
run docs/nationell-bild.html compare "${rulesets[@]}" --format html

mkdir -p docs/avsteg
rm -f docs/avsteg/*.md
for region in "${rulesets[@]:1}"; do
  run "docs/avsteg/$(basename "$region").md" deviations "$region" --format markdown
done

{
  echo "# Avsteg från ramverket, region för region"
  echo
  echo "Genererat av \`docs/nationell-bild.sh\` med \`regel deviations REGION --format markdown\`."
  echo "Ändra inte för hand: ändra regelfilerna och kör skriptet igen."
  echo
  for region in "${rulesets[@]:1}"; do
    name=$(sed -n 's/^regelverk "\([^"]*\)".*/\1/p' "$region"/*.regel | head -n 1)
    echo "- [$name]($(basename "$region").md) (\`$region\`)"
  done
} > docs/avsteg/README.md
