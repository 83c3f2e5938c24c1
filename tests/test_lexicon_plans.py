"""lexicon.Skipping's settled plans give the same matches as the patterns they stand for.

- a starter looks behind the start for the character before it (rather than finding that
  character first) when the starts begin with one character, or with capitals and digits only:
  a literal head ("clai" of "\\bclaimed"), a branch per first character, a class of them;
- one that finds the character before a start, when that is no ASCII letter, digit or
  underscore, reads the text's skeleton (lexicon.SKELETON_OF: every other character a space), and
  finds a space there;
- once a plan is settled (no screen on trial), search and finditer are one function each
  (_searcher, _walker) that no longer check the plan.

These tests settle the plans at once and compare every search and finditer, at any span, with
the plain pattern's.
"""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import lexicon, regexinfo

PATTERNS = [
    r"\bclaimed (?:responsibility for )?(?:the )?attacks?\b",  # one literal head
    r"(?<![\w-])(?:leaving|left)\s+(?P<n>\d+)",  # a head, then a branch
    r"\b(?P<m>September|February|May|March)(?:\s+(?P<d>\d{1,2}))?\b",  # capitals: a branch each
    r"\b(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)\b",  # digits and classes of them
    r"(?<![\w-])(?:Assad|Aleppo|Homs|NATO|U\.N\.)(?![\w-])",
    r"\b(?:killed|wounded|attacks)\b",  # lower-case letters: the character before is found first
    r"\b(?:u\.n\.|nato)",  # found first too, and a match may end where the next one starts
    r"\b(?:at|in|near)\s+the\s+same\s+(?:town|area)",  # classes of characters in the starts
    r"(?<!\w)(?:'ll|are expected to|won't)",  # a start that is no letter
    r"(?<![A-Za-z])(?:days?|weeks?|killed)s?(?![A-Za-z])",  # after anything but a letter
    r"(?<![\w-])(?:the Syrian army|the regime|government forces|a rebel)(?![\w-])",  # a short first word
    r"\b(?:\d\d\s+[^\W\d_]+\s+killed|rebels)\b",  # a start that holds a class of all but a few characters
    r"(?<![\w-])(?:Assad|(?i:isis|nusra))(?![\w-])",  # a case-insensitive part: found first too
    r"(?:\d+\s+)?(?:lost\s+their\s+lives|killed)\b",  # a screen on trial, then the starter
    r"^[^\S\n]*follow us\b",
]
FLAGS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, re.M]

