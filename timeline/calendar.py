"""The reference calendar of dated diplomatic events (timeline/data/calendar.yaml)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from timeline import lexicon, regexinfo


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
def _words_patterns() -> tuple:
    """The words of every event as one re.I pattern, and the same pattern case-sensitive: on an
    ASCII text lower-cased the two find the same matches (re.I lets an ASCII letter match only
    its two cases there), and re skips through a case-sensitive alternation by its first letters
    instead of trying every branch at every position."""
    words = {w.lower() for e in events() for g in e.match for w in g}
    # the words as a tree of their shared beginnings (regexinfo.alternation, longer ones first):
    # at each character re tries the few first letters, not every word
    source = r"(?<!\w)(?:" + regexinfo.alternation(words) + r")(?!\w)"
    return re.compile("(?i)" + source), re.compile(source)


@functools.lru_cache(maxsize=1)
def _first_words() -> tuple:
    """Words one of which every calendar event needs (its first match group), lower-cased, none
    that holds another ("geneva ii", not "geneva iii" too): most articles hold none, and a
    substring test for each says so several times faster than one pattern of them all (re
    would stop at every a, c, g, m or s of the text)."""
    words = {w.lower() for e in events() for w in e.match[0]}
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


NEAR = 200  # characters: the words of one event must stand this close together


def named_in(text: str) -> list[CalendarEvent]:
    """Calendar events whose match groups are all named close together in `text`,
    closest first."""
    lowered = text.lower()
    if not any(w in lowered for w in _first_words()):
        return []  # most articles name none of these events: skip the big pattern
    caseless, lower_case = _words_patterns()
    matches = lower_case.finditer(lowered) if text.isascii() else caseless.finditer(text)
    positions = {}
    for m in matches:
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
    groups = []
    for g in event.match:  # most events miss their first group: no need to gather the others
        found = sorted(p for w in g for p in positions.get(w.lower(), ()))
        if not found:
            return None
        groups.append(found)
    best = None
    for anchor in groups[0]:
        nearest = [min(g, key=lambda p: abs(p - anchor)) for g in groups[1:]]
        spread = max([anchor] + nearest) - min([anchor] + nearest)
        if spread <= NEAR and (best is None or spread < best):
            best = spread
    return best
