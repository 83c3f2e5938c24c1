"""pipeline: the only place that knows the order of the stages.

ingest -> clean -> dates -> extract -> reconcile -> model. Each document is read on its own
(so a bad one cannot stop the others); reconciliation then works on all mentions together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

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
    problems: list  # ingest.InputProblem


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


def run(paths, options: Options | None = None) -> Result:
    options = options or Options()
    inputs = ingest.read_inputs(paths, options.corpus)
    readings = list(read_documents(inputs.documents, options, inputs.problems))
    return assemble(readings, inputs)


def assemble(readings, inputs) -> Result:
    """Reconcile the readings of all documents, and merge events files given as input."""
    documents = [r.record for r in readings]
    mentions = [m for r in readings for m in r.mentions]
    unresolved = [u for r in readings for u in r.unresolved]
    events, vague = reconcile.reconcile(mentions)
    unresolved += vague
    for _path, data in inputs.event_files:
        documents += data.get("documents") or []
        events += data["events"]
        unresolved += data.get("unresolved") or []
    events = _dedupe(events)
    return Result(documents, sorted(events, key=reconcile.sort_key), unresolved, inputs.problems)


def _dedupe(events: list) -> list:
    """The same events file given twice (or with extracted articles) lists each id once."""
    seen, out = set(), []
    for e in events:
        if e["id"] not in seen:
            seen.add(e["id"])
            out.append(e)
    return out
