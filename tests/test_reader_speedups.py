"""The reader's shortcuts give the same matches as the patterns they stand for.

lexicon.Skipping (and Caseless, built on it) runs a hot pattern only where regexinfo says a match
may be: past a screen (a string every match holds) or at a starter (where a match may begin).
These tests force the shortcuts on at once and compare every search and finditer, at any span,
with the plain pattern's.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import clean, dates, extract, lexicon, places, regexinfo, timex, tolls

PATTERNS = [
    r"(?<![\w-])(?:car[- ]bombs?|air ?strikes?|met|G7|self-immolat\w*)(?![\w-])",
    r"\b(?:killed|wounded)\b",
    r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>0[1-9]|1[0-2])",
    r"(?<![\d/.-])(?P<a>\d{1,2})(?:(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d\d))",
    r"(?:lost\s+their\s+lives|fell\s+victims?)",
    r"\b(?:the|a|one)\s+(?P<one>soldier|man)\s+(?:was|has been)\s+killed\b",
    r"x*",  # may match empty: nothing to skip by
    r"(?:ab|a)(?:c|)",
    r"[^\W\d]+ing\b",
    r"(?i:kill)ed",  # a case-insensitive part: either case, or a letter outside ASCII that re.I reads as one
    r"(?<![\w-])(?:Assad|(?i:isis|nusra|kelvin))(?![\w-])",
    r"\b(?:(?P<mod>(?i:last|next))\s+)?(?P<wd>Monday|Friday)",
    r"\bNATO\b|\bU\.N\.",
    r"(?<!\w)(?:no|not yet|without)\s+(?:a\s+)?(?:deal|truce)",
]

PIECES = list("aAbceGdgiklmnorstwxyz7019-/. \n,'") + [
    "\u212a", "\u017f", "ISIS", "Kelvin", "Last Monday", "killed ", "car bomb", "air strike", "2016-09-", "12/09/16",
    "the soldier was killed", "NATO", "lost their lives", "İ", "é"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def forced(compiled) -> lexicon.Skipping:
    pattern = lexicon.Skipping(compiled)
    pattern._plan = pattern._analyse()
    return pattern


def same(skipping, twin, text: str, pos: int, endpos: int) -> None:
    want = [(m.span(), m.groups()) for m in twin.finditer(text, pos, endpos)]
    assert [(m.span(), m.groups()) for m in skipping.finditer(text, pos, endpos)] == want
    first = twin.search(text, pos, endpos)
    found = skipping.search(text, pos, endpos)
    assert (found and (found.span(), found.groups())) == (first and (first.span(), first.groups()))


@settings(max_examples=60, deadline=None)
@given(text=TEXT, pos=st.integers(0, 90), length=st.integers(0, 90))
def test_skipping_finds_what_the_pattern_finds(text, pos, length):
    for source in PATTERNS:
        compiled = re.compile(source)
        same(forced(compiled), compiled, text, pos, pos + length)


def test_a_screen_that_passes_most_spans_gives_way_to_the_starter():
    pattern = forced(re.compile(r"(?:\d+\s+)?(?:lost\s+their\s+lives|killed)\b"))
    assert pattern._plan[0] is not None  # a screen first
    text = "they killed him in the market of the old town"
    for _ in range(lexicon.SCREEN_TRIAL):
        pattern.search(text, 0, len(text))
    assert pattern._plan[0] is None and pattern._plan[1] is not None
    text = "xkilledx and then 40 people killed, on Monday"
    assert pattern.search(text).span() == re.search(r"(?:\d+\s+)?(?:lost\s+their\s+lives|killed)\b", text).span()


def test_patterns_at_word_starts_take_a_starter():
    plain = re.compile(r"(?<![\w-])(?:killed|wounded)(?![\w-])")
    pattern = forced(plain)
    assert pattern._plan[1] is not None  # a starter (behind a screen of the words)
    text = "killed, then re-killed, and more were wounded later that day in the town"
    assert pattern.search(text).span() == (0, 6)  # at the very start: no character before it
    for pos in range(len(text) - lexicon.SHORT_SPAN):  # the lookbehind sees the character before the span
        found, want = pattern.search(text, pos), plain.search(text, pos)
        assert (found and found.span()) == (want and want.span())


def test_factors_and_prefixes():
    tree = regexinfo.parse(r"\bsuicide (?:car )?bomb(?:er|s)?\b")
    needed = regexinfo.factors(tree)
    assert "suicide bomb" in needed and "suicide car bomb" in needed and all("bomb" in f for f in needed)
    assert regexinfo.prefixes(tree) == {tuple("suic")}
    assert regexinfo.prefixes(regexinfo.parse(r"x*")) is None  # may be empty
    assert regexinfo.prefixes(regexinfo.parse(r"\dfoo")) == {("[\\d]", "f", "o", "o")}  # a class: one atom
    assert regexinfo.factors(regexinfo.parse(r"(?i:abc)")) is None
    assert regexinfo.prefixes(regexinfo.parse(r"(?i:ab)")) == {("[aA]", "[bB]")}
    assert regexinfo.prefixes(regexinfo.parse(r"(?i:ks)")) == {("[kK\u212a]", "[sS\u017f]")}  # what re.I matches to them
    assert regexinfo.parse(r"(?i)abc") is None  # case-insensitive: Caseless reads its twin instead


def test_fast_start_patterns_are_left_alone():
    pattern = forced(re.compile(r"(?:President|Minister)\s+$"))
    assert pattern._plan == lexicon.NO_SKIP


def _hot_patterns():
    extract.all_triggers()
    found = [extract.all_triggers(), extract.CLAIM, places.extra()["detail"], places.extra()["detail_noun"],
             tolls.grammar()["any_word"], *tolls.grammar()["shapes"], *extract.cues().values()]
    found += [p for _, _, _, p, _ in timex.rules()] + [p for _, _, p in clean._rules()]
    found += [places.CAPITAL, places.NOUN_OF, places.extra()["country_pattern"], dates.NUMERIC, extract.TITLED_PERSON,
              places.TITLED, tolls._number_pattern(), timex._anchor_word_pattern(), extract.actors()[0],
              extract.sources()[0]]
    return found


@pytest.mark.parametrize("index", range(len(_hot_patterns())))
def test_the_readers_patterns_find_the_same_with_their_shortcuts(index):
    pattern = _hot_patterns()[index]
    if pattern.twin is None:
        return
    text = ("Monday a car bomb killed at least 40 people in Homs, 25/09/2016; the soldier was killed "
            "and dozens more wounded. ISIS claimed responsibility for the attacks in 2016 at 10:30. "
            "Fighting in the al-Zahraa neighbourhood went on since the 1980s, three days later.") * 2
    fold = lexicon.folded(text) if isinstance(pattern, lexicon.Caseless) else text
    plan = pattern._analyse()
    pattern._plan = plan if plan is lexicon.NO_SKIP else list(plan)
    for pos in range(0, len(fold), 13):
        for endpos in (pos + 5, pos + 40, pos + 150, len(fold)):
            want = [(m.span(), m.groups()) for m in pattern.twin.finditer(fold, pos, endpos)]
            assert [(m.span(), m.groups()) for m in pattern._finditer(fold, pos, endpos)] == want
            first = pattern.twin.search(fold, pos, endpos)
            found = pattern._search(fold, pos, endpos)
            assert (found and found.span()) == (first and first.span())
    pattern._plan, pattern._uses = None, 0
