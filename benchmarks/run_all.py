"""The benchmark suite: one command, one table.

    python benchmarks/run_all.py [--corpus 100000] [--skip-render] [--skip-big]

Prints, on this machine (the rows issue 17 asks for are marked *):
- * start-up: CPU of `timeline --help` and `timeline report seeds/` (benchmarks/startup.py);
- * per-article reading time over FA-KES x 5 (4,020 rows) and its ratio to dateparser's
  search_dates(text, languages=['en']) (benchmarks/reading_speed.py, median of 3 runs);
- * 100,000 resampled articles with --jobs 1 and --jobs 2: wall time and peak memory;
- * reconciliation of 1,000,000 synthetic mentions here (all in memory, and streamed as
  `timeline extract` runs) and on a local Dask cluster (time, peak memory per worker,
  byte-identical or not), and of 10,000,000 streamed here and on the cluster
  (benchmarks/reconcile_dask.py);
- extraction over the 804 FA-KES articles: articles/s, ms per article, peak memory;
- the baseline, dateparser's search_dates over each article (the plain call, and with
  languages=['en']), and the ratio to our whole extraction;
- extraction of a corpus made by resampling FA-KES (100,000 articles by default) with --jobs 1
  and --jobs 2, the speed-up, and peak memory;
- reconciliation of 100,000 and 1,000,000 synthetic mentions;
- the render figures of benchmarks/render_scale.py (100, 10k, 100k events);
- cold start of `timeline --help` next to `python -c pass`;
- the CPU of `timeline --help` and `timeline report seeds/`, and the one-time gazetteer index
  build (benchmarks/startup.py).

Each measurement runs in its own process, so its peak memory is its own.
"""

import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
COLUMNS = ["--id-column", "unit_id", "--title-column", "article_title", "--text-column", "article_content",
           "--outlet-column", "source"]


PEAK = """
import resource
print(json.dumps(dict(result, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      workers_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)))
"""


