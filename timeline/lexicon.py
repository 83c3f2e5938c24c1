"""lexicon: the one registry of the vocabulary in timeline/data.

Every data file is parsed here, once (`load`), and the parts that code decides on are typed:
event types (lane, families, label, colour, ACLED and CAMEO codes, behaviour flags), actors,
outlets and their page layouts, the ACLED mapping both ways and the rules that may read a
dateline. No other module names an event type: it asks the lexicon for the type with a flag
("generic", "may be sought", ...), so a new type is a few lines of event_types.yaml.
"""

from __future__ import annotations

import collections
import functools
import itertools
import json
import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Behaviour flags a type may carry in event_types.yaml (`flags: [...]`):
FLAGS = {
    "generic": "the least specific type of its lane: any other type named for the same event wins",
    "default": "the type given to a row or report that names its lane but no type",
    "may_be_sought": "only counts when not merely sought ('without an agreement', 'calls for a truce')",
    "fallback": "counts only when the clause names no more specific type of its lane",
    "no_claimant": "a group claiming the day's attacks is not an actor of these",
}


@functools.lru_cache(maxsize=None)
def load(name: str):
    """Parse timeline/data/NAME (.yaml or .json), with the C YAML loader when there is one."""
    path = DATA / name
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def pattern_source(name: str) -> str:
    """The source of the phrase pattern `name` of patterns.yaml."""
    return load("patterns.yaml")["patterns"][name]["pattern"]


@functools.lru_cache(maxsize=None)
def pattern(name: str):
    """The compiled phrase pattern `name` of patterns.yaml (as a Skipping: the same matches)."""
    return Skipping(re.compile(pattern_source(name)))


@functools.lru_cache(maxsize=None)
def caseless_pattern(name: str) -> "Caseless":
    """The phrase pattern `name` of patterns.yaml, one written case-insensitive ("(?i)..."), as
    a Caseless (the same matches, found faster)."""
    source = pattern_source(name)
    if not source.startswith("(?i)"):
        raise ValueError(f"pattern {name} is case-sensitive")
    return Caseless(source)


# ------------------------------------------------------------------ fast case-insensitive patterns

# Python's re runs a large case-insensitive alternation slowly: under re.I no branch can be
# skipped by its first letter, so at every word every branch is tried. The same pattern lower-
# cased and matched case-sensitively against the text with A-Z lower-cased finds the same spans:
# re.I lets a letter of a-z match its two cases and, for i, k and s, only these four characters,
# so in a text without them both ways read alike.
FOLD_UNSAFE = ("\u0130", "\u0131", "\u017f", "\u212a")  # İ ı ſ K (the Kelvin sign)
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
LONG_TEXT = 500
SCREEN_CHARS = 3  # a screen of shorter strings ("in", "at") would pass nearly every text
HOT_USES = 200  # searches of a pattern before it is analysed for a screen or a starter
# the same when its plan is kept from an earlier run (timeline/plans.py): only the starter and the
# screen are then compiled, about a third of what working the plan out costs, so a third as many
# uses earn it back
KNOWN_USES = 60
USE_CHARS = 500  # a search counts one use more for each this many characters it spans
NO_SKIP = (None, None)  # (screen, starter): run the pattern as it is
LINE_BREAK = re.compile("\n")  # the starter of a pattern that starts at a line's start
LEAD_SCREEN_FIRSTS = 3  # the most first letters a screen before a starter at word starts may have
SCREEN_TRIAL = 100  # spans a screen is tried on before it is judged
SHORT_SPAN = 32  # characters: a span this short is searched at once, as planning would cost more
# The last long text (a document, matched by many patterns) and the last short one (the words
# before a name, matched by a few), with their folds: bounded memory.
_last_long = _last_short = (None, None)


def folded(text: str) -> str | None:
    """`text` with A-Z lower-cased (its offsets unchanged), or None when it holds one of the
    characters that re.I matches to a letter of a-z."""
    global _last_long, _last_short
    last = _last_long if len(text) >= LONG_TEXT else _last_short
    if last[0] is text:
        return last[1]
    if text.isascii():
        fold = text.lower()
    else:
        fold = None if any(c in text for c in FOLD_UNSAFE) else _ascii_lower(text)
    if len(text) >= LONG_TEXT:
        _last_long = (text, fold)
    else:
        _last_short = (text, fold)
    return fold


NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _ascii_lower(text: str) -> str:
    """`text` with A-Z lower-cased and nothing else changed (str.translate would do, but slowly)."""
    low = text.lower()
    if len(low) != len(text):  # a letter that lower-cases to two
        return text.translate(ASCII_LOWER)
    parts, last = [], 0
    for m in NON_ASCII.finditer(text):  # non-ASCII letters keep their case
        parts += [low[last:m.start()], m.group()]
        last = m.end()
    parts.append(low[last:])
    return "".join(parts)


# What a lower-cased source must not hold: back-references, octal or named characters, scoped
# flags that turn case-sensitivity back on, conditionals.
_NOT_FOLDABLE = re.compile(r"\\[0-9xuUN]|\(\?P=|\(\?\(|\(\?[a-zA-Z]*-")
_CLASS = r"\[\^?\]?(?:\\.|[^\]\\])*\]"
_SOURCE_TOKEN = re.compile(r"\\.|" + _CLASS + r"|\(\?P<\w+>|\(\?[a-zA-Z]+[:)]|[A-Z]+", re.S)
_CASED_RANGE = re.compile(r"[A-Z]-[^A-Z]|[^A-Z]-[A-Z]")  # [A-z], [0-Z]: lower-cased, another set


def _fold_token(m) -> str:
    token = m.group(0)
    if token.startswith(("\\", "(?P<")):
        return token  # \W stays \W; a group keeps its name
    if token.startswith("["):  # a class: its letters lower-cased, its escapes kept
        return re.sub(r"\\.|[A-Z]+", lambda c: c.group(0) if c.group(0)[0] == "\\" else c.group(0).lower(), token)
    if token.startswith("(?"):  # inline flags: the same without i
        flags = token[2:-1].replace("i", "")
        return f"(?{flags}{token[-1]}" if flags or token[-1] == ":" else ""
    return token.lower()


def folded_source(source: str) -> str | None:
    """The case-sensitive twin of `source` (compiled with re.I) for folded texts, or None when
    lower-casing would change what it matches."""
    cased = any(c.lower() != c or c.upper() != c for c in source if not c.isascii())
    classes = [t for t in _SOURCE_TOKEN.findall(source) if t.startswith("[")]
    if cased or _NOT_FOLDABLE.search(source) or any(_CASED_RANGE.search(c) for c in classes):
        return None
    return _SOURCE_TOKEN.sub(_fold_token, source)


# ------------------------------------------------------------------ skeletons

SKELETONS = 16  # the texts whose skeletons are kept: a document, its folded text, its sentences read in turn


def _skeleton(kept: str):
    """A function(text) that gives `text` with every character but the ASCII ones in `kept` read
    as a space (its offsets unchanged), made once for each of the last SKELETONS texts. Where
    what stands before a word may be any of those characters, a starter finds a space in it:
    one literal character, which re scans for many times faster than for a class of them."""
    table = bytes(c if chr(c) in kept else ord(" ") for c in range(256))
    made, order = {}, collections.deque()  # id(text): (text, skeleton) (held, the text keeps its id); ids, oldest first

    def skeleton(text: str) -> str:
        known = made.get(id(text))
        if known is not None:
            return known[1]
        seen = text.encode("ascii", "replace").translate(table).decode("ascii")
        made[id(text)] = (text, seen)
        order.append(id(text))
        if len(order) > SKELETONS:
            made.pop(order.popleft(), None)
        return seen

    return skeleton


# The skeletons a starter that finds what stands before a word (regexinfo.lead) may read, by what
# may stand there: anything but a letter, digit or underscore; anything but a letter.
WORD_CHARS = string.ascii_letters + string.digits + "_"
SKELETON_OF = {WORD_CHARS: _skeleton(WORD_CHARS), string.ascii_letters: _skeleton(string.ascii_letters)}


