"""pipeline: the only place that knows the order of the stages.

ingest -> clean -> dates -> extract -> reconcile -> records. Each document is read on its own
(so a bad one cannot stop the others); reconciliation then works on all mentions together.
The same order serves every entry point: `run` (extract, report, render, export), `ingest_store`
(the SQLite store), `read_dates` (the `timeline dates` audit) and the one-line summaries of
event tables, which `tables` reads through a callback given from here.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from timeline import clean, dates, extract, ingest, reconcile, records, spill, tables, timex
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
    """Read documents in `jobs` processes; the readings come back in input order. Documents are
    handed out in chunks, a few per worker ahead: an iterator of 100,000 articles is never
    queued whole (Pool.map and Executor.map would)."""
    import itertools
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    _warm_up()
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    documents = iter(documents)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = deque()
        while True:
            while len(pending) < jobs * AHEAD:
                chunk = list(itertools.islice(documents, CHUNK))
                if not chunk:
                    break
                pending.append(pool.submit(_read_chunk, chunk, options))
            if not pending:
                return
            for result in pending.popleft().result():
                if progress:
                    progress.update(1)
                if isinstance(result, ingest.InputProblem):
                    problems.append(result)
                else:
                    yield result


CHUNK = 16  # documents per task: enough to make a task's overhead small
AHEAD = 4  # tasks queued per worker: keeps workers busy without holding the corpus


def _read_chunk(documents: list, options: Options) -> list:
    return [read_safely(doc, options) for doc in documents]


def readings(documents, options: Options, problems: list, jobs: int = 1, progress=None):
    """The readings of `documents` (any iterable), in input order, however they are read: here
    or in `jobs` processes. Each text is dropped once read (large corpora fit)."""
    if jobs > 1:
        yield from read_parallel(documents, options, jobs, problems, progress)
    else:
        for reading in read_documents(documents, options, problems):
            reading.document = None  # the text is not needed any more
            if progress:
                progress.update(1)
            yield reading


def run(paths, options: Options | None = None, progress=None, jobs: int = 1, engine: str = "local",
        scheduler: str | None = None) -> Result:
    """Read, extract and reconcile everything in `paths`: per document on this process or on
    `jobs` processes, then reconcile here; or all of it on a Dask cluster (engine "dask"). The
    output is the same whichever way it ran. `progress(total)` may return a
    progress bar (a context manager with .update(n))."""
    options = options or Options()
    inputs = ingest.read_inputs(paths, options.corpus)
    if engine == "dask":
        return run_dask(inputs, options, scheduler, jobs)
    return assemble(list(_readings_shown(inputs, options, progress, jobs)), inputs, options.date_order)


def _readings_shown(inputs, options: Options, progress, jobs: int):
    """The readings of the inputs' documents, with a progress bar when `progress` is given."""
    bar = progress(len(inputs.documents)) if progress else None
    with (bar or _Nothing()) as shown:
        yield from readings(inputs.documents, options, inputs.problems, jobs, bar and shown)


@dataclass
class Streamed:
    """A run whose records wait on disk until they are written (see `stream`)."""

    documents: object  # () -> iterator of document records, in `run`'s order
    events: object  # () -> iterator of events, sorted as `run` sorts them
    unresolved: list
    problems: list
    notices: list


@contextlib.contextmanager
def stream(paths, options: Options | None = None, progress=None, jobs: int = 1):
    """`run` for an output written record by record (the events file): each document's record
    and mentions go to disk as it is read (timeline.spill), mentions are clustered one partition
    at a time and events finished one day at a time, so memory holds a partition, not the corpus.
    The records come out as `run` gives them. Events files given as input are merged in memory."""
    options = options or Options()
    inputs = ingest.read_inputs(paths, options.corpus)
    if inputs.event_files:
        result = assemble(list(_readings_shown(inputs, options, progress, jobs)), inputs, options.date_order)
        yield Streamed(lambda: iter(result.documents), lambda: iter(result.events), result.unresolved,
                       result.problems, result.notices)
        return
    with spill.Spill() as kept:
        unresolved = []
        for reading in _readings_shown(inputs, options, progress, jobs):
            kept.add(reading.record, reading.mentions)
            unresolved += reading.unresolved
        table_docs, table_mentions, notices, problems = _tables(inputs, options.date_order)
        for doc in table_docs:
            kept.add(doc, [])
        kept.add_mentions(table_mentions)
        for part in kept.partitions():
            kept.add_clusters(reconcile.entries(part))
        events = (event for day in kept.days() for event in reconcile.finish([day])[0])
        yield Streamed(kept.documents, lambda: events, unresolved + kept.unresolved(),
                       inputs.problems + problems, inputs.notices + notices)


def read_dates_of(paths, options: Options):
    """For the `timeline dates` audit: ([(document, DocumentDate, [Timex])], problems)."""
    inputs = ingest.read_inputs(paths, options.corpus)
    out = []
    for doc in inputs.documents:
        _cleaned, docdate, expressions = read_dates(doc, options)
        out.append((doc, docdate, expressions))
    return out, inputs.problems


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
    tables_read = _tables(inputs, date_order)
    mentions = [m for r in read for m in r.mentions] + tables_read[1]
    events, vague = reconcile.reconcile(mentions)
    return _result([r.record for r in read], [u for r in read for u in r.unresolved], tables_read, inputs,
                   events, vague)


def _result(documents: list, unresolved: list, tables_read, inputs, events: list, vague: list) -> Result:
    """The result of reading and reconciling, with the tables' records and notices and the
    events files given as input merged in."""
    table_docs, _, notices, problems = tables_read
    documents = documents + table_docs
    unresolved = unresolved + vague
    for _path, data in inputs.event_files:
        documents += [records.Document.from_dict(d) for d in data.get("documents") or []]
        events = events + [records.Event.from_dict(e) for e in data["events"]]
        unresolved += data.get("unresolved") or []
    events = _dedupe(events)
    return Result(documents, sorted(events, key=records.Event.sort_key), unresolved, inputs.problems + problems,
                  inputs.notices + notices)


def run_dask(inputs, options: Options, scheduler: str | None = None, jobs: int = 1) -> Result:
    """Read and reconcile on a Dask cluster (timeline.dask_engine): the same result as `run`."""
    from timeline import dask_engine

    tables_read = _tables(inputs, options.date_order)
    summaries, events, vague = dask_engine.run(inputs.documents, options, tables_read[1], read_safely,
                                               scheduler=scheduler, workers=max(2, jobs))
    documents, unresolved = [], []
    for summary in summaries:
        if isinstance(summary, ingest.InputProblem):
            inputs.problems.append(summary)
        else:
            documents.append(summary[0])
            unresolved += summary[1]
    return _result(documents, unresolved, tables_read, inputs, events, vague)


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
    report, digests = store.plan(db, inputs)
    docs = (doc for doc in inputs.documents if doc.id in digests)
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