def child(code: str) -> dict:
    """Run Python `code` (which leaves a dict `result`) in a fresh process: the dict, with the
    process's peak memory and its largest worker's."""
    out = subprocess.run([sys.executable, "-c", code + PEAK], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# What `timeline extract CORPUS -o FILE` does (cli._extract_streamed): the events file written as
# the streamed run gives its records, so the peak is that of the whole command.
EXTRACT = """
import json, os, sys, tempfile, time
sys.path.insert(0, {root!r})
from timeline import ingest, pipeline, records
opts = ingest.CorpusOptions(text_column='article_content', title_column='article_title', id_column='unit_id',
                            outlet_column='source')
pipeline._warm_up()
t = time.perf_counter()
counts = {{"documents": 0, "events": 0}}
def count(kind, records):
    for record in records:
        counts[kind] += 1
        yield record
with tempfile.TemporaryDirectory() as folder, open(os.path.join(folder, "events.json"), "w", encoding="utf-8") as fh:
    with pipeline.stream([{path!r}], pipeline.Options(corpus=opts), jobs={jobs}) as run:
        records.write_json(fh.write, count("documents", run.documents()), count("events", run.events()),
                           run.unresolved)
    size = fh.tell()
elapsed = time.perf_counter() - t
result = dict(counts, seconds=elapsed, output_mb=size / 1e6)
"""

BASELINE = """
import csv, json, time, warnings
warnings.filterwarnings('ignore')
from dateparser.search import search_dates
texts = [r['article_content'] for r in csv.DictReader(open({path!r}, encoding='utf-8'))][:{n}]
search_dates(texts[0]{kw})
t = time.perf_counter()
for x in texts:
    search_dates(x{kw})
result = {{"documents": len(texts), "seconds": time.perf_counter() - t}}
"""


def resampled_corpus(n: int, path: Path) -> None:
    with FAKES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rng = random.Random(7)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for i in range(n):
            row = dict(rng.choice(rows))
            row["unit_id"] = f"{row['unit_id']}-{i}"
            writer.writerow(row)


def line(label: str, value: str) -> None:
    print(f"| {label:<62} | {value:>34} |", flush=True)


def extraction(path: Path, jobs: int) -> dict:
    return child(EXTRACT.format(root=str(ROOT), path=str(path), jobs=jobs))


def cold_start() -> tuple:
    def median(cmd):
        times = []
        for _ in range(7):
            t = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000
    return median([sys.executable, "cli.py", "--help"]), median([sys.executable, "-c", "pass"])


def main(argv):
    corpus_size = int(argv[argv.index("--corpus") + 1]) if "--corpus" in argv else 100_000
    print(f"| {'measure':<62} | {'value':>34} |\n|{'-' * 64}|{'-' * 36}|")
    fakes = extraction(FAKES, 1)
    per = fakes["seconds"] / fakes["documents"] * 1000
    line("FA-KES extraction, whole pipeline (793 unique articles)",
         f"{fakes['documents'] / fakes['seconds']:.0f}/s, {per:.2f} ms, {fakes['peak_mb']:.0f} MB")
    for label, n, kw in (("search_dates(text), plain call", 60, ""),
                         ("search_dates(text, languages=['en'])", 804, ", languages=['en']")):
        base = child(BASELINE.format(path=str(FAKES), n=n, kw=kw))
        base_per = base["seconds"] / base["documents"] * 1000
        line(f"baseline {label} ({base['documents']} articles)",
             f"{base_per:.1f} ms; ours is {base_per / per:.1f}x faster")
    if "--skip-big" not in argv:
        with tempfile.TemporaryDirectory() as tmp:
            big = Path(tmp) / "corpus.csv"
            resampled_corpus(corpus_size, big)
            one, two = extraction(big, 1), extraction(big, 2)
            for jobs, r in ((1, one), (2, two)):
                memory = f"{r['peak_mb']:.0f} MB" + (f" + {r['workers_mb']:.0f} MB/worker" if jobs > 1 else "")
                line(f"{corpus_size:,} resampled articles, --jobs {jobs}",
                     f"{r['seconds']:.0f} s, {r['documents'] / r['seconds']:.0f}/s, {memory}")
            speedup = one["seconds"] / two["seconds"]
            line("speed-up of --jobs 2 over --jobs 1", f"{speedup:.2f}x, efficiency {speedup / 2:.0%} at 2 cores")
    reading = subprocess.run([sys.executable, "benchmarks/reading_speed.py", "--repeat", "5", "--runs", "3"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    for row in reading[1:]:
        label, _, value = row.partition(":")
        line(f"* reading, FA-KES x 5: {label.strip()}", value.strip()[:34])
    # 1M: all in memory, streamed and on Dask, compared; 10M: streamed and on Dask, counted (all of
    # 10M in memory would take ~10 GB)
    for n, extra in ((1_000_000, ["--local", "--gather", "--streamed"]), (10_000_000, ["--streamed"])):
        if "--skip-big" in argv:
            break
        out = subprocess.run([sys.executable, "benchmarks/reconcile_dask.py", str(n), *extra], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        if "local" in r:
            line(f"* reconcile {n:,} synthetic mentions here, in memory", f"{r['local']['seconds']:.0f} s, "
                 f"{r['local']['peak_mb']:,} MB")
        same = " (identical)" if r.get("streamed_identical") else ""
        line(f"* reconcile {n:,} here, streamed as `extract` runs{same}", f"{r['streamed']['seconds']:.0f} s, "
             f"{r['streamed']['peak_mb']:,} MB")
        d = r["dask"]
        line(f"* same on a local Dask cluster (2 workers){' (identical)' if r.get('identical') else ''}",
             f"{d['seconds']:.0f} s, {'/'.join(map(str, d['workers_mb']))} MB/worker")
    if "--skip-render" not in argv:
        out = subprocess.run([sys.executable, "benchmarks/render_scale.py", "100", "10000", "100000"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        for row in out.splitlines()[1:]:
            if row.startswith("paint of"):  # the ratio of the largest size's paint to the smallest's
                label, _, value = row.partition(": ")
                line(label, value.replace(" (target: at most 1.5x)", " (≤ 1.5x)"))
                continue
            n, build, size, paint, complete, pan, pan_zoomed, items = row.split()
            line(f"render {n} events: build s / HTML MB / paint / unpacked ms",
                 f"{build} / {size} / {paint} / {complete}")
            line(f"render {n} events: pan step ms (30 days) / items drawn", f"{pan} ({pan_zoomed}) / {items}")
    helped, bare = cold_start()
    line("cold start: timeline --help vs python -c pass", f"{helped:.0f} ms vs {bare:.0f} ms")
    import startup  # benchmarks/startup.py

    cpu = startup.measure()
    line("CPU (user+sys), median of 3 warm runs: --help / report seeds/", f"{cpu['help']:.2f} s / {cpu['report']:.2f} s")
    line("gazetteer index, built once per machine: CPU / size", f"{cpu['build']:.1f} s / {cpu['index_mb']:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
