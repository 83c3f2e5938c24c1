"""Temporal expressions: find them in text and normalise them to TIMEX3 values.

The grammar is data (timeline/data/timex_rules.yaml); this module compiles it and holds the
normalisers the rules name. The publication date (`dct`) is always passed in: nothing here
reads the clock.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from timeline import lexicon, regexinfo

FIRST_YEAR, LAST_YEAR = 1900, 2099


# Not frozen, though never changed once made: see Sentence in timeline/sentences.py.
@dataclass(unsafe_hash=True)
class Timex:
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None  # TIMEX3 value, None when it cannot be worked out
    precision: str | None  # day | week | month | season | quarter | year | decade | time | vague
    rule: str
    reason: str
    anchor: str | None = None  # None: absolute; "publication"; "previous date"; "event"
    relation: str | None = None  # for event anchors: after | before | same
    offset_days: int | None = None  # for event anchors: this clause = anchor + offset
    alternatives: tuple = field(default=())  # other readings when ambiguous

    @property
    def day(self) -> date | None:
        """The calendar day this expression names, when it names exactly one."""
        if self.value and len(self.value) >= 10 and self.value[4] == "-" and self.value[7] == "-":
            try:
                return date.fromisoformat(self.value[:10])
            except ValueError:
                return None
        return None


# ---------------------------------------------------------------- vocabulary and rules

@functools.lru_cache(maxsize=1)
def words():
    """Lookup tables built from time_words.yaml and numbers.yaml."""
    tw, nums = lexicon.load("time_words.yaml"), lexicon.load("numbers.yaml")
    months = {name.lower(): int(num) for num, names in tw["months"].items() for name in names}
    weekdays = {name.lower(): int(num) for num, names in tw["weekdays"].items() for name in names}
    seasons = {name.lower(): code for code, names in tw["seasons"].items() for name in names}
    numbers = {**nums["units"], **nums["tens"]}
    units = {}
    for unit, spec in tw["units"].items():
        for form in (unit, unit + "s", "centuries" if unit == "century" else unit):
            units[form] = spec | {"name": unit}
    # searched before many dates: a Caseless (the same matches as re.I, found faster)
    future = lexicon.Caseless(r"(?i)(?<!\w)(?:" + "|".join(
        re.escape(m) for m in sorted(tw["future_markers"], key=len, reverse=True)) + r")(?!\w)")
    deadline = re.compile(r"(?i)\b(?:" + "|".join(re.escape(w) for w in tw["deadline_words"])
                          + r")\s+(?:(?:early|late|mid|the end of|the middle of)[\s-]+)?(?:on\s+)?$")
    tables = {k: tw[k] for k in ("relative_steps", "deictic", "narrative", "set_values")}
    return {**tables, "deadline": deadline, "months": months, "weekdays": weekdays, "seasons": seasons, "numbers": numbers,
            "units": units, "parts": tw["parts_of_day"], "references": tw["references"],
            "future": future, "month_forms": tw["months"], "weekday_forms": tw["weekdays"]}


def _alternation(forms) -> str:
    forms = sorted(set(forms), key=lambda f: (-len(f), f))  # longest first; the same source in every process
    return "(?:" + "|".join(re.escape(f) + (r"(?!\w)" if not f.endswith(".") else "") for f in forms) + ")"


def _fill(pattern: str) -> str:
    fill = _fills()
    return re.sub(r"\{([A-Z]+)\}", lambda m: fill[m.group(1)], pattern)


@functools.lru_cache(maxsize=1)
def _fills():
    w = words()
    return {
        "MONTH": _alternation(n for names in w["month_forms"].values() for n in names),
        "WEEKDAY": _alternation(n for names in w["weekday_forms"].values() for n in names),
        "NUMBER": _alternation(list(w["numbers"]) + ["twenty-" + u for u in list(w["numbers"])[:10]]),
        "UNIT": _alternation(w["units"]),
        "SEASON": _alternation(w["seasons"]),
        "PART": _alternation(w["parts"]),
    }


@functools.lru_cache(maxsize=1)
def rules():
    """[(id, type, normaliser name, compiled pattern, anchor names)] from timex_rules.yaml."""
    compiled = []
    for rule in lexicon.load("timex_rules.yaml")["rules"]:
        pattern = _compile(_fill(rule["pattern"]), re.M)
        compiled.append((rule["id"], rule["type"], rule["normalise"], pattern, tuple(rule["anchors"])))
    return compiled


def _compile(source: str, flags: int = 0):
    """A rule written case-insensitive ("(?i)...") as a lexicon.Caseless (the same matches,
    found faster), any other as a lexicon.Skipping: a rule runs in many small windows, and most
    rules start with \\b or a lookbehind, which re cannot skip through by itself."""
    return lexicon.Caseless(source, flags) if source.startswith("(?i)") else lexicon.Skipping(re.compile(source, flags))


CAPITALISED_ANCHORS = {"month", "weekday"}


def anchor_names():
    return list(lexicon.load("timex_rules.yaml")["anchors"])
WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1)
def anchor_words() -> dict:
    """{lower-case word: (anchor names)} from the anchors of timex_rules.yaml."""
    w = words()
    expand = {"MONTHS": [n.rstrip(".") for ns in w["month_forms"].values() for n in ns],
              "WEEKDAYS": [n.rstrip(".") for ns in w["weekday_forms"].values() for n in ns],
              "UNITS": list(w["units"]), "SEASONS": list(w["seasons"])}
    table = {}
    for name, items in lexicon.load("timex_rules.yaml")["anchors"].items():
        for item in items:
            for word in expand.get(item, [item]):
                table.setdefault(word.lower(), set()).add(name)
    return {k: tuple(sorted(v)) for k, v in table.items()}


# ---------------------------------------------------------------- finding

@dataclass
class Context:
    """What normalisers may use: the publication date, the day/month order, the text."""
    dct: date | None
    order: str | None  # "DMY" | "MDY" | None (undecided)
    text: str
    previous_day: date | None = None  # the last day-precise date mentioned before this point
    previous_value: str | None = None  # the last dated value of any precision


SPAN_GROUPS = ("t", "t2")  # the groups a rule may name to mark the expression's span


def _span(match, groups):
    """The expression's span: group t (or t2) when the rule names one (`groups`: those of
    SPAN_GROUPS it has) and it matched, else the whole match."""
    for name in groups:
        if match.group(name):
            return match.span(name)
    return match.span()


@functools.lru_cache(maxsize=1)
def _rule_runs():
    """rules() as candidates runs them: (priority, id, type, normaliser, pattern, anchors, span
    groups, screen, whether the pattern is a Caseless). The span groups are looked up once per
    rule, not per match, in the case-sensitive twin where there is one (the same names; a
    Caseless compiles its re.I pattern only when a text needs it). For the screen see
    _text_screen: it reads the folded text when the rule is a Caseless."""
    runs = []
    for priority, (rule_id, ttype, norm, pattern, anchors) in enumerate(rules()):
        names = (pattern.twin if pattern.twin is not None else pattern).groupindex
        groups = tuple(name for name in SPAN_GROUPS if name in names)
        runs.append((priority, rule_id, ttype, norm, pattern, anchors, groups, _text_screen(pattern),
                     isinstance(pattern, lexicon.Caseless)))
    return runs


def _text_screen(pattern):
    """A pattern for the strings one of which every match of the rule's twin holds ("0s", "'",
    "the ... year"), when they all begin with the same character: re then runs through a whole
    text to that character alone, far quicker than the rule through its windows, and a text
    without any of them (most texts, for such rules) is spared the rule. None otherwise."""
    needed = pattern.needed
    if not needed or len({s[0] for s in needed}) > 1:
        return None
    return re.compile(regexinfo.alternation(needed))


WINDOW = 70  # characters around an anchor within which its rules must match


ANCHOR_CANDIDATE = re.compile(r"\d\w*|[A-Za-z]+")  # the words an anchor may be: a number, a run of letters
NUMBER_TOKEN = re.compile(r"\d\w*")
# The same for an ASCII text, where re.ASCII reads \d and \w alike and tests them without the
# Unicode tables (the scan runs over every document).
ASCII_NUMBER_TOKEN = re.compile(NUMBER_TOKEN.pattern, re.ASCII)


def _windows(text: str, names: frozenset | None = None) -> dict:
    """{anchor name: [(start, end)]}: merged windows around each anchor's words (those of the
    anchors `names` at least, when given)."""
    numbers, words = _anchor_candidates(text, names)
    table, tokens = anchor_words(), {}
    for start, end in words:
        lower = text[start:end].lower()  # "Saturdays blast" (apostrophe lost): the plural form anchors too
        anchors = table.get(lower) or (table.get(lower[:-1]) if lower.endswith("s") else None)
        for name in anchors or ():
            if name not in CAPITALISED_ANCHORS or text[start].isupper():
                tokens.setdefault(name, []).append((start, end))
    if numbers:  # every number anchors a digit window (so may the word "digits")
        tokens["digit"] = sorted(numbers + tokens["digit"]) if "digit" in tokens else numbers
    return {name: _around(spans) for name, spans in tokens.items()}


def _around(tokens: list) -> list:
    """The windows around tokens (in text order), merged where they touch."""
    windows = []
    for start, end in tokens:
        lo, hi = start - WINDOW if start > WINDOW else 0, end + WINDOW
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows


@functools.lru_cache(maxsize=16)
def _anchor_word_pattern(names: frozenset | None = None):
    """The letter words of anchor_words() (those of the anchors `names`, when given: the month
    names alone for a dateline), and their plurals in s, as whole runs of letters; None when
    there are none. A match is a whole run, so fewer words find the same runs for those words."""
    words = sorted((w for w, of in anchor_words().items() if w.isascii() and w.isalpha()
                    and (names is None or names.intersection(of))), key=len, reverse=True)
    if not words:
        return None
    return lexicon.Skipping(re.compile(r"(?<![A-Za-z])(?:" + "|".join(words) + r")s?(?![A-Za-z])"))


def _anchor_candidates(text: str, names: frozenset | None = None) -> tuple:
    """(numbers, words): the (start, end) of the words of ANCHOR_CANDIDATE that may be anchors,
    in text order: every number written with a digit 0-9 first, and only the runs of letters
    that spell an anchor word (of the anchors `names`, when given; found in one pass over the
    folded text, not looked up one by one). A run of letters inside a number's word ("5days")
    is no word of its own; a number in other digits (no anchor word starts with one) anchors
    nothing."""
    fold = lexicon.folded(text)
    if fold is None:  # a text re.I would read differently: every word, looked up
        found = [m.span() for m in ANCHOR_CANDIDATE.finditer(text)]
        return [s for s in found if text[s[0]] <= "9"], [s for s in found if text[s[0]] > "9"]
    numbers = [m.span() for m in (ASCII_NUMBER_TOKEN if text.isascii() else NUMBER_TOKEN).finditer(text)]
    starts = [start for start, _ in numbers]
    words, pattern = [], _anchor_word_pattern(names)
    for m in pattern.finditer(fold) if pattern is not None else ():
        k = bisect.bisect_right(starts, m.start()) - 1
        if k < 0 or numbers[k][1] <= m.start():
            words.append(m.span())
    return [s for s in numbers if text[s[0]] <= "9"], words


def _merge(spans):
    out = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


@functools.lru_cache(maxsize=8)
def _runs_of(only: frozenset) -> tuple:
    """(runs, anchor names) of the rules `only` names: worked out once per set of rules, not
    per call (every document's dateline is looked for in several pieces of its text)."""
    runs = tuple(run for run in _rule_runs() if run[1] in only)
    return runs, frozenset(a for run in runs for a in run[5])


def candidates(text: str, only=None, windowed: bool = True):
    """Non-overlapping rule matches: the longer match wins, then the earlier rule. A rule is
    run only in the windows around its anchors (`windowed=False` scans the whole text, for
    tests); `only` restricts the rules (by id)."""
    found = []
    runs, names = (_rule_runs(), None) if only is None else _runs_of(frozenset(only))
    windows = _windows(text, names) if windowed else {a: [(0, len(text))] for a in anchor_names()}
    fold = lexicon.folded(text)  # what a Caseless rule's twin reads (None: the text, by re.I)
    for priority, rule_id, ttype, norm, pattern, anchors, groups, screen, caseless in runs:
        if len(anchors) == 1:  # most rules: the windows as they are, no list to build
            spans = windows.get(anchors[0], ())
        else:
            spans = _merge([w for a in anchors for w in windows.get(a, ())])
        if not spans:  # no window: the screen's scan of the whole text would be wasted
            continue
        if screen is not None:
            read = fold if caseless else text
            if read is not None and screen.search(read) is None:
                continue
        for match in pattern.finditer_spans(text, spans):  # one call for all the rule's windows
            start, end = _span(match, groups)
            if end > start:
                found.append((start, end, priority, rule_id, ttype, norm, match))
    found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    # the spans taken so far are disjoint: kept sorted, one bisection finds the only one that
    # could overlap a candidate (a text of 40,000 "Monday"s must not be quadratic)
    starts, ends, chosen = [], [], []
    for cand in found:
        k = bisect.bisect_left(starts, cand[1])
        if k and ends[k - 1] > cand[0]:
            continue
        starts.insert(k, cand[0])
        ends.insert(k, cand[1])
        chosen.append(cand)
    chosen.sort(key=lambda c: c[0])
    return chosen


def find(text: str, dct: date | None, order: str | None = None, only=None) -> list[Timex]:
    """Every temporal expression in `text`, normalised against the publication date `dct`
    (only those of the rules named in `only`, when given)."""
    ctx = Context(dct=dct, order=order, text=text)
    out = []
    for start, end, _prio, rule_id, ttype, norm, match in candidates(text, only):
        try:
            result = NORMALISERS[norm](match, ctx)
        except (OverflowError, ValueError):  # arithmetic past the calendar ("9999 years ago")
            continue
        if result is None or not in_calendar(result.get("value")):
            continue
        timex = Timex(start=start, end=end, text=text[start:end], type=result.pop("type", ttype),
                      rule=rule_id, **result)
        day = timex.day
        if day and timex.anchor != "event":
            ctx.previous_day = day
        if timex.type == "DATE" and timex.value and timex.value[:4].isdigit():
            ctx.previous_value = timex.value
        out.append(timex)
    return out


# ---------------------------------------------------------------- helpers

def in_calendar(value: str | None) -> bool:
    """Whether a TIMEX value is a date of years 2-9998 (or no date at all: a duration, a
    reference): "3000 years ago" would give '-0984', which no later stage can place, and a day
    of year 1 or 9999 has no neighbour on one side, which reconciling looks at."""
    if not value or not (value[0].isdigit() or value[0] == "-"):
        return True
    return not value.startswith(("-", "0000", "0001", "9999"))


def _int_or_word(token: str | None) -> int | None:
    if token is None:
        return None
    token = token.lower()
    if token.isdigit():
        return int(token) if len(token) <= 6 else None  # no span of time is a million units long
    nums = words()["numbers"]
    if token.startswith("twenty-") and token[7:] in nums:
        return 20 + nums[token[7:]]
    if token in ("several", "a few", "few"):
        return None
    return nums.get(token)


def _month(name: str) -> int:
    return words()["months"][name.lower()]


CLAUSE_MARKS = ".;!?\n,"  # a clause starts after one of these characters
# The last mark before a point: a mark with no other after it up to the end of the search.
LAST_MARK = re.compile(f"[{re.escape(CLAUSE_MARKS)}][^{re.escape(CLAUSE_MARKS)}]*\\Z")
CLAUSE_WORDS = ("that", "which")  # or after one of these words
CLAUSE_WORD = re.compile("|".join(rf"\b{w}\b" for w in CLAUSE_WORDS))


def _clause_start(text: str, lo: int, end: int) -> int:
    """Where the last clause before `end` starts (after its mark), looking back to `lo`; 0 when
    no mark stands there. The last mark character is found in one scan; a mark word after it can
    only stand in the stretch that follows, and seldom does: str.find says whether to look."""
    mark = LAST_MARK.search(text, lo, end)
    left = mark.start() + 1 if mark else 0
    start = max(lo, left)
    if any(text.find(w, start, end) >= 0 for w in CLAUSE_WORDS):
        for m in CLAUSE_WORD.finditer(text, start, end):
            left = m.end()
    return left


def _is_future(ctx: Context, start: int, end: int) -> bool:
    """Is the expression in a future clause? Only the words of its clause before it count:
    in "announced Friday that it will give", Friday is past."""
    left = max(_clause_start(ctx.text, max(0, start - 160), start), start - 160)
    if words()["deadline"].search(ctx.text, max(0, start - 30), start):
        return True
    return bool(words()["future"].search(ctx.text, left, start))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day(d: date, reason: str, **extra) -> dict:
    return {"value": d.isoformat(), "precision": "day", "reason": reason, **extra}


def _needs_dct(ctx: Context, what: str) -> dict | None:
    if ctx.dct is None:
        return {"value": None, "precision": None, "anchor": "publication",
                "reason": f"{what}: relative to an unknown publication date"}
    return None


def _pick_year(ctx: Context, match, month: int, day: int | None, start: int, end: int):
    """The year of a date written without one: the next one in a future clause, else the
    occurrence nearest the publication date."""
    options = []
    for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
        d = _safe_date(y, month, day or 1)
        if d:
            options.append(d)
    if not options:
        return None, ""
    if _is_future(ctx, start, end):
        ahead = [d for d in options if (d >= ctx.dct if day else (d.year, d.month) >= (ctx.dct.year, ctx.dct.month))]
        return (ahead[0], "future tense: the next one") if ahead else (options[-1], "")
    if day is None:  # "in January": news looks back, so the latest such month up to now
        past = [d for d in options if (d.year, d.month) <= (ctx.dct.year, ctx.dct.month)]
        if not past:  # only at the calendar's edge (published in January of year 1): no such month yet
            return None, ""
        return past[-1], "year not written: the latest such month up to publication"
    best = min(options, key=lambda d: (abs((d - ctx.dct).days), d > ctx.dct))
    return best, "year not written: the one nearest the publication date"


# ---------------------------------------------------------------- normalisers

def n_ymd(match, ctx):
    g = match.groupdict()
    month = int(g["mo"]) if g.get("mo") else _month(g["m"])
    day = int(g["d"])
    if g.get("y"):
        d = _safe_date(int(g["y"]), month, day)
        if d is None:
            return None
        return _day(d, "explicit date" + _weekday_check(g.get("wd"), d))
    missing = _needs_dct(ctx, "date without a year")
    if missing:
        return missing
    d, why = _pick_year(ctx, match, month, day, *match.span())
    if d is None:
        return None
    return _day(d, why + _weekday_check(g.get("wd"), d), anchor="publication")


def _weekday_check(wd: str | None, d: date) -> str:
    if not wd:
        return ""
    named = words()["weekdays"][wd.lower()]
    return "" if named == d.weekday() else f" (text says {wd}, but {d.isoformat()} is a {d.strftime('%A')})"


def numeric_readings(a: int, b: int, y: int):
    """{"DMY": date, "MDY": date} for the readings of a/b/y that exist."""
    out = {}
    for order, (day, month) in (("DMY", (a, b)), ("MDY", (b, a))):
        d = _safe_date(y, month, day) if 1 <= month <= 12 else None
        if d:
            out[order] = d
    return out


def n_numeric(match, ctx):
    g = match.groupdict()
    y = int(g["y"] or g["y2"])
    if y < 100:
        y += 2000 if y < 50 else 1900
    readings = numeric_readings(int(g["a"]), int(g["b"] or g["b2"]), y)
    if g.get("wd"):
        named = words()["weekdays"][g["wd"].lower()]
        matching = {o: d for o, d in readings.items() if d.weekday() == named}
        readings = matching or readings
    if not readings:
        return None
    if len(set(readings.values())) == 1:
        return _day(next(iter(readings.values())), "numeric date, only one reading exists")
    if ctx.order in readings:
        return _day(readings[ctx.order], f"numeric date read {ctx.order} (document order)")
    if g.get("sep") == "." or g.get("y2"):
        # dots and dashes between day, month and year are European and Middle Eastern usage,
        # which puts the day first; US usage writes slashes
        return _day(readings["DMY"], "numeric date with dots or dashes: day first (European usage)")
    alts = tuple(f"{o}:{d.isoformat()}" for o, d in sorted(readings.items()))
    return {"value": None, "precision": "day", "alternatives": alts,
            "reason": "numeric date: day/month order undecided (" + ", ".join(alts) + ")"}


def n_ym(match, ctx):
    g = match.groupdict()
    month = _month(g.get("m") or g["m2"])
    if g.get("y"):
        return {"value": f"{int(g['y']):04d}-{month:02d}", "precision": "month", "reason": "month and year"}
    missing = _needs_dct(ctx, "month without a year")
    if missing:
        return missing
    if g.get("yrel"):
        y = ctx.dct.year + YEAR_STEP[g["yrel"].lower()]
        return {"value": f"{y:04d}-{month:02d}", "precision": "month", "anchor": "publication",
                "reason": f"month of {g['yrel'].lower()} year"}
    mod = (g.get("mod") or "").lower()
    if mod == "last":
        y = ctx.dct.year if month < ctx.dct.month else ctx.dct.year - 1
        why = "'last': the latest such month before publication"
    elif mod == "next":
        y = ctx.dct.year if month > ctx.dct.month else ctx.dct.year + 1
        why = "'next': the first such month after publication"
    else:
        d, why = _pick_year(ctx, match, month, None, *match.span())
        if d is None:  # no such month up to publication (the calendar's edge)
            return None
        y = d.year
    return {"value": f"{y:04d}-{month:02d}", "precision": "month", "reason": why, "anchor": "publication"}


PRODUCT_BEFORE = lexicon.pattern("name_before_year")


def _names_a_product(ctx: Context, match) -> bool:
    """'Russell 2000 Index', "iLife '11": a number that belongs to a name is not a year."""
    before = ctx.text[max(0, match.start() - 25):match.start()]
    after = ctx.text[match.end():match.end() + 20]
    if not PRODUCT_BEFORE.search(before) or before.rstrip("' ").split()[-1:] and _is_month(before.split()[-1]):
        return False
    return bool(re.match(r"[ \t]+(?:[A-Z]|software|index|edition|series|model|version)", after))


def _is_month(word: str) -> bool:
    return word.strip(".,'").lower() in words()["months"]


def n_year(match, ctx):
    g = match.groupdict()
    if _names_a_product(ctx, match):
        return None
    if g.get("yy"):  # '82
        yy = int(g["yy"])
        y = (2000 if ctx.dct and yy <= ctx.dct.year % 100 + 1 else 1900) + yy
        return {"value": f"{y:04d}", "precision": "year", "reason": "two-digit year"}
    return {"value": f"{int(g['y']):04d}", "precision": "year", "reason": "year"}


def n_decade(match, ctx):
    g = match.groupdict()
    if g.get("yy"):
        return {"value": f"19{g['yy']}", "precision": "decade", "reason": "decade of the 1900s"}
    return {"value": g["y"], "precision": "decade", "reason": "decade"}


def n_season(match, ctx):
    g = match.groupdict()
    code = words()["seasons"][g["s"].lower()]
    if g.get("y"):
        return {"value": f"{g['y']}-{code}", "precision": "season", "reason": "season and year"}
    missing = _needs_dct(ctx, "season without a year")
    if missing:
        return missing
    mod = (g.get("mod") or "").lower()
    if g["s"] == "fall" and not mod:
        return None  # "stocks fall": a bare "fall" is a verb
    y = ctx.dct.year + {"last": -1, "next": 1}.get(mod, 0)
    return {"value": f"{y}-{code}", "precision": "season", "anchor": "publication",
            "reason": f"season, year from the publication date{' (' + mod + ')' if mod in ('last', 'next') else ''}"}


YEAR_STEP = {"this": 0, "the current": 0, "last": -1, "the previous": -1, "next": 1}


def n_quarter(match, ctx):
    g = match.groupdict()
    word = g["q"].lower()
    if g.get("y"):
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4, "final": 4}[word]
        return {"value": f"{g['y']}-Q{q}", "precision": "quarter", "reason": "quarter and year"}
    missing = _needs_dct(ctx, "quarter without a year")
    if missing:
        return missing
    current = (ctx.dct.month - 1) // 3 + 1
    if word == "last" and not g.get("yrel"):  # the quarter before this one
        index = ctx.dct.year * 4 + current - 2
        return {"value": f"{index // 4}-Q{index % 4 + 1}", "precision": "quarter", "anchor": "publication",
                "reason": "'the last quarter': the one before the publication date's"}
    q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}[word]
    if g.get("yrel"):
        y, why = ctx.dct.year + YEAR_STEP[g["yrel"].lower()], f"quarter of {g['yrel'].lower()} year"
    elif q - current >= 2 and not _is_future(ctx, *match.span()):
        y, why = ctx.dct.year - 1, "a quarter well ahead of this one: last year's, just reported"
    else:
        y, why = ctx.dct.year, "quarter of the publication year"
    return {"value": f"{y}-Q{q}", "precision": "quarter", "anchor": "publication", "reason": why}


