"""Reconciling partition by partition (lane × period): the partitions the local run and the Dask
engine both cluster, and what cutting periods keeps."""

import json
import sys
from collections import Counter

from conftest import ROOT, SEEDS, run_cli
from timeline import reconcile
from timeline.records import Mention

sys.path.insert(0, str(ROOT / "benchmarks"))
import reconcile_scale  # noqa: E402


def seeds_mentions():
    events = json.loads(run_cli("extract", SEEDS, check=0).stdout)["events"]
    return [Mention.from_dict(m) for e in events for m in e["mentions"]]


def dump(result):
    events, unresolved = result
    return json.dumps([e.to_dict() for e in events]), unresolved


def test_small_inputs_are_one_partition_per_lane():
    parts = reconcile.partitions(seeds_mentions())
    assert [{m.lane for m in part} for part in parts] == [{"diplomacy"}, {"violence"}]


def test_a_large_lane_is_cut_into_periods_of_whole_days(monkeypatch):
    monkeypatch.setattr(reconcile, "PART_SIZE", 2_000)
    mentions = reconcile_scale.synthetic(12_000)
    parts = reconcile.partitions(mentions)
    assert sum(len(p) for p in parts) == len(mentions)
    per_day = Counter(m.date for m in mentions)
    busiest_week = 7 * max(per_day.values())
    spans = {}
    for part in parts:
        lanes = {m.lane for m in part}
        assert len(lanes) == 1
        assert len(part) <= reconcile.PART_SIZE + busiest_week
        spans.setdefault(lanes.pop(), []).append((min(m.date for m in part), max(m.date for m in part)))
    for lane, periods in spans.items():
        assert len(periods) >= 3, lane
        periods.sort()
        assert all(a[1] < b[0] for a, b in zip(periods, periods[1:])), "periods do not overlap: a day is in one"
    position = {id(m): i for i, m in enumerate(mentions)}
    for part in parts:  # mentions keep their input order inside a partition
        order = [position[id(m)] for m in part]
        assert order == sorted(order)


def test_partitions_finished_in_any_order_give_one_result(monkeypatch):
    monkeypatch.setattr(reconcile, "PART_SIZE", 1_500)
    mentions = reconcile_scale.synthetic(6_000)
    parts = [reconcile.cluster_part(p) for p in reconcile.partitions(mentions)]
    assert len(parts) > 4
    assert dump(reconcile.finish(parts)) == dump(reconcile.finish(parts[::-1])) == dump(reconcile.reconcile(mentions))


def test_below_the_partition_size_nothing_changes():
    """Seeds and every real corpus so far are below PART_SIZE per lane: one partition per lane,
    which clusters exactly as one clustering of all mentions did (the seeds' golden file and
    FA-KES stay byte-identical: tests/test_cases.py, benchmarks)."""
    mentions = seeds_mentions()
    whole = reconcile.finish([reconcile.cluster_part([m for m in mentions if m.date])])
    assert dump(whole) == dump(reconcile.reconcile(mentions))


def test_evolve_copies_records_as_dataclasses_replace_does():
    """reconcile copies events with records.evolve (replace() was a tenth of its time): the same
    record, the original untouched, for every record type it is used on."""
    import dataclasses

    from timeline import pipeline, records

    event = next(e for e in pipeline.run([str(SEEDS)]).events if e.place)
    for record, changes in ((event, {"id": "ev-x", "order": 2, "summary": "s"}), (event.place, {"detail": None})):
        copy = records.evolve(record, **changes)
        assert copy == dataclasses.replace(record, **changes) and copy is not record
        assert all(getattr(record, k) != v for k, v in changes.items() if getattr(record, k) is not None)
