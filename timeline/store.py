"""store: an embedded SQLite event store that grows as articles come in.

Ingest is idempotent (a document already stored with the same content is skipped; a new version
of a document replaces its mentions), events are re-reconciled from all stored mentions (so the
store holds exactly what extracting everything at once would give, with the same ids), and every
change an ingest brings to an event's toll is kept with the documents that caused it.

Safety: documents are committed in batches, each one transaction, and the events are rebuilt
in one more; WAL mode lets readers work during an ingest; the schema has a version and
migrations; a file that is not a timeline store is refused, never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from timeline.records import Document, Event, Mention, Result

APP = "timeline"
SCHEMA_VERSION = 1
BATCH = 50  # documents per transaction: a killed ingest keeps what it had committed

MIGRATIONS = {
    1: [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE documents (id TEXT PRIMARY KEY, hash TEXT NOT NULL, record TEXT NOT NULL, "
        "ingested_at TEXT NOT NULL)",
        "CREATE TABLE mentions (document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, "
        "seq INTEGER NOT NULL, record TEXT NOT NULL, PRIMARY KEY (document, seq))",
        "CREATE TABLE unresolved (document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, "
        "seq INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (document, seq))",
        "CREATE TABLE events (id TEXT PRIMARY KEY, record TEXT NOT NULL)",
        "CREATE TABLE toll_history (event_id TEXT NOT NULL, ingested_at TEXT NOT NULL, documents TEXT NOT NULL, "
        "killed_low INTEGER, killed_best INTEGER, killed_high INTEGER, "
        "previous_low INTEGER, previous_high INTEGER)",
        "CREATE INDEX toll_history_event ON toll_history (event_id)",
    ],
}


class StoreError(Exception):
    """A file that cannot be used as a store (said in words a user can act on)."""


@dataclass
class IngestReport:
    added: list = field(default_factory=list)
    replaced: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    events: int = 0


# ------------------------------------------------------------------ opening

def _check_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise StoreError(f"{path} is not a timeline store (not an SQLite database); refusing to touch it")


def connect(path, create: bool = True) -> sqlite3.Connection:
    """Open (or create) a store; refuse foreign or corrupt files; migrate an older schema."""
    path = Path(path)
    if not path.exists() and not create:
        raise StoreError(f"{path}: no such store (create it with `timeline ingest --db {path} ...`)")
    _check_file(path)
    fresh = not path.exists() or path.stat().st_size == 0
    try:
        db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        db.execute("PRAGMA foreign_keys = ON")
        if not fresh:
            _check_store(db, path)
        db.execute("PRAGMA journal_mode = WAL")
        _migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be read as a timeline store ({exc}); it may be damaged") from None
    return db


def _check_store(db, path: Path) -> None:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        raise StoreError(f"{path} is an SQLite database but not a timeline store; refusing to touch it")
    app = db.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
    if not app or app[0] != APP:
        raise StoreError(f"{path} is an SQLite database but not a timeline store; refusing to touch it")
    version = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer timeline (schema {version}); upgrade to read it")


def _version(db) -> int:
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        return 0
    return int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])


def _migrate(db) -> None:
    current = _version(db)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            if version == 1:
                db.execute("INSERT INTO meta VALUES ('app', ?), ('dirty', '0')", (APP,))
                db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
            else:
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


# ------------------------------------------------------------------ ingest (pipeline.ingest_store runs it)

def content_hash(doc: Document) -> str:
    return hashlib.sha256("\x1f".join([doc.text, doc.title or "", doc.outlet or "", doc.published or ""])
                          .encode("utf-8")).hexdigest()


def plan(db, inputs) -> tuple[IngestReport, list]:
    """(report, [(document, content hash)] to read): documents stored with the same content are
    skipped."""
    report = IngestReport(problems=list(inputs.problems))
    known = dict(db.execute("SELECT id, hash FROM documents"))
    todo = []
    for doc in inputs.documents:
        digest = content_hash(doc)
        if known.get(doc.id) == digest:
            report.unchanged.append(doc.id)
        else:
            (report.replaced if doc.id in known else report.added).append(doc.id)
            todo.append((doc, digest))
    return report, todo


def dirty(db) -> bool:
    return db.execute("SELECT value FROM meta WHERE key = 'dirty'").fetchone()[0] == "1"


def count_events(db) -> int:
    return db.execute("SELECT count(*) FROM events").fetchone()[0]


def _dumps(record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False)


def commit_documents(db, batch, now: str) -> None:
    """One transaction: these documents, their mentions, and a mark that events need rebuilding."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for reading, digest in batch:
            doc_id = reading.record.id
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # mentions follow (cascade)
            db.execute("INSERT INTO documents VALUES (?, ?, ?, ?)", (doc_id, digest, _dumps(reading.record), now))
            db.executemany("INSERT INTO mentions VALUES (?, ?, ?)",
                           [(doc_id, i, _dumps(m)) for i, m in enumerate(reading.mentions)])
            db.executemany("INSERT INTO unresolved VALUES (?, ?, ?)",
                           [(doc_id, i, u) for i, u in enumerate(reading.unresolved)])
        db.execute("UPDATE meta SET value = '1' WHERE key = 'dirty'")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def rebuild(db, now: str, changed: set, reconcile) -> int:
    """Re-reconcile every stored mention with `reconcile` (mentions -> (events, vague)) in one
    transaction, and keep the toll history: an event that new documents report gets a history
    row with its range after them."""
    mentions = [Mention.from_dict(json.loads(r[0])) for r in db.execute("SELECT record FROM mentions "
                                                                       "ORDER BY document, seq")]
    events, vague = reconcile(mentions)
    before = {r[0]: Event.from_dict(json.loads(r[1])) for r in db.execute("SELECT id, record FROM events")}
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM events")
        db.executemany("INSERT INTO events VALUES (?, ?)", [(e.id, _dumps(e)) for e in events])
        for e in events:
            _history(db, e, before.get(e.id), changed, now)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('vague', ?)", (json.dumps(vague, ensure_ascii=False),))
        db.execute("UPDATE meta SET value = '0' WHERE key = 'dirty'")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return len(events)