def _shift(dct: date, n: int, unit: str):
    """(value, precision) of dct moved by n units, at that unit's precision."""
    if unit in ("day",):
        return (dct + timedelta(days=n)).isoformat(), "day"
    if unit in ("week", "fortnight"):
        d = dct + timedelta(days=7 * n * (2 if unit == "fortnight" else 1))
        iso = d.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}", "week"
    if unit == "weekend":
        d = dct + timedelta(days=7 * n)
        iso = d.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}-WE", "week"
    if unit == "month":
        total = dct.year * 12 + dct.month - 1 + n
        return f"{total // 12:04d}-{total % 12 + 1:02d}", "month"
    if unit == "year":
        return f"{dct.year + n:04d}", "year"
    if unit == "decade":
        return f"{(dct.year + 10 * n) // 10:03d}", "decade"
    return None, None


def n_ago(match, ctx):
    g = match.groupdict()
    unit = words()["units"][g["unit"].lower()]["name"]
    n = _int_or_word(g["n"])
    missing = _needs_dct(ctx, "'ago'")
    if missing:
        return missing
    if n is None or unit in ("second", "minute", "hour"):
        value = {"second": "PAST_REF", "minute": "PAST_REF", "hour": "PAST_REF"}.get(unit, "PAST_REF")
        if unit in ("second", "minute", "hour"):
            return {"value": ctx.dct.isoformat(), "precision": "day", "anchor": "publication",
                    "reason": f"{g['n']} {unit}s before publication: the same day"}
        return {"value": value, "precision": "vague", "anchor": "publication", "reason": "vague 'ago'"}
    value, precision = _shift(ctx.dct, -n, unit)
    return {"value": value, "precision": precision, "anchor": "publication",
            "reason": f"{n} {unit}(s) before publication"}


