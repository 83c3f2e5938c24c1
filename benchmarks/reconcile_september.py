"""Cross-outlet clustering on the FA-KES articles dated September 2016 in their text.

    python benchmarks/reconcile_september.py [FA-KES-Dataset.csv]

Prints how many articles and outlets, the events reported by more than one outlet with their
cluster sizes (mentions / articles / outlets) and ledgers, and the distribution of cluster sizes.
"""

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import ingest, pipeline  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "fakes" / "FA-KES-Dataset.csv"
COLUMNS = ingest.CorpusOptions(text_column="article_content", title_column="article_title",
                               id_column="unit_id", outlet_column="source")


def main(path: Path = DEFAULT, month: str = "2016-09") -> None:
    inputs = ingest.read_inputs([str(path)], COLUMNS)
    options = pipeline.Options(corpus=COLUMNS)
    readings = [r for r in (pipeline.read_document(d, options) for d in inputs.documents)
                if (r.record.published or "").startswith(month) and r.record.published_how == "text"]
    result = pipeline.assemble(readings, ingest.Inputs())
    outlets = {r.document.id: r.document.outlet for r in readings}
    print(f"{len(readings)} articles dated {month} in their text, from "
          f"{len(set(outlets.values()))} outlets: {dict(collections.Counter(outlets.values()))}")
    print(f"{sum(len(r.mentions) for r in readings)} mentions -> {len(result.events)} events")
    sizes = collections.Counter()
    shared = []
    for e in result.events:
        docs = set(e.documents)
        by_outlet = {outlets.get(d) for d in docs}
        sizes[len(docs)] += 1
        if len(by_outlet) > 1:
            shared.append((e, docs, by_outlet))
    print("events by number of articles reporting them:", dict(sorted(sizes.items())))
    print(f"events reported by more than one outlet: {len(shared)}")
    for e, docs, by_outlet in sorted(shared, key=lambda x: x[0].date):
        figures = sorted({(outlets.get(m.document), m.killed) for m in e.mentions if m.killed is not None}, key=str)
        print(f"  {e.date} {e.summary[:60]:60s} mentions {len(e.mentions):2d} articles {len(docs)} "
              f"outlets {len(by_outlet)} {figures}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
