"""Time the reconciliation of many synthetic mentions.

    python benchmarks/reconcile_scale.py [N ...]      (default: 10000 100000)

Mentions are drawn, with a fixed seed per chunk of 10,000, from 60 places, 2 lanes, the event
types and 3 years of days, with tolls and actors like real ones; the script prints mentions,
events and seconds. `chunk(i)` makes one chunk anywhere (a Dask worker makes its own).
"""

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import lexicon, reconcile  # noqa: E402
from timeline.records import Mention, Place  # noqa: E402

PEOPLE = [("John Kerry", "Sergey Lavrov"), ("Barack Obama", "Vladimir Putin"), ("Staffan de Mistura",),
          ("Recep Tayyip Erdogan", "Vladimir Putin"), ("Rex Tillerson", "Sergey Lavrov")]
BASES = ["clause", "clause", "sentence", "context", "context", "speech", "anchor"]


CHUNK = 10_000  # mentions per chunk: a chunk is made on its own (on a Dask worker, for one)


def synthetic(n: int, seed: int = 1) -> list[Mention]:
    """n mentions: the first n of the chunks below, in order."""
    out = []
    for i in range((n + CHUNK - 1) // CHUNK):
        out += chunk(i, seed)
    return out[:n]


def chunk(i: int, seed: int = 1) -> list[Mention]:
    """The i-th CHUNK mentions, the same wherever they are made (seeded by i)."""
    rng = random.Random(seed * 1_000_003 + i)
    types = lexicon.event_types()
    start = date(2015, 1, 1)
    out = []
    for j in range(i * CHUNK, (i + 1) * CHUNK):
        t = rng.choice(types)
        day = start + timedelta(days=rng.randrange(3 * 365))
        lane = t.lane
        killed = rng.choice([None, rng.randrange(1, 60)]) if lane == "violence" else None
        out.append(Mention(
            document=f"doc{j // 5}", start=(j % 5) * 300, end=(j % 5) * 300 + 120, text="...",
            lane=lane, type=t.id, date=day.isoformat(), precision="day", date_basis=rng.choice(BASES),
            place=rng.choice(PLACES), actors=tuple(rng.choice(PEOPLE)) if lane == "diplomacy" else (),
            killed=killed, killed_high=killed, qualifier="exact" if killed else None, date_evidence="x"))
    return out


PLACES = [Place(f"Town{i}", country="Syria", lat=35.0, lon=38.0) for i in range(60)]


def main(sizes):
    for n in sizes:
        mentions = synthetic(n)
        started = time.perf_counter()
        events, _ = reconcile.reconcile(mentions)
        elapsed = time.perf_counter() - started
        print(f"{n:>9,} mentions -> {len(events):>8,} events in {elapsed:6.2f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