def n_relative(match, ctx):
    g = match.groupdict()
    mod, unit = g["mod"].lower(), g["unit"].lower()
    missing = _needs_dct(ctx, f"'{mod} {unit}'")
    if missing:
        return missing
    step = words()["relative_steps"].get(mod, 0)
    value, precision = _shift(ctx.dct, step, unit)
    return {"value": value, "precision": precision, "anchor": "publication",
            "reason": f"'{mod} {unit}' from the publication date"}


# "this morning", "Monday night": a day with a part of it. TimeML types these TIME; MEANTIME's
# gold types some DATE; we keep TimeML's TIME (they still date events to their day).
PART_OF_DAY_TYPE = "TIME"

def n_deictic(match, ctx):
    phrase = " ".join(match.group("w").lower().split())
    missing = _needs_dct(ctx, f"'{phrase}'")
    if missing:
        return missing
    if phrase in words()["deictic"]:
        shift, part = words()["deictic"][phrase]
    else:
        head, part_word = phrase.split(" ", 1)
        shift = {"this": 0, "yesterday": -1, "tomorrow": 1}[head]
        part = words()["parts"].get(part_word)
    d = ctx.dct + timedelta(days=shift)
    if part:
        return {"type": PART_OF_DAY_TYPE, "value": f"{d.isoformat()}T{part}", "precision": "day",
                "anchor": "publication", "reason": f"'{phrase}' from the publication date"}
    return _day(d, f"'{phrase}' from the publication date", anchor="publication")


