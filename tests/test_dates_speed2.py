"""The date stage's shortcuts find what the plain computations find.

- an outlet's layout lines run as lexicon.Skipping, tried only at line starts: the tests force
  the shortcut's plan (in a long run it is made after a few hundred uses) and compare every
  search with the pattern as re compiles it from the data;
- a clause's last mark is found by one pattern, its mark words only where str.find sees one;
- calendar events are looked for only in texts that hold a word of one's first group (substring
  tests, not a pattern).
"""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FAKES, fakes_csv_rows
from timeline import calendar, dates, lexicon, regexinfo, timex

PIECES = ["\n", "\n\n", "  ", "\t", " - ", "x", "The update was slow.", "Last update: ", "LAST UPDATE: ",
          "Mon, 05/09/2016 - 17:15", "Tue, 6/9/2016 - 7:15", "Updated", "\u0130", "é", "x" * 45]
TEXT = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


def _corpus_texts(limit=60):
    """FA-KES's first texts, when the data is beside the checkout (the fixed texts are tested either way)."""
    return [row["article_content"] for row in fakes_csv_rows(limit)] if FAKES.exists() else []


@contextlib.contextmanager
def planned():
    """The layout lines with their plans made now (restored afterwards)."""
    patterns = [dates.layout_line(p) for o in lexicon.outlets() for p in o.layouts]
    saved = [(pattern, pattern._plan, pattern._uses) for pattern in patterns]
    for pattern in patterns:
        plan = pattern._analyse()
        pattern._plan = plan if plan is lexicon.NO_SKIP else list(plan)
    try:
        yield patterns
    finally:
        for pattern, plan, uses in saved:
            pattern._plan, pattern._uses = plan, uses


def _layout_found(text):
    return [(p, m and m.span()) for o in lexicon.outlets() for p in o.layouts
            for m in [dates.layout_line(p).search(text)]]


def _plain_layout_found(text):
    return [(p, m and m.span()) for o in lexicon.outlets() for p in o.layouts
            for m in [re.search(r"(?m)^[^\S\n]*" + p + r"[^\S\n]*$", text)]]


def test_layout_lines_skip_to_line_starts():
    with planned() as patterns:
        assert patterns and all(p._plan[1] is lexicon.LINE_BREAK for p in patterns)


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_layout_lines_are_those_of_the_plain_patterns(text):
    with planned():
        assert _layout_found(text) == _plain_layout_found(text)


def test_layout_lines_of_corpus_texts():
    texts = _corpus_texts() + ["Last update: Mon, 05/09/2016 - 17:15\nA car bomb killed 4 people in Homs."]
    with planned():
        for text in texts:
            lined = text.replace(". ", ".\n")  # the corpus writes an article on one line: lines too
            for t in (text, lined, "Updated: Mon, 05/09/2016\n" + lined):
                assert _layout_found(t) == _plain_layout_found(t)


# ---------------------------------------------------------------- a clause's start

OLD_CLAUSE_START = re.compile(r"[.;!?\n,]|\bthat\b|\bwhich\b")
CLAUSE_PIECES = list(".;!?\n, ab_") + ["\n\n", "that", "which", "thatch", "whichever", "That", "\u0131", "é"]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(CLAUSE_PIECES), max_size=30).map("".join), pos=st.integers(0, 40),
       length=st.integers(0, 80))
def test_a_clause_starts_after_its_last_mark_or_mark_word(text, pos, length):
    lo, end = min(pos, len(text)), min(pos + length, len(text))
    left = 0
    for m in OLD_CLAUSE_START.finditer(text, lo, end):
        left = m.end()
    assert timex._clause_start(text, lo, end) == left


@pytest.mark.parametrize("text", ["a.b\n", "x, y;\n", "a?b!c", "so that\n", "that, which", "w which"])
def test_a_clause_starts_after_each_mark(text):
    for end in range(len(text) + 1):
        left = 0
        for m in OLD_CLAUSE_START.finditer(text, 0, end):
            left = m.end()
        assert timex._clause_start(text, 0, end) == left


# ---------------------------------------------------------------- calendar events

def _plain_named_in(text):
    """calendar.named_in without its screen: every event's words looked for in every text."""
    words = sorted({w.lower() for e in calendar.events() for g in e.match for w in g}, key=len, reverse=True)
    pattern = re.compile(r"(?i)(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    positions = {}
    for m in pattern.finditer(text):
        positions.setdefault(m.group(0).lower(), []).append(m.start())
    found = [(calendar._spread(e, positions), e) for e in calendar.events()]
    return [e for _, e in sorted(((s, e) for s, e in found if s is not None), key=lambda f: (f[0], f[1].start))]


def test_the_screen_passes_every_first_word():
    first = re.compile(regexinfo.alternation({w.lower() for e in calendar.events() for w in e.match[0]}))
    for event in calendar.events():
        for word in event.match[0]:
            for text in (word, word.upper(), f"the {word.capitalize()}, said"):
                assert bool(first.search(text.lower())) == any(w in text.lower() for w in calendar._first_words())


def test_every_event_named_alone_is_found():
    for event in calendar.events():
        text = "Talks: " + " and ".join(g[-1] for g in event.match) + "."
        assert event in calendar.named_in(text)
        assert calendar.named_in(text) == _plain_named_in(text)


EVENT_WORDS = sorted({w for e in calendar.events() for g in e.match for w in g})
CALENDAR_PIECES = [" ", ", ", ". ", "x", "talks in "] + EVENT_WORDS + [w.upper() for w in EVENT_WORDS]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(CALENDAR_PIECES), max_size=12).map("".join))
def test_named_in_is_what_every_events_words_give(text):
    assert calendar.named_in(text) == _plain_named_in(text)