PIECES = list("aAbcdeiklmstwx -/.:\n,'_(5\u2019\xab") + [
    "claimed ", "responsibility for ", "the attacks", "attack", "leaving 5", "left 12", "September 3",
    "May", "March", "12:30", "9.05", "24:00", "Assad", "Aleppo", "Homs", "NATO", "U.N.", "ISIS", "Nusra",
    "killed", "wounded", "u.n.", "nato", "at the same town", "in\tthe same  area", "'ll", "are expected to",
    "won't", "days", "5weeks", "the Syrian army", "the regime", "the city", "a rebel", "government forces", "66 journalists killed", "12 men", "rebels", "lost their lives", "follow us", "x-", "reclaimed", "Homsx", "\u212a", "é"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def settled(compiled) -> lexicon.Skipping:
    """The pattern with its plan made and settled, as after HOT_USES searches (a screen on
    trial stays so until SCREEN_TRIAL spans have passed it)."""
    pattern = lexicon.Skipping(compiled)
    plan = pattern._plan = pattern._analyse()
    if plan is not lexicon.NO_SKIP and plan[0] is None:
        pattern._settle(plan)
    return pattern


def spans(m):
    return m and (m.span(), m.groups())


def same(pattern, plain, text: str, pos: int, endpos: int) -> None:
    want = [spans(m) for m in plain.finditer(text, pos, endpos)]
    assert [spans(m) for m in pattern.finditer(text, pos, endpos)] == want
    assert spans(pattern.search(text, pos, endpos)) == spans(plain.search(text, pos, endpos))


@settings(max_examples=80, deadline=None)
@given(text=TEXT, pos=st.integers(0, 80), length=st.integers(0, 300))
def test_settled_plans_find_what_the_pattern_finds(text, pos, length):
    for source, flags in zip(PATTERNS, FLAGS):
        plain = re.compile(source, flags)
        same(settled(plain), plain, text, pos, pos + length)


def test_every_span_after_settling():
    text = ("On Monday the group claimed responsibility for the attacks in Homs, leaving 12 dead; "
            "Assad's forces (U.N. says, u.n.u.n.nato) reclaimed Aleppo at 12:30, and NATO killed ISIS men.\n"
            "The regime and the Syrian army (66 journalists killed) in the same town, 5days later.\n") * 2
    for source, flags in zip(PATTERNS, FLAGS):
        plain = re.compile(source, flags)
        pattern = settled(plain)
        for pos in range(0, len(text), 3):
            for endpos in (pos + 20, pos + 40, pos + 90, len(text)):
                same(pattern, plain, text, pos, endpos)


def starter_of(source: str) -> str:
    tree = regexinfo.parse(source)
    starts = regexinfo.prefixes(tree)
    return regexinfo.starter(starts, regexinfo.lead(tree, starts))


def test_rare_first_characters_are_found_before_the_character_before_them():
    assert starter_of(r"\bclaimed (?:responsibility|credit)").startswith("(?s:clai(?<!")  # a literal head
    assert starter_of(r"\b(?:September|May)\b").startswith("(?s:M(?<!")  # a branch per capital
    assert starter_of(r"\b(?:[01]?\d|2[0-3]):[0-5]\d").startswith("(?s:[")  # a class of digits
    assert starter_of(r"\b(?:killed|wounded)\b").startswith("(?s:[^A-Za-z0-9_]")  # the character before first
    assert starter_of(r"(?<![\w-])(?:Assad|(?i:isis))").startswith("(?s:[^A-Za-z0-9_\\-]")  # [iI]: lower case
    pattern = settled(re.compile(r"\bclaimed (?:responsibility|credit)"))
    assert not pattern._lead and pattern._plan[0] is None  # the head is found as fast as a screen would be
    assert pattern.search.__name__ == "started_search" and pattern.finditer.__name__ == "started_finditer"


def test_a_screen_on_trial_settles_when_the_trial_ends():
    plain = re.compile(r"(?:\d+\s+)?(?:lost\s+their\s+lives|killed)\b")
    pattern = lexicon.Skipping(plain)
    pattern._plan = pattern._analyse()
    assert pattern._plan[0] is not None  # a screen on trial: search is still the method
    busy = "they killed him in the market of the old town"
    for _ in range(lexicon.SCREEN_TRIAL):
        pattern.search(busy, 0, len(busy))
    assert pattern._plan[0] is None  # it passed most spans: it went, and the plan settled
    assert pattern.search.__name__ == "started_search"
    text = "xkilledx and then 40 people killed, on Monday; 3 lost their lives"
    for pos in range(len(text)):
        same(pattern, plain, text, pos, len(text))


def test_caseless_matches_read_the_text_after_settling():
    pattern = lexicon.Caseless(r"(?i)(?<!\w)(?:car bomb|air ?strikes?)(?!\w)")
    pattern._plan = pattern._analyse()
    pattern._settle(pattern._plan)
    text = "A Car Bomb, then AIR STRIKES and an airstrike on the town of the old river valley"
    found = [(m.span(), m.group(0)) for m in pattern.finditer(text)]
    assert found == [(m.span(), m.group(0)) for m in re.finditer(pattern.pattern, text)]
    assert pattern.search(text, 5).group(0) == "AIR STRIKES"


def test_a_starter_at_word_starts_reads_the_skeleton():
    text = "Al-Assad’s (U.N.) forces\n\tkilled 5 in Homs_x, 3km away: é!"
    seen = lexicon.SKELETON_OF[lexicon.WORD_CHARS](text)
    assert len(seen) == len(text) and seen.isascii()
    assert seen == "".join(c if c.isascii() and (c.isalnum() or c == "_") else " " for c in text)
    assert lexicon.SKELETON_OF[lexicon.WORD_CHARS](text) is seen  # kept for the next search of the same text
    pattern = settled(re.compile(r"\b(?:u\.n\.|nato|killed)\b"))
    assert pattern._reads is lexicon.SKELETON_OF[lexicon.WORD_CHARS] and pattern._lead
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.twin.finditer(text)] != []
    after_digits = settled(re.compile(r"(?<![A-Za-z])(?:days?|weeks?)(?![A-Za-z])"))  # "5days": a digit before
    assert after_digits._reads is lexicon.SKELETON_OF[string.ascii_letters]  # digits read as spaces too
    text = "5days, 3 weeks_ and 2weeks (days)\ndays" * 2
    assert [m.span() for m in after_digits.finditer(text)] == [m.span() for m in after_digits.twin.finditer(text)]
    assert len(list(after_digits.finditer(text))) == 10


def test_a_skeleton_class_widens_only_for_characters_read_as_spaces():
    kept = lexicon.WORD_CHARS
    assert regexinfo._spaced("[tT]", kept) == "[tT]"  # both read as themselves: no stop at a space
    assert regexinfo._spaced("[iI\u0130\u0131]", kept) == "[iI\u0130\u0131 ]"  # İ and ı read as spaces
    assert regexinfo._spaced("-", kept) == " " and regexinfo._spaced("[^a]", kept) == "[\\s\\S]"