NAMED_DAY = lexicon.pattern("named_day")


def n_weekday(match, ctx):
    g = match.groupdict()
    missing = _needs_dct(ctx, f"'{g['wd']}'")
    if missing:
        return missing
    if NAMED_DAY.search(ctx.text, max(0, match.start() - 12), match.start()):
        return None  # "Black Monday" is a day in history, not last Monday
    target = words()["weekdays"][g["wd"].lower()]
    mod = (g.get("mod") or "").lower()
    back = (ctx.dct.weekday() - target) % 7
    ahead = (target - ctx.dct.weekday()) % 7  # "are due to meet on Monday", written on a Monday: today
    if mod == "next":
        d, why = ctx.dct + timedelta(days=ahead or 7), "'next': the next " + g["wd"] + " after publication"
    elif mod not in ("last",) and _is_future(ctx, *match.span()):
        d, why = ctx.dct + timedelta(days=ahead), "future tense: the next " + g["wd"] + ", publication day included"
    elif mod == "last":
        d, why = ctx.dct - timedelta(days=back or 7), "'last': the latest " + g["wd"] + " before publication"
    else:
        d, why = ctx.dct - timedelta(days=back), "past tense: the latest " + g["wd"] + " on or before publication"
    part = words()["parts"].get((g.get("part") or "").lower())
    if part:
        return {"type": PART_OF_DAY_TYPE, "value": f"{d.isoformat()}T{part}", "precision": "day",
                "anchor": "publication", "reason": why}
    return _day(d, why, anchor="publication")


