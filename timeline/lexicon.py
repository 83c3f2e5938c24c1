"""lexicon: the one registry of the vocabulary in timeline/data.

Every data file is parsed here, once (`load`), and the parts that code decides on are typed:
event types (lane, families, label, colour, ACLED and CAMEO codes, behaviour flags), actors,
outlets and their page layouts, the ACLED mapping both ways and the rules that may read a
dateline. No other module names an event type: it asks the lexicon for the type with a flag
("generic", "may be sought", ...), so a new type is a few lines of event_types.yaml.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Behaviour flags a type may carry in event_types.yaml (`flags: [...]`):
FLAGS = {
    "generic": "the least specific type of its lane: any other type named for the same event wins",
    "default": "the type given to a row or report that names its lane but no type",
    "may_be_sought": "only counts when not merely sought ('without an agreement', 'calls for a truce')",
    "fallback": "counts only when the clause names no more specific type of its lane",
    "no_claimant": "a group claiming the day's attacks is not an actor of these",
}


@functools.lru_cache(maxsize=None)
def load(name: str):
    """Parse timeline/data/NAME (.yaml or .json), with the C YAML loader when there is one."""
    path = DATA / name
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.lru_cache(maxsize=None)
def pattern(name: str):
    """The compiled phrase pattern `name` of patterns.yaml."""
    return re.compile(load("patterns.yaml")["patterns"][name]["pattern"])


# ------------------------------------------------------------------ event types

@dataclass(frozen=True)
class EventType:
    id: str
    lane: str
    label: str
    families: tuple  # reports of one event may name it differently: they cluster when they share one
    rank: int  # priority: when a clause names several types, the lowest rank wins
    colour: str
    triggers: tuple
    acled: tuple | None = None  # (event_type, sub_event_type)
    cameo: str | None = None
    flags: frozenset = frozenset()
    examples: tuple = ()
    not_examples: tuple = ()
    default_place: str | None = None  # where such an event is when the text does not say (the UN's seat)
    short: str = ""  # the word a timeline label uses ("car bomb")

    @property
    def family(self) -> str:
        """The first family: totals of bombings and of shelling are different series."""
        return self.families[0]

    @property
    def carries_tolls(self) -> bool:
        """A figure beside a truce or a meeting is the violence's, not theirs."""
        return self.lane == "violence"

    def has(self, flag: str) -> bool:
        return flag in self.flags


@functools.lru_cache(maxsize=1)
def event_types() -> tuple:
    """Every event type, in priority order."""
    out = []
    for rank, t in enumerate(load("event_types.yaml")["types"]):
        unknown = set(t.get("flags") or ()) - set(FLAGS)
        if unknown:
            raise ValueError(f"event_types.yaml: {t['id']}: unknown flags {sorted(unknown)}")
        out.append(EventType(id=t["id"], lane=t["lane"], label=t["label"], families=tuple(t["families"]), rank=rank,
                             colour=t["colour"], triggers=tuple(t["triggers"]),
                             acled=tuple(t["acled"]) if t.get("acled") else None, cameo=t.get("cameo"),
                             flags=frozenset(t.get("flags") or ()), examples=tuple(t.get("examples") or ()),
                             not_examples=tuple(t.get("not_examples") or ()),
                             default_place=t.get("default_place"), short=t.get("short") or t["label"].lower()))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def types_by_id() -> dict:
    return {t.id: t for t in event_types()}


UNKNOWN_RANK = 99


def event_type(type_id: str | None) -> EventType | None:
    return types_by_id().get(type_id)


def type_ids() -> list[str]:
    return [t.id for t in event_types()]


def label(type_id: str | None) -> str:
    t = event_type(type_id)
    return t.label if t else str(type_id)


def short(type_id: str | None) -> str:
    """The type as a timeline label words it (lower case, short)."""
    t = event_type(type_id)
    return t.short if t else str(type_id or "event")


def rank(type_id: str | None) -> int:
    t = event_type(type_id)
    return t.rank if t else UNKNOWN_RANK


