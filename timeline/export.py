"""export: events -> TimelineJS3 JSON, ACLED-style CSV, GeoJSON.

Text bound for tools that render HTML (TimelineJS) is escaped: article text never becomes markup.
"""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date

from timeline import calendar, reconcile, tables, timex, vocab

FORMATS = ("timelinejs", "acled", "geojson")
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                 "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
                 "fatalities", "tags"]


def _sources(event: dict, documents: dict) -> str:
    names = []
    for m in event.get("mentions", []):
        name = (documents.get(m["document"]) or {}).get("outlet") or m["document"]
        if m.get("attribution"):
            name += f" ({m['attribution']})"
        if name not in names:
            names.append(name)
    return "; ".join(names)


def _tl_date(day: str) -> dict:
    d = date.fromisoformat(day)
    return {"year": d.year, "month": d.month, "day": d.day}


def timelinejs(events: list, documents: list, title: str = "Timeline: violence and diplomacy") -> dict:
    """TimelineJS3's JSON: one slide per event (group = lane), summits and talks rounds as eras."""
    docs = {d["id"]: d for d in documents}
    slides = []
    for e in sorted(events, key=reconcile.sort_key):
        text = [html.escape(f"Ledger: {_ledger_line(e, docs)}")] if _ledger_line(e, docs) else []
        mentions = e.get("mentions") or []
        if mentions:
            text.append("“" + html.escape(" ".join(mentions[0].get("text", "").split())[:400]) + "”")
        text.append(html.escape(f"Sources: {_sources(e, docs)}"))
        slide = {"start_date": _tl_date(e["date"]), "text": {"headline": html.escape(e.get("summary") or e["type"]),
                                                             "text": "<p>" + "</p><p>".join(text) + "</p>"},
                 "group": e["lane"], "unique_id": e["id"]}
        if e.get("date_end"):
            slide["end_date"] = _tl_date(e["date_end"])
        slides.append(slide)
    return {"title": {"text": {"headline": html.escape(title), "text": f"{len(slides)} events"}},
            "events": slides, "eras": _eras(events)}


def _ledger_line(e: dict, docs: dict) -> str:
    from timeline import render

    return render.ledger(e, docs)


def _eras(events: list) -> list:
    days = [timex.value_span(e["date"]) for e in events if timex.value_span(e.get("date"))]
    if not days:
        return []
    first, last = min(d[0] for d in days), max(d[1] for d in days)
    return [{"start_date": _tl_date(c.start.isoformat()), "end_date": _tl_date(c.end.isoformat()),
             "text": {"headline": html.escape(c.name)}}
            for c in calendar.events() if c.end >= first and c.start <= last]


def _acled_types(type_id: str):
    for t in vocab.load("event_types.yaml")["types"]:
        if t["id"] == type_id and t.get("acled"):
            return t["acled"]
    return tables.acled_map()["export"].get(type_id, ["Strategic developments", "Other"])


def acled(events: list, documents: list) -> str:
    """ACLED-style CSV, ACLED's column names; fatalities is the conservative (low) figure. Our
    type, id and whether a row is a total travel in `tags` so that the file reads back exactly."""
    docs = {d["id"]: d for d in documents}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    precision = tables.acled_map()["time_precision"]
    for e in sorted(events, key=reconcile.sort_key):
        place = e.get("place") or {}
        event_type, sub = _acled_types(e["type"])
        killed = (e.get("killed") or {}).get("low", 0) if e["lane"] == "violence" else 0
        day = date.fromisoformat(e["date"])
        notes = " ".join(((e.get("mentions") or [{}])[0].get("text") or e.get("summary") or "").split())
        writer.writerow([e["id"], day.strftime("%d %B %Y"), day.year, precision.get(e.get("precision") or "day", 1),
                         event_type, sub, "; ".join(e.get("actors") or []), place.get("country") or "",
                         place.get("admin1") or "", place.get("name") or "", place.get("lat") or "",
                         place.get("lon") or "", 1 if place.get("name") and place.get("name") != place.get("country") else 3,
                         _sources(e, docs), notes, killed,
                         f"timeline_type={e['type']};timeline_id={e['id']};"
                         f"timeline_aggregate={'true' if e.get('aggregate') else 'false'}"])
    return out.getvalue()


def geojson(events: list) -> dict:
    """A FeatureCollection of the events that have coordinates."""
    features = []
    for e in sorted(events, key=reconcile.sort_key):
        place = e.get("place") or {}
        if place.get("lat") is None or place.get("lon") is None:
            continue
        killed = e.get("killed") or {}
        features.append({"type": "Feature", "id": e["id"],
                         "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                         "properties": {"id": e["id"], "lane": e["lane"], "type": e["type"], "date": e["date"],
                                        "date_end": e.get("date_end"), "summary": e.get("summary"),
                                        "place": place.get("name"), "detail": place.get("detail"),
                                        "killed_low": killed.get("low"), "killed_best": killed.get("best"),
                                        "killed_high": killed.get("high"), "aggregate": e.get("aggregate", False),
                                        "sources": len({m["document"] for m in e.get("mentions", [])})}})
    return {"type": "FeatureCollection", "features": features}


def render(events: list, documents: list, to: str) -> str:
    if to == "timelinejs":
        return json.dumps(timelinejs(events, documents), ensure_ascii=False, indent=2) + "\n"
    if to == "acled":
        return acled(events, documents)
    if to == "geojson":
        return json.dumps(geojson(events), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {to!r} (choose from {', '.join(FORMATS)})")
