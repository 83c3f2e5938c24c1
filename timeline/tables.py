"""tables: event tables given as input, recognised by their header.

- ACLED exports (the current 31-column layout and the older ones, columns in any order): each row
  is an event report, typed through timeline/data/acled.yaml; rows in neither lane (protests,
  arrests, ...) are reported as skipped, with their count by reason (`summary`).
- Curated tables: at least `date, title`, optionally `lane, place, killed, source, id`. A row
  without a lane is read by the same rules as an article (its title is its text).

Each row becomes a mention record that reconciles with the mentions read from articles, so an
imported event and an extracted one merge, and the ledger shows where each came from. A row is an
event of its own: reconcile never merges two rows of one table, and merges rows of two tables
only when they carry the same event id (`row_id`: ACLED's event_id_cnty, our timeline_id tag, a
curated `id`).
"""

from __future__ import annotations

import math
import re
from collections import Counter

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


def document_record(path: str, doc_id: str, kind: str, rows: int, warnings=()) -> Document:
    """The table as the events file lists it; `warnings` say what of it was not read."""
    return Document(id=doc_id, path=path, title=f"{'ACLED export' if kind == 'acled' else 'Curated table'} "
                    f"({rows} rows)", outlet="ACLED" if kind == "acled" else None, kind="table",
                    warnings=tuple(warnings))


def read(path: str, doc_id: str, kind: str, rows: list[dict], read_title, date_order: str | None = None):
    """(mentions, skipped: [(row number, reason, example)]) of a recognised table. `read_title(doc_id,
    text, day)` reads a one-line summary as an article would be read (the pipeline's callback).
    Numeric dates are read in `date_order` (DMY or MDY) when given, else in the order their column proves."""
    reader = _acled_row if kind == "acled" else _curated_row
    column = "event_date" if kind == "acled" else "date"
    order = (date_order or "").upper()
    if order not in ("DMY", "MDY"):
        order = column_order((_cell(r.get(column)) for r in rows), default="DMY" if kind == "acled" else None)
    mentions, skipped = [], []
    for number, row in enumerate(rows, start=1):
        # a short row (csv gives None), a list for surplus cells: every cell read as text
        row = {(k or "").strip().lower(): _cell(v) for k, v in row.items()}
        try:
            mention, reason = reader(doc_id, number, row, read_title, order)
        except (ValueError, TypeError, OverflowError, KeyError) as exc:  # a bogus tag, 1e400, year 9999 + 1 day
            mention, reason = None, ("unreadable row", f"{type(exc).__name__}: {str(exc)[:80]}")
        if mention is None:
            reason, example = reason if isinstance(reason, tuple) else (reason, None)
            skipped.append((number, reason, example))
        else:
            mentions.append(mention)
    return mentions, skipped


def summary(skipped: list, total: int) -> str:
    """'3 of 9 rows skipped (2 × Peaceful protest: in neither lane; 1 × unreadable event_date, e.g. row
    7: '32-May-20')': every reason with its count, the most frequent first."""
    if not total:
        return "the table has no rows"
    counts = Counter(reason for _, reason, _ in skipped)
    first = {}
    for number, reason, example in skipped:
        first.setdefault(reason, (number, example))
    parts = []
    for reason, n in counts.most_common():
        number, example = first[reason]
        parts.append(f"{n:,} × {reason}" + (f", e.g. row {number}: {example!r}" if example is not None else ""))
    return f"{len(skipped):,} of {total:,} rows skipped" + (f" ({'; '.join(parts)})" if parts else "")


FORMULA_QUOTED = re.compile(r"'(?=[=+\-@\t\r])")  # how our CSV outputs neutralise a formula (describe.csv_cell)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value).strip()
    return FORMULA_QUOTED.sub("", text, count=1) if text.startswith("'") else text


def _record(doc_id, number, text, lane, type_id, day, precision, place, killed, source, evidence,
            actors=(), aggregate=False, row_id=None) -> Mention:
    """The mention of a table row; `row` says which, `row_id` which event the table says it is."""
    return Mention(document=doc_id, start=number, end=number, text=text, killed=killed, killed_high=killed,
                   qualifier="exact" if killed is not None else None, attribution=source or None,
                   date_evidence=evidence, lane=lane, type=type_id, date=day, precision=precision,
                   date_basis="clause", place=place, actors=tuple(actors), aggregate=aggregate, origin="table",
                   row=number, row_id=row_id or None)


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


def numeric_date(value: str, order: str) -> str | None:
    """A numeric day ('9/1/2016') read in `order` (DMY or MDY, as its column proves), in ISO; None
    for any other form (a corpus's date column: its other forms are read per document)."""
    value = (value or "").strip()
    day = _table_form(value, order) if NUMERIC_DAY.match(value) else None
    return day.isoformat() if day else None


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
        return None, ("unreadable event_date", row.get("event_date"))
    if lexicon.event_type(type_id) is None:
        return None, ("unknown event type", type_id)
    lane = lexicon.event_type(type_id).lane
    precision = {"1": "day", "2": "week", "3": "month"}.get(str(row.get("time_precision", "1")), "day")
    killed = _number(row.get("fatalities")) if lane == "violence" else None
    # ACLED writes 0 where no death is reported: no figure, as an article that names none (a "0 killed"
    # would pull every outlet's toll range down to 0); the export writes an event without one as 0
    killed = killed or None
    text = row.get("notes") or f"{row.get('event_type')}: {row.get('sub_event_type')} in {row.get('location')}"
    return _record(doc_id, number, text, lane, type_id, day, precision, _acled_place(row), killed,
                   row.get("source"), f"ACLED event_date {row.get('event_date')}",
                   actors=[a for a in (row.get("actor1"), row.get("actor2")) if a],
                   aggregate=tags.get("timeline_aggregate", "").strip() == "true",
                   row_id=row.get("event_id_cnty") or tags.get("timeline_id", "").strip()), None


def _acled_place(row: dict) -> Place | None:
    if not (row.get("location") or row.get("country")):
        return None
    lat, lon = _coordinate(row.get("latitude"), 90), _coordinate(row.get("longitude"), 180)
    precision = _number(row.get("geo_precision"))
    return Place(name=row.get("location") or row.get("country"), admin1=row.get("admin1") or None,
                 country=row.get("country") or None, lat=lat if lon is not None else None,
                 lon=lon if lat is not None else None, precision=precision if precision in (1, 2, 3) else None)


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
        return None, "no title" if not title else ("unreadable date", row.get("date"))
    read = read_title(doc_id, title, day)
    lane = (row.get("lane") or "").lower() or (read.lane if read else None)
    if lane not in ("violence", "diplomacy"):
        return None, "in neither lane (no lane column, and the title reads as no event)"
    type_id = read.type if read and read.lane == lane else lexicon.default_type(lane)
    place = _curated_place(row.get("place")) or (read.place if read else None)
    killed = _number(row.get("killed")) if row.get("killed") else (read.killed if read else None)
    return _record(doc_id, number, title, lane, type_id, day, "day", place, killed, row.get("source"),
                   f"date column: {row.get('date')}", actors=read.actors if read else (),
                   row_id=row.get("id")), None


def _curated_place(name: str | None) -> Place | None:
    if not name:
        return None
    found = places.lookup(name)
    if found is None:
        return Place(name=name)
    return Place.from_dict(places.public(found, None))
