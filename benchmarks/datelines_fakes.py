"""How often the publication date is found in FA-KES texts that carry a dateline, and how fast
the date stage is.

    python benchmarks/datelines_fakes.py [FA-KES-Dataset.csv] [--misses]

A row "carries a dateline" when a full date (day, month and year, in any common order) stands in
the first 150 characters of its text: a deliberately simple test, independent of the tool's own
grammar. For those rows we check that the tool dated the document from its text, to that date.
"""

import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import clean, dates, ingest  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
COLUMNS = ingest.CorpusOptions(text_column="article_content", title_column="article_title",
                               id_column="unit_id", outlet_column="source")
MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                            "oct", "nov", "dec"])}
DMY = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2,8})\.?,?\s+(\d{4})\b")
MDY = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+(\d{4})\b")


def dateline_in(text: str):
    head = text[:150]
    for pattern, (d, m, y) in ((DMY, (1, 2, 3)), (MDY, (2, 1, 3))):
        found = pattern.search(head)
        if found and found.group(m)[:3].lower() in MONTHS:
            try:
                return date(int(found.group(y)), MONTHS[found.group(m)[:3].lower()], int(found.group(d)))
            except ValueError:
                continue
    return None


def main(argv):
    path = Path(next((a for a in argv if not a.startswith("--")), DEFAULT))
    docs = ingest.read_inputs([str(path)], COLUMNS).documents
    cleaned = [clean.mask(d.text)[0] for d in docs]
    dates.read(docs[0], cleaned[0])  # warm-up
    started = time.perf_counter()
    readings = [dates.read(d, c)[0] for d, c in zip(docs, cleaned)]
    per_article = (time.perf_counter() - started) * 1000 / len(docs)
    carrying = [(d, r, dateline_in(d.text)) for d, r in zip(docs, readings) if dateline_in(d.text)]
    found = [x for x in carrying if x[1].published == x[2] and x[1].how == "text"]
    print(f"FA-KES: {len(docs)} documents; {len(carrying)} carry a dateline in their first 150 characters")
    print(f"dateline found (right date, read from the text): {len(found)}/{len(carrying)} "
          f"({len(found) / len(carrying):.1%})")
    dated = sum(1 for r in readings if r.published)
    print(f"documents dated by any means: {dated}/{len(docs)} ({dated / len(docs):.1%})")
    print(f"date stage (publication date + every expression): {per_article:.3f} ms per article")
    if "--misses" in argv:
        for d, r, expected in carrying:
            if (d, r, expected) not in found:
                print(d.id, expected, r.published, r.how, repr(d.text[:100]))


if __name__ == "__main__":
    main(sys.argv[1:])
