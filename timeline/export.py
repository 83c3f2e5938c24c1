"""export: events -> TimelineJS3 JSON, ACLED-style CSV, GeoJSON.

Input text stays text in every export: text bound for tools that render HTML (TimelineJS sets
headlines, texts and group labels as HTML) is escaped, a slide's group is a lane of ours and its
unique_id is made of safe characters; CSV text cells cannot start a spreadsheet formula
(describe.csv_cell); JSON is strict (no NaN or Infinity: records.dumps), and a GeoJSON point needs
real coordinates.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import math
import re
from datetime import date

from timeline import calendar, describe, lexicon, timex
from timeline.records import Event, dumps, row

FORMATS = ("timelinejs", "acled", "geojson")
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                 "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
                 "fatalities", "tags"]


def _tl_date(day: str) -> dict:
    d = date.fromisoformat(day)
    return {"year": d.year, "month": d.month, "day": d.day}


SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def slide_id(event_id, taken: set) -> str:
    """A slide's unique_id (TimelineJS puts it in the page's ids and its URL): the event's id when it
    is a letter then letters, digits, - and _; else its safe characters and a digest of the whole
    id ('img-src-x-onerror-alert-1-3f2a9c0b'); '-2', '-3' ... where an id is already taken.
    Deterministic: the same events give the same ids."""
    raw = "" if event_id is None else str(event_id)
    uid = raw
    if not SAFE_ID.fullmatch(raw):
        slug = re.sub(r"[^A-Za-z0-9_]+", "-", raw).strip("-")[:32].strip("-")
        digest = hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        prefix = "" if SAFE_ID.match(slug) else "ev"
        uid = "-".join(part for part in (prefix, slug, digest) if part)
    base, n = uid, 1
    while uid in taken:
        n += 1
        uid = f"{base}-{n}"
    taken.add(uid)
    return uid


def timelinejs(events: list, documents: list, title: str = "Timeline: violence and diplomacy") -> dict:
    """TimelineJS3's JSON: one slide per event (group = lane), summits and talks rounds as eras.
    An event whose lane is not ours (an events file curated by hand) keeps its slide, in no group;
    autolink is off, so that no address in an article becomes a link."""
    docs = describe.documents_by_id(documents)
    slides, taken = [], set()
    for e in sorted(events, key=Event.sort_key):
        said = describe.ledger(e, docs)
        text = [html.escape(f"Ledger: {said}")] if said else []
        if e.mentions:
            text.append("“" + html.escape(" ".join(e.mentions[0].text.split())[:400]) + "”")
        text.append(html.escape(f"Sources: {describe.sources(e, docs)}"))
        slide = {"start_date": _tl_date(e.date), "text": {"headline": html.escape(describe.headline(e)),
                                                          "text": "<p>" + "</p><p>".join(text) + "</p>"}}
        if describe.lane_name(e.lane):
            slide["group"] = e.lane
        slide.update(unique_id=slide_id(e.id, taken), autolink=False)
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
    """ACLED-style CSV, ACLED's column names; fatalities is the conservative (low) figure, 0 when
    none is reported (as ACLED writes it). An event read from a table row keeps that row's event
    id and source cell; our type, id and whether a row is a total travel in `tags`: the file reads
    back exactly, and exporting it again gives the same file."""
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
        source = describe.sources(e, docs, rows_as_given=True)
        cells = [_row_id(e) or e.id, day.strftime("%d %B %Y"), day.year, lexicon.acled_time_precision(e.precision),
                 event_type, sub, "; ".join(e.actors), flat["country"], flat["admin1"], flat["place"],
                 _coordinate(flat["lat"]), _coordinate(flat["lon"]), geo_precision, source, notes, killed,
                 f"timeline_type={e.type};timeline_id={e.id};timeline_aggregate={'true' if e.aggregate else 'false'}"]
        writer.writerow([describe.csv_cell(c) for c in cells])
    return out.getvalue()


def _row_id(e: Event) -> str | None:
    """The event id of the table row(s) an event holds (ACLED's event_id_cnty): rows of two tables
    are one event only when they carry the same id, so there is at most one."""
    ids = sorted({m.row_id for m in e.mentions if m.row_id})
    return ids[0] if len(ids) == 1 else None


def _coordinate(value) -> float | None:
    """A latitude or longitude as a number, or None (not a number, NaN, infinite)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value


def _point(lat, lon) -> list | None:
    """[lon, lat] when both are finite and on the globe, else None."""
    lat, lon = _coordinate(lat), _coordinate(lon)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [lon, lat]


GEOJSON_PROPERTIES = ("id", "lane", "type", "date", "date_end", "summary", "place", "detail", "killed_low",
                      "killed_best", "killed_high", "aggregate")


def geojson(events: list) -> dict:
    """A FeatureCollection of the events that have coordinates (finite, on the globe)."""
    features = []
    for e in sorted(events, key=Event.sort_key):
        flat = row(e)
        point = _point(flat["lat"], flat["lon"])
        if point is None:
            continue
        properties = {k: flat[k] for k in GEOJSON_PROPERTIES}
        properties.update(lane=describe.lane_name(flat["lane"]), sources=len(flat["documents"]))
        features.append({"type": "Feature", "id": e.id, "geometry": {"type": "Point", "coordinates": point},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features}


def render(events: list, documents: list, to: str) -> str:
    if to == "timelinejs":
        return dumps(timelinejs(events, documents), indent=2) + "\n"
    if to == "acled":
        return acled(events, documents)
    if to == "geojson":
        return dumps(geojson(events), indent=2) + "\n"
    raise ValueError(f"unknown export format {to!r} (choose from {', '.join(FORMATS)})")
