"""spill: a streamed run's records on disk, so that memory holds one partition, not the corpus.

A temporary SQLite file (in the system's temporary folder, removed when the run ends) keeps the
document records and the mentions as they are read, then the finished clusters by event date.
Reconciliation reads the mentions back one partition (reconcile.partitions: lane x period) at a
time, and the events file is written one day of events at a time (reconcile.finish works within
a day: ids, totals and order within days never look across days).
Records are pickled: this file lives for one run of this program, never longer, and is read
only by the process that wrote it.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import pickle
import sqlite3
import tempfile
from collections import Counter

from timeline import reconcile

# Mention fields whose values repeat from mention to mention (not its text or offsets).
SHARED = ("document", "qualifier", "attribution", "date_evidence", "outlet", "lane", "type", "date", "precision",
          "date_basis", "place", "actors", "origin")

SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE documents (seq INTEGER PRIMARY KEY, blob BLOB NOT NULL);
CREATE TABLE mentions (seq INTEGER PRIMARY KEY, lane TEXT NOT NULL, day TEXT NOT NULL, blob BLOB NOT NULL);
CREATE TABLE clusters (date TEXT NOT NULL, blob BLOB NOT NULL);
"""


class Spill:
    """Append documents and mentions in input order; then read mentions back by partition, add
    the clusters made of them, and read those back by day."""

    def __init__(self):
        self._folder = tempfile.TemporaryDirectory(prefix="timeline-")
        self.db = sqlite3.connect(os.path.join(self._folder.name, "spill.db"))
        self.db.executescript(SCHEMA)
        self.counts = Counter()  # (lane, day) -> mentions: where the periods are cut
        self.vague = []  # (order key, [unresolved]) of clusters that make no event: few and small
        self._shared = {}  # value -> the one object of that value mentions read back share

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self) -> None:
        self.db.close()
        self._folder.cleanup()

    def add(self, document, mentions) -> None:
        """A document record and its mentions (those without a date take part in no event)."""
        self.db.execute("INSERT INTO documents (blob) VALUES (?)", (_dump(document),))
        self.add_mentions(mentions)

    def add_mentions(self, mentions) -> None:
        rows = [(reconcile.lane_of(m), reconcile.day_of(m), _dump(m)) for m in mentions if m.date]
        self.counts.update((lane, day) for lane, day, _ in rows)
        self.db.executemany("INSERT INTO mentions (lane, day, blob) VALUES (?, ?, ?)", rows)

    def documents(self):
        for (blob,) in self.db.execute("SELECT blob FROM documents ORDER BY seq"):
            yield pickle.loads(blob)

    def partitions(self):
        """The mentions of each partition, in reconcile.partitions' order (lane, then period),
        each in input order."""
        self.db.execute("CREATE INDEX IF NOT EXISTS by_day ON mentions (lane, day)")
        cuts = reconcile.period_cuts(self.counts)
        for lane in sorted({lane for lane, _ in self.counts}):
            bounds = [None, *cuts.get(lane, ()), None]
            for low, high in itertools.pairwise(bounds):
                rows = self.db.execute(
                    "SELECT blob FROM mentions WHERE lane = ? AND day >= ? AND day < ? ORDER BY seq",
                    (lane, low or "", high or "\uffff"))
                part = [self._mention(blob) for (blob,) in rows]
                if part:
                    yield part

    def _mention(self, blob: bytes):
        return shared(pickle.loads(blob), self._shared)

    def add_clusters(self, entries) -> None:
        """reconcile.cluster_part's entries: events kept by date, the rest (small) in memory."""
        self.db.executemany("INSERT INTO clusters (date, blob) VALUES (?, ?)", self._events(entries))

    def _events(self, entries):
        for key, event, texts in entries:
            if event is None:
                self.vague.append((key, texts))
            else:
                yield event.date, _dump((key, event))

    def days(self):
        """The clusters that made events, a day at a time (by date, as events are sorted) as
        reconcile.cluster_part entries."""
        self.db.execute("CREATE INDEX IF NOT EXISTS by_date ON clusters (date)")
        rows = self.db.execute("SELECT date, blob FROM clusters ORDER BY date")
        for _day, group in itertools.groupby(rows, key=lambda row: row[0]):
            yield [(*pickle.loads(blob), []) for _, blob in group]

    def unresolved(self) -> list:
        """What the clusters that made no event leave unresolved, in reconcile.finish's order."""
        return [text for _, texts in sorted(self.vague, key=lambda entry: entry[0]) for text in texts]


def shared(m, memo: dict):
    """A mention unpickled, its words, place and actors shared with the mentions `memo` has seen:
    each pickle brings its own copies of 'violence', 'Aleppo' or 'reuters', which made a
    partition read back twice the size it had when read."""
    values = {name: memo.setdefault(value, value) for name in SHARED if (value := getattr(m, name)) is not None}
    return dataclasses.replace(m, **values)


def _dump(record) -> bytes:
    return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