class _Delegated:
    """An attribute read from the object in another attribute (`Skipping.groupindex` is its
    twin's). It stands in for __getattr__: a class with __getattr__ pays a hook on every attribute
    read of its objects, even of its own attributes, and these are read all the time (1% of the
    reading). An instance's own attribute of the same name (Caseless's pattern) comes first."""

    def __init__(self, to: str, name: str):
        self.to, self.name = to, name

    def __get__(self, obj, owner=None):
        return self if obj is None else getattr(getattr(obj, self.to), self.name)


def _delegate(cls, to: str, names) -> None:
    for name in names:
        setattr(cls, name, _Delegated(to, name))


# the rest of re.Pattern's interface, for the pattern wrappers below
PATTERN_API = ("fullmatch", "sub", "subn", "split", "findall", "scanner", "groupindex", "groups", "flags", "pattern")


class Skipping:
    """A compiled pattern (`twin`) whose search and finditer, once it is used often, run only
    where a match may be (regexinfo: a screen or a starter), with the same matches; anything
    else is the pattern's own. The base of Caseless; on its own, for hot case-sensitive
    patterns that re cannot skip through by itself."""

    def __init__(self, twin):
        self.twin = twin
        self._plan, self._uses, self._hot = None, 0, None  # _hot: the uses that make it hot (first _skip)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        return self._search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        return self._finditer(text, pos, endpos)

    def finditer_spans(self, text: str, spans):
        """The matches of finditer(text, lo, hi) for each (lo, hi) of `spans` in turn, in one
        iterator: a caller that runs a pattern through many windows of a text (timex.candidates)
        pays for one call, not one per window."""
        return self._finditer_spans(text, spans)

    def _finditer_spans(self, fold: str, spans):
        """finditer_spans on `fold`, a span at a time until the plan is settled (then _settle
        binds _walker's function in its place)."""
        return itertools.chain.from_iterable(self._finditer(fold, lo, hi) for lo, hi in spans)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        return self.twin.match(text, pos, endpos)

    @functools.cached_property
    def needed(self) -> set | None:
        """Strings one of which every match of the twin holds (regexinfo.factors), or None: a
        text without any of them holds no match."""
        from timeline import regexinfo

        return regexinfo.factors(self._tree)

    @functools.cached_property
    def _tree(self):
        """The twin's parse tree (regexinfo.parse), read once for needed and _analyse."""
        from timeline import regexinfo

        return regexinfo.parse(self.twin.pattern, self.twin.flags) if self.twin is not None else None

    def _skip(self, span: int):
        """(screen, starter) for the twin: none until the pattern has been used HOT_USES times
        (working them out costs about what compiling the pattern did: a short run would not
        earn it back), KNOWN_USES times when its plan is kept, then those of _analyse. A search of
        a whole document (a few thousand characters, where the twin alone tries every position)
        counts as several uses."""
        plan = self._plan
        if plan is None:
            if self._hot is None:
                from timeline import plans

                known = plans.get(self.twin.pattern, self.twin.flags) is not plans.MISSING
                self._hot = KNOWN_USES if known else HOT_USES
            self._uses += 1 + span // USE_CHARS
            if self._uses < self._hot:
                return NO_SKIP
            plan = self._plan = self._analyse()
            if plan is NO_SKIP:  # nothing to skip: later calls go straight to the pattern
                self._bind(self.twin.search, self.twin.finditer, _each_span(self.twin.finditer))
            elif plan[0] is None:  # no screen on trial: the plan is settled
                self._settle(plan)
        return plan

    def _settle(self, plan) -> None:
        """Later calls run the plan through one function each (_searcher, _walker), with no
        checks: a hot pattern is searched hundreds of times per document."""
        self._bind(_searcher(self.twin, plan[0], plan[1], self._lead, self._reads),
                   *_walker(self.twin, plan[0], plan[1], self._lead, self._reads))

    def _bind(self, search, finditer, finditer_spans) -> None:
        """Later calls of search, finditer and finditer_spans go straight to these."""
        self._search, self._finditer, self._finditer_spans = search, finditer, finditer_spans
        self.search, self.finditer, self.finditer_spans = search, finditer, finditer_spans

    def _analyse(self):
        """[screen, starter, starter to fall back on] for the twin, from its plan (_describe's,
        kept from earlier runs by timeline/plans.py when there is one)."""
        from timeline import plans

        plan = plans.get(self.twin.pattern, self.twin.flags)
        if plan is plans.MISSING:
            plan = self._describe()
            self.__dict__.pop("_tree", None)  # the parse tree was read once, by needed and _describe
            plans.put(self.twin.pattern, self.twin.flags, plan)
        if plan is None:
            return NO_SKIP
        self._screened = self._passed = 0
        self._lead = plan["lead"]  # the starter finds the character before a start
        self._reads = SKELETON_OF[plan["kept"]] if plan["kept"] else None  # the text the starter reads
        starter = re.compile(plan["starter"], self.twin.flags & (re.ASCII | re.LOCALE)) if plan["starter"] else None
        screen = re.compile(plan["screen"]) if plan["screen"] else None
        return [screen, starter, starter if plan["fallback"] else None]

    def _describe(self) -> dict | None:
        """The twin's plan, worked out (regexinfo): None to run it as it is, else the sources of
        its screen and starter, whether the starter finds the character before a start (`lead`),
        in which skeleton (`kept`: its characters), and whether the starter serves alone once the
        screen goes (`fallback`). A starter finds where a match may start: the twin is tried only
        there. A screen finds one of the strings every match holds: where it finds none, there is
        no match. A pattern that starts at word starts takes a starter that finds the character
        before one (a space in the text's skeleton: re then stops only at spaces), behind a screen
        when one is quick to run; or, when its first characters are rare (one character,
        capitals, digits), one that finds them. One that starts at line starts takes a starter
        that finds line breaks; another its screen, then its starter. Neither when re already
        skips ahead by itself (the twin starts with a literal)."""
        from timeline import regexinfo

        tree = self._tree
        if tree is None or regexinfo.fast_start(tree):
            return None
        needed = self.needed
        plan = {"lead": False, "kept": None, "screen": None, "starter": None, "fallback": False}
        if regexinfo.line_start(tree):  # "^...": the character before a start is a line break
            return dict(plan, lead=True, starter=LINE_BREAK.pattern)  # few stops: a screen would cost more than it saves
        starts = regexinfo.prefixes(tree, regexinfo.STARTER_CHARS)
        before = regexinfo.lead(tree, starts) if starts else None
        lead = plan["lead"] = regexinfo.finds_before(starts, before)
        kept = next((k for k in SKELETON_OF if regexinfo.outside(before, k)), None) if lead else None
        if kept is not None:  # that character is a space in a skeleton
            plan.update(kept=kept, starter=regexinfo.spaced_starter(starts, kept))
        else:
            plan["starter"] = regexinfo.starter(starts, before) if starts else None
        if not needed or min(len(s) for s in needed) < SCREEN_CHARS:
            return plan if plan["starter"] is not None else None
        if before is not None and not lead and plan["starter"] is not None:
            return plan  # it finds rare first characters: a screen would be no quicker
        if not lead or len({s[0] for s in needed}) <= LEAD_SCREEN_FIRSTS:
            # a starter at word starts still stops at every space; strings that begin with one of
            # a few letters ("capital", "Exit mobile version") are found faster: where none is,
            # the starter is not run at all
            return dict(plan, screen=regexinfo.alternation(needed), fallback=True)
        return plan if plan["starter"] is not None else None

    def _screen(self, plan: list, fold: str, pos: int, endpos: int) -> bool:
        """Does the span pass the plan's screen? A screen that passes most spans costs a scan
        and saves none: after SCREEN_TRIAL spans it goes, and the starter (if any) serves."""
        passed = plan[0].search(fold, pos, endpos) is not None
        self._screened += 1
        self._passed += passed
        if self._screened == SCREEN_TRIAL:
            if self._passed * 2 > self._screened:
                plan[0], plan[1] = None, plan[2]
            self._settle(plan)
        return passed

    def _search(self, fold: str, pos: int, endpos: int):
        """twin.search(fold, pos, endpos), trying the twin only where a match may be (until the
        plan is settled: then _settle binds _searcher's function in its place)."""
        span = min(endpos, len(fold)) - pos
        if span < SHORT_SPAN:
            return self.twin.search(fold, pos, endpos)
        plan = self._plan or self._skip(span)  # _skip only until the plan is made
        if plan[0] is not None and not self._screen(plan, fold, pos, endpos):
            return None
        if plan[1] is None:
            return self.twin.search(fold, pos, endpos)
        return _searcher(self.twin, None, plan[1], self._lead, self._reads)(fold, pos, endpos)

    def _finditer(self, fold: str, pos: int, endpos: int):
        """twin.finditer(fold, pos, endpos), likewise."""
        span = min(endpos, len(fold)) - pos
        if span < SHORT_SPAN:
            return self.twin.finditer(fold, pos, endpos)
        plan = self._plan or self._skip(span)  # _skip only until the plan is made
        if plan[0] is not None and not self._screen(plan, fold, pos, endpos):
            return iter(())
        if plan[1] is None:
            return self.twin.finditer(fold, pos, endpos)
        return _walker(self.twin, None, plan[1], self._lead, self._reads)[0](fold, pos, endpos)


