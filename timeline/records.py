"""records: the typed records every stage after `extract` works on, and their JSON contract.

`Document`, `Mention`, `Event`, `Place` and `Toll` are frozen dataclasses. Frozen, because a
record is a reading of a text, shared once made: one `Place` stands for every mention of a town
across a 100,000-article corpus, and reconcile, report and render may all hold the same
`Mention`; nothing downstream can change what an upstream stage read (a new value is a
`dataclasses.replace`). Dataclasses rather than attrs or pydantic: the standard library is
enough for records whose validation is the JSON schema (`data/events.schema.json`), and the
import stays light for the CLI.

`to_dict` gives the contract's shape (schema timeline/1, keys in the order they have always been
written, so events files stay byte-identical); `from_dict` reads it back, including events files
curated by hand (missing keys take their defaults; unknown keys are kept and written back).
"""

from __future__ import annotations

import json
import math
import operator
import re
from dataclasses import MISSING, dataclass, field, fields, replace
from typing import Any

SCHEMA = "timeline/1"
LANES = ("violence", "diplomacy")

__all__ = ["SCHEMA", "LANES", "Document", "Place", "Toll", "Mention", "Event", "Result", "to_json", "to_jsonl", "frame",
           "replace"]


def _extra(data: dict, known):
    found = {k: v for k, v in data.items() if k not in known}
    return found or NO_EXTRA


class _NoExtra(dict):
    """The keys a record read from JSON had that this version does not know (kept, written back).
    Most records have none: they share this one empty, read-only mapping rather than a dict each,
    the same object again after pickling (worker processes send records back)."""

    def __reduce__(self):
        return _no_extra, ()

    def _read_only(self, *args, **kwargs):
        raise TypeError("a record's extra keys are read-only")

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _read_only


def _no_extra():
    return NO_EXTRA


NO_EXTRA = _NoExtra()


# ------------------------------------------------------------------ documents

@dataclass(frozen=True)
class Document:
    """An input article (with its text, until it has been read) and, once the dates stage has
    read it, its record: `published` is then the date as read, `published_how` how."""

    id: str
    text: str = ""
    title: str = ""
    path: str = ""
    outlet: str | None = None
    published: str | None = None  # as the input states it (ingest), then ISO (dates stage)
    published_how: str | None = None  # option | metadata | text | calendar | None
    published_evidence: str | None = None
    date_order: str | None = None  # DMY | MDY: how the document writes numeric dates
    date_order_reason: str | None = None
    warnings: tuple = ()
    kind: str = "article"  # article | table: tables have no date reading of their own
    extra: dict = field(default_factory=_no_extra, compare=False)

    def to_dict(self) -> dict:
        out = {"id": self.id, "path": self.path, "title": self.title, "outlet": self.outlet,
               "published": self.published, "published_how": self.published_how,
               "published_evidence": self.published_evidence}
        if self.kind == "article":
            out.update(date_order=self.date_order, date_order_reason=self.date_order_reason)
        out["warnings"] = list(self.warnings)
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Document":
        kind = "article" if "date_order" in data else "table"
        known = {f.name for f in fields(cls)}
        return cls(id=str(data["id"]), path=data.get("path") or "", title=data.get("title") or "",
                   outlet=data.get("outlet"), published=data.get("published"),
                   published_how=data.get("published_how"), published_evidence=data.get("published_evidence"),
                   date_order=data.get("date_order"), date_order_reason=data.get("date_order_reason"),
                   warnings=tuple(data.get("warnings") or ()), kind=kind, extra=_extra(data, known))

    @property
    def source_name(self) -> str:
        """The outlet when known, else a short form of the id ('000_0e2d...' -> '000')."""
        if self.outlet:
            return self.outlet
        return self.id.split("_")[0] if "_" in self.id else self.id


# ------------------------------------------------------------------ places and tolls

PLACE_KEYS = ("name", "detail", "admin1", "country", "lat", "lon")


def evolve(record, **changes):
    """dataclasses.replace for the frozen records with a __dict__ (Place, Event; no __post_init__,
    no init-only fields): a copy of the record's fields with `changes`. replace() runs __init__
    field by field, which cost reconciling a tenth of its time (three copies per event). The
    changes must name fields (tests/test_stream.py checks the records evolve takes)."""
    copy = object.__new__(type(record))
    copy.__dict__.update(record.__dict__, **changes)
    return copy


