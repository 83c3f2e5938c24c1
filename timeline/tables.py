"""tables: event tables given as input, recognised by their header.

- ACLED exports (the current 31-column layout and the older one without sub_event_type): each row
  is an event report, typed through timeline/data/acled.yaml; rows in neither lane (protests,
  arrests, ...) are reported as skipped.
- Curated tables: at least `date, title`, optionally `lane, place, killed, source`. A row without
  a lane is read by the same rules as an article (its title is its text).

Each row becomes a mention record that reconciles with the mentions read from articles, so an
imported event and an extracted one merge, and the ledger shows where each came from.
"""

from __future__ import annotations

import functools

from timeline import dates, places, vocab

CURATED = {"date", "title"}
ACLED = {"event_id_cnty", "event_date", "event_type", "fatalities"}


@functools.lru_cache(maxsize=1)
def acled_map():
    return vocab.load("acled.yaml")


def recognise(header) -> str | None:
    """'acled', 'curated' or None for a table header."""
    names = {h.strip().lower() for h in header if h}
    if ACLED <= names:
        return "acled"
    if CURATED <= names:
        return "curated"
    return None


def document_record(path: str, doc_id: str, kind: str, rows: int) -> dict:
    return {"id": doc_id, "path": path, "title": f"{'ACLED export' if kind == 'acled' else 'Curated table'} "
            f"({rows} rows)", "outlet": "ACLED" if kind == "acled" else None, "published": None,
            "published_how": None, "published_evidence": None, "warnings": []}


def read(path: str, doc_id: str, kind: str, rows: list[dict]):
    """(mention records, skipped: [(row number, reason)]) of a recognised table."""
    reader = _acled_row if kind == "acled" else _curated_row
    mentions, skipped = [], []
    for number, row in enumerate(rows, start=1):
        row = {(k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else v for k, v in row.items()}
        mention, reason = reader(doc_id, number, row)
        if mention is None:
            skipped.append((number, reason))
        else:
            mentions.append(mention)
    return mentions, skipped


def _record(doc_id, number, text, lane, type_id, day, precision, place, killed, source, evidence) -> dict:
    """A mention record (see model.mention_record) for a table row; `row` says which."""
    return {"document": doc_id, "start": number, "end": number, "text": text, "killed": killed,
            "killed_high": killed, "injured": None, "injured_high": None,
            "qualifier": "exact" if killed is not None else None, "attribution": source or None,
            "date_evidence": evidence, "outlet": None, "lane": lane, "type": type_id, "date": day,
            "precision": precision, "date_basis": "clause", "place": place, "actors": [], "aggregate": False,
            "relation": None, "anchor_start": None, "origin": "table", "row": number}


def _number(value) -> int | None:
    try:
        return int(float(str(value).replace(",", ""))) if str(value).strip() != "" else None
    except ValueError:
        return None


def _day(value: str) -> str | None:
    day = dates.parse_date_value(value) if value else None
    return day.isoformat() if day else None


def _acled_type(row: dict):
    data = acled_map()["import"]
    sub, main = row.get("sub_event_type", ""), row.get("event_type", "")
    tags = dict(part.split("=", 1) for part in row.get("tags", "").split(";") if "=" in part)
    if tags.get("timeline_type"):
        return tags["timeline_type"].strip(), tags
    if sub in data["sub_event_type"]:
        return data["sub_event_type"][sub], tags
    if not sub and main in data["read_notes"]:
        return "read notes", tags
    if sub in data["skip"] or (not sub and main in data["skip"]):
        return None, tags
    return data["event_type"].get(main), tags


def _acled_row(doc_id: str, number: int, row: dict):
    type_id, tags = _acled_type(row)
    day = _day(row.get("event_date", ""))
    if type_id == "read notes" and day:
        read = _read_title(doc_id, row.get("notes", ""), day) if row.get("notes") else None
        type_id = read["type"] if read and read["lane"] == "diplomacy" else None
    if type_id is None:
        return None, f"{row.get('sub_event_type') or row.get('event_type') or 'no type'}: in neither lane"
    if day is None:
        return None, f"unreadable event_date {row.get('event_date')!r}"
    lane = next(t["lane"] for t in vocab.load("event_types.yaml")["types"] if t["id"] == type_id)
    place = _acled_place(row)
    precision = {"1": "day", "2": "week", "3": "month"}.get(str(row.get("time_precision", "1")), "day")
    killed = _number(row.get("fatalities")) if lane == "violence" else None
    killed = killed or None  # ACLED writes 0 where no death is reported: no figure, as in our events
    text = row.get("notes") or f"{row.get('event_type')}: {row.get('sub_event_type')} in {row.get('location')}"
    record = _record(doc_id, number, text, lane, type_id, day, precision, place, killed, row.get("source"),
                     f"ACLED event_date {row.get('event_date')}")
    record["actors"] = [a for a in (row.get("actor1"), row.get("actor2")) if a]
    record["aggregate"] = tags.get("timeline_aggregate", "").strip() == "true"
    return record, None


def _acled_place(row: dict) -> dict | None:
    if not (row.get("location") or row.get("country")):
        return None
    lat, lon = row.get("latitude"), row.get("longitude")
    name = row.get("location") or row.get("country")
    return {"name": name, "detail": None, "admin1": row.get("admin1") or None, "country": row.get("country") or None,
            "lat": float(lat) if lat not in (None, "") else None, "lon": float(lon) if lon not in (None, "") else None}


def _curated_row(doc_id: str, number: int, row: dict):
    title = row.get("title", "")
    day = _day(row.get("date", ""))
    if not title or day is None:
        return None, "no title" if not title else f"unreadable date {row.get('date')!r}"
    read = _read_title(doc_id, title, day)
    lane = (row.get("lane") or "").lower() or (read["lane"] if read else None)
    if lane not in ("violence", "diplomacy"):
        return None, "in neither lane (no lane column, and the title reads as no event)"
    type_id = read["type"] if read and read["lane"] == lane else ("attack" if lane == "violence" else "talks")
    place = _curated_place(row.get("place")) or (read["place"] if read else None)
    killed = _number(row.get("killed")) if row.get("killed") else (read["killed"] if read else None)
    record = _record(doc_id, number, title, lane, type_id, day, "day", place, killed, row.get("source"),
                     f"date column: {row.get('date')}")
    if read:
        record["actors"] = read["actors"]
    return record, None


def _read_title(doc_id: str, title: str, day: str) -> dict | None:
    """Read a one-line summary as an article of one sentence, dated by its row."""
    from datetime import date as _date

    from timeline import ingest, pipeline

    # a one-line summary has no full stop; without one it would read as a heading
    text = title if title.rstrip()[-1:] in ".!?" else title.rstrip() + "."
    doc = ingest.Document(id=doc_id, text=text, title="")
    found = pipeline.read_document(doc, pipeline.Options(published=_date.fromisoformat(day))).mentions
    if not found:
        return None
    return min(found, key=lambda m: (m["place"] is None, m["killed"] is None, m["start"]))


def _curated_place(name: str | None) -> dict | None:
    if not name:
        return None
    found = places.lookup(name)
    if found is None:
        return {"name": name, "detail": None, "admin1": None, "country": None, "lat": None, "lon": None}
    return {k: v for k, v in places.public(found, None).items() if k != "kind"}
