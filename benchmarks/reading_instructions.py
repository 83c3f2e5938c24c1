"""Instructions per article of the reading (clean, dates, extract), counted by cachegrind.

    python benchmarks/reading_instructions.py [--rows 151:301] [--warm-up 0:150]
    python benchmarks/reading_instructions.py --end-to-end [5]

Wall time on this machine varies by up to 1.7x from hour to hour; the number of instructions
the reader executes does not, so a change to the reader can be judged by it in one run, under
any load. Two runs under valgrind's cachegrind read the same FA-KES rows after the same warm-up:
one reads none of them, one all of them; the difference over the number of rows is the
instructions per article. The warm-up reads other rows first (by default the 150 before), so
that what a process does once (compiling patterns, lexicon.Skipping's plans, opening the
gazetteer) is not counted, as it is not in a long run; the rows measured are still read for the
first time (their names looked up in the gazetteer). Needs valgrind (Debian package `valgrind`);
takes about a minute.

--end-to-end R counts instead what reading_speed.py times: pipeline.run over FA-KES x R (ingest,
clean, dates, extract, reconcile: what a process does once in the run included), less a process
that starts and warms up alike; over the number of articles read. R = 5 takes about five minutes.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"

READ = """
import csv, sys
sys.path.insert(0, {root!r})
from timeline import pipeline, records
csv.field_size_limit(10**9)
with open({path!r}, encoding='utf-8') as fh:
    rows = list(csv.DictReader(fh))
pipeline._warm_up()
options = pipeline.Options()
def documents(part):
    return [records.Document(id=r['unit_id'], title=r['article_title'], text=r['article_content']) for r in part]
for document in documents(rows[{warm_first}:{warm_last}]) + documents(rows[{first}:{last}])[:{count}]:
    pipeline.read_document(document, options)
"""


RUN = """
import sys
sys.path.insert(0, {root!r})
from timeline import ingest, pipeline
opts = ingest.CorpusOptions(text_column='article_content', title_column='article_title', id_column='unit_id',
                            outlet_column='source')
pipeline._warm_up()
if {read}:
    print(len(pipeline.run([{path!r}], pipeline.Options(corpus=opts), jobs=1).documents))
"""


def counted(code: str) -> tuple[int, str]:
    """(instructions, standard output) of `python -c code` under cachegrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cachegrind.out"
        run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
                              sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", run.stderr).group(1).replace(",", "")), run.stdout


def end_to_end(times: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from reading_speed import repeated_corpus

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.csv"
        repeated_corpus(times, corpus)
        base, _ = counted(RUN.format(root=str(ROOT), path=str(corpus), read=False))
        full, out = counted(RUN.format(root=str(ROOT), path=str(corpus), read=True))
    articles = int(out.split()[-1])
    print(f"FA-KES x {times}, pipeline.run end to end: {(full - base) / articles / 1e6:.2f} M instructions per "
          f"article ({articles} articles; start-up and warm-up: {base / 1e6:,.0f} M)")


def instructions(warm: tuple, first: int, last: int, count: int) -> int:
    """Instructions executed by a process that reads the rows `warm`, then `count` of the rows
    first:last."""
    code = READ.format(root=str(ROOT), path=str(FAKES), warm_first=warm[0], warm_last=warm[1], first=first,
                       last=last, count=count)
    return counted(code)[0]


def main(argv) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    if "--end-to-end" in argv:
        at = argv.index("--end-to-end") + 1
        return end_to_end(int(argv[at]) if at < len(argv) and argv[at].isdigit() else 5)
    rows = argv[argv.index("--rows") + 1] if "--rows" in argv else "151:301"
    first, last = (int(x) for x in rows.split(":"))
    warm_rows = argv[argv.index("--warm-up") + 1] if "--warm-up" in argv else "0:150"
    warm = tuple(int(x) for x in warm_rows.split(":"))
    base, full = instructions(warm, first, last, 0), instructions(warm, first, last, last - first)
    per = (full - base) / (last - first)
    print(f"FA-KES rows {first}-{last - 1}: {per / 1e6:.2f} M instructions per article "
          f"(start-up and warm-up on rows {warm[0]}-{warm[1] - 1}: {base / 1e6:,.0f} M)")


if __name__ == "__main__":
    main(sys.argv[1:])
