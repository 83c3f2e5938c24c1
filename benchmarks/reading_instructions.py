"""Instructions per article of the reading (clean, dates, extract), counted by cachegrind.

    python benchmarks/reading_instructions.py [--rows 151:301] [--warm-up 0:150]

Wall time on this machine varies by up to 1.7x from hour to hour; the number of instructions
the reader executes does not, so a change to the reader can be judged by it in one run, under
any load. Two runs under valgrind's cachegrind read the same FA-KES rows after the same warm-up:
one reads none of them, one all of them; the difference over the number of rows is the
instructions per article. The warm-up reads other rows first (by default the 150 before), so
that what a process does once (compiling patterns, lexicon.Skipping's plans, opening the
gazetteer) is not counted, as it is not in a long run; the rows measured are still read for the
first time (their names looked up in the gazetteer). Needs valgrind (Debian package `valgrind`);
takes about a minute.
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


def instructions(warm: tuple, first: int, last: int, count: int) -> int:
    """Instructions executed by a process that reads the rows `warm`, then `count` of the rows
    first:last."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cachegrind.out"
        code = READ.format(root=str(ROOT), path=str(FAKES), warm_first=warm[0], warm_last=warm[1], first=first,
                           last=last, count=count)
        run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
                              sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    return int(found.group(1).replace(",", ""))


def main(argv) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
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
