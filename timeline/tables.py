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

import math
import re

from timeline import dates, lexicon, places, tolls
from timeline.records import Document, Mention, Place

CURATED = {"date", "title"}
ACLED = {"event_id_cnty", "event_date", "event_type", "fatalities"}


def recognise(header) -> str | None:
    """'acled', 'curated' or None for a table header."""
    names = {h.strip().lower() for h in header if h}
    if ACLED <= names:
        return "acled"
    if CURATED <= names:
        return "curated"
    return None


def document_record(path: str, doc_id: str, kind: str, rows: int) -> Document:
    return Document(id=doc_id, path=path, title=f"{'ACLED export' if kind == 'acled' else 'Curated table'} "
                    f"({rows} rows)", outlet="ACLED" if kind == "acled" else None, kind="table")


def read(path: str, doc_id: str, kind: str, rows: list[dict], read_title):
    """(mentions, skipped: [(row number, reason)]) of a recognised table. `read_title(doc_id,
    text, day)` reads a one-line summary as an article would be read (the pipeline's callback)."""
    reader = _acled_row if kind == "acled" else _curated_row
    column = "event_date" if kind == "acled" else "date"
    order = column_order((_cell(r.get(column)) for r in rows), default="DMY" if kind == "acled" else None)
    mentions, skipped = [], []
    for number, row in enumerate(rows, start=1):
        # a short row (csv gives None), a list for surplus cells: every cell read as text
        row = {(k or "").strip().lower(): _cell(v) for k, v in row.items()}
        try:
            mention, reason = reader(doc_id, number, row, read_title, order)
        except (ValueError, TypeError, OverflowError, KeyError) as exc:  # a bogus tag, 1e400, year 9999 + 1 day
            mention, reason = None, f"unreadable row ({type(exc).__name__}: {str(exc)[:80]})"
        if mention is None:
            skipped.append((number, reason))
        else:
            mentions.append(mention)
    return mentions, skipped


FORMULA_QUOTED = re.compile(r"'(?=[=+\-@\t\r])")  # how our CSV outputs neutralise a formula (describe.csv_cell)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value).strip()
    return FORMULA_QUOTED.sub("", text, count=1) if text.startswith("'") else text


def _record(doc_id, number, text, lane, type_id, day, precision, place, killed, source, evidence,
            actors=(), aggregate=False) -> Mention:
    """The mention of a table row; `row` says which."""
    return Mention(document=doc_id, start=number, end=number, text=text, killed=killed, killed_high=killed,
                   qualifier="exact" if killed is not None else None, attribution=source or None,
                   date_evidence=evidence, lane=lane, type=type_id, date=day, precision=precision,
                   date_basis="clause", place=place, actors=tuple(actors), aggregate=aggregate, origin="table",
                   row=number)


def _number(value) -> int | None:
    """A count from a cell: None when empty, not a number, not finite, negative or beyond the
    largest toll believed."""
    try:
        number = float(str(value).replace(",", "")) if str(value).strip() != "" else None
    except ValueError:
        return None
    if number is None or not math.isfinite(number) or number < 0 or number > tolls.MAX_TOLL():
        return None
    return int(number)


# Date forms of real exports that the article reader has no use for: "9-May-20", "09-May-2020"
# (ACLED's spreadsheet layout), and numeric days whose order the whole column settles.
DAY_MON_YEAR = re.compile(r"^(\d{1,2})[-\s]([A-Za-z]{3,9})\.?[-\s](\d{2}|\d{4})$")
NUMERIC_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def column_order(values, default: str | None = None) -> str | None:
    """DMY or MDY for a column of numeric dates: a first number over 12 proves day first, a
    second over 12 month first; else `default` (ACLED writes the day first)."""
    firsts, seconds = [], []
    for v in values:
        m = NUMERIC_DAY.match((v or "").strip())
        if m:
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(2)))
    if any(a > 12 for a in firsts) and not any(b > 12 for b in seconds):
        return "DMY"
    if any(b > 12 for b in seconds) and not any(a > 12 for a in firsts):
        return "MDY"
    return default


def _day(value: str, order: str | None = None) -> str | None:
    """The row's day, or None when unreadable or at the calendar's ends (no day after 9999-12-31)."""
    value = (value or "").strip()
    day = _table_form(value, order) if value else None
    if day is None and value:
        day = dates.parse_date_value(value)
    return day.isoformat() if day and 2 <= day.year <= 9998 else None


