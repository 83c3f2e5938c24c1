"""Reconciling's shortcuts give what the plain computations they stand for give.

Each shortcut skips work that cannot change the result: the totals of other days and countries
(looked up, not scanned), the vote of a cluster of one type, the claims of fields all outlets
agree on, the anchors of articles that order nothing, one partition key per lane and day, the
cycle collector while a partition's objects are made. Here the plain computations (as they were
before the shortcuts) run in their place on mentions mixing everything they look at: the two
must give byte-identical events, so that a shortcut that drifts fails here rather than
changing a timeline.
"""

from __future__ import annotations

import gc
import hashlib
import json
import random
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from timeline import lexicon, reconcile
from timeline.records import Mention, Place, evolve

SYRIA = Place("Syria", country="Syria", lat=35.0, lon=38.0)
IRAQ = Place("Iraq", country="Iraq", lat=33.0, lon=44.0)
TOWNS = [Place("Homs", country="Syria", lat=34.7, lon=36.7), Place("Aleppo", country="Syria", lat=36.2, lon=37.1),
         Place("Mosul", country="Iraq", lat=36.3, lon=43.1)]
SPOTS = [None, None, "al-Furqan neighborhood", "New Aleppo neighborhood", "eastern outskirts", "Homs suburbs"]
TEXTS = ["Monday a car bomb killed 4 people.", "The chemical attack was condemned.", "Shelling hit the town.",
         "Wednesday's massacre left dozens dead."]
PEOPLE = ["John Kerry", "Sergey Lavrov", "Russia", "Turkey"]
BASES = ["clause", "clause", "sentence", "context", "speech", "anchor", "publication"]


def mentions(seed: int, n: int) -> list[Mention]:
    """Violence and diplomacy over a few days: towns (with spots), countries, no place; tolls
    (vague ones, attributed ones), totals, coarse and weak dates, every type, a few table rows,
    and mentions ordered against others of their article."""
    rng = random.Random(seed)
    types = [t.id for t in lexicon.event_types()]
    out = []
    for j in range(n):
        doc, start = f"doc{j // 5}", (j % 5) * 150
        kind = rng.choice(types)
        lane = lexicon.event_type(kind).lane
        day = date(2016, 9, 1) + timedelta(days=rng.randrange(4))
        value = day.isoformat() if rng.random() < 0.9 else day.isoformat()[:7]
        place = rng.choice(TOWNS + [SYRIA, IRAQ, None])
        if place is not None and place in TOWNS and rng.random() < 0.5:
            place = evolve(place, detail=rng.choice(SPOTS))
        aggregate = lane == "violence" and place in (SYRIA, IRAQ) and rng.random() < 0.5
        killed = rng.choice([None, None, 3, 4, 12, 30]) if lane == "violence" else None
        relation = rng.choice([None, None, None, "before", "after"]) if j % 5 else None
        table = rng.random() < 0.03
        out.append(Mention(
            document=f"table{j % 3}" if table else doc, start=start, end=start + 90, text=rng.choice(TEXTS),
            killed=killed, qualifier=rng.choice([None, "exact", "vague"]) if killed else None,
            attribution=rng.choice([None, "SOHR"]), lane=lane, type=kind, date=value,
            precision="day" if len(value) == 10 else "month", date_basis="clause" if table else rng.choice(BASES),
            place=place, actors=tuple(rng.sample(PEOPLE, rng.choice([0, 0, 1, 2]))), aggregate=aggregate,
            relation=relation, anchor_start=start - 150 if relation else None, date_evidence="x",
            origin="table" if table else None, row=j if table else None,
            row_id=rng.choice([None, f"R{j % 4}"]) if table else None))
    return out


def dump(result) -> str:
    events, unresolved = result
    return hashlib.md5((json.dumps([e.to_dict() for e in events]) + json.dumps(unresolved)).encode()).hexdigest()


# ------------------------------------------------------------------ the plain computations

