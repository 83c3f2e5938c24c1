"""Reading speed against the search_dates baseline, in one run.

    python benchmarks/reading_speed.py [--repeat 5] [--runs 3] [--pure]

Prints:
- our whole reading of the FA-KES articles, end to end as benchmarks/run_all.py measures it:
  pipeline.run over the CSV (ingest, clean, dates, extract, reconcile), after pipeline._warm_up();
- dateparser's search_dates(text, languages=['en']) over the same texts (after one warm-up call);
- the ratio of the two.

--repeat 5 reads the corpus five times over (804 rows x 5 = 4,020 articles, each copy under its
own ids): the end-to-end figure of issue 17. Ingest reads a row that repeats one of its own copy
(same id, same text) once, so 793 of each copy's 804 rows are read: 3,965 articles in all. dateparser is slow,
so the baseline is timed on every 5th article; over the repeated corpus that is every FA-KES
row exactly once (804 and 5 share no factor), over the plain corpus 161 of its 804 rows.

Each run is a fresh process (no cache carried over from another run), ours and the baseline's
runs alternate so that a burst of other load on the machine falls on both, and each figure is
the median of --runs runs (the fastest is printed beside it).

Ours runs as installed: with the reader's modules compiled by Cython when the install built them
(timeline/native.py; the first line says how many were), as pure Python with --pure
(TIMELINE_PURE=1).
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
EVERY = 5  # the baseline reads every 5th article

OURS = """
import json, sys, time
sys.path.insert(0, {root!r})
from timeline import ingest, native, pipeline
opts = ingest.CorpusOptions(text_column='article_content', title_column='article_title', id_column='unit_id',
                            outlet_column='source')
pipeline._warm_up()
t = time.perf_counter()
result = pipeline.run([{path!r}], pipeline.Options(corpus=opts), jobs=1)
elapsed = time.perf_counter() - t
print(json.dumps({{"documents": len(result.documents), "events": len(result.events), "seconds": elapsed,
                  "compiled": len(native.in_use()),
                  "loaded": sum(f"timeline.{{m}}" in sys.modules for m in native.MODULES)}}))
"""

BASELINE = """
import csv, json, time, warnings
warnings.filterwarnings('ignore')
csv.field_size_limit(10**9)
from dateparser.search import search_dates
texts = [r['article_content'] for r in csv.DictReader(open({path!r}, encoding='utf-8'))][::{every}]
search_dates(texts[0], languages=['en'])
t = time.perf_counter()
for x in texts:
    search_dates(x, languages=['en'])
print(json.dumps({{"documents": len(texts), "seconds": time.perf_counter() - t}}))
"""


def child(code: str, env=None) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def repeated_corpus(times: int, path: Path) -> None:
    """FA-KES `times` over, in order, each copy's ids suffixed so that every row is read."""
    csv.field_size_limit(10**9)
    with FAKES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for copy in range(times):
            for row in rows:
                writer.writerow(dict(row, unit_id=f"{row['unit_id']}-{copy}") if times > 1 else row)


def per_article(results: list) -> tuple:
    """(median, fastest) milliseconds per article over the runs."""
    each = [r["seconds"] / r["documents"] * 1000 for r in results]
    return statistics.median(each), min(each)


def main(argv: list) -> None:
    times = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 1
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    env = dict(os.environ, TIMELINE_PURE="1") if "--pure" in argv else None
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.csv"
        repeated_corpus(times, corpus)
        ours, base = [], []
        for _ in range(runs):
            ours.append(child(OURS.format(root=str(ROOT), path=str(corpus)), env))
            base.append(child(BASELINE.format(path=str(corpus), every=EVERY)))
    ours_ms, ours_min = per_article(ours)
    base_ms, base_min = per_article(base)
    print(f"corpus: FA-KES x {times} ({ours[0]['documents']} articles read, {ours[0]['events']} events); "
          f"median of {runs} runs, fastest in brackets")
    print(f"reader modules compiled by Cython:        {ours[0]['compiled']} of the {ours[0]['loaded']} loaded")
    print(f"ours, pipeline.run end to end:            {ours_ms:7.2f} ms/article ({ours_min:.2f})")
    print(f"search_dates(text, languages=['en']):     {base_ms:7.2f} ms/article ({base_min:.2f}), "
          f"every {EVERY}th article ({base[0]['documents']})")
    print(f"ratio (baseline / ours):                  {base_ms / ours_ms:7.2f}x ({base_min / ours_min:.2f}x fastest)")


if __name__ == "__main__":
    main(sys.argv[1:])