def _table_form(value: str, order: str | None):
    from datetime import date

    from timeline import timex

    m = DAY_MON_YEAR.match(value)
    if m:
        month = timex.words()["months"].get(m.group(2).lower())
        year = int(m.group(3)) if len(m.group(3)) == 4 else 2000 + int(m.group(3))  # ACLED begins in 1997
        if len(m.group(3)) == 2 and year > date.today().year + 1:
            year -= 100
        return _date(year, month, int(m.group(1))) if month else None
    m = NUMERIC_DAY.match(value)
    if m and order:
        a, b, year = (int(g) for g in m.groups())
        return _date(year, b, a) if order == "DMY" else _date(year, a, b)
    return None


def _date(year: int, month: int, day: int):
    from datetime import date

    try:
        return date(year, month, day)
    except ValueError:
        return None


def _acled_type(row: dict):
    tags = dict(part.split("=", 1) for part in row.get("tags", "").split(";") if "=" in part)
    if tags.get("timeline_type"):
        return tags["timeline_type"].strip(), tags
    return lexicon.acled_import(row.get("sub_event_type", ""), row.get("event_type", "")), tags


def _acled_row(doc_id: str, number: int, row: dict, read_title, order=None):
    type_id, tags = _acled_type(row)
    day = _day(row.get("event_date", ""), order)
    if type_id == "read notes" and day:
        read = read_title(doc_id, row.get("notes", ""), day) if row.get("notes") else None
        type_id = read.type if read and read.lane == "diplomacy" else None
    if type_id is None:
        return None, f"{row.get('sub_event_type') or row.get('event_type') or 'no type'}: in neither lane"
    if day is None:
        return None, f"unreadable event_date {row.get('event_date')!r}"
    if lexicon.event_type(type_id) is None:
        return None, f"unknown event type {type_id!r}"
    lane = lexicon.event_type(type_id).lane
    precision = {"1": "day", "2": "week", "3": "month"}.get(str(row.get("time_precision", "1")), "day")
    killed = _number(row.get("fatalities")) if lane == "violence" else None
    killed = killed or None  # ACLED writes 0 where no death is reported: no figure, as in our events
    text = row.get("notes") or f"{row.get('event_type')}: {row.get('sub_event_type')} in {row.get('location')}"
    return _record(doc_id, number, text, lane, type_id, day, precision, _acled_place(row), killed,
                   row.get("source"), f"ACLED event_date {row.get('event_date')}",
                   actors=[a for a in (row.get("actor1"), row.get("actor2")) if a],
                   aggregate=tags.get("timeline_aggregate", "").strip() == "true"), None


def _acled_place(row: dict) -> Place | None:
    if not (row.get("location") or row.get("country")):
        return None
    lat, lon = _coordinate(row.get("latitude"), 90), _coordinate(row.get("longitude"), 180)
    return Place(name=row.get("location") or row.get("country"), admin1=row.get("admin1") or None,
                 country=row.get("country") or None, lat=lat if lon is not None else None,
                 lon=lon if lat is not None else None)


def _coordinate(value, limit: float) -> float | None:
    """A latitude or longitude, or None when empty, not a number, not finite or out of range."""
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) and -limit <= number <= limit else None


def _curated_row(doc_id: str, number: int, row: dict, read_title, order=None):
    title = row.get("title", "")
    day = _day(row.get("date", ""), order)
    if not title or day is None:
        return None, "no title" if not title else f"unreadable date {row.get('date')!r}"
    read = read_title(doc_id, title, day)
    lane = (row.get("lane") or "").lower() or (read.lane if read else None)
    if lane not in ("violence", "diplomacy"):
        return None, "in neither lane (no lane column, and the title reads as no event)"
    type_id = read.type if read and read.lane == lane else lexicon.default_type(lane)
    place = _curated_place(row.get("place")) or (read.place if read else None)
    killed = _number(row.get("killed")) if row.get("killed") else (read.killed if read else None)
    return _record(doc_id, number, title, lane, type_id, day, "day", place, killed, row.get("source"),
                   f"date column: {row.get('date')}", actors=read.actors if read else ()), None


def _curated_place(name: str | None) -> Place | None:
    if not name:
        return None
    found = places.lookup(name)
    if found is None:
        return Place(name=name)
    return Place.from_dict(places.public(found, None))