def plain_partitions(mentions):
    dated = [m for m in mentions if m.date]
    cuts = reconcile.period_cuts(Counter((reconcile.lane_of(m), reconcile.day_of(m)) for m in dated))
    groups = defaultdict(list)
    for m in dated:
        groups[reconcile.part_key(reconcile.lane_of(m), reconcile.day_of(m), cuts)].append(m)
    return [groups[key] for key in sorted(groups)]


def plain_type_of(c):
    votes = Counter(t for _, t in {(i.doc, i.m.type) for i in c.items})
    specific = [t for t in votes if not lexicon.has(t, "generic")] or list(votes)
    return min(specific, key=lambda t: (-votes[t], lexicon.rank(t)))


def plain_discrepancies(mentions):
    out = {}
    fields = {"killed": lambda m: m.killed, "date": lambda m: m.date,
              "place": lambda m: m.place.name if m.place else None}
    for name, get in fields.items():
        claims = {}
        for m in mentions:
            value = get(m)
            if value is not None:
                claims.setdefault(m.document, value)
        if len(set(claims.values())) > 1:
            out[name] = claims
    return out


def plain_link_aggregates(built):
    totals = [e for e in built if e.aggregate and e.lane == "violence"]
    linked = []
    for e in built:
        if not (e.aggregate or e.lane != "violence" or e.precision != "day"):
            docs = set(e.documents)
            country = e.place.country if e.place else None
            for total in totals:
                if (total.date == e.date and (total.place.country if total.place else None) == country
                        and docs & set(total.documents)):
                    e = evolve(e, part_of=total.id)
                    break
        linked.append(e)
    parts = defaultdict(list)
    for e in linked:
        if e.part_of:
            parts[e.part_of].append(e)
    return [evolve(e, checks=tuple(reconcile._check_parts(e, parts[e.id]))) if e.aggregate and e.lane == "violence"
            else e for e in linked]


def plain_order_within_days(built):
    where = {(m.document, m.start): e for e in built for m in e.mentions}
    edges = defaultdict(set)
    for e in built:
        for m in e.mentions:
            other = where.get((m.document, m.anchor_start))
            if not m.relation or other is None or other is e or other.date != e.date:
                continue
            before, after = (e, other) if m.relation == "before" else (other, e)
            edges[before.id].add(after.id)
    by_id = {e.id: e for e in built}
    order = {}
    for day_events in reconcile._group_by_day([by_id[i] for i in set(edges) | set().union(*edges.values())]):
        for position, event_id in enumerate(reconcile._topological([e.id for e in day_events], edges)):
            order[event_id] = position
    return [evolve(e, order=order[e.id]) if e.id in order else e for e in built]


def plainly(monkeypatch):
    for name, plain in (("partitions", plain_partitions), ("_type_of", plain_type_of),
                        ("discrepancies", plain_discrepancies), ("_link_aggregates", plain_link_aggregates),
                        ("_order_within_days", plain_order_within_days)):
        monkeypatch.setattr(reconcile, name, plain)


@pytest.mark.parametrize("seed, n, part_size", [(seed, n, size) for seed in range(2) for n, size in
                                                ((400, reconcile.PART_SIZE), (1_500, reconcile.PART_SIZE),
                                                 (1_500, 300))])
def test_the_shortcuts_reconcile_as_the_plain_computations(seed, n, part_size, monkeypatch):
    monkeypatch.setattr(reconcile, "PART_SIZE", part_size)  # 300: a lane cut into periods
    given = mentions(seed, n)
    fast = reconcile.reconcile(given)
    assert any(e.part_of for e in fast[0]) and any(e.order is not None for e in fast[0])
    assert any(e.discrepancies for e in fast[0])
    plainly(monkeypatch)
    assert dump(fast) == dump(reconcile.reconcile(given))


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was_found(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        reconcile.reconcile(mentions(0, 100))
        assert gc.isenabled() == enabled
        with pytest.raises(AttributeError):
            reconcile.cluster([object()])  # not a mention: fails inside the pause
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()
