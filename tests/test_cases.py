"""Table-driven cases for the two reading stages, run through the public API only.

- tests/cases/extract.yaml: one short article -> the events it yields;
- tests/cases/reconcile.yaml: several articles -> the events after reconciliation.

Every case goes through `timeline.load([...])` and reads `json.loads(t.to_json())`, the events
JSON contract (docs/events-json.md), so the cases do not depend on the package's internals.

An expected event is a partial dict: only the fields it lists are checked (see FIELDS). Expected
events are matched to actual ones by (lane, type, date), then the other fields are compared. A
case with `xfail: "reason"` records a known weakness: its expectation is the correct output, which
the tool does not give yet; it runs as a strict xfail, so when the tool is fixed the test fails
until the mark is removed.

Reconcile cases are written as one .jsonl corpus (columns id, title, text, published, outlet),
read with `date_column="published", outlet_column="outlet"`: that is how the public API gives each
document its own publication date and outlet (a .txt file can have neither).
"""

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

import timeline

CASES_DIR = Path(__file__).resolve().parent / "cases"
EXTRACT = yaml.safe_load((CASES_DIR / "extract.yaml").read_text(encoding="utf-8"))
RECONCILE = yaml.safe_load((CASES_DIR / "reconcile.yaml").read_text(encoding="utf-8"))

# No `slow` marker: these tests belong to the quick tier (`python -m pytest -m "not slow"`); all of
# them together take a few seconds.

# Fields an expected event may list, with how each is compared.
#   lane, type, date, date_end, precision: equal (dates as YYYY-MM-DD)
#   place: the place's name (null: no place; a list: any of these names)
#   detail, country: place.detail, place.country
#   killed, injured: null, or a dict with some of low/best/high
#   actors: the same set of actors
#   aggregate: true/false
#   qualifier: one of the mentions has this qualifier (exact, at least, about, vague)
#   mentions: the number of mentions
#   documents (reconcile): the set of documents whose mentions make up the event
#   ref, part_of (reconcile): `ref` names an expected event; `part_of: <ref>` says the event is
#       part_of that one's total (`part_of: null`: part of none)
FIELDS = {"lane", "type", "date", "date_end", "precision", "place", "detail", "country", "killed",
          "injured", "actors", "aggregate", "qualifier", "mentions", "documents", "ref", "part_of"}
MATCH_KEYS = ("lane", "type", "date")
EXTRACT_KEYS = {"required": {"id", "text", "published"},
                "optional": {"expect", "expect_none", "count", "unresolved", "document_published",
                             "xfail", "note"}}
RECONCILE_KEYS = {"required": {"id", "documents", "expect"},
                  "optional": {"count", "killed_by_day", "xfail", "note"}}
DOCUMENT_KEYS = {"required": {"text", "published"}, "optional": {"outlet"}}


