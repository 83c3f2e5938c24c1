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


# Not frozen, though nothing changes one once made (unsafe_hash: usable as a key, as a frozen one
# was): a frozen dataclass's __init__ sets each field through object.__setattr__ in interpreted code,
# and building the ~35 sentences, timexes and tolls of an article that way cost 2% of the reading.
@dataclass(unsafe_hash=True)
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


NO_STOP_BACK = 12  # the characters before a mark that _no_stop reads


@functools.lru_cache(maxsize=1)
def _no_stop_words() -> frozenset | None:
    """The words of _no_stop as a set, when each is a run of word characters and dots (all
    are), else None."""
    data = lexicon.load("abbreviations.yaml")
    words = data["titles"] + data["months"] + data["other"] + data["acronyms"]
    return frozenset(words) if all(re.fullmatch(r"[\w.]+", w) for w in words) else None


def _no_stop_at(line: str, mark: int) -> bool:
    """Does the mark at line[mark] end an abbreviation ("Gov.", "U.S.") or an initial ("J.")?
    What _no_stop finds in the NO_STOP_BACK characters before it, by a set lookup: a word of
    the set starts where no word character or dot is before it, so it is the whole run of those
    before the mark, which is quicker to find than to try the pattern at each character."""
    low = max(0, mark - NO_STOP_BACK)
    words = _no_stop_words()
    if words is None:
        return _no_stop().search(line[low:mark + 1]) is not None
    if line[mark] != ".":
        return False
    start = mark
    while start > low and (line[start - 1].isalnum() or line[start - 1] in "._"):  # \w is alnum or _
        start -= 1
    word = line[start:mark]
    return word in words or (len(word) == 1 and "A" <= word <= "Z")


# A match starts only at the first mark of a run ("...", "?!"): started inside a run of 20,000
# dots, each attempt would back off through the rest of it, and the split would be quadratic.
# The check looks back from the second character ("no mark before this first one"), so that the
# pattern starts with the marks and re jumps from mark to mark instead of trying every position.
BOUNDARY = re.compile(r"[.!?](?<![.!?]{2})[.!?]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])"
                      r"|[.!?](?<![.!?]{2})[.!?]*[\"'”’)\]]*\s*$")


def split(text: str) -> list[Sentence]:
    """Sentences of `text`: paragraphs (lines) are hard boundaries."""
    out, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.extend(_split_line(offset, line))
        offset += len(line) + 1
    return out


CLOSING = ".!?:\"”'’)"  # a line that ends with one of these is no heading


def _split_line(offset: int, line: str) -> list[Sentence]:
    """The sentences of one line (no line break, not blank) that starts at `offset`."""
    stripped = line.rstrip()
    # split at most HEADING_MAX_WORDS times: a longer line gives one more part, whatever its length
    heading = (stripped[-1] not in CLOSING and len(stripped.split(None, HEADING_MAX_WORDS)) <= HEADING_MAX_WORDS)
    spans, start = [], 0
    for m in BOUNDARY.finditer(line):
        if m.end() < len(stripped) and _no_stop_at(line, m.start()):
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
_BREAK_START = r"[;,\s](?:"
_BREAKS = (r"(?<=;)\s+|(?<=,)\s+(?=(?:while|whereas|as(?!\s+well)|after|before|when|a day after|hours after|"
           r"days after|shortly after|minutes after|a day before|just after|following)\b)|"
           r"(?<=\s)(?<!\s\s)\s*(?=(?:while|whereas)\s)|"
           r"(?<=\s)(?<!\s\s)\s*(?=(?:just\s+)?(?:a day|a week|hours|days|minutes|weeks|shortly) (?:after|before)\b)")
# a new report inside a run-on sentence of flattened wire copy: "... in Aleppo City Meanwhile in Damascus"
_NEW_REPORT = (r"(?:Meanwhile|Elsewhere|Separately|Earlier today|Later in the (?:day|evening)|"
               r"In another development|In a separate)\b")
CLAUSE_BREAK = re.compile(_BREAK_START + _BREAKS + r"|(?<=\s)(?<!\s\s)\s*(?-i:(?=" + _NEW_REPORT + ")))",
                          re.IGNORECASE)
# The same breaks found faster. Under re.I, re enters every branch at every space; lower-cased
# (lexicon.folded_source) and run case-sensitively on lexicon.folded text, it skips a branch
# whose first letter differs. The case-sensitive breaks ("Meanwhile") are found from their words.
FOLDED_BREAK = re.compile(lexicon.folded_source("(?i)" + _BREAK_START + _BREAKS + ")"))
NEW_REPORT = re.compile(_NEW_REPORT)
# What each break FOLDED_BREAK finds holds: a semicolon; or a comma and the word after it, each
# of which holds "while", "as", "after", "before", "when" or "following"; or the words after
# white space, which hold "while", "whereas", "after" or "before". Most sentences hold none of
# these, and a few substring tests say so faster than the pattern.
BREAK_MARKS, AFTER_COMMA = (";", "while", "whereas", "after", "before"), ("as", "when", "following")


def clauses(text: str, sentence: Sentence) -> list[tuple[int, int]]:
    """(start, end) of the clauses of one sentence."""
    out, start = [], sentence.start
    for b_start, b_end in _breaks(text, sentence.start, sentence.end):
        if b_start > start:
            out.append((start, b_start))
        start = b_end
    if start < sentence.end:
        out.append((start, sentence.end))
    return out


def _breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of CLAUSE_BREAK.finditer(text, start, end). A break before "Meanwhile" ... is
    the white space before the words, when that starts in the span (the pattern starts nowhere
    else); a comma or semicolon right before it starts a break of its own, which finditer finds
    first and which then holds the white space."""
    fold = lexicon.folded(text)
    if fold is None:
        return [m.span() for m in CLAUSE_BREAK.finditer(text, start, end)]
    found = [m.span() for m in FOLDED_BREAK.finditer(fold, start, end)] if _may_break(fold[start:end]) else []
    for m in NEW_REPORT.finditer(text, start, end):
        words = run = m.start()
        while run > start and text[run - 1].isspace():
            run -= 1
        if run < words and not (run == start and run > 0 and text[run - 1].isspace()):
            found.append((run, words))
    if len(found) < 2:
        return found
    out, last = [], start
    for span in sorted(found):
        if span[0] >= last:
            out.append(span)
            last = span[1]
    return out


def _may_break(folded: str) -> bool:
    """Does a folded sentence hold what each break of FOLDED_BREAK holds?"""
    return any(w in folded for w in BREAK_MARKS) or ("," in folded and any(w in folded for w in AFTER_COMMA))
