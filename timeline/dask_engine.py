"""dask_engine: the pipeline on a Dask cluster (`--engine dask [--scheduler tcp://host:8786]`).

Documents are read as tasks; their mentions stay on the workers, are shuffled to the partitions
that `reconcile.partitions` defines (lane × period), and are clustered there. Only what the
client must report comes back: each document's record, unresolved texts and problems, the
mentions counted per lane and day (to cut periods), and the clusters' events. The output is
byte-identical to the local run: both cluster the same partitions with the same code
(`reconcile.cluster_part`, then `reconcile.finish` on the client).
"""

from __future__ import annotations

from collections import Counter

from timeline import reconcile


def run(documents, options, extra_mentions: list, read_safely, scheduler: str | None = None, workers: int = 2):
    """(summaries, events, unresolved from reconciling): summaries are, per document in input
    order, an InputProblem or (record, unresolved texts). `extra_mentions` (table rows) are
    reconciled with the documents' mentions, after them in input order. `read_safely(doc,
    options)` reads one document (pipeline's). Without `scheduler`, a cluster of `workers` local
    processes is started for the run."""
    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   dashboard_address=None)
    try:
        with Client(scheduler or cluster):
            docs = list(enumerate(documents))
            bag = db.from_sequence(docs, npartitions=max(1, min(256, len(docs) // 32 or 1)))
            read = bag.map(_read, options=options, reader=read_safely).persist()  # mentions stay on the workers
            summaries = read.map(_summary).compute()
            counts = read.map(_counts).fold(_add, initial=Counter()).compute()
            counts.update(_counts((None, _Extra(extra_mentions))))
            cuts = reconcile.period_cuts(counts)
            keyed = read.map(_keyed, cuts=cuts).flatten()
            extra = db.from_sequence(_keyed((len(docs), _Extra(extra_mentions)), cuts) or [None]).filter(_present)
            parts = db.concat([keyed, extra]).groupby(_part)
            entries = parts.map(_cluster).compute()
    finally:
        if cluster is not None:
            cluster.close()
    events, vague = reconcile.finish(entries)
    return summaries, events, vague


class _Extra:
    """Table rows' mentions, shaped like a reading."""

    def __init__(self, mentions):
        self.mentions = mentions


def _read(item, options, reader):
    seq, doc = item
    return seq, reader(doc, options)


def _summary(item):
    from timeline import ingest

    _, reading = item
    return reading if isinstance(reading, ingest.InputProblem) else (reading.record, reading.unresolved)


def _mentions(reading) -> list:
    return [m for m in getattr(reading, "mentions", ()) if m.date]


def _counts(item) -> Counter:
    return Counter((reconcile.lane_of(m), reconcile._day(m)) for m in _mentions(item[1]))


def _add(a: Counter, b: Counter) -> Counter:
    a.update(b)
    return a


def _keyed(item, cuts: dict) -> list:
    """(partition, (document number, mention number), mention) of each dated mention."""
    seq, reading = item
    return [(reconcile.part_key(reconcile.lane_of(m), reconcile._day(m), cuts), (seq, i), m)
            for i, m in enumerate(_mentions(reading))]


def _present(item) -> bool:
    return item is not None


def _part(item):
    return item[0]


def _cluster(group) -> list:
    """The clusters of one partition, its mentions in input order (as the local run has them)."""
    _, items = group
    return reconcile.cluster_part([m for _, _, m in sorted(items, key=lambda item: item[1])])
