"""Not the place: an event's place is where it happened, never where it was said.

tests/cases/not_the_place.yaml holds short articles (most from FA-KES, some hand-made in the style of
other wars' wire copy and press releases) whose text names a place that is NOT where anything
happened: the city of a speech clause ("told reporters in Geneva"), an organisation's seat ("the
London-based Syrian Observatory", "based in The Hague"), a word of a name that is also a town
(George Sabra, William Hague, the Baath party, the White House), a market or commodity (gold,
Brent crude) or the dateline city ("BEIRUT", "KABUL, Afghanistan (Aug. 6, 2012) —"). No event's
place may be one of the case's `not_places`; when the case gives `place`, some event of its `lane`
must be there (so dropping the place, or the event, is no fix). The control_ cases have the place
where it happened.

Every case goes through the public API, `timeline.load([<id>.txt], published=...)`, and reads
`json.loads(t.to_json())` (docs/events-json.md). A case with `xfail: "reason"` is one the tool gets
wrong today; it runs as a strict xfail, so once the tool is fixed the test fails until the mark
is removed.
"""

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml

import timeline

CASES_FILE = Path(__file__).resolve().parent / "cases" / "not_the_place.yaml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))

REQUIRED = {"id", "source", "published", "text", "not_places"}
OPTIONAL = {"place", "lane", "not_places_lane", "xfail", "note"}
LANES = {"violence", "diplomacy"}


def norm(name) -> str:
    """Compare names without case, accents, apostrophes, hyphens or a leading "the"."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[ʿʾ‘’'`]", "", text).casefold()
    text = re.sub(r"[\s_-]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def iso(value) -> str:
    """YAML reads 2016-09-05 as a date; timeline.load takes the string."""
    return value.isoformat() if isinstance(value, date) else str(value)


def describe(ev) -> str:
    place = ev.get("place") or {}
    mention = (ev.get("mentions") or [{}])[0].get("text", "")
    mention = " ".join(mention.split())
    mention = mention if len(mention) <= 110 else mention[:107] + "..."
    return (f"{ev['lane']}/{ev['type']} {ev['date']} place={place.get('name')!r} "
            f"country={place.get('country')!r} | {mention!r}")


def listing(events) -> str:
    return "\n".join(f"    {describe(ev)}" for ev in events) or "    (no events)"


def params():
    out = []
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
        out.append(pytest.param(case, id=str(case.get("id")), marks=marks))
    return out


def test_cases_are_well_formed():
    ids = [case.get("id") for case in CASES]
    assert len(ids) == len(set(ids)), f"repeated ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    bad = []
    for case in CASES:
        cid = case.get("id")
        missing = REQUIRED - set(case)
        unknown = set(case) - REQUIRED - OPTIONAL
        if missing:
            bad.append(f"{cid}: missing {sorted(missing)}")
        if unknown:
            bad.append(f"{cid}: unknown keys {sorted(unknown)}")
        if not re.fullmatch(r"[a-z0-9_]+", str(cid)):
            bad.append(f"{cid}: the id must be lower-case letters, digits and _")
        source = case.get("source")
        if not (source == "hand-made" or re.fullmatch(r"\d{10}", str(source))):
            bad.append(f"{cid}: source {source!r} is neither a FA-KES unit_id nor 'hand-made'")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso(case.get("published"))):
            bad.append(f"{cid}: published {case.get('published')!r} is not YYYY-MM-DD")
        lines = str(case.get("text", "")).split("\n")
        if len(lines) < 3 or not lines[0].strip() or lines[1].strip() or not lines[2].strip():
            bad.append(f"{cid}: the text must be a title line, a blank line, then the sentences")
        nots = case.get("not_places")
        if not isinstance(nots, list) or not nots or not all(isinstance(n, str) for n in nots):
            bad.append(f"{cid}: not_places must be a non-empty list of names")
        if "place" in case:
            place = case["place"]
            if not isinstance(place, list) or not place:
                bad.append(f"{cid}: place must be a non-empty list of names")
            if case.get("lane") not in LANES:
                bad.append(f"{cid}: a case with place needs lane (violence or diplomacy)")
        elif "lane" in case:
            bad.append(f"{cid}: lane without place")
        if "not_places_lane" in case and case["not_places_lane"] not in LANES:
            bad.append(f"{cid}: not_places_lane must be violence or diplomacy")
        if "xfail" in case and not str(case["xfail"]).strip():
            bad.append(f"{cid}: xfail needs a reason")
    assert not bad, "\n".join(bad)


def test_the_corpus_has_controls_and_several_sources():
    controls = [c for c in CASES if str(c["id"]).startswith("control_")]
    assert len(controls) >= 5 and all("place" in c for c in controls)
    assert sum(c["source"] != "hand-made" for c in CASES) > len(CASES) / 2, "mostly real FA-KES text"
    assert any(c["source"] == "hand-made" for c in CASES)


@pytest.mark.parametrize("case", params())
def test_not_the_place(case, tmp_path):
    path = tmp_path / f"{case['id']}.txt"
    path.write_text(case["text"], encoding="utf-8")
    t = timeline.load([path], published=iso(case["published"]))
    events = json.loads(t.to_json())["events"]
    nots = {norm(n) for n in case["not_places"]}
    problems = []

    checked = [ev for ev in events
               if not case.get("not_places_lane") or ev["lane"] == case["not_places_lane"]]
    for ev in checked:
        place = ev.get("place") or {}
        hits = [v for v in (place.get("name"), place.get("country")) if v and norm(v) in nots]
        if hits:
            problems.append(f"placed in {hits[0]!r}, which the text does not say it happened in: "
                            f"{describe(ev)}")

    if case.get("place"):
        want = {norm(p) for p in case["place"]}
        lane = case["lane"]
        if not any(ev["lane"] == lane and norm((ev.get("place") or {}).get("name") or "") in want
                   for ev in events):
            problems.append(f"no {lane} event placed in any of {case['place']}")

    where = f" ({case['not_places_lane']} events)" if case.get("not_places_lane") else ""
    assert not problems, (
        f"{case['id']} (source {case['source']}): " + "; ".join(problems)
        + f"\n  not_places{where}: {case['not_places']}"
        + (f"\n  place ({case['lane']}): {case['place']}" if case.get("place") else "")
        + f"\n  events:\n{listing(events)}")