def _each_span(finditer):
    """A function(fold, spans) that chains finditer(fold, lo, hi) for each (lo, hi) of spans."""
    def each_span(fold: str, spans):
        return itertools.chain.from_iterable(finditer(fold, lo, hi) for lo, hi in spans)

    return each_span


def _searcher(twin, screen, starter, lead: bool, reads=None):
    """A function(fold, pos, endpos) that returns twin.search(fold, pos, endpos): None when the
    screen finds nothing in the span, else the first match of the twin tried only where the
    starter finds a start (when `lead`, the character before one: a start at the beginning of
    the text has none, and is tried at once) in `fold`, or in reads(fold) (a skeleton of it) when
    given. A span shorter than SHORT_SPAN is searched as it is, planning would cost more."""
    search, match = twin.search, twin.match
    screened = screen.search if screen is not None else None
    if starter is None:
        if screened is None:
            return search

        def screened_search(fold: str, pos: int = 0, endpos: int = sys.maxsize):
            if min(endpos, len(fold)) - pos >= SHORT_SPAN and screened(fold, pos, endpos) is None:
                return None
            return search(fold, pos, endpos)

        return screened_search
    find, shift = starter.search, int(lead)

    def started_search(fold: str, pos: int = 0, endpos: int = sys.maxsize):
        if min(endpos, len(fold)) - pos < SHORT_SPAN:
            return search(fold, pos, endpos)
        if screened is not None and screened(fold, pos, endpos) is None:
            return None
        seen = fold if reads is None else reads(fold)
        if lead:
            if pos > 0:  # the starter looks from the character before pos
                pos -= 1
            else:
                m = match(fold, pos, endpos)
                if m is not None:
                    return m
        while True:
            found = find(seen, pos, endpos)
            if found is None:
                return None
            pos = found.start()
            m = match(fold, pos + shift, endpos)
            if m is not None:
                return m
            pos += 1

    return started_search


