"""Time the reconciliation of many synthetic mentions.

    python benchmarks/reconcile_scale.py [N ...]      (default: 10000 100000)

Mentions are drawn, with a fixed seed, from 60 places, 2 lanes, 19 types and 3 years of days,
with tolls and actors like real ones; the script prints mentions, events and seconds.
"""

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import reconcile, vocab  # noqa: E402

PEOPLE = [("John Kerry", "Sergey Lavrov"), ("Barack Obama", "Vladimir Putin"), ("Staffan de Mistura",),
          ("Recep Tayyip Erdogan", "Vladimir Putin"), ("Rex Tillerson", "Sergey Lavrov")]
BASES = ["clause", "clause", "sentence", "context", "context", "speech", "anchor"]


def synthetic(n: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    types = vocab.load("event_types.yaml")["types"]
    places = [f"Town{i}" for i in range(60)]
    start = date(2015, 1, 1)
    out = []
    for i in range(n):
        t = rng.choice(types)
        day = start + timedelta(days=rng.randrange(3 * 365))
        place = rng.choice(places)
        lane = t["lane"]
        killed = rng.choice([None, rng.randrange(1, 60)]) if lane == "violence" else None
        out.append({
            "document": f"doc{i // 5}", "start": (i % 5) * 300, "end": (i % 5) * 300 + 120, "text": "...",
            "lane": lane, "type": t["id"], "date": day.isoformat(), "precision": "day",
            "date_basis": rng.choice(BASES), "place": {"name": place, "detail": None, "admin1": None,
                                                       "country": "Syria", "lat": 35.0, "lon": 38.0},
            "actors": list(rng.choice(PEOPLE)) if lane == "diplomacy" else [],
            "killed": killed, "killed_high": killed, "injured": None, "injured_high": None,
            "qualifier": "exact" if killed else None, "attribution": None, "date_evidence": "x",
            "outlet": None, "aggregate": False, "relation": None, "anchor_start": None,
        })
    return out


def main(sizes):
    for n in sizes:
        mentions = synthetic(n)
        started = time.perf_counter()
        events, _ = reconcile.reconcile(mentions)
        elapsed = time.perf_counter() - started
        print(f"{n:>9,} mentions -> {len(events):>8,} events in {elapsed:6.2f} s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
