"""lexicon.Skipping.finditer_spans (and Caseless's) gives the matches of finditer over each span
in turn, as timex.candidates ran it window by window: one call, one skeleton lookup and one
generator for all the windows of a rule.

These compare it with the plain pattern's finditer span by span, for settled plans (a starter
that looks behind a start, one that finds the character before it in a skeleton, one at line
starts, a screen on trial), for plans not made yet, and for re.I patterns through Caseless.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import lexicon
from test_lexicon_plans import FLAGS, PATTERNS, TEXT, settled

CASELESS = [
    r"(?i)(?<!\w)(?:car bomb|air ?strikes?|killed)(?!\w)",
    r"(?i)\b(?P<m>september|may)(?:\s+(?P<d>\d{1,2}))?\b",
    r"(?i)(?<![\w-])(?:assad|the regime|u\.n\.)",
]


def settled_caseless(source: str, screened: bool = False) -> lexicon.Caseless:
    """The Caseless with its plan settled: with its screen when `screened` (as when the screen
    passed its trial), else with its starter alone (as when it failed)."""
    pattern = lexicon.Caseless(source)
    plan = pattern._plan = pattern._analyse()
    if plan is not lexicon.NO_SKIP:
        if not screened:
            plan[0], plan[1] = None, plan[2]
        pattern._settle(plan)
    return pattern


def each_span(plain, text: str, spans) -> list:
    return [(m.span(), m.groups(), m.group(0)) for lo, hi in spans for m in plain.finditer(text, lo, hi)]


def found(pattern, text: str, spans) -> list:
    return [(m.span(), m.groups(), m.group(0)) for m in pattern.finditer_spans(text, spans)]


SPANS = st.lists(st.tuples(st.integers(0, 120), st.integers(0, 300)), max_size=6).map(
    lambda pairs: [(lo, lo + length) for lo, length in pairs])


@settings(max_examples=80, deadline=None)
@given(text=TEXT, spans=SPANS)
def test_spans_find_what_the_pattern_finds_span_by_span(text, spans):
    for source, flags in zip(PATTERNS, FLAGS):
        plain = re.compile(source, flags)
        assert found(settled(plain), text, spans) == each_span(plain, text, spans)
        assert found(lexicon.Skipping(plain), text, spans) == each_span(plain, text, spans)  # no plan yet
    for source in CASELESS:
        plain = re.compile(source)
        for screened in (False, True):
            assert found(settled_caseless(source, screened), text, spans) == each_span(plain, text, spans)


def test_windows_of_a_long_text():
    text = ("On Monday the group claimed responsibility for the attacks in Homs, leaving 12 dead; "
            "Assad's forces (U.N. says, u.n.u.n.nato) reclaimed Aleppo at 12:30, and NATO killed ISIS men.\n"
            "The regime and the Syrian army (66 journalists killed) in the same town, 5days later.\n") * 3
    windows = [[(lo, lo + width) for lo in range(0, len(text), step)] for width, step in ((140, 150), (40, 41))]
    windows += [[(0, 35), (36, 300), (301, len(text))], [(0, len(text))], []]
    for spans in windows:
        for source, flags in zip(PATTERNS, FLAGS):
            plain = re.compile(source, flags)
            assert found(settled(plain), text, spans) == each_span(plain, text, spans), source
        for source in CASELESS:
            for screened in (False, True):
                assert found(settled_caseless(source, screened), text, spans) == each_span(re.compile(source), text,
                                                                                           spans)


def test_a_screen_on_trial_and_the_text_re_i_reads_apart():
    plain = re.compile(r"(?:\d+\s+)?(?:lost\s+their\s+lives|killed)\b")
    pattern = lexicon.Skipping(plain)
    pattern._plan = pattern._analyse()
    assert pattern._plan[0] is not None  # a screen on trial: span by span through _finditer
    text = "xkilledx and then 40 people killed, on Monday; 3 lost their lives " * 4
    spans = [(0, 50), (60, 140), (150, len(text))]
    assert found(pattern, text, spans) == each_span(plain, text, spans)
    odd = "The \u212aelvin car bomb, then a CAR BOMB and AIR STRIKES near the town of Homs today"  # no fold
    caseless = settled_caseless(CASELESS[0])
    assert lexicon.folded(odd) is None
    spans = [(0, 40), (41, len(odd))]
    assert found(caseless, odd, spans) == each_span(re.compile(CASELESS[0]), odd, spans)