def _walker(twin, screen, starter, lead: bool, reads=None):
    """(finditer, finditer_spans): functions(fold, pos, endpos) and (fold, spans) that return
    twin.finditer(fold, pos, endpos) (for each span in turn), found as _searcher finds the first
    match (the matches of a pattern with a starter are never empty)."""
    finditer, match = twin.finditer, twin.match
    screened = screen.search if screen is not None else None
    if starter is None:
        if screened is None:
            return finditer, _each_span(finditer)

        def screened_finditer(fold: str, pos: int = 0, endpos: int = sys.maxsize):
            if min(endpos, len(fold)) - pos >= SHORT_SPAN and screened(fold, pos, endpos) is None:
                return iter(())
            return finditer(fold, pos, endpos)

        return screened_finditer, _each_span(screened_finditer)
    find, shift = starter.search, int(lead)

    def walk(fold: str, pos: int, endpos: int):
        seen = fold if reads is None else reads(fold)
        if lead:
            if pos > 0:  # the starter looks from the character before pos
                pos -= 1
            else:
                m = match(fold, pos, endpos)
                if m is not None:
                    yield m
                    pos = m.end() - 1
        while True:
            found = find(seen, pos, endpos)
            if found is None:
                return
            pos = found.start()
            m = match(fold, pos + shift, endpos)
            if m is None:
                pos += 1
            else:
                yield m
                pos = m.end() - shift

    def started_finditer(fold: str, pos: int = 0, endpos: int = sys.maxsize):
        if min(endpos, len(fold)) - pos < SHORT_SPAN:
            return finditer(fold, pos, endpos)
        if screened is not None and screened(fold, pos, endpos) is None:
            return iter(())
        return walk(fold, pos, endpos)

    # walk's loop again, over each span in turn, in one generator with one skeleton lookup for
    # all the spans: a rule's windows are mostly empty, and a walk per window cost more than
    # the search in it (timex.candidates, measured)
    def walk_spans(fold: str, spans):
        seen = fold if reads is None else reads(fold)  # looked up once for all the spans
        for pos, endpos in spans:
            if min(endpos, len(fold)) - pos < SHORT_SPAN:
                yield from finditer(fold, pos, endpos)
                continue
            if screened is not None and screened(fold, pos, endpos) is None:
                continue
            if lead:
                if pos > 0:  # the starter looks from the character before pos
                    pos -= 1
                else:
                    m = match(fold, pos, endpos)
                    if m is not None:
                        yield m
                        pos = m.end() - 1
            while True:
                found = find(seen, pos, endpos)
                if found is None:
                    break
                pos = found.start()
                m = match(fold, pos + shift, endpos)
                if m is None:
                    pos += 1
                else:
                    yield m
                    pos = m.end() - shift

    return started_finditer, walk_spans


