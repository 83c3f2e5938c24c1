"""Tolls: killed and injured figures in a clause, with their qualifier.

"At least 40 people were killed and dozens more wounded" -> killed 40 (at least), injured 12
(vague: "dozens" counts as 12, ACLED's conservative convention, with 99 as its upper bound).
"At least 16 of those killed were troops" is a breakdown of a toll already given: no new toll.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from timeline import lexicon


# Not frozen, though never changed once made: see Sentence in timeline/sentences.py.
@dataclass(unsafe_hash=True)
class Figure:
    low: int
    high: int
    qualifier: str  # exact | at least | about | vague
    start: int
    end: int

    @property
    def value(self) -> int:
        return self.low


# Not frozen, though never changed once made: see Sentence in timeline/sentences.py.
@dataclass(unsafe_hash=True)
class Toll:
    killed: Figure | None
    injured: Figure | None


def _alt(words) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


NONE_BEFORE = re.compile(r"(?i)\bno\s+$")  # "no one was killed": a figure after "no" is none


@functools.lru_cache(maxsize=1)
def grammar():
    t, n = lexicon.load("tolls.yaml"), lexicon.load("numbers.yaml")
    # "a"/"an" count in "a day ago" but not in "a motorcycle killed"
    word_numbers = [w for w in list(n["units"]) + list(n["tens"]) if w not in ("a", "an", "single")]
    units = _alt([w for w in n["units"] if w not in ("a", "an", "single")])
    number = (r"(?:\d{1,3}(?:,\d{3})+|\d+|(?:" + _alt(n["tens"]) + r"(?:[\s-]" + units + r")?)|"
              + _alt(word_numbers) + r")(?:\s+(?:hundred|thousand|million))?")
    vague = _alt(n["vague"])
    quals = {q: _alt(ws) for q, ws in t["qualifiers"].items()}
    qual = "(?:" + "|".join(quals.values()) + ")"
    # "between 500 and 1,300", "20 to 30": a range, low and high
    num = (rf"(?P<num>(?:(?:between|from)\s+)?(?:(?P<qual>{qual})\s+)?(?P<n>{number}|{vague})"
           rf"(?:\s*(?:and|to|-|–)\s*(?:{qual}\s+)?(?P<n2>\d{{1,3}}(?:,\d{{3}})+|\d+))?)")
    killed, injured = _alt(t["killed_words"]), _alt(t["injured_words"])
    # words describing the victims: not numbers ("30 September 2016 13 civilians") and not
    # joints to another phrase ("42 people and wounding dozens")
    victim_words = (r"(?:(?!(?:and|or|but|while|as|after|before|when|in|on|at|by|with|from)\b)"
                    r"[^\W\d_][\w'-]*\s+){0,4}?")
    of_nouns = "killing|deaths?|injury|injuries|wounding"  # "the deaths of 12"
    passive = r"(?:was|has been|had been)"
    singular_verbs = "killing|killed|kills"
    # (shape, words it cannot match without, or None: not worth a test, nearly every clause read
    # has them): most clauses hold none of the rarer shapes' words, and one plain search says so
    # where the shape would be tried at every word
    pairs = [
        # "40 people were killed", "30 died", "dozens more wounded", "eight people killed"
        (rf"(?i)\b{num}\s+(?:more\s+|other\s+|others\s+)?{victim_words}(?:(?:were|was|have been|had been|are|is|being)\s+)?(?:reported\s+)?(?P<verb>{killed}|{injured})\b",
         None),
        # "killed 53 people", "killing three", "wounding 20 others"
        (rf"(?i)\b(?P<verb>{_alt([v for v in t['killing_verbs'] if v not in t['neutral_verbs']])})\s+{num}\b", None),
        # "left 10 dead", "leaving 20 wounded": the word after says which
        (rf"(?i)\b(?P<verb>{_alt(t['neutral_verbs'])})\s+{num}\b\s+{victim_words}(?P<after>{killed}|{injured})",
         rf"{_alt(t['neutral_verbs'])}\s"),
        # "led to the killing of one person and the injury of 40 others", "the deaths of 12"
        (rf"(?i)\b(?:the\s+)?(?P<verb>{of_nouns})\s+of\s+{num}\b", rf"(?:{of_nouns})\s+of\s"),
        # "the death toll rose to 42"
        (rf"(?i)\b(?P<verb>{_alt(t['toll_nouns'])})\s+(?:[\w'’-]+\s+){{0,6}}?(?:{_alt(t['toll_verbs'])})\s+{num}",
         rf"{_alt(t['toll_nouns'])}\s"),
        # "The soldier was killed", "A girl child was killed" -> 1
        (rf"(?i)\b(?:the|a|one)\s+(?P<one>{_alt(t['singular_victims'])})\s+(?:[a-z]+\s+)?{passive}\s+(?P<verb>{killed}|{injured})\b",
         rf"{passive}\s+(?:{killed}|{injured})"),
        # "killing a woman and injuring three others" -> 1
        (rf"(?i)\b(?P<verb>{singular_verbs})\s+(?:a|an|one)\s+(?P<one>{_alt(t['singular_victims'])})\b",
         rf"(?:{singular_verbs})\s+(?:a|an|one)\s"),
    ]
    shapes = [shape for shape, _ in pairs]
    return {
        "not_victims": set(t["not_victims"]),
        "any_word": lexicon.Caseless(rf"{killed}|{injured}|{_alt(t['killing_verbs'])}|{_alt(t['toll_nouns'])}"),
        # the first four letters of every such word: a substring test, cheaper than the pattern
        "stems": sorted({w.lower()[:4] for w in t["killed_words"] + t["injured_words"] + t["killing_verbs"]
                         + t["toll_nouns"]}),
        "shapes": [lexicon.Caseless(s) for s in shapes],
        # the groups each shape has: asked of every figure, where the match's own answer (through
        # FoldedMatch's __getattr__) costs a Python call
        "groups": [frozenset(re.findall(r"\(\?P<(\w+)>", s)) for s in shapes],
        "anchors": [_folded_pattern(words) for _, words in pairs],
        "killed": re.compile(rf"(?i)^{killed}$|^(?:killed|killing|kills|kill|claimed the lives of|massacred|executed)$|toll|dead"),
        "injured": re.compile(rf"(?i)^{injured}$"),
        # matched at the end of the number (pos), not on a copy of the rest of the clause
        "breakdown": re.compile(r"(?i)\s*" + _alt(t["breakdown"]) + r"\b"),
        "attackers": re.compile(r"(?i)\s*(?:\w+\s+)?" + _alt(t["attackers"]) + r"\b"),
        "quals": {q: re.compile(rf"(?i)^{p}$") for q, p in quals.items()},
        "numbers": {**n["units"], **n["tens"]}, "scales": n["scales"], "vague": n["vague"],
    }


def _folded_pattern(source: str | None):
    """`source` read case-insensitively, compiled to run on lexicon.folded text (the twin a
    lexicon.Caseless runs), or None."""
    twin = lexicon.folded_source("(?i)" + source) if source is not None else None
    return re.compile(twin) if twin is not None else None


@functools.lru_cache(maxsize=1)
def MAX_TOLL() -> int:  # noqa: N802 - a constant read from the data
    return lexicon.load("numbers.yaml")["max_toll"]


def _number_pattern_words() -> list:
    """The number words has_number looks for."""
    n = lexicon.load("numbers.yaml")
    return [w for w in list(n["units"]) + list(n["tens"]) + list(n["scales"]) if w not in ("a", "an", "single")]


@functools.lru_cache(maxsize=1)
def _number_pattern():
    words = _number_pattern_words()
    return lexicon.Caseless(r"(?i)\d|\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


DIGIT, DIGITS, WORD = re.compile(r"\d"), re.compile(r"[\d,]+"), re.compile(r"\w+")


@functools.lru_cache(maxsize=1)
def _number_words() -> frozenset:
    """_number_pattern_words, lower-cased: as they are in folded text."""
    return frozenset(w.lower() for w in _number_pattern_words())


def has_number(text: str, start: int = 0, end: int | None = None) -> bool:
    """Does text[start:end] write a number (digits or words)? What _number_pattern finds, read on
    the folded text: a digit, or a number word between \\b and \\b, that is a whole run of word
    characters (one test of each such run against a set, not each word tried at each letter)."""
    end = len(text) if end is None else end
    fold = lexicon.folded(text)
    if fold is None:
        return bool(_number_pattern().search(text, start, end))
    if DIGIT.search(fold, start, end) is not None:
        return True
    runs = WORD.findall(fold, start, end)
    if runs and start > 0 and _word_char(fold[start - 1]) and _word_char(fold[start]):
        del runs[0]  # the end of a run that starts before the span: no \b before it
    return not _number_words().isdisjoint(runs)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what \w matches


@functools.lru_cache(maxsize=512)  # a pure function of a few words, asked of every figure
def parse_number(text: str):
    """(low, high) of a written number, or None. "forty-two" -> (42, 42); "dozens" -> (12, 99)."""
    g = grammar()
    words = " ".join(text.lower().replace("-", " ").split())
    if words in g["vague"]:
        spec = g["vague"][words]
        return spec["low"], spec["high"]
    total, current = 0, 0
    for word in words.split():
        if DIGITS.fullmatch(word):
            digits = word.replace(",", "")
            if len(digits) > len(str(MAX_TOLL())):  # no int() of 5,000 digits: it is no toll anyway
                return None
            current += int(digits)
        elif word in g["numbers"]:
            current += g["numbers"][word]
        elif word in g["scales"]:
            current = max(current, 1) * g["scales"][word]
            if g["scales"][word] >= 1000:
                total, current = total + current, 0
        else:
            return None
    value = total + current
    if value > MAX_TOLL():
        return None
    return value, value


@functools.lru_cache(maxsize=256)  # a pure function of two short strings, asked of every figure
def _qualifier(qual: str | None, n_text: str) -> str:
    if n_text.lower().replace("-", " ") in grammar()["vague"]:
        return "vague"
    if not qual:
        return "exact"
    for name, pattern in grammar()["quals"].items():
        if pattern.match(" ".join(qual.split())):
            return name
    return "exact"


def read(text: str, start: int = 0, end: int | None = None, exclude=()) -> Toll:
    """The killed and injured figures of text[start:end] (the first of each). Numbers inside
    `exclude` spans (dates: "30 September 2016 13 civilians killed") are not tolls."""
    end = len(text) if end is None else end
    killed = injured = None
    g = grammar()
    stem = _first_stem(text, start, end)
    # a word any_word finds starts with its stem (no word of tolls.yaml has a space in its first
    # four letters): none starts before the first stem
    if stem is None or not g["any_word"].search(text, stem, end):
        return Toll(None, None)  # no word of death or injury: no toll to look for
    fold = lexicon.folded(text)  # None: a text the anchors cannot be read on, every shape runs
    for index, pattern in enumerate(g["shapes"]):
        anchor = g["anchors"][index]
        if anchor is not None and fold is not None and anchor.search(fold, start, end) is None:
            continue  # a word the shape needs is not in the clause
        for m in pattern.finditer(text, start, end):
            fig, kind = _figure(text, m, end, g["groups"][index])
            if fig is None or any(a <= fig.start < b for a, b in exclude) or NONE_BEFORE.search(text, max(0, fig.start - 4), fig.start):
                continue  # "no one was killed"
            if index == 0 and (not _plausible_subject(text, m) or m.group("verb").lower().endswith("ing")):
                continue  # "killing 2 people injuring 7": the 2 did not do the injuring
            if kind == "killed" and (killed is None or fig.start < killed.start):
                killed = fig
            elif kind == "injured" and (injured is None or fig.start < injured.start):
                injured = fig
    return Toll(killed, injured)




@functools.lru_cache(maxsize=1)
def _stems_pattern():
    from timeline import regexinfo

    return re.compile(regexinfo.alternation(grammar()["stems"]))


def _first_stem(text: str, start: int, end: int) -> int | None:
    """Where the first of the stems starts in text[start:end], lower-cased (start itself when
    the text has no fold), or None when it holds none. One scan of the folded text
    (lexicon.folded: the same letters where it exists: no other character lower-cases to an
    ASCII one), not one substring test per stem."""
    fold = lexicon.folded(text)
    if fold is None:
        low = text[start:end].lower()
        return start if any(stem in low for stem in grammar()["stems"]) else None
    m = _stems_pattern().search(fold, start, end)
    return None if m is None else m.start()


def _plausible_subject(text: str, m) -> bool:
    """In "NUM ... killed", the words after the number describe the dead ("13 civilians", "2
    Civilians Killed", "six Syrian soldiers"); a determiner there starts another phrase ("13 The
    US-led coalition's airstrikes killed 10")."""
    rest = text[m.end("num"):m.start("verb")].split()
    if not rest:
        return True
    return rest[0].strip("\"'").lower() not in grammar()["not_victims"]


PASSIVE = re.compile(r"(?i)\b(?:were|was|have been|had been|are|is|being|got)\s+$")


def _passive(text: str, m) -> bool:
    """"62 militants were killed": the attackers are the dead here, not the killers."""
    return "verb" in m.re.groupindex and m.start("verb") > m.end("num") and bool(
        PASSIVE.search(text, m.end("num"), m.start("verb")))


def _figure(text: str, m, end: int, groups: frozenset):
    """The figure of match m of a shape whose groups are `groups`, and its kind, or (None, None)."""
    g = grammar()
    kind = _kind(m.group("verb"), m.group("after") if "after" in groups else None)
    if "one" in groups and m.group("one"):
        return Figure(1, 1, "exact", m.start(), m.end()), kind
    num_end = m.end("num")
    if g["breakdown"].match(text, num_end, end) or (g["attackers"].match(text, num_end, end) and not _passive(text, m)):
        return None, None
    n_text = m.group("n")
    parsed = parse_number(n_text)
    if parsed is None:
        return None, None
    low, high = parsed
    n2 = m.group("n2") if "n2" in groups else None
    second = parse_number(n2) if n2 else None
    if second and second[0] > low:
        high = second[0]  # "between 500 and 1,300": the low figure counts, the high bounds it
    qualifier = _qualifier(m.group("qual"), n_text)
    if qualifier == "at least":
        high = max(high, low)
    return Figure(low, high, qualifier, m.start("num"), num_end), kind


@functools.lru_cache(maxsize=256)
def _kind(verb: str, after: str | None) -> str:
    """"killed" or "injured": what a shape's verb (or, after a neutral one, the word `after`)
    says. A pure function of a few words, asked of every figure: cached."""
    g = grammar()
    main = " ".join(verb.lower().split())
    # "killing 2 people injuring 7": the verb says what happened to the 2; only a neutral verb
    # ("left 10 dead") leaves it to the word after
    neutral = not (g["killed"].match(main) or g["injured"].match(main))
    said = " ".join((after or main).lower().split()) if neutral else main
    return "injured" if g["injured"].match(said) else "killed"
