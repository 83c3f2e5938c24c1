"""The plans of hot patterns (timeline/plans.py) are kept in the cache folder and read back by the
next process: it reads alike, without working them out again; a damaged file is ignored."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS
from timeline import cachedir, lexicon, plans


@pytest.fixture
def store(tmp_path, monkeypatch):
    """plans with an empty cache folder of its own, as in a new process."""
    monkeypatch.setenv(cachedir.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(plans, "_known", None)
    monkeypatch.setattr(plans, "_added", False)
    return tmp_path / "cache"


def hot_patterns() -> list:
    """The phrase patterns of patterns.yaml as the reader wraps them."""
    out = []
    for name, entry in lexicon.load("patterns.yaml")["patterns"].items():
        source = entry["pattern"]
        out.append(lexicon.Caseless(source) if source.startswith("(?i)") else lexicon.Skipping(re.compile(source)))
    return [p for p in out if p.twin is not None]


def reload(monkeypatch) -> None:
    monkeypatch.setattr(plans, "_known", None)  # the next process: reads the file again


def test_plans_read_back_are_the_plans_worked_out(store, monkeypatch):
    patterns = hot_patterns()
    described = {p.twin.pattern: p._describe() for p in patterns}
    assert sum(d is not None for d in described.values()) >= 10
    for p in patterns:
        p._plan = p._analyse()  # works each plan out and keeps it
    plans.save()
    reload(monkeypatch)
    monkeypatch.setattr(lexicon.Skipping, "_describe", lambda self: pytest.fail("worked out again"))
    for p in patterns:
        assert plans.get(p.twin.pattern, p.twin.flags) == described[p.twin.pattern]
        fresh = type(p).__new__(type(p))
        fresh.__dict__.update(p.__dict__)
        plan = fresh._analyse()
        assert [x and x.pattern for x in plan] == [x and x.pattern for x in p._plan]


def test_a_damaged_or_foreign_file_is_ignored(store, monkeypatch):
    store.mkdir(parents=True)
    for content in ("{not json", "[1, 2]", json.dumps({"0:x": {"lead": "yes"}}), "\x00" * 10):
        plans.path().write_text(content)
        reload(monkeypatch)
        assert plans.get("x", 0) is plans.MISSING
    sound = {"lead": True, "kept": None, "screen": None, "starter": "\n", "fallback": False}
    plans.path().write_text(json.dumps({"0:x": sound, "0:y": {**sound, "extra": 1}, "0:z": None}))
    reload(monkeypatch)
    assert (plans.get("x", 0), plans.get("y", 0), plans.get("z", 0)) == (sound, plans.MISSING, None)


def test_saving_never_raises_where_nothing_can_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(cachedir.CACHE_ENV, str(blocker / "cache"))  # under a file: no folder can be made
    monkeypatch.setattr(plans, "_known", None)
    monkeypatch.setattr(plans, "_added", False)
    plans.put("x", 0, None)
    plans.save()
    assert not list(tmp_path.glob("**/plans-*"))


def test_a_second_process_reads_the_first_ones_plans_and_reads_alike(tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    corpus = tmp_path / "corpus.csv"
    with corpus.open("w", newline="", encoding="utf-8") as fh:  # enough copies for patterns to get hot
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        writer.writerows([f"{n}-{i}", text] for n in range(40) for i, text in enumerate(texts))
    env = dict(os.environ, TIMELINE_CACHE_DIR=str(tmp_path / "cache"))

    def extract():
        return subprocess.run([sys.executable, str(ROOT / "cli.py"), "extract", str(corpus), "-q"], env=env,
                              capture_output=True, text=True, timeout=300, check=True).stdout

    first = extract()
    [file] = (tmp_path / "cache").glob("plans-*.json")
    assert len(json.loads(file.read_text())) >= 10
    written = file.stat().st_mtime_ns
    assert extract() == first
    assert file.stat().st_mtime_ns == written  # the second process made no plan of its own


def test_a_file_past_its_bound_keeps_the_plans_of_the_last_run(store, monkeypatch):
    store.mkdir(parents=True)
    plans.path().write_text(json.dumps({"0:a": None, "0:b": None, "0:c": None}))
    monkeypatch.setattr(plans, "MAX_PLANS", 3)
    monkeypatch.setattr(plans, "_used", set())
    assert plans.get("a", 0) is None and plans.get("d", 0) is plans.MISSING
    plans.put("d", 0, None)
    plans.save()
    assert json.loads(plans.path().read_text()) == {"0:a": None, "0:d": None}


def test_a_pattern_whose_plan_is_kept_is_planned_after_fewer_uses(store):
    source = r"(?<!\w)(?:have all seen|has seen repeated|repeatedly)(?!\w)"
    text = "They have seen it; it has all been seen repeatedly, and they have all seen it."
    kept, unknown = lexicon.Skipping(re.compile(source)), lexicon.Skipping(re.compile(source + "|x{9}"))
    plans.put(source, kept.twin.flags, kept._describe())
    for _ in range(lexicon.KNOWN_USES - 1):
        kept.search(text), unknown.search(text)
    assert kept._plan is None
    kept.search(text), unknown.search(text)
    assert kept._plan is not None and unknown._plan is None
    for _ in range(lexicon.HOT_USES - lexicon.KNOWN_USES):
        unknown.search(text)
    assert unknown._plan is not None


def test_the_plans_of_older_code_are_cleared_away(store):
    store.mkdir(parents=True)
    for n in range(5):
        (store / f"plans-old{n}.json").write_text("{}")
        os.utime(store / f"plans-old{n}.json", (n, n))
    plans.put("x", 0, None)
    plans.save()
    assert sorted(p.name for p in store.glob("plans-*.json")) == sorted([plans.path().name, "plans-old4.json",
                                                                       "plans-old3.json"])
