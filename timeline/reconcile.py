"""reconcile: mentions -> events, with stable ids, toll ranges and a per-source ledger.

This first version keeps one event per mention; clustering across outlets comes with the
reconciliation issue. Ids already depend only on content, so they stay stable as it grows.
"""

from __future__ import annotations

import hashlib
import statistics

from timeline import timex, vocab


def events(mentions: list[dict]) -> list[dict]:
    """Events from mention records (model.mention_record), sorted by date then id."""
    out = [_event([m]) for m in mentions if m.get("date")]
    _assign_ids(out)
    return sorted(out, key=sort_key)


def sort_key(e: dict):
    return (e.get("date") or "9999", e.get("order") if e.get("order") is not None else 99, e["lane"], e["id"])


def _event(group: list[dict]) -> dict:
    first = group[0]
    span = timex.value_span(first["date"])
    return {
        "id": None, "lane": first["lane"], "type": first["type"],
        "date": span[0].isoformat() if span else first["date"],
        "date_end": span[1].isoformat() if span and span[1] != span[0] else None,
        "precision": first["precision"], "order": None, "place": first["place"],
        "actors": sorted({a for m in group for a in m["actors"]}),
        "killed": toll_range(group, "killed"), "injured": toll_range(group, "injured"),
        "aggregate": any(m["aggregate"] for m in group), "part_of": None,
        "summary": summary(first, group), "mentions": group,
    }


def toll_range(group: list[dict], kind: str) -> dict | None:
    """low: the conservative figure; high: the largest claim; best: the median of the specific
    (non-vague) figures, or low when only vague ones exist."""
    figures = [(m[kind], m.get(f"{kind}_high") or m[kind], m["qualifier"]) for m in group if m.get(kind) is not None]
    if not figures:
        return None
    specific = [low for low, _, q in figures if q != "vague"]
    best = int(statistics.median_low(specific)) if specific else min(low for low, _, _ in figures)
    return {"low": min(low for low, _, _ in figures), "best": best,
            "high": max(high if q != "vague" else low for low, high, q in figures)}


def type_labels() -> dict:
    return {t["id"]: t["label"] for t in vocab.load("event_types.yaml")["types"]}


def summary(first: dict, group: list[dict]) -> str:
    label = type_labels().get(first["type"], first["type"])
    where = f" in {first['place']['name']}" if first.get("place") else ""
    who = ""
    if first["lane"] == "diplomacy":
        people = [a for a in first["actors"]][:3]
        who = f": {', '.join(people)}" if people else ""
    killed = toll_range(group, "killed")
    toll = ""
    if killed:
        toll = f", {killed['low']} killed" if killed["low"] == killed["high"] else f", {killed['low']}–{killed['high']} killed"
    return f"{label}{who}{where}{toll}"


def _assign_ids(out: list[dict]) -> None:
    """ev-<hash of lane, type, date, place>; clashes get -2, -3 in order of their first mention."""
    seen = {}
    for e in sorted(out, key=lambda e: (e["mentions"][0]["document"], e["mentions"][0]["start"])):
        place = (e.get("place") or {}).get("name") or ""
        content = "|".join([e["lane"], e["type"], e["date"] or "", place])
        base = "ev-" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:10]
        seen[base] = seen.get(base, 0) + 1
        e["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