@dataclass(frozen=True)
class Place:
    name: str
    detail: str | None = None  # the spot: "highway bridge", "al-Zahraa neighbourhood"
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    source: str | None = None  # how a mention's place was found, when not by the gazetteer
    precision: int | None = None  # like ACLED's geo_precision: 1 the place itself, 2 near / part of it, 3 region

    def to_dict(self) -> dict:
        out = {"name": self.name, "detail": self.detail, "admin1": self.admin1, "country": self.country,
               "lat": self.lat, "lon": self.lon}
        if self.precision is not None:
            out["precision"] = self.precision
        if self.source:
            out["source"] = self.source
        return out

    @classmethod
    def from_dict(cls, data: dict | None) -> "Place | None":
        if not data:
            return None
        return cls(**{k: data.get(k) for k in PLACE_KEYS}, source=data.get("source"), precision=data.get("precision"))

    @property
    def is_country(self) -> bool:
        return self.name == self.country


@dataclass(frozen=True)
class Toll:
    """A reconciled figure: the conservative low, the best (median of the specific claims) and
    the high."""

    low: int
    best: int
    high: int

    def to_dict(self) -> dict:
        return {"low": self.low, "best": self.best, "high": self.high}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Toll | None":
        if not isinstance(data, dict):
            return None
        return cls(data.get("low"), data.get("best"), data.get("high"))

    @property
    def single(self) -> bool:
        return self.low == self.high


# ------------------------------------------------------------------ mentions

@dataclass(frozen=True, slots=True)  # slots: a corpus of 100,000 articles holds ~600,000 of them
class Mention:
    """What one document says of one event, with its evidence (offsets into the document's text,
    the words the date was read from, the source a figure is attributed to)."""

    document: str
    start: int
    end: int
    text: str
    killed: int | None = None
    killed_high: int | None = None
    injured: int | None = None
    injured_high: int | None = None
    qualifier: str | None = None  # exact | at least | about | vague
    attribution: str | None = None
    date_evidence: str | None = None
    outlet: str | None = None
    lane: str | None = None
    type: str | None = None
    date: str | None = None  # a TIMEX3 value: 2016-09-05, 2016-W36, 2016-09 ...
    precision: str | None = None
    date_basis: str | None = None  # clause | sentence | narrative | anchor | context | publication | ...
    place: Place | None = None
    actors: tuple = ()
    aggregate: bool = False
    relation: str | None = None  # before | after | same: against the mention starting at anchor_start
    anchor_start: int | None = None
    origin: str | None = None  # "table" for a row of an event table
    row: int | None = None  # that row's number
    row_id: str | None = None  # that row's event id (ACLED event_id_cnty, a curated id column)
    extra: dict = field(default_factory=_no_extra, compare=False)

    def figure(self, kind: str):
        """(figure, upper figure) of `kind` ('killed' or 'injured')."""
        return (self.killed, self.killed_high) if kind == "killed" else (self.injured, self.injured_high)

    def to_dict(self) -> dict:
        out = {"document": self.document, "start": self.start, "end": self.end, "text": self.text,
               "killed": self.killed, "killed_high": self.killed_high, "injured": self.injured,
               "injured_high": self.injured_high, "qualifier": self.qualifier, "attribution": self.attribution,
               "date_evidence": self.date_evidence, "outlet": self.outlet, "lane": self.lane, "type": self.type,
               "date": self.date, "precision": self.precision, "date_basis": self.date_basis,
               "place": self.place.to_dict() if self.place else None, "actors": list(self.actors),
               "aggregate": self.aggregate, "relation": self.relation, "anchor_start": self.anchor_start}
        if self.origin:
            out.update(origin=self.origin, row=self.row, row_id=self.row_id)
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Mention":
        known = {f.name for f in fields(cls)}
        values = {k: data[k] for k in known & data.keys() if k not in ("place", "actors", "extra")}
        return cls(**values, place=Place.from_dict(data.get("place")), actors=tuple(data.get("actors") or ()),
                   extra=_extra(data, known))

    def __reduce__(self):
        # Pickled as its values: mentions cross processes by the million (--jobs, the spill, a Dask
        # shuffle), and a slots dataclass's own __getstate__ lists its fields anew for each one
        # (pickling and unpickling took ~1.8x as long).
        return _mention_of, _mention_values(self)


