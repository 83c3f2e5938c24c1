"""The reader's second round of shortcuts gives the same matches as the patterns they stand for.

- regexinfo reads a case-insensitive letter as the few characters re.I matches to it (not as
  every character outside ASCII, which re compiled slowly: a second per process);
- a pattern that starts at a line's start ("^...") is tried only at the start of the search and
  after line breaks;
- a pattern that starts at word starts is screened first for the strings every match holds.
"""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import clean, lexicon, regexinfo


def forced(compiled) -> lexicon.Skipping:
    pattern = lexicon.Skipping(compiled)
    pattern._plan = pattern._analyse()
    return pattern


def spans(m):
    return m and (m.span(), m.groups())


def same(skipping, twin, text: str, pos: int, endpos: int) -> None:
    want = [spans(m) for m in twin.finditer(text, pos, endpos)]
    assert [spans(m) for m in skipping.finditer(text, pos, endpos)] == want
    assert spans(skipping.search(text, pos, endpos)) == spans(twin.search(text, pos, endpos))


def test_the_characters_re_i_reads_as_ascii_letters_are_the_four_listed():
    outside = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    assert set(re.findall(r"(?i)[a-z]", outside)) == set(regexinfo.FOLD_UNSAFE) == set(lexicon.FOLD_UNSAFE)


def test_a_case_insensitive_letter_is_a_class_of_what_re_i_matches_to_it():
    candidates = string.ascii_letters + "".join(regexinfo.FOLD_UNSAFE) + "é"
    for letter in string.ascii_letters + string.digits:
        (atom,), = regexinfo.prefixes(regexinfo.parse(f"(?i:{letter})"))
        want = {c for c in candidates if re.fullmatch(re.escape(letter), c, re.I)}
        assert {c for c in candidates if re.fullmatch(atom, c)} == want


LINE_PATTERNS = [
    (r"^[^\S\n]*(?:share (?:this|on)|follow us)[^\n]*$", re.M),
    (r"^[^\n]{5,}(?:\.\.\.|…)\s*$", re.M),
    (r"^(?=[^\n]{0,40}$)\s*related\b", re.M),
    (r"^ab", 0),  # not multiline: the start of the text only
    (r"\Aab|xy", 0),  # a branch: not every match starts at a line's start
    (r"\Aab", re.M),
    # alternatives that each start at a word start, one inside a case-insensitive group
    (r"(?i:\b(?:in|since)[\s-]+)(?P<m>May|ab)\b|\b(?:[Tt]he|[Ii]ts)\s+(?P<m2>May)", 0),
    (r"(?i:(?<![\w-])(?:share|ab))|(?<!\w)xy", 0),  # alternatives that say different things: no lead
]
PIECES = list("ab xy\n\n.…-") + ["In May", "since ab", "The May", "its May", "ITS may", "\u0131n May", "share this", "Share on", "follow us", "related", "...", "ab...\n", "  "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=50, deadline=None)
@given(text=TEXT, pos=st.integers(0, 60), length=st.integers(0, 200))
def test_patterns_at_line_starts_find_what_the_pattern_finds(text, pos, length):
    for source, flags in LINE_PATTERNS:
        compiled = re.compile(source, flags)
        same(forced(compiled), compiled, text, pos, pos + length)


def test_a_pattern_at_line_starts_is_tried_after_line_breaks():
    plain = re.compile(r"^[^\S\n]*follow us\b", re.M)
    pattern = forced(plain)
    assert pattern._plan[1].pattern == lexicon.LINE_BREAK.pattern  # its starter finds line breaks
    text = ("news of the day " * 5) + "\nfollow us on X\n  follow us too\nnot follow us\n" + ("x" * 40)
    for pos in range(len(text) - lexicon.SHORT_SPAN):
        same(pattern, plain, text, pos, len(text))
    assert not regexinfo.line_start(regexinfo.parse(r"^\s*"))  # may be empty: left as it is
    assert not regexinfo.line_start(regexinfo.parse(r"(?:^a|b)"))


def test_patterns_at_word_starts_are_screened_first():
    plain = re.compile(r"(?<!\w)(?:have all seen|has seen repeated|repeatedly)(?!\w)")
    pattern = forced(plain)
    assert pattern._plan[0] is not None and pattern._plan[1] is not None  # a screen, then the starter
    text = "They have seen it; it has all been seen repeatedly, and they have all seen it, repeatedlyx."
    for pos in range(len(text) - lexicon.SHORT_SPAN):
        same(pattern, plain, text, pos, len(text))
    busy = "repeatedly, " * 10  # a screen that passes most spans gives way to the starter
    for _ in range(lexicon.SCREEN_TRIAL):
        pattern.search(busy, 0, len(busy))
    assert pattern._plan[0] is None and pattern._plan[1] is not None
    same(pattern, plain, text, 0, len(text))


def test_boilerplate_rules_on_text_with_lines():
    text = ("Share this article\nA car bomb killed 12 people in Homs on Monday, the Observatory said.\n"
            "Follow us on Twitter\n(Photo: AFP)\nRelated articles\nMore from Syria\n"
            "Rebels shelled the city again on Tuesday, killing three...\n") * 3
    for _, _, pattern in clean._rules():
        if pattern.twin is None:
            continue
        fold = lexicon.folded(text) if isinstance(pattern, lexicon.Caseless) else text
        plan = pattern._analyse()
        pattern._plan = plan if plan is lexicon.NO_SKIP else list(plan)
        try:
            for pos in range(0, len(fold), 7):
                for endpos in (pos + 40, pos + 200, len(fold)):
                    want = [(m.span(), m.groups()) for m in pattern.twin.finditer(fold, pos, endpos)]
                    assert [(m.span(), m.groups()) for m in pattern._finditer(fold, pos, endpos)] == want
                    assert spans(pattern._search(fold, pos, endpos)) == spans(pattern.twin.search(fold, pos, endpos))
        finally:
            pattern._plan, pattern._uses = None, 0