def n_reference(match, ctx):
    phrase = " ".join(match.group("w").lower().split())
    return {"value": words()["references"][phrase], "precision": "vague",
            "reason": "a reference to the present, past or future, not a calendar date"}


def _offset(n_word: str | None, unit: str | None) -> tuple[int | None, str]:
    """Days between the anchored clause and its anchor, and the relation's name."""
    if unit is None:
        return 0, "same"  # "hours after", "shortly after": ordered, same day
    spec = words()["units"][unit.lower()]
    if spec.get("time"):
        return 0, "same"
    n = _int_or_word(n_word) if n_word else 1
    if n is None:
        return None, "vague"
    return n * spec["days"] * spec.get("count", 1), "days"


def n_anchored(match, ctx):
    g = match.groupdict()
    rel = g["rel"].lower()
    n_word = g.get("n")
    unit = g.get("unit")
    if unit is None and n_word and n_word.lower() in ("days", "weeks", "months", "years"):
        return {"value": None, "precision": "vague", "anchor": "event", "relation": rel,
                "reason": f"'{match.group(0)}': an unspecified time {rel} another event"}
    days, kind = _offset(n_word, unit)
    sign = 1 if rel in ("after", "later") else -1
    offset = None if days is None else sign * days
    if rel in ("later", "earlier") and unit and offset is not None and (ctx.previous_day or ctx.dct):
        # "three days later": counted from the date the story was at, not from an event named next
        base = ctx.previous_day or ctx.dct
        how = "the date mentioned before it" if ctx.previous_day else "the publication date"
        if re.match(r"\s+than\b", ctx.text[match.end():match.end() + 8]) and ctx.previous_day:
            offset = 0  # "arrives on November 11, three days later than planned": November 11 again
            how = "the date it describes (later than planned)"
        return {"type": "DATE", **_day(base + timedelta(days=offset), f"'{match.group(0).strip()}' counted from {how}",
                                      anchor="previous date", relation="after" if sign > 0 else "before",
                                      offset_days=offset)}
    return {"value": _anchored_length(n_word, unit), "precision": "day" if offset is not None else "vague",
            "anchor": "event", "relation": "after" if sign > 0 else "before", "offset_days": offset,
            "reason": f"'{match.group(0).strip()}': dated from the event it refers to"}


