"""Run every FA-KES article through the reading pipeline and print what came out.

    python benchmarks/fakes_extract.py [path/to/FA-KES-Dataset.csv]

Prints: documents read, failures, time per article (after start-up), lane and type counts, and
the share of mentions with a place, a date and a toll; and the share of documents dated.
"""

import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import ingest, pipeline  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
COLUMNS = ingest.CorpusOptions(text_column="article_content", title_column="article_title",
                               id_column="unit_id", outlet_column="source")


def main(path: Path = DEFAULT) -> None:
    inputs = ingest.read_inputs([str(path)], COLUMNS)
    options = pipeline.Options(corpus=COLUMNS)
    pipeline.read_document(inputs.documents[0], options)  # warm-up: vocabularies, gazetteer
    started = time.perf_counter()
    readings, failures = [], []
    for doc in inputs.documents:
        try:
            readings.append(pipeline.read_document(doc, options))
        except Exception as exc:  # the benchmark counts crashes instead of stopping at the first
            failures.append((doc.id, repr(exc)))
    elapsed = time.perf_counter() - started
    result = pipeline.assemble(readings, inputs)
    mentions = [m for r in readings for m in r.mentions]
    n = max(len(mentions), 1)
    print(f"documents: {len(inputs.documents)} (input problems: {len(inputs.problems)}), crashes: {len(failures)}")
    print(f"read time: {elapsed * 1000 / len(inputs.documents):.2f} ms per article "
          f"({len(inputs.documents) / elapsed:.0f} articles/s, after start-up)")
    warm = []
    for _ in range(2):  # the same texts again: the place lookups are cached by now
        again = time.perf_counter()
        for doc in inputs.documents:
            pipeline.read_document(doc, options)
        warm.append((time.perf_counter() - again) * 1000 / len(inputs.documents))
    print(f"read time, warm: {min(warm):.2f} ms per article (best of 2 more passes; the first pass also "
          "looks each new name up in the gazetteer index)")
    dated = sum(1 for r in readings if r.record.published)
    how = collections.Counter(r.record.published_how for r in readings)
    print(f"documents dated: {dated}/{len(readings)} ({dated / len(readings):.1%}) by {dict(how)}")
    print(f"mentions: {len(mentions)}; events: {len(result.events)}; unresolved: {len(result.unresolved)}")
    print("lanes:", dict(collections.Counter(m.lane for m in mentions)))
    print("types:", dict(collections.Counter(m.type for m in mentions).most_common()))
    print(f"with place: {sum(1 for m in mentions if m.place) / n:.1%}; "
          f"with day-precise date: {sum(1 for m in mentions if m.precision == 'day') / n:.1%}; "
          f"with toll: {sum(1 for m in mentions if m.killed is not None) / n:.1%}")
    for doc_id, error in failures[:10]:
        print("CRASH", doc_id, error)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
