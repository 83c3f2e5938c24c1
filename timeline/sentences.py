"""Sentences and clauses of a cleaned text, as (start, end) offsets into it.

A regex splitter that knows titles and abbreviations ("Gov. Talal Barazi", "U.S.", "Sept. 4"):
punkt's data cannot be downloaded here, and on news this did as well.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from timeline import lexicon

HEADING_MAX_WORDS = 14


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    heading: bool  # a title or section heading: a line with no closing punctuation


@functools.lru_cache(maxsize=1)
def _no_stop():
    data = lexicon.load("abbreviations.yaml")
    words = data["titles"] + data["months"] + data["other"]
    acr = "|".join(re.escape(a) for a in sorted(data["acronyms"], key=len, reverse=True))
    return re.compile(r"(?:(?<![\w.])(?:" + "|".join(re.escape(w) for w in words) + r")|(?<![\w.])(?:" + acr
                      + r")|(?<![\w.])[A-Z])\.$")


# A match starts only at the first mark of a run ("...", "?!"): started inside a run of 20,000
# dots, each attempt would back off through the rest of it, and the split would be quadratic.
# The check looks back from the second character ("no mark before this first one"), so that the
# pattern starts with the marks and re jumps from mark to mark instead of trying every position.
BOUNDARY = re.compile(r"[.!?](?<![.!?]{2})[.!?]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])"
                      r"|[.!?](?<![.!?]{2})[.!?]*[\"'”’)\]]*\s*$")


def split(text: str) -> list[Sentence]:
    """Sentences of `text`: paragraphs (lines) are hard boundaries."""
    out = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group(0)
        if not body.strip():
            continue
        out.extend(_split_line(line.start(), body))
    return out


def _split_line(offset: int, line: str) -> list[Sentence]:
    stripped = line.rstrip()
    heading = (not re.search(r"[.!?:\"”'’)]$", stripped) and len(stripped.split()) <= HEADING_MAX_WORDS)
    spans, start = [], 0
    no_stop = _no_stop()
    for m in BOUNDARY.finditer(line):
        if no_stop.search(line[max(0, m.start() - 12):m.start() + 1]) and m.end() < len(stripped):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(line):
        spans.append((start, len(line)))
    out = []
    for s, e in spans:
        seg = line[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if seg.strip():
            out.append(Sentence(offset + s + lead, offset + e - trail, heading))
    return out


LEAD_PUNCTUATION = " )]—–-:,"


def cut(text: str, sentences: list[Sentence], span: tuple | None) -> list[Sentence]:
    """The sentences with `span` (a dateline inside a line, as flattened pages have it: "...
    headline and summary AFP Tuesday 6 Aug 2013 A bomb killed ...") as a hard boundary."""
    if not span:
        return sentences
    out = []
    for s in sentences:
        if s.start < span[0] < s.end or s.start < span[1] < s.end:
            after = span[1]
            while after < s.end and text[after] in LEAD_PUNCTUATION:  # "(Aug. 6, 2012) — An Afghan ..."
                after += 1
            parts = [(s.start, span[0]), (after, s.end)]
            out += [Sentence(a, b, s.heading) for a, b in parts if b - a > 1]
        else:
            out.append(s)
    return out


# Where one sentence holds two events: "..., hours after the US and Russia discussed ...",
# "...; ...", "..., while ...".
# Every break starts with a semicolon, a comma or white space: the pattern starts with that one
# character and then checks which it was, so that re jumps to those characters instead of trying
# every position. The breaks that start with white space start only where it starts: tried inside
# a run of 20,000 spaces, each attempt would back off through the rest of it.
CLAUSE_BREAK = re.compile(
    r"[;,\s](?:(?<=;)\s+|(?<=,)\s+(?=(?:while|whereas|as(?!\s+well)|after|before|when|a day after|hours after|"
    r"days after|shortly after|minutes after|a day before|just after|following)\b)|"
    r"(?<=\s)(?<!\s\s)\s*(?=(?:while|whereas)\s)|"
    r"(?<=\s)(?<!\s\s)\s*(?=(?:just\s+)?(?:a day|a week|hours|days|minutes|weeks|shortly) (?:after|before)\b)|"
    # a new report inside a run-on sentence of flattened wire copy: "... in Aleppo City Meanwhile in Damascus"
    r"(?<=\s)(?<!\s\s)\s*(?-i:(?=(?:Meanwhile|Elsewhere|Separately|Earlier today|Later in the (?:day|evening)|"
    r"In another development|In a separate)\b)))",
    re.IGNORECASE)


def clauses(text: str, sentence: Sentence) -> list[tuple[int, int]]:
    """(start, end) of the clauses of one sentence."""
    out, start = [], sentence.start
    for m in CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < sentence.end:
        out.append((start, sentence.end))
    return out
