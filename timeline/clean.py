"""clean: mask boilerplate (sidebars, share lines, captions) before anything is read.

Masking replaces boilerplate characters by spaces, keeping newlines, so the cleaned text has the
same length as the original and every offset found later points into the original text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from timeline import lexicon, regexinfo


@dataclass(frozen=True)
class Removed:
    start: int
    end: int
    rule: str


@functools.lru_cache(maxsize=1)
def _rules():
    rules = []
    for rule in lexicon.load("boilerplate.yaml")["rules"]:
        source = rule["pattern"]
        # one written case-insensitive ("(?i)...") as a lexicon.Caseless, any other as a
        # lexicon.Skipping: the same matches, faster (each rule reads every whole document)
        caseless = re.match(r"\(\?[a-z]*i[a-z]*\)", source)
        pattern = lexicon.Caseless(source, re.M) if caseless else lexicon.Skipping(re.compile(source, re.M))
        if caseless and pattern.twin is None and regexinfo.starts_lines(source, re.M):
            pattern = lexicon.AtLineStarts(pattern.exact)
        rules.append((rule["id"], rule["kind"], pattern))
    return rules


@functools.lru_cache(maxsize=1)
def _screens() -> list:
    """For each rule of _rules, its _needed strings."""
    return [_needed(pattern) for _, _, pattern in _rules()]


SCREEN_STRINGS = 5  # each string is one scan of the document: more of them cost more than the pattern


def _needed(pattern) -> tuple | None:
    """Strings one of which every match of `pattern` holds (regexinfo.factors of the pattern it
    runs: a Caseless's twin, for folded text), or None. Most documents hold none of a rule's
    strings, and a substring test for each says so faster than the pattern can."""
    needed = pattern.needed
    needed = needed and sorted(s for s in needed if not any(o != s and o in s for o in needed))  # "photo", not "file photo" too
    return tuple(needed) if needed and len(needed) <= SCREEN_STRINGS else None


def _may_match(text: str, pattern, needed: tuple) -> bool:
    """Does the text the pattern reads (a Caseless's: the folded text, when there is one) hold
    one of the strings?"""
    seen = lexicon.folded(text) if isinstance(pattern, lexicon.Caseless) else text
    return seen is None or any(s in seen for s in needed)


def find_boilerplate(text: str) -> list[Removed]:
    """Spans of `text` that are boilerplate, each with the id of the rule that found it."""
    spans = []
    for (rule_id, kind, pattern), needed in zip(_rules(), _screens()):
        if needed is not None and not _may_match(text, pattern, needed):
            continue
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            if kind == "tail":
                spans.append(Removed(match.start(), len(text), rule_id))
                break
            if kind == "rest":
                spans.append(Removed(match.start(), len(text), rule_id))
                break
            if kind == "sentence":
                spans.append(Removed(*_sentence_around(text, match.start(), match.end()), rule_id))
                continue
            if kind == "teaser":
                spans.append(Removed(_previous_line_start(text, match.start()), match.end(), rule_id))
            else:
                spans.append(Removed(match.start(), match.end(), rule_id))
    return sorted(spans, key=lambda s: (s.start, s.end))


SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence that holds text[start:end]: from after the stop before it to its own stop."""
    left = 0
    for m in SENTENCE_END.finditer(text, max(0, start - 400), start):
        left = m.end()
    right = SENTENCE_END.search(text, end)
    return left, (right.end() if right else len(text))


def _previous_line_start(text: str, line_start: int) -> int:
    """Start of the last non-empty line before `line_start` (a teaser's headline)."""
    cursor = text.rfind("\n", 0, line_start)
    while cursor > 0:
        prev = text.rfind("\n", 0, cursor)
        if text[prev + 1:cursor].strip():
            return prev + 1
        cursor = prev
    return line_start


def mask(text: str) -> tuple[str, list[Removed]]:
    """(cleaned text of the same length, what was removed)."""
    removed = find_boilerplate(text)
    if not removed:
        return text, removed
    parts, last = [], 0
    for start, end in _union(removed):
        parts += [text[last:start], NOT_NEWLINE.sub(" ", text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts), removed


NOT_NEWLINE = re.compile(r"[^\n]")


def _union(spans: list[Removed]) -> list[tuple[int, int]]:
    """(start, end) of the text the spans (sorted by start) cover, overlaps merged."""
    out = []
    for span in spans:
        if out and span.start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], span.end))
        else:
            out.append((span.start, span.end))
    return out
