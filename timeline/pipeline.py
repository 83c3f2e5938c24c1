"""pipeline: the only place that knows the order of the stages.

ingest -> clean -> dates -> extract -> reconcile -> model. Each document is read on its own
(so a bad one cannot stop the others); reconciliation then works on all mentions together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from timeline import clean, dates, extract, ingest, model, reconcile


@dataclass
class Options:
    published: date | None = None
    date_order: str = "auto"
    corpus: ingest.CorpusOptions = field(default_factory=ingest.CorpusOptions)


@dataclass
class Result:
    documents: list  # document records (contract)
    events: list  # event records (contract)
    unresolved: list  # strings
    problems: list  # ingest.InputProblem: inputs that could not be read
    notices: list = field(default_factory=list)  # what was read but left out (table rows in no lane)
    revisions: list = field(default_factory=list)  # toll changes, when read from a store


@dataclass
class DocumentReading:
    record: dict
    mentions: list  # mention records
    unresolved: list
    document: ingest.Document | None = None  # kept when read in this process


def read_document(doc: ingest.Document, options: Options) -> DocumentReading:
    cleaned, _removed = clean.mask(doc.text)
    docdate, expressions = dates.read(doc, cleaned, options.published, options.date_order)
    found = extract.mentions(doc, cleaned, docdate.published, expressions, dateline=docdate.span)
    unresolved = [f"{doc.id}: {m.text!r}: {m.unresolved}" for m in found if m.unresolved]
    records = [model.mention_record(m, found) for m in found if m.date]
    return DocumentReading(model.document_record(doc, docdate), records, unresolved, doc)


def read_documents(documents, options: Options, problems: list):
    """Read each document; one that cannot be read is reported in `problems` and skipped."""
    for doc in documents:
        try:
            yield read_document(doc, options)
        except Exception as exc:  # a bug on one article must not lose the others
            problems.append(ingest.InputProblem(doc.path or doc.id, f"could not be read ({type(exc).__name__}: "
                                                f"{exc}); please report this"))


def read_safely(doc: ingest.Document, options: Options):
    """For worker processes: a DocumentReading without the document, or an InputProblem."""
    try:
        reading = read_document(doc, options)
    except Exception as exc:  # reported by the parent, like read_documents does
        return ingest.InputProblem(doc.path or doc.id, f"could not be read ({type(exc).__name__}: {exc}); "
                                   "please report this")
    reading.document = None
    return reading


def _warm_up() -> None:
    """Load the vocabularies and the gazetteer once, before worker processes fork from us."""
    read_document(ingest.Document(id="warm-up", text="Monday a car bomb killed 4 people in Homs."), Options())


def read_parallel(documents, options: Options, jobs: int, problems: list, progress=None):
    """Read documents in `jobs` processes; the readings come back in input order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    _warm_up()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    chunk = max(1, min(64, len(documents) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for result in pool.map(partial(read_safely, options=options), documents, chunksize=chunk):
            if progress:
                progress.update(1)
            if isinstance(result, ingest.InputProblem):
                problems.append(result)
            else:
                yield result


def read_dask(documents, options: Options, problems: list, scheduler: str | None = None):
    """Read documents as Dask tasks (a dask.bag over the documents), on the cluster at
    `scheduler` (an address) or on local processes; the readings come back in input order."""
    import dask.bag

    bag = dask.bag.from_sequence(documents, npartitions=max(1, min(256, len(documents) // 32 or 1)))
    work = bag.map(read_safely, options=options)
    if scheduler:
        from dask.distributed import Client

        with Client(scheduler) as client:
            results = client.compute(work).result()
    else:
        results = work.compute(scheduler="processes")
    for result in results:
        if isinstance(result, ingest.InputProblem):
            problems.append(result)
        else:
            yield result


def run(paths, options: Options | None = None, progress=None, jobs: int = 1, engine: str = "local",
        scheduler: str | None = None) -> Result:
    """Read, extract and reconcile everything in `paths`: per document on this process, on
    `jobs` processes, or as Dask tasks (engine "dask"); then reconcile all mentions here. The
    output is the same whichever way the documents were read. `progress(total)` may return a
    progress bar (a context manager with .update(n))."""
    options = options or Options()
    inputs = ingest.read_inputs(paths, options.corpus)
    if engine == "dask":
        readings = list(read_dask(inputs.documents, options, inputs.problems, scheduler))
        return assemble(readings, inputs)
    bar = progress(len(inputs.documents)) if progress else None
    with (bar or _Nothing()) as shown:
        if jobs > 1 and len(inputs.documents) > 1:
            readings = list(read_parallel(inputs.documents, options, jobs, inputs.problems, bar and shown))
        else:
            readings = []
            for reading in read_documents(_releasing(inputs.documents), options, inputs.problems):
                reading.document = None  # the text is not needed any more: large corpora fit in memory
                readings.append(reading)
                if bar:
                    shown.update(1)
    return assemble(readings, inputs)


def _releasing(documents: list):
    """Yield the documents of a list, dropping each from it once handed out."""
    for index, doc in enumerate(documents):
        documents[index] = None
        yield doc


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _tables(inputs):
    """(document records, mention records, notices) of the event tables given as input."""
    from timeline import tables

    documents, mentions, notices = [], [], []
    for path, kind, rows in inputs.tables:
        doc_id = Path(path).stem
        found, skipped = tables.read(path, doc_id, kind, rows)
        documents.append(tables.document_record(path, doc_id, kind, len(rows)))
        mentions += found
        if skipped:
            reasons = Counter(reason for _, reason in skipped)
            notices.append(f"{path}: {len(skipped)} of {len(rows)} rows skipped ("
                           + "; ".join(f"{n} × {r}" for r, n in reasons.most_common(4)) + ")")
    return documents, mentions, notices


def assemble(readings, inputs) -> Result:
    """Reconcile the readings of all documents with the rows of event tables, and merge events
    files given as input."""
    table_docs, table_mentions, notices = _tables(inputs)
    documents = [r.record for r in readings] + table_docs
    mentions = [m for r in readings for m in r.mentions] + table_mentions
    unresolved = [u for r in readings for u in r.unresolved]
    events, vague = reconcile.reconcile(mentions)
    unresolved += vague
    for _path, data in inputs.event_files:
        documents += data.get("documents") or []
        events += data["events"]
        unresolved += data.get("unresolved") or []
    events = _dedupe(events)
    return Result(documents, sorted(events, key=reconcile.sort_key), unresolved, inputs.problems, notices)


def _dedupe(events: list) -> list:
    """The same events file given twice (or with extracted articles) lists each id once."""
    seen, out = set(), []
    for e in events:
        if e["id"] not in seen:
            seen.add(e["id"])
            out.append(e)
    return out
