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
    timexes: list
    document: ingest.Document


def read_document(doc: ingest.Document, options: Options) -> DocumentReading:
    cleaned, _removed = clean.mask(doc.text)
    docdate, expressions = dates.read(doc, cleaned, options.published, options.date_order)
    found = extract.mentions(doc, cleaned, docdate.published, expressions, dateline=docdate.span)
    unresolved = [f"{doc.id}: {m.text!r}: {m.unresolved}" for m in found if m.unresolved]
    records = [model.mention_record(m, found) for m in found if m.date]
    return DocumentReading(model.document_record(doc, docdate), records, unresolved, expressions, doc)


def read_documents(documents, options: Options, problems: list):
    """Read each document; one that cannot be read is reported in `problems` and skipped."""
    for doc in documents:
        try:
            yield read_document(doc, options)
        except Exception as exc:  # a bug on one article must not lose the others
            problems.append(ingest.InputProblem(doc.path or doc.id, f"could not be read ({type(exc).__name__}: "
                                                f"{exc}); please report this"))


def run(paths, options: Options | None = None, progress=None) -> Result:
    """Read, extract and reconcile everything in `paths`. `progress(total)` may return a context
    manager with .update(n) (a progress bar) to follow the reading."""
    options = options or Options()
    inputs = ingest.read_inputs(paths, options.corpus)
    bar = progress(len(inputs.documents)) if progress else None
    if bar is None:
        readings = list(read_documents(inputs.documents, options, inputs.problems))
    else:
        with bar:
            readings = []
            for reading in read_documents(inputs.documents, options, inputs.problems):
                readings.append(reading)
                bar.update(1)
    return assemble(readings, inputs)


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