_mention_values = operator.attrgetter(*(f.name for f in fields(Mention)))
# Each field's slot setter and default (extra's: the shared empty mapping its factory gives).
# A frozen dataclass's __init__ sets its fields through object.__setattr__ in interpreted code:
# the reader makes a Mention for every event mention and a worker unpickles them by the million,
# so both build them here, through the slots, compiled (timeline/native.py): two thirds of the time
# (100,000 built from their values: 0.25 s against 0.37 s; unpickled: 0.36 s against 0.58 s).
_MENTION_SLOTS = tuple((f.name, getattr(Mention, f.name).__set__,
                        NO_EXTRA if f.default_factory is _no_extra else f.default) for f in fields(Mention))


def new_mention(**values) -> Mention:
    """Mention(**values), made faster (see _MENTION_SLOTS)."""
    mention = object.__new__(Mention)
    for name, put, default in _MENTION_SLOTS:
        value = values.pop(name, default)
        if value is MISSING:
            raise TypeError(f"a Mention needs {name!r}")
        put(mention, value)
    if values:
        raise TypeError(f"a Mention has no field {next(iter(values))!r}")
    return mention


def _mention_of(*values) -> Mention:
    """The Mention of _mention_values (unpickling)."""
    mention = object.__new__(Mention)
    for (_, put, _), value in zip(_MENTION_SLOTS, values):
        put(mention, value)
    return mention


# ------------------------------------------------------------------ events

@dataclass(frozen=True)
class Event:
    id: str | None
    lane: str
    type: str
    date: str
    date_end: str | None = None
    precision: str | None = None
    order: int | None = None  # position within its day where the text orders it
    place: Place | None = None
    actors: tuple = ()
    killed: Toll | None = None
    injured: Toll | None = None
    aggregate: bool = False
    part_of: str | None = None
    summary: str = ""
    mentions: tuple = ()  # Mention, by document and position
    discrepancies: dict | None = None  # {field: {document: claim}}: what the outlets disagree on
    checks: tuple | None = None  # totals: does each outlet's sum of parts match its total?
    extra: dict = field(default_factory=_no_extra, compare=False)

    @property
    def documents(self) -> list[str]:
        return sorted({m.document for m in self.mentions})

    def sort_key(self):
        return (self.date or "9999", self.order if self.order is not None else 99, self.lane, self.id)

    def to_dict(self) -> dict:
        out = {"id": self.id, "lane": self.lane, "type": self.type, "date": self.date, "date_end": self.date_end,
               "precision": self.precision, "order": self.order,
               "place": self.place.to_dict() if self.place else None, "actors": list(self.actors),
               "killed": self.killed.to_dict() if self.killed else None,
               "injured": self.injured.to_dict() if self.injured else None, "aggregate": self.aggregate,
               "part_of": self.part_of, "summary": self.summary, "mentions": [m.to_dict() for m in self.mentions]}
        if self.discrepancies is not None:
            out["discrepancies"] = self.discrepancies
        if self.checks is not None:
            out["checks"] = [dict(c) for c in self.checks]
        out.update(self.extra)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Event":
        known = {f.name for f in fields(cls)}
        checks = data.get("checks")
        return cls(id=data.get("id"), lane=data.get("lane"), type=data.get("type"), date=data.get("date"),
                   date_end=data.get("date_end"), precision=data.get("precision"), order=data.get("order"),
                   place=Place.from_dict(data.get("place")), actors=tuple(data.get("actors") or ()),
                   killed=Toll.from_dict(data.get("killed")), injured=Toll.from_dict(data.get("injured")),
                   aggregate=bool(data.get("aggregate")), part_of=data.get("part_of"),
                   summary=data.get("summary") or "",
                   mentions=tuple(Mention.from_dict(m) for m in data.get("mentions") or ()),
                   discrepancies=data.get("discrepancies"),
                   checks=tuple(checks) if checks is not None else None, extra=_extra(data, known))


# ------------------------------------------------------------------ a reading of some inputs

@dataclass
class Result:
    """What reading some inputs gives: the contract's three lists, and what could not be read."""

    documents: list  # Document records (without their texts)
    events: list  # Event, sorted by Event.sort_key
    unresolved: list  # strings: what could not be dated or placed, with the reason
    problems: list  # ingest.InputProblem: inputs that could not be read
    notices: list = field(default_factory=list)  # what was read but left out (table rows in no lane)
    revisions: list = field(default_factory=list)  # toll changes, when read from a store


# ------------------------------------------------------------------ the contract

