"""Reconciling sources: one event per real-world event, ledgers, ranges, totals, order, ids."""

import csv

import pytest

import timeline
from conftest import FAKES, SEEDS, need_fakes
from timeline import reconcile

COLUMNS = dict(id_column="unit_id", title_column="article_title", text_column="article_content",
               outlet_column="source")


def contract(t):
    """The events of a Timeline in the JSON contract's shape."""
    return [e.to_dict() for e in t.records]


@pytest.fixture(scope="module")
def seeds():
    return contract(timeline.load([SEEDS]))


def by_place(events, name, lane="violence", aggregate=False):
    found = [e for e in events if e["lane"] == lane and (e["place"] or {}).get("name") == name
             and e["aggregate"] is aggregate]
    assert len(found) == 1, [(e["summary"]) for e in events]
    return found[0]


def ledger(event):
    return sorted((m["document"][:3], m["killed"]) for m in event["mentions"] if m["killed"] is not None)


def test_seeds_give_exactly_the_eight_events(seeds):
    assert len(seeds) == 8
    assert sorted(e["lane"] for e in seeds) == ["diplomacy"] * 2 + ["violence"] * 6
    assert len({e["id"] for e in seeds}) == 8


@pytest.mark.parametrize("place,k000,k003", [("Tartus", 30, 38), ("Homs", 4, 4), ("Damascus", 1, 3),
                                             ("Hasakah", 5, 8)])
def test_local_events_carry_both_outlets(seeds, place, k000, k003):
    e = by_place(seeds, place)
    assert e["date"] == "2016-09-05"
    assert ledger(e) == [("000", k000), ("003", k003)]
    assert e["killed"] == {"low": min(k000, k003), "best": min(k000, k003), "high": max(k000, k003)}


def test_the_total_is_an_aggregate_its_parts_point_to(seeds):
    total = by_place(seeds, "Syria", aggregate=True)
    assert ledger(total) == [("000", 40), ("003", 53)]
    parts = [e for e in seeds if e.get("part_of") == total["id"]]
    assert {e["place"]["name"] for e in parts} == {"Tartus", "Homs", "Damascus", "Hasakah"}
    assert [(c["document"][:3], c["total"], c["parts"], c["consistent"]) for c in total["checks"]] == [
        ("000", 40, 40, True), ("003", 53, 53, True)]


def test_day_total_counts_each_death_once(seeds):
    assert reconcile.day_totals(timeline.load([SEEDS]).records)["2016-09-05"] == {"low": 40, "high": 53, "events": 1}


def test_diplomacy_events_stay_apart(seeds):
    kerry = [e for e in seeds if "John Kerry" in e["actors"]]
    obama = [e for e in seeds if "Barack Obama" in e["actors"]]
    assert len(kerry) == 1 and len(obama) == 1 and kerry[0] is not obama[0]
    assert kerry[0]["date"] == "2016-09-04" and obama[0]["date"] == "2016-09-05"
    assert kerry[0]["place"]["name"] == obama[0]["place"]["name"] == "Hangzhou"


def test_siege_the_day_before(seeds):
    siege = by_place(seeds, "Aleppo")
    assert siege["date"] == "2016-09-04" and siege["type"] == "siege"


def test_order_within_the_day(seeds):
    tartus, homs = by_place(seeds, "Tartus"), by_place(seeds, "Homs")
    assert tartus["order"] is not None and homs["order"] is not None
    assert tartus["order"] < homs["order"], "Homs was 'shortly after the Tartus bombings'"


def test_discrepancies_name_each_outlets_claim(seeds):
    tartus = by_place(seeds, "Tartus")
    assert tartus["discrepancies"]["killed"] == {"000_0e2d6fac08845090": 30, "003_64b11752b0c503c2": 38}
    assert "killed" not in by_place(seeds, "Homs")["discrepancies"]


def test_place_gaps_filled_with_attribution(seeds):
    obama = [e for e in seeds if "Barack Obama" in e["actors"]][0]
    named = [m for m in obama["mentions"] if m["place"]]
    unnamed = [m for m in obama["mentions"] if not m["place"]]
    assert named and unnamed, "one outlet names Hangzhou, the other does not"
    assert all(m["place"]["name"] == "Hangzhou" for m in named)


def trt_row(tmp_path):
    need_fakes()
    with FAKES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    row = [r for r in rows if r["unit_id"] == "1924058093"]
    path = tmp_path / "trt.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(row)
    return path


def test_a_third_outlet_merges_into_the_same_events(tmp_path, seeds):
    merged = contract(timeline.load([SEEDS, trt_row(tmp_path)], **COLUMNS))
    before = {e["id"] for e in seeds}
    after = {e["id"]: e for e in merged}
    assert before <= set(after), "existing ids are kept"
    total = after[by_place(seeds, "Syria", aggregate=True)["id"]]
    claims = {(m["document"], m["killed"]) for m in total["mentions"] if m["killed"]}
    assert sorted(k for _, k in claims) == [40, 42, 53], "three outlets, three figures"
    assert (total["killed"]["low"], total["killed"]["high"]) == (40, 53)
    for place in ("Tartus", "Homs", "Damascus", "Hasakah"):
        docs = {m["document"] for m in after[by_place(seeds, place)["id"]]["mentions"]}
        assert "1924058093" in docs, place
    new = [e for e in merged if e["id"] not in before]
    assert all(e["date"] != "2016-09-05" or e["lane"] != "violence" for e in new), \
        "no second copy of the 5 September attacks"


def test_an_unrelated_article_does_not_change_ids(tmp_path, seeds):
    other = tmp_path / "other.txt"
    other.write_text("Clashes in Idlib\n\nDate of publication 12 March 2017 Heavy clashes killed 12 fighters in Idlib.\n")
    merged = contract(timeline.load([SEEDS, other]))
    assert {e["id"] for e in seeds} < {e["id"] for e in merged}


def test_same_inputs_same_ids(seeds):
    assert [e.id for e in timeline.load([SEEDS]).records] == [e["id"] for e in seeds]