def iso(value):
    """YAML reads 2016-09-05 as a date; the JSON has strings. Dates in dicts and lists too."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso(v) for v in value]
    return value


def params(cases):
    out = []
    for case in cases:
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


# ---------------------------------------------------------------------------------------------
# Comparing events


def describe(ev) -> str:
    place = ev["place"]["name"] if ev["place"] else None
    killed = ev["killed"] and "{low}-{best}-{high}".format(**ev["killed"])
    docs = sorted({m["document"] for m in ev["mentions"]})
    span = ev["date"] + (f"..{ev['date_end']}" if ev["date_end"] else "")
    extra = " agg" if ev["aggregate"] else ""
    extra += f" part_of={ev['part_of']}" if ev["part_of"] else ""
    return (f"{ev['id']}: {ev['lane']}/{ev['type']} {span} place={place!r} killed={killed}{extra} "
            f"actors={ev['actors']} docs={docs}")


def listing(events) -> str:
    return "\n".join(f"    {describe(ev)}" for ev in events) or "    (no events)"


def mismatches(exp: dict, ev: dict) -> list[str]:
    """What differs between the expected partial event and an actual event (part_of aside)."""
    bad = []

    def differ(field, want, got):
        bad.append(f"{field}: expected {want!r}, got {got!r}")

    place = ev["place"] or {}
    for field, want in exp.items():
        if field in ("ref", "part_of"):
            continue
        want = iso(want)
        if field in ("lane", "type", "date", "date_end", "precision", "aggregate"):
            if ev[field] != want:
                differ(field, want, ev[field])
        elif field == "place":
            got = place.get("name")
            if not (got in want if isinstance(want, list) else got == want):
                differ(field, want, got)
        elif field in ("detail", "country"):
            if place.get(field) != want:
                differ(field, want, place.get(field))
        elif field in ("killed", "injured"):
            got = ev.get(field)
            if want is None or got is None:
                if want != got:
                    differ(field, want, got)
            elif any(got.get(k) != v for k, v in want.items()):
                differ(field, want, {k: got.get(k) for k in want})
        elif field == "actors":
            if sorted(ev["actors"]) != sorted(want):
                differ(field, sorted(want), sorted(ev["actors"]))
        elif field == "qualifier":
            got = sorted({str(m.get("qualifier")) for m in ev["mentions"]})
            if want not in got:
                differ(field, want, got)
        elif field == "mentions":
            if len(ev["mentions"]) != want:
                differ(field, want, len(ev["mentions"]))
        elif field == "documents":
            got = sorted({m["document"] for m in ev["mentions"]})
            if got != sorted(set(want)):
                differ(field, sorted(set(want)), got)
        else:
            raise AssertionError(f"unknown field {field!r} in expected event {exp}")
    return bad


def match(expected: list[dict], events: list[dict]):
    """Pair each expected event with an actual one of the same (lane, type, date): first the
    pairs where everything matches, then the closest. Returns ({index: event}, [failures])."""
    def keyed(exp, ev):
        return all(iso(exp[k]) == ev[k] for k in MATCH_KEYS if k in exp)

    chosen, used, failures = {}, set(), []
    for exact in (True, False):
        for i, exp in enumerate(expected):
            if i in chosen:
                continue
            candidates = [(len(mismatches(exp, ev)), n) for n, ev in enumerate(events)
                          if n not in used and keyed(exp, ev)]
            if exact:
                candidates = [c for c in candidates if c[0] == 0]
            if candidates:
                _, n = min(candidates)
                chosen[i] = events[n]
                used.add(n)
    for i, exp in enumerate(expected):
        if i not in chosen:
            key = {k: iso(exp[k]) for k in MATCH_KEYS if k in exp}
            failures.append(f"no event matches {key} (expected {iso(exp)})")
        else:
            failures += [f"event {key_of(exp)}: {m}" for m in mismatches(exp, chosen[i])]
    return chosen, failures


def key_of(exp: dict) -> str:
    return "/".join(str(iso(exp[k])) for k in MATCH_KEYS if k in exp)


def check_links(expected: list[dict], chosen: dict) -> list[str]:
    ids = {exp["ref"]: chosen[i]["id"] for i, exp in enumerate(expected) if "ref" in exp and i in chosen}
    failures = []
    for i, exp in enumerate(expected):
        if "part_of" not in exp or i not in chosen:
            continue
        want = exp["part_of"]
        if want is not None and want not in ids:
            failures.append(f"event {key_of(exp)}: part_of names {want!r}, which matched no event")
            continue
        got = chosen[i]["part_of"]
        if got != (ids[want] if want is not None else None):
            failures.append(f"event {key_of(exp)}: expected part_of {want!r} ({ids.get(want)}), got {got!r}")
    return failures


def check_counts(case: dict, out: dict) -> list[str]:
    events, failures = out["events"], []
    count = case.get("count")
    if isinstance(count, int) and len(events) != count:
        failures.append(f"expected {count} events, got {len(events)}")
    elif isinstance(count, dict):
        for lane, n in count.items():
            got = sum(ev["lane"] == lane for ev in events)
            if got != n:
                failures.append(f"expected {n} {lane} events, got {got}")
    if case.get("expect_none") and events:
        failures.append(f"expected no events, got {len(events)}")
    if "unresolved" in case and len(out["unresolved"]) != case["unresolved"]:
        failures.append(f"expected {case['unresolved']} unresolved, got {out['unresolved']}")
    for day, want in (case.get("killed_by_day") or {}).items():
        got = sum(ev["killed"]["best"] for ev in events
                  if ev["date"] == iso(day) and ev["killed"] and not ev["part_of"])
        if got != want:
            failures.append(f"{iso(day)}: the day counts {got} killed (events not part_of a total), "
                            f"expected {want}")
    return failures


def verdict(case: dict, out: dict, failures: list[str]) -> None:
    assert not failures, (f"case {case['id']}:\n  " + "\n  ".join(failures)
                          + "\n  actual events (lane/type date place killed):\n" + listing(out["events"])
                          + (f"\n  unresolved: {out['unresolved']}" if out["unresolved"] else ""))


# ---------------------------------------------------------------------------------------------
# The cases


@pytest.mark.parametrize("case", params(EXTRACT))
def test_extract(case, tmp_path):
    path = tmp_path / f"{case['id']}.txt"
    path.write_text(case["text"], encoding="utf-8")
    out = json.loads(timeline.load([path], published=iso(case["published"])).to_json())
    failures = check_counts(case, out)
    if "document_published" in case:
        got = out["documents"][0]["published"]
        if got != iso(case["document_published"]):
            failures.append(f"document published: expected {iso(case['document_published'])}, got {got}")
    failures += match(case.get("expect") or [], out["events"])[1]
    verdict(case, out, failures)


@pytest.mark.parametrize("case", params(RECONCILE))
def test_reconcile(case, tmp_path):
    path = tmp_path / f"{case['id']}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for doc_id, doc in case["documents"].items():
            text = doc["text"]
            f.write(json.dumps({"id": doc_id, "title": text.strip().split("\n", 1)[0], "text": text,
                                "published": iso(doc["published"]), "outlet": doc.get("outlet", "")}) + "\n")
    out = json.loads(timeline.load([path], date_column="published", outlet_column="outlet").to_json())
    failures = []
    documents = {d["id"]: d for d in out["documents"]}
    if set(documents) != set(case["documents"]):
        failures.append(f"documents read: {sorted(documents)}, expected {sorted(case['documents'])}")
    failures += check_counts(case, out)
    chosen, matched = match(case["expect"], out["events"])
    failures += matched + check_links(case["expect"], chosen)
    verdict(case, out, failures)


def check_keys(where: str, given: dict, keys: dict) -> list[str]:
    problems = [f"{where}: missing {k!r}" for k in sorted(keys["required"] - set(given))]
    problems += [f"{where}: unknown key {k!r}" for k in sorted(set(given) - keys["required"] - keys["optional"])]
    return problems


def test_cases_are_well_formed():
    problems, seen = [], set()
    for name, cases, keys in (("extract", EXTRACT, EXTRACT_KEYS), ("reconcile", RECONCILE, RECONCILE_KEYS)):
        assert isinstance(cases, list) and cases, f"{name}.yaml holds no cases"
        for case in cases:
            where = f"{name}:{case.get('id')}"
            problems += check_keys(where, case, keys)
            if case.get("id") in seen:
                problems.append(f"{where}: id used twice")
            seen.add(case.get("id"))
            if not re.fullmatch(r"[a-z0-9_]+", str(case.get("id"))):
                problems.append(f"{where}: the id must be lower-case letters, digits and _ (it names files)")
            if "xfail" in case and not (isinstance(case["xfail"], str) and case["xfail"].strip()):
                problems.append(f"{where}: xfail must give the reason")
            expect = case.get("expect")
            if name == "extract":
                if not expect and not case.get("expect_none"):
                    problems.append(f"{where}: give `expect` or `expect_none: true`")
                if expect and case.get("expect_none"):
                    problems.append(f"{where}: both `expect` and `expect_none`")
                if case.get("text") and not case["text"].strip().split("\n", 1)[0].strip():
                    problems.append(f"{where}: the text must start with its title line")
            else:
                for doc_id, doc in (case.get("documents") or {}).items():
                    problems += check_keys(f"{where}/{doc_id}", doc, DOCUMENT_KEYS)
                if not (isinstance(case.get("documents"), dict) and len(case["documents"]) >= 1):
                    problems.append(f"{where}: `documents` must map ids to documents")
            for exp in expect or []:
                problems += [f"{where}: unknown field {f!r} in {exp}" for f in sorted(set(exp) - FIELDS)]
                if not set(MATCH_KEYS) & set(exp):
                    problems.append(f"{where}: expected event {exp} names none of {MATCH_KEYS}")
    assert not problems, "\n".join(problems)