_delegate(Skipping, "twin", PATTERN_API)  # groupindex, pattern, sub, ...: the pattern's own


class Caseless(Skipping):
    """`source` compiled with re.I, matched through its case-sensitive twin on folded text where
    the text allows: a drop-in for the re.I pattern (search, match, finditer), whose matches read
    their groups from the text searched."""

    def __init__(self, source: str, flags: int = 0):
        self.pattern, self._flags = source, flags
        twin = folded_source(source)
        try:
            twin = re.compile(twin, flags) if twin is not None else None
        except re.error:  # lower-casing made no pattern of it ([Z-a]): the exact one serves
            twin = None
        super().__init__(twin)

    def _bind(self, search, finditer, finditer_spans) -> None:
        """Caseless calls still fold the text first: only the functions of folded text are bound."""
        self._search, self._finditer, self._finditer_spans = search, finditer, finditer_spans

    @functools.cached_property
    def exact(self):
        """The re.I pattern, compiled when first needed (few texts need it): compiling both
        at start-up doubled the CPU of a two-article report."""
        return re.compile(self.pattern, self._flags | re.I)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        fold = folded(text) if self.twin is not None else None
        if fold is None:
            return self.exact.search(text, pos, endpos)
        m = self._search(fold, pos, endpos)
        return m and FoldedMatch(m, text)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        fold = folded(text) if self.twin is not None else None
        if fold is None:
            return self.exact.match(text, pos, endpos)
        m = self.twin.match(fold, pos, endpos)
        return m and FoldedMatch(m, text)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize):
        fold = folded(text) if self.twin is not None else None
        if fold is None:
            return self.exact.finditer(text, pos, endpos)
        return map(FoldedMatch, self._finditer(fold, pos, endpos), itertools.repeat(text))

    def finditer_spans(self, text: str, spans):
        fold = folded(text) if self.twin is not None else None
        if fold is None:
            return _each_span(self.exact.finditer)(text, spans)
        return map(FoldedMatch, self._finditer_spans(fold, spans), itertools.repeat(text))


# groupindex, findall, sub, ...: the re.I pattern's, as they are (pattern: the source it was given)
_delegate(Caseless, "exact", [n for n in PATTERN_API if n != "pattern"])