def _history(db, event: Event, previous: Event | None, changed: set, now: str) -> None:
    new_docs = sorted(set(event.documents) & changed)
    if not new_docs or event.lane != "violence":
        return
    killed, old = event.killed, previous.killed if previous else None
    db.execute("INSERT INTO toll_history VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (event.id, now, json.dumps(new_docs), killed.low if killed else None,
                killed.best if killed else None, killed.high if killed else None,
                old.low if old else None, old.high if old else None))


# ------------------------------------------------------------------ reading

def load(db) -> Result:
    """Everything stored, as a pipeline result (for report, render, export)."""
    documents = [Document.from_dict(json.loads(r[0])) for r in db.execute("SELECT record FROM documents ORDER BY id")]
    events = [Event.from_dict(json.loads(r[0])) for r in db.execute("SELECT record FROM events")]
    unresolved = [r[0] for r in db.execute("SELECT text FROM unresolved ORDER BY document, seq")]
    vague = db.execute("SELECT value FROM meta WHERE key = 'vague'").fetchone()
    unresolved += json.loads(vague[0]) if vague else []
    return Result(documents, sorted(events, key=Event.sort_key), unresolved, [], revisions=revisions(db))


def history(db, event_id: str) -> list[dict]:
    """The toll history of an event: [{ingested_at, documents, low, best, high, previous}]."""
    rows = db.execute("SELECT ingested_at, documents, killed_low, killed_best, killed_high, previous_low, "
                      "previous_high FROM toll_history WHERE event_id = ? ORDER BY rowid", (event_id,))
    return [{"ingested_at": r[0], "documents": json.loads(r[1]), "low": r[2], "best": r[3], "high": r[4],
             "previous": None if r[5] is None else {"low": r[5], "high": r[6]}} for r in rows]


def revisions(db) -> list[dict]:
    """Toll changes across all events: [{event, from, to, documents, ingested_at}]."""
    out = []
    for event_id, at, docs, low, high, plow, phigh in db.execute(
            "SELECT event_id, ingested_at, documents, killed_low, killed_high, previous_low, previous_high "
            "FROM toll_history ORDER BY rowid"):
        if plow is not None and (plow, phigh) != (low, high):
            out.append({"event": event_id, "from": (plow, phigh), "to": (low, high), "documents": json.loads(docs),
                        "ingested_at": at})
    return out