def _anchored_length(n_word: str | None, unit: str | None) -> str | None:
    """The TIMEX3 duration of "a day" (P1D), "hours" (PTXH); None for "shortly"."""
    if unit:
        spec = words()["units"][unit.lower()]
        n = _int_or_word(n_word) if n_word else 1
        return f"{'PT' if spec.get('time') else 'P'}{n if n is not None else 'X'}{spec['code']}"
    if n_word and n_word.lower() in ("hours", "days", "minutes", "weeks", "months", "years"):
        spec = words()["units"][n_word.lower()]
        return f"{'PT' if spec.get('time') else 'P'}X{spec['code']}"
    return None


def n_narrative(match, ctx):
    g = match.groupdict()
    phrase = " ".join((g.get("w") or g.get("w2")).lower().split())
    if re.fullmatch(r"a \w+ (?:consecutive|straight|successive) day", phrase):
        phrase = "the day"  # "for a second straight day": that day again
    days, relation = words()["narrative"][phrase]
    base = ctx.previous_day or ctx.dct
    how = "the date mentioned before it" if ctx.previous_day else "the publication date"
    if base is None:
        return {"value": None, "precision": "day", "anchor": "previous date", "relation": relation,
                "offset_days": days, "reason": f"'{phrase}': no earlier date to count from"}
    d = base + timedelta(days=days)
    if abs(days) >= 7:
        iso = d.isocalendar()
        return {"value": f"{iso[0]}-W{iso[1]:02d}", "precision": "week", "anchor": "previous date",
                "relation": relation, "offset_days": days, "reason": f"'{phrase}' after {how}"}
    return _day(d, f"'{phrase}' counted from {how}", anchor="previous date", relation=relation,
                offset_days=days)