class AtLineStarts:
    """A pattern whose every match starts at a line start and holds a character (it opens with
    ^, multi-line), tried only at line starts: re would try ^ at every character of a document.
    For a pattern Skipping cannot plan (a re.I one with no case-sensitive twin: clean's rules);
    finditer gives the pattern's own matches."""

    needed = twin = None  # as the Caseless it stands for: no strings to screen by, no twin

    def __init__(self, pattern):
        self.pattern = pattern

    def finditer(self, text: str):
        start = 0  # a line start
        while True:
            m = self.pattern.match(text, start)
            if m is not None:
                yield m
                start = m.end()  # never empty
                if text[start - 1] == "\n":
                    continue  # it ends where a line starts: the next match may start there
            start = text.find("\n", start) + 1
            if start == 0:
                return


class FoldedMatch:
    """A match found on folded text, with the groups of the text itself: what re.I gives."""

    __slots__ = ("_m", "string")

    def __init__(self, m, text: str):
        self._m, self.string = m, text

    # the offsets, asked for all the time: straight to the match
    def start(self, *group):
        return self._m.start(*group)

    def end(self, *group):
        return self._m.end(*group)

    def span(self, *group):
        return self._m.span(*group)

    @property
    def lastgroup(self):
        return self._m.lastgroup

    @property
    def lastindex(self):
        return self._m.lastindex

    def __bool__(self):
        return True

    def group(self, *names):
        if len(names) > 1:
            return tuple(self.group(n) for n in names)
        start, end = self._m.span(*names)
        return None if start < 0 else self.string[start:end]

    __getitem__ = group

    def groups(self, default=None):
        return tuple(default if g is None else g for g in (self.group(i) for i in range(1, self._m.re.groups + 1)))

    def groupdict(self, default=None):
        return {name: default if g is None else g for name, g in ((n, self.group(n)) for n in self._m.re.groupindex)}


_delegate(FoldedMatch, "_m", ("pos", "endpos", "re", "regs"))


# ------------------------------------------------------------------ event types

@dataclass(frozen=True)
class EventType:
    id: str
    lane: str
    label: str
    families: tuple  # reports of one event may name it differently: they cluster when they share one
    rank: int  # priority: when a clause names several types, the lowest rank wins
    colour: str
    triggers: tuple
    acled: tuple | None = None  # (event_type, sub_event_type)
    cameo: str | None = None
    flags: frozenset = frozenset()
    examples: tuple = ()
    not_examples: tuple = ()
    default_place: str | None = None  # where such an event is when the text does not say (the UN's seat)
    short: str = ""  # the word a timeline label uses ("car bomb")

    @property
    def family(self) -> str:
        """The first family: totals of bombings and of shelling are different series."""
        return self.families[0]

    @property
    def carries_tolls(self) -> bool:
        """A figure beside a truce or a meeting is the violence's, not theirs."""
        return self.lane == "violence"

    def has(self, flag: str) -> bool:
        return flag in self.flags


@functools.lru_cache(maxsize=1)
def event_types() -> tuple:
    """Every event type, in priority order."""
    out = []
    for rank, t in enumerate(load("event_types.yaml")["types"]):
        unknown = set(t.get("flags") or ()) - set(FLAGS)
        if unknown:
            raise ValueError(f"event_types.yaml: {t['id']}: unknown flags {sorted(unknown)}")
        out.append(EventType(id=t["id"], lane=t["lane"], label=t["label"], families=tuple(t["families"]), rank=rank,
                             colour=t["colour"], triggers=tuple(t["triggers"]),
                             acled=tuple(t["acled"]) if t.get("acled") else None, cameo=t.get("cameo"),
                             flags=frozenset(t.get("flags") or ()), examples=tuple(t.get("examples") or ()),
                             not_examples=tuple(t.get("not_examples") or ()),
                             default_place=t.get("default_place"), short=t.get("short") or t["label"].lower()))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def types_by_id() -> dict:
    return {t.id: t for t in event_types()}


UNKNOWN_RANK = 99


def event_type(type_id: str | None) -> EventType | None:
    return types_by_id().get(type_id)


def type_ids() -> list[str]:
    return [t.id for t in event_types()]


def label(type_id: str | None) -> str:
    t = event_type(type_id)
    return t.label if t else str(type_id)


def short(type_id: str | None) -> str:
    """The type as a timeline label words it (lower case, short)."""
    t = event_type(type_id)
    return t.short if t else str(type_id or "event")


