"""pipeline: the only place that knows the order of the stages.

ingest -> clean -> dates -> extract -> reconcile -> records. Each document is read on its own
(so a bad one cannot stop the others); reconciliation then works on all mentions together.
The same order serves every entry point: `run` (extract, report, render, export), `ingest_store`
(the SQLite store), `read_dates` (the `timeline dates` audit) and the one-line summaries of
event tables, which `tables` reads through a callback given from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from timeline import clean, dates, extract, ingest, reconcile, records, tables, timex
from timeline.records import Result


@dataclass
class Options:
    published: date | None = None
    date_order: str = "auto"
    corpus: ingest.CorpusOptions = field(default_factory=ingest.CorpusOptions)


@dataclass
class DocumentReading:
    record: records.Document  # without its text
    mentions: list  # records.Mention
    unresolved: list
    document: records.Document | None = None  # with its text, kept when read in this process


# ------------------------------------------------------------------ one document

def read_dates(doc: records.Document, options: Options):
    """clean -> dates: (cleaned text, DocumentDate, [Timex]) of one document."""
    cleaned, _removed = clean.mask(doc.text)
    docdate, expressions = dates.read(doc, cleaned, options.published, options.date_order)
    return cleaned, docdate, expressions


def read_document(doc: records.Document, options: Options) -> DocumentReading:
    """clean -> dates -> extract: the mentions of one document."""
    cleaned, docdate, expressions = read_dates(doc, options)
    if docdate.outlet:
        doc = replace(doc, outlet=docdate.outlet)  # named by its page layout
    found = extract.mentions(doc, cleaned, docdate.published, expressions, dateline=docdate.span)
    unresolved = [f"{doc.id}: {m.text!r}: {m.unresolved}" for m in found if m.unresolved]
    # a date counted back from year 2 or forward from 9998 can leave the calendar reconciling uses
    mentions = [extract.record(m, found) for m in found if m.date and timex.in_calendar(m.date)]
    return DocumentReading(document_record(doc, docdate), mentions, unresolved, doc)


def document_record(doc: records.Document, docdate) -> records.Document:
    """The document as the events file lists it: its date as read, without its text."""
    return replace(doc, text="", published=docdate.published.isoformat() if docdate.published else None,
                   published_how=docdate.how, published_evidence=docdate.evidence, date_order=docdate.order,
                   date_order_reason=docdate.order_reason, warnings=tuple(doc.warnings) + tuple(docdate.warnings))


def _problem(doc, exc) -> ingest.InputProblem:
    return ingest.InputProblem(doc.path or doc.id, f"could not be read ({type(exc).__name__}: {exc}); "
                               "please report this")


def read_documents(documents, options: Options, problems: list):
    """Read each document; one that cannot be read is reported in `problems` and skipped."""
    for doc in documents:
        try:
            yield read_document(doc, options)
        except Exception as exc:  # a bug on one article must not lose the others
            problems.append(_problem(doc, exc))


def read_safely(doc: records.Document, options: Options):
    """For worker processes: a DocumentReading without the document, or an InputProblem."""
    try:
        reading = read_document(doc, options)
    except Exception as exc:  # reported by the parent, like read_documents does
        return _problem(doc, exc)
    reading.document = None
    return reading


# ------------------------------------------------------------------ many documents

def _warm_up() -> None:
    """Load the vocabularies and the gazetteer once, before worker processes fork from us."""
    read_document(records.Document(id="warm-up", text="Monday a car bomb killed 4 people in Homs."), Options())


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


def readings(documents: list, options: Options, problems: list, jobs: int = 1, engine: str = "local",
             scheduler: str | None = None, progress=None):
    """The readings of `documents`, in input order, however they are read: here, in `jobs`
    processes or as Dask tasks. Texts are released as they are read (large corpora fit)."""
    if engine == "dask":
        yield from read_dask(documents, options, problems, scheduler)
    elif jobs > 1 and len(documents) > 1:
        yield from read_parallel(documents, options, jobs, problems, progress)
    else:
        for reading in read_documents(_releasing(documents), options, problems):
            reading.document = None  # the text is not needed any more
            if progress:
                progress.update(1)
            yield reading


def run(paths, options: Options | None = None, progress=None, jobs: int = 1, engine: str = "local",
        scheduler: str | None = None) -> Result:
    """Read, extract and reconcile everything in `paths`: per document on this process, on
    `jobs` processes, or as Dask tasks (engine "dask"); then reconcile all mentions here. The
    output is the same whichever way the documents were read. `progress(total)` may return a
    progress bar (a context manager with .update(n))."""
    options = options or Options()
    inputs = ingest.read_inputs(paths, options.corpus)
    bar = progress(len(inputs.documents)) if progress and engine != "dask" else None
    with (bar or _Nothing()) as shown:
        read = list(readings(inputs.documents, options, inputs.problems, jobs, engine, scheduler, bar and shown))
    return assemble(read, inputs, options.date_order)


def read_dates_of(paths, options: Options):
    """For the `timeline dates` audit: ([(document, DocumentDate, [Timex])], problems)."""
    inputs = ingest.read_inputs(paths, options.corpus)
    out = []
    for doc in inputs.documents:
        _cleaned, docdate, expressions = read_dates(doc, options)
        out.append((doc, docdate, expressions))
    return out, inputs.problems


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


# ------------------------------------------------------------------ tables and events files

def read_title(doc_id: str, title: str, day: str) -> records.Mention | None:
    """A one-line summary (a table row) read as an article of one sentence, dated by its row:
    the callback `tables` reads rows with."""
    # a one-line summary has no full stop; without one it would read as a heading
    text = title if title.rstrip()[-1:] in ".!?" else title.rstrip() + "."
    doc = records.Document(id=doc_id, text=text, title="")
    found = read_document(doc, Options(published=date.fromisoformat(day))).mentions
    if not found:
        return None
    return min(found, key=lambda m: (m.place is None, m.killed is None, m.start))


def _tables(inputs, date_order: str | None = None):
    """(document records, mention records, notices, problems) of the event tables given as input.
    What a table leaves out is said three times: a notice (stderr), a warning on its document
    record (the report and the page show it) and, when it gives no event at all, a problem (exit 1)."""
    documents, mentions, notices, problems = [], [], [], []
    for path, kind, rows in inputs.tables:
        doc_id = Path(path).stem
        found, skipped = tables.read(path, doc_id, kind, rows, read_title, date_order)
        said = tables.summary(skipped, len(rows)) if skipped or not found else None
        if not found:
            said = f"no event read: {said}"
            problems.append(ingest.InputProblem(path, said))
        elif said:
            notices.append(f"{path}: {said}")
        documents.append(tables.document_record(path, doc_id, kind, len(rows), warnings=[said] if said else []))
        mentions += found
    return documents, mentions, notices, problems


def assemble(read, inputs, date_order: str | None = None) -> Result:
    """Reconcile the readings of all documents with the rows of event tables (their numeric dates
    in `date_order` when given), and merge events files given as input."""
    table_docs, table_mentions, notices, problems = _tables(inputs, date_order)
    notices = inputs.notices + notices
    documents = [r.record for r in read] + table_docs
    mentions = [m for r in read for m in r.mentions] + table_mentions
    unresolved = [u for r in read for u in r.unresolved]
    events, vague = reconcile.reconcile(mentions)
    unresolved += vague
    for _path, data in inputs.event_files:
        documents += [records.Document.from_dict(d) for d in data.get("documents") or []]
        events += [records.Event.from_dict(e) for e in data["events"]]
        unresolved += data.get("unresolved") or []
    events = _dedupe(events)
    return Result(documents, sorted(events, key=records.Event.sort_key), unresolved, inputs.problems + problems,
                  notices)


def _dedupe(events: list) -> list:
    """The same events file given twice (or with extracted articles) lists each id once."""
    seen, out = set(), []
    for e in events:
        if e.id not in seen:
            seen.add(e.id)
            out.append(e)
    return out


# ------------------------------------------------------------------ the store

def ingest_store(db, paths, options: Options, now: str, jobs: int = 1, repair: bool = False):
    """Read `paths` into the store at `db` (in `jobs` processes), then rebuild its events from
    every stored mention (always with `repair`). `now` (ISO time) stamps the ingest: the library
    never reads the clock. The caller holds the store's write lock (store.writer)."""
    from timeline import store

    inputs = ingest.read_inputs(paths, options.corpus) if paths else ingest.Inputs()
    report, todo = store.plan(db, inputs)
    digests = {doc.id: digest for doc, digest in todo}
    docs = [doc for doc, _ in todo]
    batch = []
    for reading in readings(docs, options, report.problems, jobs):
        batch.append((reading, digests[reading.record.id]))
        if len(batch) >= store.BATCH:
            store.commit_documents(db, batch, now)
            batch = []
    if batch:
        store.commit_documents(db, batch, now)
    if inputs.tables or inputs.event_files:
        report.notices.append("event tables and events files are not stored; give them to report or render")
    if repair or store.needs_rebuild(db):  # this run's documents, or an earlier run's cut short
        report.events = store.rebuild(db, now, reconcile.reconcile)
    else:
        report.events = store.count_events(db)
    return report
