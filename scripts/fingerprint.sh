#!/usr/bin/env bash
# Outputs of every command on the seeds, FA-KES and WCEP, with their md5s: run before and after a
# refactoring that must preserve behaviour, then `diff -r` the two folders.
#   bash scripts/fingerprint.sh OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: fingerprint.sh OUTDIR}
mkdir -p "$out"
data=../shared/data
fakes="$data/fakes/FA-KES-Dataset.csv"
cols=(--id-column unit_id --title-column article_title --text-column article_content --outlet-column source)
timeline extract seeds/ -o "$out/seeds.json"
timeline extract seeds/ --format jsonl -o "$out/seeds.jsonl"
timeline extract seeds/ --format csv -o "$out/seeds.csv"
for f in md txt csv json; do timeline report seeds/ --format $f -o "$out/seeds_report.$f"; done
for t in timelinejs acled geojson; do timeline export seeds/ --to $t -o "$out/seeds_export_$t.out"; done
cp "$out/seeds_export_acled.out" "$out/acled.csv"; timeline report "$out/acled.csv" --format json -o "$out/acled_roundtrip.json"; rm "$out/acled.csv"
if [ -f "$fakes" ]; then
  timeline extract "$fakes" "${cols[@]}" -q -o "$out/fakes.json" || true
  for f in md txt csv json; do timeline report "$out/fakes.json" --format $f -o "$out/fakes_report.$f" || true; done
  timeline report "$out/fakes.json" --format md --from 2016-09-04 --to 2016-09-06 --lane violence \
    -o "$out/fakes_report_filtered.md" || true
  for t in timelinejs acled geojson; do timeline export "$out/fakes.json" --to $t -o "$out/fakes_export_$t.out" || true; done
fi
if [ -f "$data/wcep/wcep_2016-09_events.tsv" ]; then
  sed '1s/event_summary/title/' "$data/wcep/wcep_2016-09_events.tsv" > "$out/wcep.tsv"
  timeline extract "$out/wcep.tsv" -o "$out/wcep.json" || true
  rm "$out/wcep.tsv"
fi
(cd "$out" && md5sum * | sort -k2)
