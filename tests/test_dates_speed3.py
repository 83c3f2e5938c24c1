"""The date stage's shortcuts (3) find what the plain computations find.

- calendar event words are looked for by one pattern written as a tree of their shared
  beginnings (regexinfo.alternation), not as every word longest first;
- the places where a dateline may stand are worked out each when it is tried, not all at once;
- a boilerplate rule lexicon cannot plan whose matches start at line starts is tried only there.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import fakes_csv_rows
from timeline import calendar, clean, dates, lexicon, records



def _plain_words_patterns():
    """calendar._words_patterns as a plain alternation: every word, longest first."""
    words = sorted({w.lower() for e in calendar.events() for g in e.match for w in g}, key=len, reverse=True)
    source = r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)"
    return re.compile("(?i)" + source), re.compile(source)


EVENT_WORDS = sorted({w for e in calendar.events() for g in e.match for w in g})
# the words, their beginnings and what may follow them: a shorter word inside a longer one
# ("geneva" in "geneva 2") and a word run into the next ("genevax") are where a tree could differ
WORD_PIECES = EVENT_WORDS + [w[:-1] for w in EVENT_WORDS] + [w.upper() for w in EVENT_WORDS] + [
    " ", ", ", "x", "2", "-", "é", "\u0130", " 2", " ii", " iii"]


def _spans(pattern, text):
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(WORD_PIECES), max_size=12).map("".join))
def test_the_words_tree_finds_what_every_word_finds(text):
    (caseless, lower_case), (plain_caseless, plain_lower) = calendar._words_patterns(), _plain_words_patterns()
    assert _spans(caseless, text) == _spans(plain_caseless, text)
    assert _spans(lower_case, text.lower()) == _spans(plain_lower, text.lower())


def test_every_word_is_found_whole():
    caseless, lower_case = calendar._words_patterns()
    for word in EVENT_WORDS:
        for text in (word, f"in {word}, said", f"the {word} talks"):
            start = text.index(word)
            assert (start, start + len(word)) in _spans(lower_case, text.lower())
            assert (start, start + len(word)) in _spans(caseless, text)


# ---------------------------------------------------------------- dateline regions

def _plain_regions(doc, cleaned):
    """dates._dateline_regions as a list, every region worked out first."""
    found = cleaned.find(doc.title) if doc.title else -1
    regions = []
    if 0 <= found < 200:
        if found > 0:
            regions.append((0, found, "start"))
        title_end = found + len(doc.title)
        regions.append((title_end, min(len(cleaned), title_end + dates.HEAD_CHARS), "head"))
    else:
        regions.append((0, min(len(cleaned), dates.HEAD_CHARS), "head"))
    regions += [(m.start(), m.end(), "line") for m in dates.CUE_LINE.finditer(cleaned)]
    if found >= 0:
        regions.append((found, found + len(doc.title), "title"))
    return regions


TITLES = ["", "Syria talks", "Last update: Mon, 05/09/2016"]
PIECES = ["\n", " ", "Syria talks", "Last update: Mon, 05/09/2016 - 17:15\n", "Posted on April 19 2017\n",
          "Fri 10 Jul 2015 ", "x" * 120, "The update was slow.", "Updated 3/4/2016\n", "on 5 May 2016"]


@settings(max_examples=200, deadline=None)
@given(title=st.sampled_from(TITLES), text=st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_the_regions_are_the_plain_ones(title, text):
    doc = records.Document(id="d", title=title, text=text)
    assert list(dates._dateline_regions(doc, text)) == _plain_regions(doc, text)


def test_real_articles_get_the_regions_and_dateline_of_the_plain_computation(monkeypatch):
    rows = fakes_csv_rows(150)
    docs = [records.Document(id=r["unit_id"], title=r["article_title"], text=r["article_content"]) for r in rows]
    found = [dates.dateline(doc, doc.text, dates.OrderDecider(doc.text, None)) for doc in docs]
    assert [list(dates._dateline_regions(doc, doc.text)) for doc in docs] == [_plain_regions(doc, doc.text) for doc in docs]
    monkeypatch.setattr(dates, "_dateline_regions", _plain_regions)
    assert found == [dates.dateline(doc, doc.text, dates.OrderDecider(doc.text, None)) for doc in docs]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(WORD_PIECES), max_size=12).map("".join))
def test_named_in_is_what_every_events_words_give(text):
    plain_caseless, _ = _plain_words_patterns()
    positions = {}
    for m in plain_caseless.finditer(text):
        positions.setdefault(m.group(0).lower(), []).append(m.start())
    found = [(calendar._spread(e, positions), e) for e in calendar.events()]
    plain = [e for _, e in sorted(((s, e) for s, e in found if s is not None), key=lambda f: (f[0], f[1].start))]
    assert calendar.named_in(text) == plain


# ---------------------------------------------------------------- boilerplate at line starts

LINE_PIECES = ["\n", "\n\n", " ", "\t", "x", "x" * 100, "Photo: AFP", "(Photo credit: Getty Images)",
               "Smoke rises. AFP PHOTO", "A man walks past rubble (AFP/Getty Images)", "photo /", "\u0130", "é"]


def _line_start_rules():
    return [pattern for _, _, pattern in clean._rules() if isinstance(pattern, lexicon.AtLineStarts)]


def test_a_rule_runs_at_line_starts():
    assert _line_start_rules()  # else the tests below test nothing


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(LINE_PIECES), max_size=20).map("".join))
def test_line_start_rules_find_what_their_patterns_find(text):
    for rule in _line_start_rules():
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in rule.pattern.finditer(text)]


def test_line_start_rules_on_real_articles():
    texts = [row["article_content"] for row in fakes_csv_rows()]
    for rule in _line_start_rules():
        for text in texts:
            assert [m.span() for m in rule.finditer(text)] == [m.span() for m in rule.pattern.finditer(text)]