def rank(type_id: str | None) -> int:
    t = event_type(type_id)
    return t.rank if t else UNKNOWN_RANK


def families(type_id: str | None) -> frozenset:
    t = event_type(type_id)
    return frozenset(t.families) if t else frozenset({"any"})


def family(type_id: str | None) -> str:
    t = event_type(type_id)
    return t.family if t else "any"


def has(type_id: str | None, flag: str) -> bool:
    t = event_type(type_id)
    return bool(t and flag in t.flags)


def default_type(lane: str) -> str:
    """The type of a report that names its lane and nothing more."""
    return next(t.id for t in event_types() if t.lane == lane and "default" in t.flags)


# Colours of whatever is not a known type: a lane's own colour.
LANE_COLOURS = {"violence": "#b2182b", "diplomacy": "#2166ac"}


def colour(type_id: str | None, lane: str | None = None) -> str:
    t = event_type(type_id)
    return t.colour if t else LANE_COLOURS.get(lane or "", "#777777")


# ------------------------------------------------------------------ ACLED

@functools.lru_cache(maxsize=1)
def acled() -> dict:
    return load("acled.yaml")


def acled_import(sub_event_type: str, event_type_name: str) -> str | None:
    """Our type for an ACLED row: a type id, 'read notes' (older exports whose event type says too
    little: the notes decide) or None (in neither lane: protests, arrests ...)."""
    data = acled()["import"]
    if sub_event_type in data["sub_event_type"]:
        return data["sub_event_type"][sub_event_type]
    if not sub_event_type and event_type_name in data["read_notes"]:
        return "read notes"
    if sub_event_type in data["skip"] or (not sub_event_type and event_type_name in data["skip"]):
        return None
    return data["event_type"].get(event_type_name)


def acled_export(type_id: str) -> list:
    """[event_type, sub_event_type] of one of our types in ACLED's terms."""
    t = event_type(type_id)
    if t and t.acled:
        return list(t.acled)
    return acled()["export"].get(type_id, ["Strategic developments", "Other"])


def acled_time_precision(precision: str | None) -> int:
    return acled()["time_precision"].get(precision or "day", 1)


# ------------------------------------------------------------------ actors, outlets, rules

@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # person | state | state forces | armed group | organisation ...
    country: str | None
    aliases: tuple


@functools.lru_cache(maxsize=1)
def actors() -> dict:
    """{canonical name: Actor}"""
    return {a["name"]: Actor(a["name"], a["kind"], a.get("country"), tuple(str(x) for x in a["aliases"]))
            for a in load("actors.yaml")["actors"]}


PERSONAL_NAME = re.compile(r"(?:(?:al|el|bin|ibn|de|van|von)[- ])?[A-Z][\w'-]+(?:\s+(?:(?:al|el|bin|ibn|de|van|von)[- ])?"
                           r"[A-Z][\w'-]+){1,3}")


def persons(names) -> frozenset:
    """The people among actor names: those the actor table knows as people, and names it does
    not know that read as a person's ("Adel al-Jubeir": extract finds them with their office)."""
    known = actors()
    return frozenset(a for a in names if (known[a].kind == "person" if a in known else PERSONAL_NAME.fullmatch(a)))


def states(names) -> frozenset:
    """The states among actor names, and the states of the people named."""
    known, out = actors(), set()
    for a in names:
        actor = known.get(a)
        if actor and actor.kind == "state":
            out.add(a)
        elif actor and actor.kind == "person" and actor.country:
            out.add(actor.country)
    return frozenset(out)


@dataclass(frozen=True)
class Outlet:
    id: str
    names: tuple
    date_order: str | None
    layouts: tuple  # patterns of page furniture (whole lines) that give the outlet away


@functools.lru_cache(maxsize=1)
def outlets() -> tuple:
    return tuple(Outlet(o["id"], tuple(o["names"]), o.get("date_order"), tuple(o.get("layout") or ()))
                 for o in load("outlets.yaml")["outlets"])


@functools.lru_cache(maxsize=1)
def dateline_rules() -> frozenset:
    """Ids of the temporal rules that may read a dateline (full dates, not 'Monday')."""
    return frozenset(load("timex_rules.yaml")["dateline_rules"])
