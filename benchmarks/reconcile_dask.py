"""Reconciliation of many synthetic mentions here and on a local Dask cluster.

    python benchmarks/reconcile_dask.py N [--local] [--streamed] [--no-dask] [--workers 2] [--gather]
                                          [--part-size M]

The mentions are benchmarks/reconcile_scale.py's, made chunk by chunk (10,000 each) on the
workers, so the client never holds them. With --gather the events come back and are finished
on the client (ids, totals, order) as `timeline --engine dask` does, and with --local they are
compared with reconciling all N here: "identical" means byte for byte. Without --gather only
each partition's count of events comes back (for sizes whose events would not fit one machine).
--streamed reconciles the N mentions here as `timeline extract` does (pipeline.stream): made chunk
by chunk into the spill file, clustered one partition at a time, finished a day at a time, only
counted, so that memory holds a partition; for sizes that --local cannot hold. With --local as
well, the two are compared byte for byte. --no-dask leaves the cluster out.
Prints one JSON line: seconds, events, partitions, the client's and each worker's peak memory.
"""

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import cloudpickle  # noqa: E402

import reconcile_scale  # noqa: E402
from timeline import dask_engine, reconcile, spill  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count(entries) -> int:
    return sum(1 for _, event, _ in entries if event is not None)


def local(n: int) -> dict:
    t = time.perf_counter()
    events, unresolved = reconcile.reconcile(reconcile_scale.synthetic(n))
    return {"seconds": round(time.perf_counter() - t, 1), "events": len(events), "peak_mb": round(peak_mb()),
            "dump": json.dumps([e.to_dict() for e in events]) + json.dumps(unresolved)}


def streamed(n: int, dump: bool) -> dict:
    """Here, through the spill file and one partition at a time (pipeline.stream's way)."""
    t = time.perf_counter()
    found, rows = 0, []
    with spill.Spill() as kept:
        for i in range((n + reconcile_scale.CHUNK - 1) // reconcile_scale.CHUNK):
            kept.add_mentions(reconcile_scale.chunk(i)[:n - i * reconcile_scale.CHUNK])
        for part in kept.partitions():
            kept.add_clusters(reconcile.entries(part))
        for day in kept.days():
            events = reconcile.finish([day])[0]
            found += len(events)
            if dump:
                rows += [e.to_dict() for e in events]
        unresolved = kept.unresolved()
    return {"seconds": round(time.perf_counter() - t, 1), "events": found, "peak_mb": round(peak_mb()),
            "dump": json.dumps(rows) + json.dumps(unresolved) if dump else None}


def on_dask(n: int, workers: int, gather: bool) -> dict:
    cloudpickle.register_pickle_by_value(reconcile_scale)  # the workers cannot import benchmarks/
    chunks = (n + reconcile_scale.CHUNK - 1) // reconcile_scale.CHUNK
    with dask_engine.connected(None, workers) as client:
        t = time.perf_counter()
        if gather:
            events, unresolved = dask_engine.reconcile_chunks(reconcile_scale.chunk, chunks, scheduler=client.scheduler.address)
            found, dump = len(events), json.dumps([e.to_dict() for e in events]) + json.dumps(unresolved)
        else:
            per_part = dask_engine.reconcile_chunks(reconcile_scale.chunk, chunks, scheduler=client.scheduler.address,
                                                    collect=count, shuffle="disk")  # one machine: a shared disk
            found, dump = sum(per_part), None
        seconds = time.perf_counter() - t
        workers_mb = sorted(round(kb / 1024) for kb in client.run(
            lambda: __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss).values())
    return {"seconds": round(seconds, 1), "events": found, "client_mb": round(peak_mb()), "workers_mb": workers_mb,
            "dump": dump}


def main(argv):
    n = int(argv[0])
    workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else 2
    if "--part-size" in argv:  # smaller periods: many partitions from fewer mentions (the tests)
        reconcile.PART_SIZE = int(argv[argv.index("--part-size") + 1])
    out = {"mentions": n, "partition_size": reconcile.PART_SIZE}
    # in order of growing memory: each peak read is this process's highest so far
    remote = on_dask(n, workers, "--gather" in argv) if "--no-dask" not in argv else {"dump": None}
    if "--no-dask" not in argv:
        out["dask"] = {k: v for k, v in remote.items() if k != "dump"}
    flowing = streamed(n, "--local" in argv) if "--streamed" in argv else {"dump": None}
    if "--streamed" in argv:
        out["streamed"] = {k: v for k, v in flowing.items() if k != "dump"}
    if "--local" in argv:
        here = local(n)
        out["local"] = {k: v for k, v in here.items() if k != "dump"}
        if remote["dump"] is not None:
            out["identical"] = here["dump"] == remote["dump"]
        if flowing["dump"] is not None:
            out["streamed_identical"] = here["dump"] == flowing["dump"]
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