def n_duration(match, ctx):
    g = match.groupdict()
    spec = words()["units"][g["unit"].lower()]
    n_raw = g["n"].lower()
    n = _int_or_word(n_raw) if not re.match(r"^\d+\.\d+$", n_raw) else float(n_raw)
    if n_raw == "two-and-a-half":
        n = 2.5
    count = "X" if n is None else (int(n) if float(n).is_integer() else n) * spec.get("count", 1)
    prefix = "PT" if spec.get("time") else "P"
    return {"value": f"{prefix}{count}{spec['code']}", "precision": None,
            "reason": "a length of time, not a date"}


def n_same_period(match, ctx):
    """"the same month a year ago": the period named just before, one year earlier."""
    previous = ctx.previous_value
    if not previous or not re.match(r"\d{4}", previous):
        missing = _needs_dct(ctx, "'the same period last year'")
        if missing:
            return missing
        previous = ctx.dct.isoformat()
    year = int(previous[:4]) - 1
    value = f"{year:04d}{previous[4:]}"
    return {"value": value, "precision": "month" if len(value) == 7 else "vague", "anchor": "previous date",
            "reason": f"the period before it ({previous}), a year earlier"}


def n_year_of_context(match, ctx):
    """"the entire year" is the year just spoken of; "the year before" the one before it."""
    g = match.groupdict()
    base = ctx.previous_value[:4] if ctx.previous_value else (str(ctx.dct.year) if ctx.dct else None)
    if base is None:
        return {"value": None, "precision": "year", "anchor": "previous date",
                "reason": "a year counted from a date the text does not give"}
    step = -1 if (g.get("prev") or g.get("prev2")) else 0
    return {"value": f"{int(base) + step:04d}", "precision": "year", "anchor": "previous date",
            "reason": f"counted from the year spoken of before it ({base})"}


