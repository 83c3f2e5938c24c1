"""The diplomacy sieve (reconcile.Sieve): comparing a newcomer only with the clusters of its day
that could take it must cluster exactly as comparing it with all of them did."""

import hashlib
import json
import random
from datetime import date, timedelta

import pytest

from timeline import lexicon, reconcile
from timeline.records import Mention, Place

PEOPLE = ["John Kerry", "Sergey Lavrov", "Vladimir Putin", "Barack Obama", "Staffan de Mistura",
          "Adel al-Jubeir", "Mevlut Cavusoglu"]  # known ones and names the actor table lacks
OTHERS = ["United States", "Russia", "Turkey", "Iran", "United Nations", "Syrian army", "Islamic State"]
TOWNS = [Place(name, country="Syria", lat=35.0, lon=38.0) for name in ("Geneva", "Astana", "Homs", "Vienna")]
COUNTRIES = [Place("Syria", country="Syria", lat=35.0, lon=38.0)]  # a country: its name is its country
BASES = ["clause", "sentence", "context", "speech", "anchor", "publication"]


def mentions(seed: int, n: int) -> list[Mention]:
    """Diplomacy (and some violence) with every attribute the fit checks read, mixed at random
    over a few days: people, states, both or none; a town, a country or no place; sittings;
    weak and coarse dates; several documents."""
    rng = random.Random(seed)
    dip = [t.id for t in lexicon.event_types() if t.lane == "diplomacy"]
    out = []
    for j in range(n):
        lane = "diplomacy" if rng.random() < 0.8 else "violence"
        kind = rng.choice(dip) if lane == "diplomacy" else "air_strike"
        day = date(2016, 9, 1) + timedelta(days=rng.randrange(6))
        value = day.isoformat() if rng.random() < 0.9 else day.isoformat()[:7]
        actors = tuple(rng.sample(PEOPLE + OTHERS, rng.choice([0, 1, 2, 2, 3])))
        place = rng.choice(TOWNS + COUNTRIES + [None, None])
        out.append(Mention(document=f"doc{j // 6}", start=(j % 6) * 200, end=(j % 6) * 200 + 90, text="...",
                           lane=lane, type=kind, date=value, precision="day" if len(value) == 10 else "month",
                           date_basis=rng.choice(BASES), place=place, actors=actors if lane == "diplomacy" else (),
                           killed=rng.choice([None, 3, 7]) if lane == "violence" else None, date_evidence="x"))
    return out


def dump(result) -> str:
    """A digest of the result: a failing comparison of two long dumps would take minutes to show."""
    events, unresolved = result
    return hashlib.md5((json.dumps([e.to_dict() for e in events]) + json.dumps(unresolved)).encode()).hexdigest()


@pytest.mark.parametrize("seed, n", [(seed, n) for seed in range(4) for n in (150, 1_500)])
def test_the_sieve_clusters_as_comparing_with_the_whole_day(seed, n, monkeypatch):
    given = mentions(seed, n)  # sparse days and crowded ones
    sifted = dump(reconcile.reconcile(given))
    monkeypatch.setattr(reconcile.Sieve, "sift", lambda self, item: self.order)  # the whole day's clusters
    assert sifted == dump(reconcile.reconcile(given))


def test_the_sieve_leaves_out_what_cannot_fit():
    given = [Mention(document="a", start=0, end=10, text="...", lane="diplomacy", type="meeting", date="2016-09-05",
                     precision="day", date_basis="clause", place=TOWNS[0], actors=("John Kerry", "Sergey Lavrov"),
                     date_evidence="x"),
             Mention(document="b", start=0, end=10, text="...", lane="diplomacy", type="meeting", date="2016-09-05",
                     precision="day", date_basis="clause", place=TOWNS[1], actors=("Barack Obama",), date_evidence="x"),
             Mention(document="c", start=0, end=10, text="...", lane="diplomacy", type="meeting", date="2016-09-05",
                     precision="day", date_basis="clause", place=TOWNS[0], actors=("United States",), date_evidence="x")]
    sieve = reconcile.Sieve()
    clusters = [reconcile.Cluster(reconcile.Item(m)) for m in given]
    for c in clusters:
        sieve.put(c)
    kerry_in_geneva = reconcile.Item(given[0])
    # Kerry's talks in Geneva, and the United States' there (no person named: the states decide)
    assert list(sieve.sift(kerry_in_geneva).values()) == [clusters[0], clusters[2]]
    nowhere = reconcile.Item(Mention(document="d", start=0, end=10, text="...", lane="diplomacy", type="talks",
                                     date="2016-09-05", precision="day", date_basis="clause", date_evidence="x"))
    assert list(sieve.sift(nowhere).values()) == clusters  # nothing to go by: all of them, in order
    clusters[1].add(kerry_in_geneva)  # grew: now in Geneva too, and with Kerry
    sieve.put(clusters[1])
    assert list(sieve.sift(kerry_in_geneva).values()) == clusters
    assert reconcile._diplomacy_fits(kerry_in_geneva, clusters[2])  # what the sieve kept for