def families(type_id: str | None) -> frozenset:
    t = event_type(type_id)
    return frozenset(t.families) if t else frozenset({"any"})


def family(type_id: str | None) -> str:
    t = event_type(type_id)
    return t.family if t else "any"


def has(type_id: str | None, flag: str) -> bool:
    t = event_type(type_id)
    return bool(t and flag in t.flags)


def default_type(lane: str) -> str:
    """The type of a report that names its lane and nothing more."""
    return next(t.id for t in event_types() if t.lane == lane and "default" in t.flags)


# Colours of whatever is not a known type: a lane's own colour.
LANE_COLOURS = {"violence": "#b2182b", "diplomacy": "#2166ac"}


def colour(type_id: str | None, lane: str | None = None) -> str:
    t = event_type(type_id)
    return t.colour if t else LANE_COLOURS.get(lane or "", "#777777")


# ------------------------------------------------------------------ ACLED

@functools.lru_cache(maxsize=1)
def acled() -> dict:
    return load("acled.yaml")


def acled_import(sub_event_type: str, event_type_name: str) -> str | None:
    """Our type for an ACLED row: a type id, 'read notes' (older exports whose event type says too
    little: the notes decide) or None (in neither lane: protests, arrests ...)."""
    data = acled()["import"]
    if sub_event_type in data["sub_event_type"]:
        return data["sub_event_type"][sub_event_type]
    if not sub_event_type and event_type_name in data["read_notes"]:
        return "read notes"
    if sub_event_type in data["skip"] or (not sub_event_type and event_type_name in data["skip"]):
        return None
    return data["event_type"].get(event_type_name)


def acled_export(type_id: str) -> list:
    """[event_type, sub_event_type] of one of our types in ACLED's terms."""
    t = event_type(type_id)
    if t and t.acled:
        return list(t.acled)
    return acled()["export"].get(type_id, ["Strategic developments", "Other"])


def acled_time_precision(precision: str | None) -> int:
    return acled()["time_precision"].get(precision or "day", 1)


# ------------------------------------------------------------------ actors, outlets, rules

@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # person | state | state forces | armed group | organisation ...
    country: str | None
    aliases: tuple


@functools.lru_cache(maxsize=1)
def actors() -> dict:
    """{canonical name: Actor}"""
    return {a["name"]: Actor(a["name"], a["kind"], a.get("country"), tuple(str(x) for x in a["aliases"]))
            for a in load("actors.yaml")["actors"]}


PERSONAL_NAME = re.compile(r"(?:(?:al|el|bin|ibn|de|van|von)[- ])?[A-Z][\w'-]+(?:\s+(?:(?:al|el|bin|ibn|de|van|von)[- ])?"
                           r"[A-Z][\w'-]+){1,3}")


def persons(names) -> frozenset:
    """The people among actor names: those the actor table knows as people, and names it does
    not know that read as a person's ("Adel al-Jubeir": extract finds them with their office)."""
    known = actors()
    return frozenset(a for a in names if (known[a].kind == "person" if a in known else PERSONAL_NAME.fullmatch(a)))


def states(names) -> frozenset:
    """The states among actor names, and the states of the people named."""
    known, out = actors(), set()
    for a in names:
        actor = known.get(a)
        if actor and actor.kind == "state":
            out.add(a)
        elif actor and actor.kind == "person" and actor.country:
            out.add(actor.country)
    return frozenset(out)


@dataclass(frozen=True)
class Outlet:
    id: str
    names: tuple
    date_order: str | None
    layouts: tuple  # patterns of page furniture (whole lines) that give the outlet away


@functools.lru_cache(maxsize=1)
def outlets() -> tuple:
    return tuple(Outlet(o["id"], tuple(o["names"]), o.get("date_order"), tuple(o.get("layout") or ()))
                 for o in load("outlets.yaml")["outlets"])


@functools.lru_cache(maxsize=1)
def dateline_rules() -> frozenset:
    """Ids of the temporal rules that may read a dateline (full dates, not 'Monday')."""
    return frozenset(load("timex_rules.yaml")["dateline_rules"])
