#!/usr/bin/env bash
# Outputs of every command on the seeds, FA-KES and WCEP, with their md5s: run before and after a
# refactoring that must preserve behaviour, then `diff -r` the two folders. It runs the CLI of the
# checkout it sits in (python cli.py), so it can fingerprint an older commit from a git worktree.
#   bash scripts/fingerprint.sh OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: fingerprint.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
root=$(pwd)
# inputs made here are read from a folder of this run's own, by a relative name that the outputs
# then show: the same in every run, and two runs at once (two worktrees) do not meet
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
data=../shared/data
fakes="$data/fakes/FA-KES-Dataset.csv"
cols=(--id-column unit_id --title-column article_title --text-column article_content --outlet-column source)
python cli.py extract seeds/ -o "$out/seeds.json"
python cli.py extract seeds/ --format jsonl -o "$out/seeds.jsonl"
python cli.py extract seeds/ --format csv -o "$out/seeds.csv"
for f in md txt csv json; do python cli.py report seeds/ --format $f -o "$out/seeds_report.$f"; done
for t in timelinejs acled geojson; do python cli.py export seeds/ --to $t -o "$out/seeds_export_$t.out"; done
cp "$out/seeds_export_acled.out" "$out/acled.csv"; python cli.py report "$out/acled.csv" --format json -o "$out/acled_roundtrip.json"; rm "$out/acled.csv"
if [ -f "$fakes" ]; then
  python cli.py extract "$fakes" "${cols[@]}" -q -o "$out/fakes.json" || true
  for f in md txt csv json; do python cli.py report "$out/fakes.json" --format $f -o "$out/fakes_report.$f" || true; done
  python cli.py report "$out/fakes.json" --format md --from 2016-09-04 --to 2016-09-06 --lane violence \
    -o "$out/fakes_report_filtered.md" || true
  for t in timelinejs acled geojson; do python cli.py export "$out/fakes.json" --to $t -o "$out/fakes_export_$t.out" || true; done
fi
if [ -f "$data/wcep/wcep_2016-09_events.tsv" ]; then
  sed '1s/event_summary/title/' "$data/wcep/wcep_2016-09_events.tsv" > "$scratch/wcep.tsv"
  (cd "$scratch" && python "$root/cli.py" extract wcep.tsv -o "$out/wcep.json") || true
fi
if [ -f "$fakes" ]; then
  # 1,000 FA-KES texts rewritten (upper case, lower case, sentences shuffled, numbers changed,
  # words swapped): readings the corpus as written never reaches, for refactorings of the reader
  python - "$fakes" "$scratch/variants.csv" <<'PY'
import csv, random, re, sys
csv.field_size_limit(10**9)
with open(sys.argv[1], encoding="utf-8") as fh:
    rows = list(csv.DictReader(fh))
rng = random.Random(7)
with open(sys.argv[2], "w", encoding="utf-8", newline="") as fh:
    out = csv.writer(fh)
    out.writerow(["id", "title", "text"])
    for i in range(1000):
        row = rows[rng.randrange(len(rows))]
        text, way = row["article_content"], i % 5
        if way == 0:
            text = text.upper()
        elif way == 1:
            text = text.lower()
        elif way == 2:
            parts = re.split(r"(?<=[.!?])\s+", text)
            rng.shuffle(parts)
            text = " ".join(parts)
        elif way == 3:
            text = re.sub(r"\d+", lambda m: str(int(m.group()) * 7 % 1000), text)
        else:
            text = text.replace(" in ", " near ").replace("killed", "were killed on Monday").replace(" the ", " ")
        out.writerow([f"v{i}", row["article_title"], text])
PY
  (cd "$scratch" && python "$root/cli.py" extract variants.csv -q -o "$out/variants.json") || true
fi
(cd "$out" && md5sum * | sort -k2)
