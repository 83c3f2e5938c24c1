"""The reader's third round of shortcuts finds what the patterns they stand for find.

Each shortcut replaces a pattern by something quicker (a screen, a set lookup, an rfind, a
pattern re can skip through): on texts made of the words the pattern is about, mixed case and
with the letters re.I reads differently (dotless i, the Kelvin sign), both give the same answer,
so that a word added to one and not the other fails here rather than changing a reading.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from timeline import lexicon, places, sentences, timex, tolls

PIECES = [" ", "  ", ", ", "; ", ".", "\n", "a", "Ab", "I", "\u0131", "\u212a", "_", "-", "5", "12", "al-", "el-"]


def text_of(words):
    pieces = PIECES + words + [w.upper() for w in words[:6]] + [w.capitalize() for w in words[:6]]
    return st.lists(st.sampled_from(pieces), max_size=40).map("".join)


def span_in(text, pos, length):
    return min(pos, len(text)), min(pos + length, len(text))


BREAK_WORDS = ["while", "whereas", "as", "as well", "after", "before", "when", "following", "a day after",
               "hours before", "just after", "shortly after", "Meanwhile", "meanwhile", "Elsewhere", "In a separate",
               ", following the", ", as the", ", when", " while ", " Meanwhile in", " a week before"]


@settings(max_examples=150, deadline=None)
@given(text=text_of(BREAK_WORDS), pos=st.integers(0, 60), length=st.integers(0, 200))
@example(text="Rebels shelled the town, following the raid on it.", pos=0, length=200)
@example(text="Rebels shelled the town, when the army left.", pos=0, length=200)
@example(text="Rebels shelled the town Meanwhile in Homs", pos=0, length=200)
def test_clause_breaks_are_those_of_the_clause_break_pattern(text, pos, length):
    start, end = span_in(text, pos, length)
    want = [m.span() for m in sentences.CLAUSE_BREAK.finditer(text, start, end)]
    assert sentences._breaks(text, start, end) == want


NUMBER_WORDS = ["one", "two", "three", "ten", "twenty", "hundred", "dozen", "single", "an", "none", "twentyfive"]


@settings(max_examples=150, deadline=None)
@given(text=text_of(NUMBER_WORDS), pos=st.integers(0, 60), length=st.integers(0, 200))
def test_has_number_is_what_the_number_pattern_finds(text, pos, length):
    start, end = span_in(text, pos, length)
    assert tolls.has_number(text, start, end) == bool(tolls._number_pattern().search(text, start, end))


ABBREVIATIONS = ["Gov.", "U.S.", "Mr.", "J.", "Jan.", "etc.", "vs.", "Dr", "No.", "A.B.", "x_y."]


@settings(max_examples=150, deadline=None)
@given(line=text_of(ABBREVIATIONS))
def test_no_stop_is_what_the_abbreviation_pattern_finds(line):
    for mark in (i for i, c in enumerate(line) if c in ".!?"):
        want = sentences._no_stop().search(line[max(0, mark - sentences.NO_STOP_BACK):mark + 1]) is not None
        assert sentences._no_stop_at(line, mark) == want


OLD_CLAUSE_START = re.compile(r"[.;!?\n,]|\bthat\b|\bwhich\b")


@settings(max_examples=150, deadline=None)
@given(text=text_of(["that", "which", "thatch", "whichever", "it will"]), pos=st.integers(0, 60),
       length=st.integers(0, 200))
def test_a_clause_starts_after_its_last_mark(text, pos, length):
    lo, end = span_in(text, pos, length)
    left = 0
    for m in OLD_CLAUSE_START.finditer(text, lo, end):
        left = m.end()
    assert timex._clause_start(text, lo, end) == left


OLD_CANDIDATE = re.compile(r"(?:\b(?:al|el|as|ar|ad|ash|az)-)?[A-Z][\w'’‘ʿ-]*(?:\s+(?:al-|el-|ez-|ad-|as-)?[A-Z][\w'’‘ʿ-]*){0,3}")


@settings(max_examples=150, deadline=None)
@given(text=text_of(["al-Bab", "ash-Sham", "az-Zor", "Deir ez-Zor", "Homs", "tal-Abyad", "as-", "Aleppo City",
                        " ash-Sham", " ad-Dana", " ar-Raqqa", " el-Bab", " as-Safira"]),
       pos=st.integers(0, 60), length=st.integers(0, 200))
def test_capitalised_runs_are_those_of_the_plain_pattern(text, pos, length):
    start, end = span_in(text, pos, length)
    want = [m.span() for m in OLD_CANDIDATE.finditer(text, start, end)]
    assert [m.span() for m in places.CANDIDATE.finditer(text, start, end)] == want


def test_country_words_are_found_as_the_longest_first_alternation_finds_them():
    words = places.extra()["countries"]
    plain = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                       + r")(?:['’]?s)?(?![\w])")
    text = " ".join(f"{w} {w}'s .{w} x{w} {w}s, ({w})" for w in sorted(words))
    assert [m.span() for m in places.extra()["country_pattern"].finditer(text)] == \
        [m.span() for m in plain.finditer(text)]


SHAPE_WORDS = ["left", "leaving", "the deaths of", "killing", "injury of", "death toll", "rose to", "was killed",
               "has been injured", "killed", "kills", "a", "an", "one", "soldier", "woman", "people", "dead",
               "wounded", "10", "dozens", "left 10 dead", "the deaths of 12", "the death toll rose to 42",
               "The soldier was killed", "a girl child had been injured", "killing an soldier", "kills one woman"]


@settings(max_examples=150, deadline=None)
@given(text=text_of(SHAPE_WORDS))
@example(text="A soldier had been injured in the raid.")
@example(text="The blast left 10 dead; the deaths of 12 others, the death toll rose to 42, killing an officer.")
def test_a_shape_matches_only_where_its_screen_finds_its_words(text):
    """The screen of a toll shape is sound: where the shape matches, its words are there."""
    g, fold = tolls.grammar(), lexicon.folded(text)
    if fold is None:
        return  # such a text runs every shape
    for shape, screen in zip(g["shapes"], g["anchors"]):
        if screen is not None and shape.search(text):
            assert screen.search(fold) is not None, shape.pattern[:60]
