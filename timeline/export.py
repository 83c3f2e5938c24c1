"""export: events -> TimelineJS3 JSON, ACLED-style CSV, GeoJSON.

Text bound for tools that render HTML (TimelineJS) is escaped: article text never becomes markup.
"""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date

from timeline import calendar, describe, lexicon, timex
from timeline.records import Event, row

FORMATS = ("timelinejs", "acled", "geojson")
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                 "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
                 "fatalities", "tags"]


def _tl_date(day: str) -> dict:
    d = date.fromisoformat(day)
    return {"year": d.year, "month": d.month, "day": d.day}


def timelinejs(events: list, documents: list, title: str = "Timeline: violence and diplomacy") -> dict:
    """TimelineJS3's JSON: one slide per event (group = lane), summits and talks rounds as eras."""
    docs = describe.documents_by_id(documents)
    slides = []
    for e in sorted(events, key=Event.sort_key):
        said = describe.ledger(e, docs)
        text = [html.escape(f"Ledger: {said}")] if said else []
        if e.mentions:
            text.append("“" + html.escape(" ".join(e.mentions[0].text.split())[:400]) + "”")
        text.append(html.escape(f"Sources: {describe.sources(e, docs)}"))
        slide = {"start_date": _tl_date(e.date), "text": {"headline": html.escape(describe.headline(e)),
                                                          "text": "<p>" + "</p><p>".join(text) + "</p>"},
                 "group": e.lane, "unique_id": e.id}
        if e.date_end:
            slide["end_date"] = _tl_date(e.date_end)
        slides.append(slide)
    return {"title": {"text": {"headline": html.escape(title), "text": f"{len(slides)} events"}},
            "events": slides, "eras": _eras(events)}


def _eras(events: list) -> list:
    days = [span for span in (timex.value_span(e.date) for e in events) if span]
    if not days:
        return []
    first, last = min(d[0] for d in days), max(d[1] for d in days)
    return [{"start_date": _tl_date(c.start.isoformat()), "end_date": _tl_date(c.end.isoformat()),
             "text": {"headline": html.escape(c.name)}}
            for c in calendar.events() if c.end >= first and c.start <= last]


def acled(events: list, documents: list) -> str:
    """ACLED-style CSV, ACLED's column names; fatalities is the conservative (low) figure. Our
    type, id and whether a row is a total travel in `tags` so that the file reads back exactly."""
    docs = describe.documents_by_id(documents)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    for e in sorted(events, key=Event.sort_key):
        flat = row(e)
        event_type, sub = lexicon.acled_export(e.type)
        killed = (e.killed.low if e.killed else 0) if e.lane == "violence" else 0
        day = date.fromisoformat(e.date)
        notes = " ".join(((e.mentions[0].text if e.mentions else None) or e.summary or "").split())
        named = flat["place"] and flat["place"] != flat["country"]
        geo_precision = (e.place.precision if e.place and e.place.precision else None) or (1 if named else 3)
        writer.writerow([e.id, day.strftime("%d %B %Y"), day.year, lexicon.acled_time_precision(e.precision),
                         event_type, sub, "; ".join(e.actors), flat["country"] or "", flat["admin1"] or "",
                         flat["place"] or "", flat["lat"] or "", flat["lon"] or "", geo_precision,
                         describe.sources(e, docs), notes, killed,
                         f"timeline_type={e.type};timeline_id={e.id};"
                         f"timeline_aggregate={'true' if e.aggregate else 'false'}"])
    return out.getvalue()


GEOJSON_PROPERTIES = ("id", "lane", "type", "date", "date_end", "summary", "place", "detail", "killed_low",
                      "killed_best", "killed_high", "aggregate")


def geojson(events: list) -> dict:
    """A FeatureCollection of the events that have coordinates."""
    features = []
    for e in sorted(events, key=Event.sort_key):
        flat = row(e)
        if flat["lat"] is None or flat["lon"] is None:
            continue
        properties = {k: flat[k] for k in GEOJSON_PROPERTIES}
        properties["sources"] = len(flat["documents"])
        features.append({"type": "Feature", "id": e.id, "geometry": {"type": "Point",
                                                                      "coordinates": [flat["lon"], flat["lat"]]},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def render(events: list, documents: list, to: str) -> str:
    if to == "timelinejs":
        return json.dumps(timelinejs(events, documents), ensure_ascii=False, indent=2) + "\n"
    if to == "acled":
        return acled(events, documents)
    if to == "geojson":
        return json.dumps(geojson(events), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {to!r} (choose from {', '.join(FORMATS)})")
