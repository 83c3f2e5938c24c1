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

    with connected(scheduler, workers):
        docs = list(enumerate(documents))
        bag = db.from_sequence(docs, npartitions=max(1, min(256, len(docs) // 32 or 1)))
        read = bag.map(_read, options=options, reader=read_safely).persist()  # mentions stay on the workers
        summaries = read.map(_summary).compute()
        entries = clustered(read, extra_mentions, len(docs))
    events, vague = reconcile.finish(entries)
    return summaries, events, vague


def reconcile_chunks(make_chunk, chunks: int, scheduler: str | None = None, workers: int = 2, collect=None,
                     shuffle: str | None = None):
    """Reconcile mentions made on the workers, chunk by chunk (`make_chunk(i)`: the mentions of
    the i-th chunk, in input order), as `run` reconciles the mentions of documents: (events,
    unresolved), or with `collect(entries of a partition)` what it gives per partition. Each
    chunk is made twice (to count, then to shuffle) rather than held; `shuffle="disk"` (workers
    sharing a disk) moves the mentions to their partitions through files, not memory."""
    import dask.bag as db

    with connected(scheduler, workers):
        made = db.from_sequence(range(chunks), npartitions=max(1, min(512, chunks))).map(_made, make_chunk=make_chunk)
        entries = clustered(made, [], chunks, collect=collect, shuffle=shuffle)
    return entries if collect else reconcile.finish(entries)


class connected:
    """A Dask client for the length of a `with`: to `scheduler`, or to a cluster of `workers`
    local processes started for it."""

    def __init__(self, scheduler: str | None, workers: int):
        self.scheduler, self.workers, self.cluster, self.client = scheduler, workers, None, None

    def __enter__(self):
        from dask.distributed import Client, LocalCluster

        if not self.scheduler:
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
        self.client = Client(self.scheduler or self.cluster)
        return self.client

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False


def clustered(read, extra_mentions: list, n: int, collect=None, shuffle: str | None = None) -> list:
    """The clusters of every partition, worked out on the workers: count mentions per lane and
    day, cut periods (on the client: a few numbers), send each mention to its partition, and
    cluster each partition there. `read`: a bag of (number, reading); extra mentions come after."""
    import dask.bag as db

    counts = read.map(_counts).fold(_add, initial=Counter()).compute()
    counts.update(_counts((None, _Extra(extra_mentions))))
    cuts = reconcile.period_cuts(counts)
    parts = len({reconcile.part_key(lane, day, cuts) for lane, day in counts})
    keyed = read.map(_keyed, cuts=cuts).flatten()
    extra = db.from_sequence(_keyed((n, _Extra(extra_mentions)), cuts) or [None]).filter(_present)
    groups = db.concat([keyed, extra]).groupby(_part, npartitions=max(1, parts), shuffle=shuffle)
    return groups.map(_cluster, collect=collect).compute()


class _Extra:
    """Table rows' mentions, shaped like a reading."""

    def __init__(self, mentions):
        self.mentions = mentions


def _made(i: int, make_chunk):
    return i, _Extra(make_chunk(i))


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
    return Counter((reconcile.lane_of(m), reconcile.day_of(m)) for m in _mentions(item[1]))


def _add(a: Counter, b: Counter) -> Counter:
    a.update(b)
    return a


def _keyed(item, cuts: dict) -> list:
    """(partition, (document number, mention number), mention) of each dated mention."""
    seq, reading = item
    return [(reconcile.part_key(reconcile.lane_of(m), reconcile.day_of(m), cuts), (seq, i), m)
            for i, m in enumerate(_mentions(reading))]


def _present(item) -> bool:
    return item is not None


def _part(item):
    return item[0]


def _cluster(group, collect=None):
    """The clusters of one partition, its mentions in input order (as the local run has them)."""
    _, items = group
    entries = reconcile.cluster_part([m for _, _, m in sorted(items, key=lambda item: item[1])])
    return collect(entries) if collect else entries
