"""Integrity of the vocabulary in timeline/data: ids unique, every rule's examples fire."""

import re
from datetime import date

import pytest

from timeline import calendar, clean, extract, places, timex, tolls, lexicon

TIMEX_RULES = lexicon.load("timex_rules.yaml")["rules"]
EVENT_TYPES = lexicon.load("event_types.yaml")["types"]


@pytest.mark.parametrize("name,key", [("timex_rules.yaml", "rules"), ("event_types.yaml", "types"),
                                      ("boilerplate.yaml", "rules"), ("calendar.yaml", "events"),
                                      ("outlets.yaml", "outlets")])
def test_ids_are_unique(name, key):
    ids = [item["id"] for item in lexicon.load(name)[key]]
    assert len(ids) == len(set(ids)), name


def _value(t):
    if t.anchor in ("event", "previous date") and t.offset_days is not None:
        if t.offset_days == 0:
            return "anchor:same"
        return f"anchor:{'+' if t.offset_days > 0 else '-'}P{abs(t.offset_days)}D"
    return t.value


@pytest.mark.parametrize("rule", TIMEX_RULES, ids=[r["id"] for r in TIMEX_RULES])
def test_timex_rule_examples_fire(rule):
    assert rule["examples"], "every rule has examples"
    for text, dct, expected, *order in rule["examples"]:
        found = timex.find(text, date.fromisoformat(dct), order[0] if order else None)
        mine = [t for t in found if t.rule == rule["id"]]
        assert mine, f"{rule['id']} did not fire on {text!r}: {found}"
        assert _value(mine[0]) == expected, (text, mine[0])
        if expected is None:
            assert len(mine[0].alternatives) == 2, "an undecided reading lists both readings"


@pytest.mark.parametrize("etype", EVENT_TYPES, ids=[t["id"] for t in EVENT_TYPES])
def test_event_type_examples_are_read_as_that_type(etype):
    assert etype["lane"] in ("violence", "diplomacy")
    for example in etype["examples"]:
        found = extract._event_type(example, 0, len(example))
        assert found is not None and found[0] == etype["id"], (example, found and found[0])
    for example in etype.get("not_examples", []):
        found = extract._event_type(example, 0, len(example))
        assert found is None or found[0] != etype["id"], example


@pytest.mark.parametrize("example", lexicon.load("tolls.yaml")["examples"], ids=lambda e: e[0][:30])
def test_toll_examples(example):
    text, killed, qualifier, injured = example
    toll = tolls.read(text)
    assert (toll.killed.low if toll.killed else None) == killed
    assert (toll.killed.qualifier if toll.killed else None) == qualifier
    assert (toll.injured.low if toll.injured else None) == injured


@pytest.mark.parametrize("rule", lexicon.load("boilerplate.yaml")["rules"], ids=lambda r: r["id"])
def test_boilerplate_examples_are_masked(rule):
    for example in rule["examples"]:
        removed = [r for r in clean.find_boilerplate(example) if r.rule == rule["id"]]
        assert removed, (rule["id"], example)
    for kept in rule.get("keeps", []):
        assert not [r for r in clean.find_boilerplate(kept) if r.rule == rule["id"]], (rule["id"], kept)


@pytest.mark.parametrize("kind", ["habitual", "condemnation", "accusation", "irrealis", "intent"])
def test_cue_examples_match(kind):
    data = lexicon.load("cues.yaml")[kind]
    for example in data["examples"]:
        assert extract.cues()[kind].search(example), example


def test_calendar_is_well_formed_and_complete():
    events = calendar.events()
    assert all(e.start <= e.end for e in events)
    g20_years = sorted({e.start.year for e in events if e.id.startswith("g20-")})
    assert g20_years == list(range(2008, 2026))
    assert any(e.id.startswith("astana") for e in events) and any(e.id.startswith("geneva") for e in events)
    assert any(e.id.startswith("vienna") for e in events)
    for e in events:
        assert e.match and all(e.match), e.id


def test_calendar_matching_needs_the_words_close_together():
    named = calendar.named_in("on the sidelines of the G20 summit in Hangzhou, China")
    assert [e.id for e in named] == ["g20-2016-hangzhou"]
    far = "G20 leaders gathered. " + "Filler text. " * 40 + "Hangzhou is a city."
    assert calendar.named_in(far) == []


def test_outlet_orders_and_layouts_compile():
    for outlet in lexicon.load("outlets.yaml")["outlets"]:
        assert outlet["date_order"] in ("DMY", "MDY")
        for pattern in outlet.get("layout") or []:
            re.compile(pattern)


@pytest.mark.parametrize("variants,expected", [
    (["Tartus", "Tartous", "Ţarţūs"], "Tartus"),
    (["Hasakah", "Hassakah", "al-Hassakeh", "Hasakeh"], "Hasakah"),
    (["Homs"], "Homs"), (["Jarablus"], "Jarabulus"), (["Idlib", "Idleb"], "Idlib"),
])
def test_gazetteer_resolves_spelling_variants(variants, expected):
    for name in variants:
        place = places.lookup(name, ["SY"])
        assert place is not None and place["country_code"] == "SY", name
        assert places.public(place, None)["name"] == expected


def test_homs_ranks_by_country_context():
    assert places.lookup("Homs", ["SY"])["country_code"] == "SY"
    assert places.lookup("Homs", ["LY"])["country_code"] in ("LY", "SY")


PATTERNS = lexicon.load("patterns.yaml")["patterns"]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_phrase_patterns_match_their_examples(name):
    pattern = lexicon.pattern(name)
    for example in PATTERNS[name]["examples"]:
        assert pattern.search(example), (name, example)
    for example in PATTERNS[name].get("non_examples", []):
        assert not pattern.search(example), (name, example)


@pytest.mark.parametrize("name,key", [("actors.yaml", "actors"), ("sources.yaml", "sources")])
def test_alias_tables_are_consistent(name, key):
    entries = lexicon.load(name)[key]
    names = [e["name"] for e in entries]
    assert len(names) == len(set(names)), name
    seen = {}
    for e in entries:
        assert e["aliases"], e["name"]
        for alias in e["aliases"]:
            assert seen.setdefault(str(alias), e["name"]) == e["name"], f"{alias} names two entries"


def test_actor_aliases_resolve():
    pattern, canon = extract.actors()
    for text, expected in [("ISIS claimed it", "Islamic State"), ("Daesh fighters", "Islamic State"),
                           ("Kerry met", "John Kerry"), ("Lavrov said", "Sergey Lavrov"),
                           ("the Syrian army advanced", "Syrian army")]:
        m = pattern.search(text)
        assert m and extract._canonical(canon, m.group(0)) == expected, text


def test_locative_cues_cover_the_locative_examples():
    """places tests a cue word before running locative_before: every example must pass that test."""
    cues = set(lexicon.load("places_extra.yaml")["locative_cues"])
    for example in PATTERNS["locative_before"]["examples"]:
        assert cues & {w.lower() for w in example.split()[-6:]}, example


def test_word_lists_hold_words():
    """A bare on, off, yes or no in YAML is a boolean, not a word."""
    data = lexicon.load("places_extra.yaml")
    for key in ("locative_cues", "part_nouns", "region_words", "place_suffixes", "not_places", "detail_nouns"):
        assert all(isinstance(w, str) for w in data[key]), key
