"""The reference calendar of dated diplomatic events (timeline/data/calendar.yaml)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from timeline import lexicon


@dataclass(frozen=True)
class CalendarEvent:
    id: str
    name: str
    start: date
    end: date
    place: str
    type: str
    match: tuple  # tuple of tuples of words; every group must be named


@functools.lru_cache(maxsize=1)
def events() -> tuple:
    out = []
    for e in lexicon.load("calendar.yaml")["events"]:
        out.append(CalendarEvent(id=e["id"], name=e["name"], start=e["start"], end=e["end"],
                                 place=e["place"], type=e["type"],
                                 match=tuple(tuple(str(w) for w in g) for g in e["match"])))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _words_pattern():
    words = sorted({w.lower() for e in events() for g in e.match for w in g}, key=len, reverse=True)
    return re.compile(r"(?i)(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


@functools.lru_cache(maxsize=1)
def _first_words() -> tuple:
    """Words one of which every calendar event needs (its first match group)."""
    return tuple(sorted({w.lower() for e in events() for w in e.match[0]}))


NEAR = 200  # characters: the words of one event must stand this close together


def named_in(text: str) -> list[CalendarEvent]:
    """Calendar events whose match groups are all named close together in `text`,
    closest first."""
    lowered = text.lower()
    if not any(word in lowered for word in _first_words()):
        return []  # most articles name none of these events: skip the big pattern
    positions = {}
    for m in _words_pattern().finditer(text):
        positions.setdefault(m.group(0).lower(), []).append(m.start())
    if not positions:
        return []
    found = []
    for event in events():
        spread = _spread(event, positions)
        if spread is not None:
            found.append((spread, event))
    return [e for _, e in sorted(found, key=lambda f: (f[0], f[1].start))]


def _spread(event: CalendarEvent, positions: dict) -> int | None:
    """The smallest stretch of text that names every group of `event`, if under NEAR."""
    groups = [sorted(p for w in g for p in positions.get(w.lower(), ())) for g in event.match]
    if not all(groups):
        return None
    best = None
    for anchor in groups[0]:
        nearest = [min(g, key=lambda p: abs(p - anchor)) for g in groups[1:]]
        spread = max([anchor] + nearest) - min([anchor] + nearest)
        if spread <= NEAR and (best is None or spread < best):
            best = spread
    return best
