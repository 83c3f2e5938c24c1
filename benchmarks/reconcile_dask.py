"""Reconciliation of many synthetic mentions here and on a local Dask cluster.

    python benchmarks/reconcile_dask.py N [--local] [--streamed] [--no-dask] [--workers 2] [--gather]
                                          [--part-size M]

The mentions are benchmarks/reconcile_scale.py's, made chunk by chunk (10,000 each) on the
workers, so the client never holds them. With --gather the events come back and are finished
on the client (ids, totals, order) as `timeline --engine dask` does, and with --local they are
compared with reconciling all N here: "identical" means byte for byte. Without --gather only
each partition's count of events comes back (for sizes whose events would not fit one machine).
--streamed reconciles the N mentions here as `timeline extract` does (pipeline.stream): made chunk
by chunk into the spill file, clustered one partition at a time, finished a day at a time, so
that memory holds a partition; for sizes that --local cannot hold. With --local as well, the two
are compared byte for byte. --no-dask leaves the cluster out.

Each way runs in a process of its own (this script again, with --only), so that each peak memory
is that way's alone: read in one process, the streamed run's peak was the in-memory run's or the
gathered events'. The outputs are compared by a SHA-256 of their JSON, worked out a day of events
at a time, so that comparing holds no second copy of them.
Prints one JSON line: seconds, events, partitions, the client's and each worker's peak memory.
"""

import hashlib
import json
import resource
import subprocess
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


class Digest:
    """SHA-256 of json.dumps([event dicts]) + json.dumps(unresolved), fed a few events at a time:
    the same bytes as the whole dump (json.dumps joins a list's items with ", ")."""

    def __init__(self):
        self.sha, self.first = hashlib.sha256(b"["), True

    def add(self, events) -> None:
        for event in events:
            self.sha.update((("" if self.first else ", ") + json.dumps(event.to_dict())).encode())
            self.first = False

    def close(self, unresolved) -> str:
        self.sha.update(("]" + json.dumps(unresolved)).encode())
        return self.sha.hexdigest()


def local(n: int) -> dict:
    t = time.perf_counter()
    events, unresolved = reconcile.reconcile(reconcile_scale.synthetic(n))
    seconds = time.perf_counter() - t
    digest = Digest()
    digest.add(events)
    return {"seconds": round(seconds, 1), "events": len(events), "peak_mb": round(peak_mb()),
            "digest": digest.close(unresolved)}


def streamed(n: int, compare: bool) -> dict:
    """Here, through the spill file and one partition at a time (pipeline.stream's way); with
    `compare`, the digest of the events too (else they are only counted)."""
    t = time.perf_counter()
    found, digest = 0, Digest() if compare else None
    with spill.Spill() as kept:
        for i in range((n + reconcile_scale.CHUNK - 1) // reconcile_scale.CHUNK):
            kept.add_mentions(reconcile_scale.chunk(i)[:n - i * reconcile_scale.CHUNK])
        for part in kept.partitions():
            kept.add_clusters(reconcile.entries(part))
        for day in kept.days():
            events = reconcile.finish([day])[0]
            found += len(events)
            if digest is not None:
                digest.add(events)
        unresolved = kept.unresolved()
    return {"seconds": round(time.perf_counter() - t, 1), "events": found, "peak_mb": round(peak_mb()),
            "digest": digest.close(unresolved) if digest is not None else None}


def on_dask(n: int, workers: int, gather: bool) -> dict:
    cloudpickle.register_pickle_by_value(reconcile_scale)  # the workers cannot import benchmarks/
    chunks = (n + reconcile_scale.CHUNK - 1) // reconcile_scale.CHUNK
    with dask_engine.connected(None, workers) as client:
        t = time.perf_counter()
        if gather:
            events, unresolved = dask_engine.reconcile_chunks(reconcile_scale.chunk, chunks, scheduler=client.scheduler.address)
            seconds, digest = time.perf_counter() - t, Digest()
            digest.add(events)
            found, checksum = len(events), digest.close(unresolved)
        else:
            per_part = dask_engine.reconcile_chunks(reconcile_scale.chunk, chunks, scheduler=client.scheduler.address,
                                                    collect=count, shuffle="disk")  # one machine: a shared disk
            seconds, found, checksum = time.perf_counter() - t, sum(per_part), None
        workers_mb = sorted(round(kb / 1024) for kb in client.run(
            lambda: __import__("resource").getrusage(__import__("resource").RUSAGE_SELF).ru_maxrss).values())
    return {"seconds": round(seconds, 1), "events": found, "client_mb": round(peak_mb()), "workers_mb": workers_mb,
            "digest": checksum}


def only(argv) -> dict:
    """One way (--only dask|streamed|local), in this process."""
    n, way = int(argv[0]), argv[argv.index("--only") + 1]
    if "--part-size" in argv:  # smaller periods: many partitions from fewer mentions (the tests)
        reconcile.PART_SIZE = int(argv[argv.index("--part-size") + 1])
    if way == "dask":
        workers = int(argv[argv.index("--workers") + 1]) if "--workers" in argv else 2
        return on_dask(n, workers, "--gather" in argv)
    return streamed(n, "--local" in argv) if way == "streamed" else local(n)


def run(argv, way: str) -> dict:
    """One way in a process of its own."""
    out = subprocess.run([sys.executable, __file__, *argv, "--only", way], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"reconcile_dask.py --only {way} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv):
    if "--only" in argv:
        print(json.dumps(only(argv)))
        return
    out = {"mentions": int(argv[0]),
           "partition_size": int(argv[argv.index("--part-size") + 1]) if "--part-size" in argv else reconcile.PART_SIZE}
    ways = [w for w, on in (("dask", "--no-dask" not in argv), ("streamed", "--streamed" in argv),
                            ("local", "--local" in argv)) if on]
    results = {way: run(argv, way) for way in ways}
    for way, result in results.items():
        out[way] = {k: v for k, v in result.items() if k != "digest"}
    if "local" in results:
        if "dask" in results and results["dask"]["digest"] is not None:
            out["identical"] = results["dask"]["digest"] == results["local"]["digest"]
        if "streamed" in results:
            out["streamed_identical"] = results["streamed"]["digest"] == results["local"]["digest"]
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