def n_clock(match, ctx):
    """"at 12:00 UTC Monday", "17:15": a TIME, on the day named with it or the publication day."""
    g = match.groupdict()
    hour, minute = int(g["h"]), int(g["mi"])
    ampm = (g.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    day = None
    if g.get("wd") and ctx.dct:
        back = (ctx.dct.weekday() - words()["weekdays"][g["wd"].lower()]) % 7
        day = ctx.dct - timedelta(days=back)
    elif g.get("rel") and ctx.dct:
        day = ctx.dct + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["rel"].lower()])
    elif ctx.dct:
        day = ctx.previous_day or ctx.dct
    value = f"{day.isoformat()}T{hour:02d}:{minute:02d}" if day else f"XXXX-XX-XXT{hour:02d}:{minute:02d}"
    return {"value": value, "precision": "day" if day else None, "reason": "clock time" + (" on the day named" if g.get("wd") or g.get("rel") else "")}


def n_constant(match, ctx):
    phrase = match.group("w").lower()
    return {"value": words()["set_values"].get(phrase.split()[-1], "P1D"), "precision": None,
            "reason": "a repeated time, not a date"}


NORMALISERS = {"ymd": n_ymd, "numeric": n_numeric, "ym": n_ym, "year": n_year, "decade": n_decade,
               "season": n_season, "quarter": n_quarter, "ago": n_ago, "relative": n_relative,
               "deictic": n_deictic, "weekday": n_weekday, "reference": n_reference,
               "anchored": n_anchored, "same_period": n_same_period,
               "year_of_context": n_year_of_context, "clock": n_clock, "narrative": n_narrative, "duration": n_duration,
               "constant": n_constant}


def value_span(value: str | None) -> tuple[date, date] | None:
    """(first day, last day) that a DATE value covers: '2016-09-05', '2016-W36', '2016-09',
    '2016-Q3', '2016-SU', '2016', '201' (a decade). None for references and durations."""
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d.*", value):
            d = date.fromisoformat(value[:10])
            return d, d
        m = re.fullmatch(r"(\d{4})-W(\d\d)(?:-WE)?", value)
        if m:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return monday, monday + timedelta(days=6)
        m = re.fullmatch(r"(\d{4})-(\d\d)", value)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            end = date(y + (mo == 12), mo % 12 + 1, 1) - timedelta(days=1)
            return date(y, mo, 1), end
        m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if m:
            y, q = int(m.group(1)), int(m.group(2))
            start = date(y, 3 * q - 2, 1)
            return start, value_span(f"{y}-{3 * q:02d}")[1]
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
        if m:
            y = int(m.group(1))
            months = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}[m.group(2)]
            start = date(y, months[0], 1)
            last = date(y + (months[1] > 12), (months[1] - 1) % 12 + 1, 1)
            return start, value_span(last.strftime("%Y-%m"))[1]
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1), date(int(value), 12, 31)
        if re.fullmatch(r"\d{3}", value):
            return date(int(value) * 10, 1, 1), date(int(value) * 10 + 9, 12, 31)
    except ValueError:
        return None
    return None
