"""store: an embedded SQLite event store that grows as articles come in.

Ingest is idempotent (a document already stored with the same content is skipped; a new version
of a document replaces its mentions), events are re-reconciled from all stored mentions (so the
store holds exactly what extracting everything at once would give, with the same ids), and every
change an ingest brings to an event's toll is kept with the documents that caused it.

Safety: one ingest writes at a time (a lock file beside the store, `<store>.lock`, held for the
whole run; the kernel releases it when a process dies); documents are committed in batches, each
one transaction, marked pending; the events are rebuilt in one more transaction that reads the
mentions it rebuilds from, writes the toll history of the pending documents and clears their
mark, so a kill anywhere leaves either the old events (said to be out of date until the next
ingest or `ingest --repair`) or the new ones, and no history is lost or written twice. WAL mode
lets readers work during an ingest; the schema has a version and migrations; a file that is not a
timeline store is refused, never overwritten.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from timeline.records import Document, Event, Mention, Result

APP = "timeline"
SCHEMA_VERSION = 2
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
    # documents whose toll history is not written yet (stored, events not rebuilt since)
    2: ["ALTER TABLE documents ADD COLUMN pending INTEGER NOT NULL DEFAULT 0"],
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
    if create and not path.parent.is_dir():
        raise StoreError(f"{path}: the folder {str(path.parent)!r} does not exist (create it first)")
    _check_file(path)
    if not create and not os.access(path, os.W_OK):
        return _read_only(path)
    try:
        db = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_SECONDS)
        db.execute("PRAGMA foreign_keys = ON")
        if _tables(db):  # an empty file, or a store another ingest is creating right now, is new
            _check_store(db, path)
        if create:  # readers read any older schema as it is: a read-only store stays readable
            _retry_busy(lambda: db.execute("PRAGMA journal_mode = WAL"))
            _retry_busy(lambda: _migrate(db))
    except sqlite3.OperationalError as exc:
        raise StoreError(_operational(path, exc)) from None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be read as a timeline store ({exc}); it may be damaged") from None
    return db


def _read_only(path: Path) -> sqlite3.Connection:
    """A store this user may not write: opened read-only. When no other process has it open,
    SQLite cannot set up its WAL index without writing, so it is then read as immutable (whoever
    can write it is not writing now: their -shm file would exist)."""
    shm = Path(str(path) + "-shm")
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if shm.exists() else "&immutable=1")
    try:
        db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_SECONDS)
        _check_store(db, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be read as a timeline store ({exc}); it may be damaged") from None
    return db


BUSY_SECONDS = 60  # how long a write waits for a reader's or another writer's transaction


def _retry_busy(step):
    """Run `step` again while another connection holds the lock it needs. Switching to WAL,
    and a transaction begun while another process switches, fail at once with 'locked' instead
    of waiting (SQLite's busy handler does not cover them)."""
    import time

    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _operational(path: Path, exc) -> str:
    """What an SQLite failure to open or write means for the user."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return f"{path} is read-only; it can be read (report, render) but not ingested into"
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another program for over {BUSY_SECONDS} s; try again when it is done"
    if "unable to open" in text:
        return f"{path} cannot be opened ({text}); check that the folder exists and is writable"
    return f"{path} cannot be read as a timeline store ({text}); it may be damaged"


def _tables(db) -> set:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _check_store(db, path: Path) -> None:
    if "meta" not in _tables(db):
        raise StoreError(f"{path} is an SQLite database but not a timeline store; refusing to touch it")
    app = db.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
    if not app or app[0] != APP:
        raise StoreError(f"{path} is an SQLite database but not a timeline store; refusing to touch it")
    version = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer timeline (schema {version}); upgrade to read it")


def _version(db) -> int:
    if "meta" not in _tables(db):
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _migrate(db) -> None:
    """Bring the schema up to date in one write transaction. The version is read inside it, so
    two processes opening a new store at once both succeed: the second finds it made."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for version in range(_version(db) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            if version == 1:
                db.execute("INSERT INTO meta VALUES ('app', ?), ('dirty', '0'), ('schema_version', '1')", (APP,))
            else:
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


# ------------------------------------------------------------------ one writer at a time

def lock_path(path) -> Path:
    return Path(str(path) + ".lock")


@contextmanager
def writer(path, waiting=lambda: None):
    """Hold the store's write lock for a whole ingest: a second ingest calls `waiting()` once
    and waits for the first to end (or die: the kernel drops a dead process's lock), then
    reads what the first stored. Without fcntl (Windows) ingests are not serialised."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux
        yield
        return
    if not Path(path).parent.is_dir():
        raise StoreError(f"{path}: the folder {str(Path(path).parent)!r} does not exist (create it first)")
    try:
        fd = os.open(lock_path(path), os.O_RDONLY | os.O_CREAT, 0o644)  # flock needs no write access
    except OSError as exc:
        if not Path(path).exists():
            raise StoreError(f"{path}: cannot create a store there ({exc.strerror})") from None
        raise StoreError(f"{path}: cannot write beside it (its lock file {lock_path(path).name}: {exc.strerror}); "
                         "it can be read (report, render) but not ingested into here") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            waiting()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def ingest_running(path) -> bool:
    """Whether an ingest holds the store's write lock now."""
    try:
        import fcntl
        fd = os.open(lock_path(path), os.O_RDONLY)
    except (ImportError, OSError):
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def staleness(db, path) -> str | None:
    """A sentence for the user when the stored events do not reflect the stored documents."""
    if not needs_rebuild(db):
        return None
    if ingest_running(path):
        return (f"{path}: an ingest is running; the events shown are those before it "
                "(run the command again when it is done)")
    return (f"{path}: the events are out of date (an ingest was interrupted); run `timeline ingest "
            f"--repair --db {path}` or any ingest to rebuild them")


# ------------------------------------------------------------------ ingest (pipeline.ingest_store runs it)

def content_hash(doc: Document) -> str:
    return hashlib.sha256("\x1f".join([doc.text, doc.title or "", doc.outlet or "", doc.published or ""])
                          .encode("utf-8")).hexdigest()


def plan(db, inputs) -> tuple[IngestReport, dict]:
    """(report, {document id: content hash} to read): documents stored with the same content are
    skipped. Only ids and hashes are kept: the documents are read again as they are processed."""
    report = IngestReport(problems=list(inputs.problems))
    known = dict(db.execute("SELECT id, hash FROM documents"))
    todo = {}
    for doc in inputs.documents:
        digest = content_hash(doc)
        if known.get(doc.id) == digest:
            report.unchanged.append(doc.id)
        else:
            (report.replaced if doc.id in known else report.added).append(doc.id)
            todo[doc.id] = digest
    return report, todo


def dirty(db) -> bool:
    return db.execute("SELECT value FROM meta WHERE key = 'dirty'").fetchone()[0] == "1"


def needs_rebuild(db) -> bool:
    """Documents were stored (or replaced) since the events were last rebuilt."""
    if dirty(db):
        return True
    columns = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    return "pending" in columns and db.execute("SELECT 1 FROM documents WHERE pending = 1 LIMIT 1").fetchone() is not None


def count_events(db) -> int:
    return db.execute("SELECT count(*) FROM events").fetchone()[0]


def _dumps(record) -> str:
    return json.dumps(record.to_dict(), ensure_ascii=False)


def commit_documents(db, batch, now: str) -> None:
    """One transaction: these documents (marked pending: their toll history is written by the
    next rebuild), their mentions, and a mark that events need rebuilding."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for reading, digest in batch:
            doc_id = reading.record.id
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # mentions follow (cascade)
            db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, 1)", (doc_id, digest, _dumps(reading.record), now))
            db.executemany("INSERT INTO mentions VALUES (?, ?, ?)",
                           [(doc_id, i, _dumps(m)) for i, m in enumerate(reading.mentions)])
            db.executemany("INSERT INTO unresolved VALUES (?, ?, ?)",
                           [(doc_id, i, u) for i, u in enumerate(reading.unresolved)])
        db.execute("UPDATE meta SET value = '1' WHERE key = 'dirty'")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def rebuild(db, now: str, reconcile) -> int:
    """Re-reconcile every stored mention with `reconcile` (mentions -> (events, vague)) in one
    write transaction that also reads them (so a concurrent writer cannot slip a change in
    between), and keep the toll history: an event that pending documents report gets a history
    row with its range after them."""
    db.execute("BEGIN IMMEDIATE")
    try:
        mentions = [Mention.from_dict(json.loads(r[0])) for r in db.execute("SELECT record FROM mentions "
                                                                           "ORDER BY document, seq")]
        changed = {r[0] for r in db.execute("SELECT id FROM documents WHERE pending = 1")}
        events, vague = reconcile(mentions)
        before = {r[0]: Event.from_dict(json.loads(r[1])) for r in db.execute("SELECT id, record FROM events")}
        db.execute("DELETE FROM events")
        db.executemany("INSERT INTO events VALUES (?, ?)", [(e.id, _dumps(e)) for e in events])
        for e in events:
            _history(db, e, before.get(e.id), changed, now)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('vague', ?)", (json.dumps(vague, ensure_ascii=False),))
        db.execute("UPDATE documents SET pending = 0 WHERE pending = 1")
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