def to_json(documents, events, unresolved) -> str:
    """The events file: deterministic (records in a stable order, keys in contract order)."""
    pieces = []
    write_json(pieces.append, documents, events, unresolved)
    return "".join(pieces)


def write_json(write, documents, events, unresolved) -> None:
    """The events file, handed to `write` record by record as the records come (`documents` and
    `events` may be generators): a streamed run never holds the whole file. The text is what
    dumps(indent=2) writes of the whole."""
    write('{\n  "schema": ' + _nested(SCHEMA, 1) + ",\n")
    _write_list(write, "documents", (d.to_dict() for d in documents))
    write(",\n")
    _write_list(write, "events", (e.to_dict() for e in events))
    write(",\n")
    _write_list(write, "unresolved", unresolved)
    write("\n}\n")


def _write_list(write, key: str, items) -> None:
    write(f'  "{key}": [')
    empty = True
    for item in items:
        write(("\n    " if empty else ",\n    ") + _nested(item, 2))
        empty = False
    write("]" if empty else "\n  ]")


def _nested(value, depth: int) -> str:
    """dumps(value, indent=2) as it reads `depth` levels down in an indented file."""
    return dumps(value, indent=2).replace("\n", "\n" + "  " * depth)


def to_jsonl(events) -> str:
    return "".join(dumps(e.to_dict()) + "\n" for e in events)


# Characters JSON may carry raw but a terminal (DEL, C1 controls) or a JavaScript string (U+2028,
# U+2029) may not: written as \u escapes, which every JSON reader reads back the same.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def finite(data):
    """`data` with every non-finite float (NaN, ±Infinity: a coordinate read from a table) as None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: finite(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(v) for v in data]
    return data


def dumps(data, indent: int | None = None) -> str:
    """Strict JSON, as every output writes it: never NaN or Infinity (such numbers become null),
    UTF-8 text as it is, but for the characters in _JSON_UNSAFE."""
    try:
        text = json.dumps(data, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:  # only then walk the data: most outputs hold no such number
        text = json.dumps(finite(data), ensure_ascii=False, indent=indent, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Columns of the Event table (Timeline.events), in order, with their pandas dtypes.
COLUMNS = {
    "id": "string", "lane": "category", "type": "string", "date": "datetime64[ns]",
    "date_end": "datetime64[ns]", "precision": "string", "order": "Int64", "place": "string",
    "detail": "string", "admin1": "string", "country": "string", "lat": "float64", "lon": "float64",
    "geo_precision": "Int64",
    "actors": "object", "killed_low": "Int64", "killed_best": "Int64", "killed_high": "Int64",
    "injured_low": "Int64", "injured_best": "Int64", "injured_high": "Int64", "aggregate": "bool",
    "part_of": "string", "summary": "string", "documents": "object", "n_mentions": "int64",
}


def row(e: Event) -> dict[str, Any]:
    """One event flattened to the Event table's columns."""
    place = e.place
    out = {"id": e.id, "lane": e.lane, "type": e.type, "date": e.date, "date_end": e.date_end,
           "precision": e.precision, "order": e.order}
    for key in ("name", "detail", "admin1", "country", "lat", "lon"):
        out["place" if key == "name" else key] = getattr(place, key) if place else None
    out["geo_precision"] = place.precision if place else None
    out["actors"] = list(e.actors)
    for kind in ("killed", "injured"):
        toll = getattr(e, kind)
        for part in ("low", "best", "high"):
            out[f"{kind}_{part}"] = getattr(toll, part) if toll else None
    out.update(aggregate=bool(e.aggregate), part_of=e.part_of, summary=e.summary, documents=e.documents,
               n_mentions=len(e.mentions))
    return out


def frame(events, extra_columns: dict | None = None):
    """The Event table: one row per event, columns and dtypes as in COLUMNS, then any
    `extra_columns` ({name: [value per event]}, e.g. the hover texts render draws)."""
    import pandas as pd

    df = pd.DataFrame([row(e) for e in events], columns=list(COLUMNS))
    for col in ("date", "date_end"):
        df[col] = pd.to_datetime(df[col].str.slice(0, 10) if len(df) else df[col], errors="coerce",
                                 format="%Y-%m-%d")
    df["lane"] = pd.Categorical(df["lane"], categories=list(LANES))
    df = df.astype({k: v for k, v in COLUMNS.items() if v not in ("datetime64[ns]", "category", "object")})
    for name, values in (extra_columns or {}).items():
        df[name] = values
    return df
