"""Places: a world-wide gazetteer built on GeoNames (timeline/gazetteer.py), looked up by normalised
keys so that Tartus / Tartous / Ţarţūs and Hasakah / Hassakah / al-Hassakeh resolve to one place,
ranked by the countries the article is about (Homs in Syria before Al Khums in Libya).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from timeline import gazetteer as gazetteer_index
from timeline import lexicon, regexinfo

ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|ash|az|an|at|ed|es|en|ul)[\s-]+")
# A run of up to four capitalised words, the first maybe after an article: the same matches as
# (?:\b(?:al|el|as|ar|ad|ash|az)-)?[A-Z]..., written to open with one class ([A-Zae]) so that re
# skips to those letters instead of trying the article at every character; "\b" before the
# article is "no word character before its first letter" (?<!\w.), tested once that letter is read.
NAME_REST = r"[\w'’‘ʿ-]*(?:\s+(?:al-|el-|ez-|ad-|as-)?[A-Z][\w'’‘ʿ-]*){0,3}"
CANDIDATE = re.compile(r"[A-Zae](?:(?<=[A-Z])|(?<=a)(?<!\w.)(?:l|s|r|d|sh|z)-[A-Z]|(?<=e)(?<!\w.)l-[A-Z])" + NAME_REST)
# The same, for a text where no name can start with an article (no "-" before a capital): re
# then stops only at capitals, not at every a and e as well.
CAPITALISED = re.compile(r"[A-Z]" + NAME_REST)
ARTICLE_DASH = re.compile(r"-[A-Z]")  # what every name that starts with an article holds


APOSTROPHES = re.compile(r"[ʿʾ‘’'`]")
SEPARATORS = re.compile(r"[\s_-]+")


@functools.lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Spelling-insensitive key: no accents, apostrophes, articles or case."""
    if name.isascii():  # NFKD leaves it as it is, with no combining marks (testing each character cost most)
        text = name
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = SEPARATORS.sub(" ", APOSTROPHES.sub("", text).lower()).strip()
    return ARTICLE.sub("", text)


def loose(k: str) -> str:
    """A looser key for transliteration variants: doubled letters, ou/u, ay/ai (Ras al-Ain = Ra's
    al 'Ayn), final -h, -eh/-ah."""
    k = k.replace(" ", "").replace("ou", "u").replace("ee", "i").replace("aa", "a").replace("ay", "ai")
    if "\n" in k:  # (.) and $ treat a line break apart: the patterns themselves
        k = re.sub(r"(.)\1+", r"\1", k)
        k = re.sub(r"h$", "", k)
        return re.sub(r"[ea]$", "a", k)
    # the same without re, twice as fast (a name not seen before is looked up by it)
    k = "".join(letter for letter, _ in itertools.groupby(k))  # a run of one letter: the letter once
    k = k[:-1] if k.endswith("h") else k
    return k[:-1] + "a" if k.endswith("e") else k


@functools.lru_cache(maxsize=1)
def gazetteer() -> gazetteer_index.Gazetteer:
    """The world-wide gazetteer (timeline/gazetteer.py): by_key(key) and by_loose(loose key) give
    the places, countries first, then the most populous. Its index is opened (or built, once per
    machine) at the first lookup, not here."""
    version = gazetteer_index.code_version(key, loose, ARTICLE.pattern, APOSTROPHES.pattern, SEPARATORS.pattern)
    return gazetteer_index.Gazetteer(loose, version=version)


DETAIL_MODIFIERS = 3  # the most words a spot phrase has before its noun ("main highway bridge")


@functools.lru_cache(maxsize=1)
def extra():
    data = lexicon.load("places_extra.yaml")
    words = {w: code for code, ws in data["country_words"].items() for w in ws}
    # "Syria's", and "Syrias" where flattening lost the apostrophe
    pattern = lexicon.Skipping(re.compile(_country_source(words) + r"(?:['’]?s)?(?![\w])"))
    nouns = "|".join(data["detail_nouns"])
    # up to three modifiers, a spot noun, and maybe a second one: "main highway bridge", "Shah Wali Kot district",
    # "al-Zahraa neighbourhood", "army checkpoint"
    detail = lexicon.Caseless(r"\b(?:(?!(?:a|an|the|of|in|on|at|near|to|from|by)\b)[\w'-]+\s+)"
                              + f"{{0,{DETAIL_MODIFIERS}}}(?:" + nouns
                              + r")\b(?:\s+(?:" + nouns + r")\b)?")
    noun = lexicon.Caseless(r"\b(?:" + nouns + r")\b")
    return {"countries": words, "country_pattern": pattern, "not_places": set(data["not_places"]),
            "region_words": set(data["region_words"]), "place_suffixes": set(data["place_suffixes"]),
            "detail": detail, "detail_noun": noun}


def _country_source(words) -> str:
    """The country words, not after a letter or a dot, as one regex that re skips through
    quickly: a branch per first letter (re then stops only at those letters, not at every
    character), the not-after test just behind that letter, the rest as a tree of letters
    (regexinfo.alternation: a longer word is tried before its prefix, as in a longest-first
    alternation). The same matches as the plain alternation of the words behind the
    not-after test, longest first."""
    by_first = {}
    for w in words:
        by_first.setdefault(w[0], []).append(w[1:])
    return "(?:" + "|".join(re.escape(first) + r"(?<![\w.].)" + regexinfo.alternation(rests)
                            for first, rests in sorted(by_first.items())) + ")"


@functools.lru_cache(maxsize=1)
def country_names():
    return gazetteer().countries()


def countries_in(text: str) -> list[str]:
    """Country codes the text names (names and demonyms), most named first."""
    counts, first = {}, {}
    words = extra()["countries"]
    for m in extra()["country_pattern"].finditer(text):
        word = m.group(0)
        code = words.get(word) or words.get(_without_s(word))
        if code is None:
            continue
        counts[code] = counts.get(code, 0) + 1
        first.setdefault(code, m.start())
    return sorted(counts, key=lambda c: (-counts[c], first[c]))  # a tie goes to the one named first


def _without_s(word: str) -> str:
    """'Syria's' -> 'Syria', 'Syrias' -> 'Syria' (re.sub(r"['’]?s$", "", word) without re)."""
    if not word.endswith("s"):
        return word
    return word[:-2] if word.endswith(("'s", "’s")) else word[:-1]


@functools.lru_cache(maxsize=65536)
def _found(name: str):
    """The gazetteer places a written name may be: the prominent ones (countries, cities of
    100,000 people or more, towns of places_extra.yaml's `region`) by key, else by loose key;
    only where there are none, the other towns of the world, by exact key of 4 letters or more
    (loose keys and short ones turn too many words into villages: Here, High, Air), and with an
    Arabic article only if their own name has one ("al-Meridian" is no Meridian, Mississippi).
    So a village in Texas never displaces Paris, nor a Cuba City the country, nor an exact
    namesake elsewhere the loose spelling of a town of the region."""
    if name in extra()["not_places"] or (name.isupper() and len(name) <= 4 and name not in extra()["countries"]):
        return None  # "NATO", "UNHCR", "SANA" are acronyms, not towns
    index = gazetteer()
    k = key(name)
    exact = index.by_key(k)
    prominent = _prominent(exact)
    if prominent:
        return prominent
    near = index.by_loose(loose(k)) if len(k) >= 4 else ()
    if _prominent(near) or len(k) < 4:
        return _prominent(near) or None
    if _has_article(name):
        exact = tuple(p for p in exact if _has_article(p["name"]))
    return exact or None


def _has_article(name: str) -> bool:
    return bool(ARTICLE.match(SEPARATORS.sub(" ", name.lower()).strip() + " "))


PROMINENT_POPULATION = 100_000


@functools.lru_cache(maxsize=1)
def _region() -> frozenset:
    return frozenset(lexicon.load("places_extra.yaml")["region"])


def _prominent(found) -> tuple:
    """The countries, big cities and towns of the region among `found`."""
    return tuple(p for p in found if p["kind"] == "country" or p["population"] >= PROMINENT_POPULATION
                 or p["country_code"] in _region())


def lookup(name: str, countries=()) -> dict | None:
    """The best place for a written name, ranked by the article's countries then population."""
    return _lookup(name, tuple(countries))


@functools.lru_cache(maxsize=65536)
def _lookup(name: str, countries: tuple) -> dict | None:
    found = _found(name)
    if found and countries:
        # outside the article's main country only a place's own name counts: "the Ghouta" is no
        # alternate name of East Jerusalem in an article about Syria
        found = [p for p in found if p["country_code"] == countries[0] or _own_name(name, p)]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    rank = {c: i for i, c in enumerate(countries)}
    best = min(found, key=lambda p: (rank.get(p["country_code"], len(rank)), p["kind"] != "country",
                                     -p["population"]))
    # a world city outweighs a small namesake in a country the article names ("talks in Geneva"
    # in an article about the US is Geneva in Switzerland, not Geneva, New York)
    bigger = [p for p in found if p["population"] >= max(MUCH_BIGGER_FLOOR, MUCH_BIGGER * best["population"])]
    return max(bigger, key=lambda p: p["population"]) if bigger and best["kind"] != "country" else best


MUCH_BIGGER, MUCH_BIGGER_FLOOR = 5, 100_000


def _own_name(name: str, place: dict) -> bool:
    """Is `name` the place's own name (any spelling of it), not one of its alternate names?"""
    k, own = key(name), key(place["name"])
    return (k == own or loose(k) == loose(own) or k == key(_display(place)) or place["kind"] == "country"
            or _skeleton(k) == _skeleton(own) or (len(k) >= 4 and own.startswith(k + " ")))  # New York City


def _skeleton(k: str) -> str:
    """Consonants only: transliterations differ in their vowels (Atareb, al-Atarib; Kiev, Kyiv)."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyw\s]", "", k))


def public(place: dict, detail: str | None) -> dict:
    country = country_names().get(place["country_code"], place["country_code"])
    return {"name": place["name"] if place["kind"] != "city" else _display(place), "detail": detail,
            "admin1": place["admin1"], "country": country, "lat": place["lat"], "lon": place["lon"],
            "kind": place["kind"]}


def _display(place: dict) -> str:
    """Plain spelling for display: 'Ţarţūs' -> 'Tartus'; the admin1 name where it is the city's."""
    return _display_name(place["name"], place["admin1"])


@functools.lru_cache(maxsize=65536)  # a place is displayed for each of its mentions
def _display_name(name: str, admin1: str | None) -> str:
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c) and c not in "ʿʾ‘’")
    if admin1 and key(admin1) in (key(plain), loose(key(plain))):
        return admin1
    if admin1 and loose(key(admin1)) == loose(key(plain)):
        return admin1
    return plain


TITLED = lexicon.pattern("titled")


def candidates(text: str, start: int, end: int):
    """(start, end, name) of every capitalised name in text[start:end] that is a place (the
    clause's words, read once: find, the total test and the town count all ask)."""
    return [(start + s, start + e, n) for s, e, n in _candidates(text[start:end])]


@functools.lru_cache(maxsize=4096)
def _candidates(clause: str):
    return _scan_candidates(clause, 0, len(clause))


def _scan_candidates(text: str, start: int, end: int):
    """(start, end, place) for every capitalised name in text[start:end] that is a place.
    Longer names are tried first ("Deir ez-Zor" before "Deir")."""
    found = []
    names = CANDIDATE if ARTICLE_DASH.search(text, start, end) else CAPITALISED
    for m in names.finditer(text, start, end):
        run = _places_in_run(m.group(0))  # most runs name no place: then the title test is not needed
        if not run or TITLED.search(text, max(0, m.start() - 20), m.start()):
            continue  # "President Vladimir Putin" is a person, not the town of Vladimir
        found += [(m.start() + at, m.start() + at + len(name), name) for at, name in run]
    return found


@functools.lru_cache(maxsize=65536)  # a run of names ("Deir ez-Zor", "Syrian Observatory") recurs
def _places_in_run(run: str) -> tuple:
    """(offset, name) of the places in one run of capitalised words, longest names first."""
    found = []
    words = run.split()
    # The word tests come before the lookup (a new name costs two gazetteer queries): a name that
    # starts after a word that may not precede a place ("Juan Manuel Santos" is a man, though
    # Santos is a city), or that a word follows that makes it a longer name ("George Sabra",
    # "Burj Rouss Qsaa"), is no place whatever the gazetteer says.
    last = _last_start(words)
    ends = [j for j in range(len(words), 0, -1) if j == len(words) or _may_follow(words[j])]
    i = 0
    while i <= last:
        for j in ends:
            name = " ".join(words[i:j]) if j > i else None
            if name and lookup(name):
                found.append((len(" ".join(words[:i])) + (1 if i else 0), name))
                i = j
                break
        else:
            i += 1
    return tuple(found)


def _last_start(words: list) -> int:
    """The last index at which a place may begin in a run: the first word that may not precede
    a place (all the words before a place's name must), or the last word."""
    for i, word in enumerate(words[:-1]):
        if not _may_precede(word):
            return i
    return len(words) - 1


def _resolve(name: str, countries=()) -> dict | None:
    """A place for a written name; a possessive whose apostrophe was lost in flattened text
    ("Hamas countryside", "Daraas Manshiyah district") is the place without its s when that is a
    place of the article's countries and the name as written is not."""
    found = lookup(name, countries)
    if name.endswith("s") and len(name) > 4 and countries and (found is None or found["country_code"] not in countries):
        stem = lookup(name[:-1], countries)
        if stem and stem["country_code"] in countries:
            return stem
    return found


def _may_precede(word: str) -> bool:
    """Words that may stand before a place in one capitalised run: "Northern Homs", "the
    Syrian Capital Damascus"."""
    return (word.lower() in extra()["region_words"] or word in extra()["countries"]
            or (word.endswith("s") and word[:-1] in extra()["countries"]))  # "Syrias Deir Ezzor province"


def _may_follow(word: str) -> bool:
    """Words that may follow a place in one capitalised run without making it a longer name:
    "Homs Province", "Aleppo Sunday", "Idlib Syrian Observatory" (flattened text)."""
    return word.lower() in extra()["place_suffixes"] or word in extra()["not_places"] or word in extra()["countries"]


# A name is an event's place only where the text uses it as one: "in X", "the village of X",
# "X province", "struck X", "the X bombings". Where something was said ("said in Paris", "the
# London-based Observatory"), a speaker ("France said"), an organisation's seat ("the UN in New
# York") or a person, a market or a commodity that shares a town's name ("George Sabra", "Brent
# crude", "Gold near record") is not.
LOCATIVE_BEFORE = lexicon.caseless_pattern("locative_before")


def _either_at_start(first: str, *others: str) -> lexicon.Caseless:
    """One pattern for several that match at a text's start (written "(?i)^..."): its group
    `first` holds a match of the first; else a match is one of the others'. One match of it costs
    what one of them did."""
    sources = [lexicon.pattern_source(name).removeprefix("(?i)") for name in (first,) + others]
    return lexicon.Caseless("(?i)(?P<first>" + ")|(?:".join(sources) + ")")


# what the words after a name say: they are talks' ("the Geneva talks"), or a place's or an
# event's ("Homs province", "the Tartus bombings")
AFTER = _either_at_start("talks_after", "locative_after", "event_after")
SPEECH_BEFORE = lexicon.caseless_pattern("speech_before")
SEAT_BEFORE = lexicon.pattern("seat_before")
BASED_AFTER = lexicon.pattern("based_after").twin  # only ever matched at one place: nothing to skip
TOPIC_BEFORE = lexicon.caseless_pattern("topic_before")
BEFORE_CHARS, AFTER_CHARS = 70, 40
# The words one of which stands right before a place used as one (a cheap test before the patterns).
CUE_WORDS = frozenset(lexicon.load("places_extra.yaml")["locative_cues"])


SMALL_FOREIGN = 50_000


def plausible(place: dict, countries=()) -> bool:
    """A small town abroad is a namesake, not the place: an article about Syria that writes
    "the Al-Zahraa neighbourhood" means Homs's, not Az Zahra in Libya."""
    return not (countries and place["kind"] == "city" and place["country_code"] not in countries
                and place["population"] < SMALL_FOREIGN)


HIT_NEAR = lexicon.caseless_pattern("hit_near")


def _seat(before: str) -> bool:
    """'the UN in New York' names where an organisation sits; 'near NATO headquarters in Kabul'
    names where something happened."""
    seat = SEAT_BEFORE.search(before)
    return bool(seat) and not HIT_NEAR.search(before, 0, seat.start() + seat.group(0).find(" ") + 1)


@functools.lru_cache(maxsize=None)
def _screen(pattern: lexicon.Caseless):
    """A regex that finds, in folded text, one of the strings every match of `pattern` holds
    (Skipping.needed), or None."""
    needed = pattern.needed
    return re.compile(regexinfo.alternation(needed)) if needed else None


def _may_find(pattern: lexicon.Caseless, text: str) -> bool:
    """False where `pattern` surely finds nothing in `text`: none of the words its matches need is
    there ("said", "told" for SPEECH_BEFORE). One search of a small tree of words, where the
    pattern's own search tries its words at each word of the text."""
    fold, screen = lexicon.folded(text), _screen(pattern)
    return fold is None or screen is None or screen.search(fold) is not None


def _said(before: str) -> bool:
    """SPEECH_BEFORE.search(before), run only where the words its matches need are there."""
    return _may_find(SPEECH_BEFORE, before) and SPEECH_BEFORE.search(before) is not None


def _used_as_place(text: str, start: int, end: int, place: dict, violence: bool = True, floor: int = 0) -> bool:
    """Is the name at text[start:end] used as a place? `floor`: where its clause begins (a word
    of the sentence before it says nothing about it)."""
    before, after = text[max(floor, start - BEFORE_CHARS):start], text[end:end + AFTER_CHARS]
    after_says = AFTER.match(after)
    talks = after_says is not None and after_says.start("first") >= 0
    if violence and talks:
        return False  # "in the Geneva negotiations": where talks are, not where violence is
    # what the words after it say (a place, an event; talks, outside violence) makes it a place
    used_after = after_says is not None
    if not (used_after or not CUE_WORDS.isdisjoint(before.lower().split()[-6:])):
        return False  # no word before it that could make it a place: no need to run the patterns
    if not (used_after or LOCATIVE_BEFORE.search(before)):
        return False
    return not (BASED_AFTER.match(after) or _said(before) or (violence and _seat(before))
                or (_may_find(TOPIC_BEFORE, before) and TOPIC_BEFORE.search(before)))


def find(text: str, start: int, end: int, countries=(), exclude=(), towns_only=False, near=None) -> dict | None:
    """The place of a clause: its most prominent named town (detail keeps the spot the text
    names: 'al-Zahraa neighbourhood', 'highway bridge'); else its country. Names inside
    `exclude` spans (actors) are not places; with `towns_only` countries do not count (the
    countries in a diplomatic sentence are its parties, not where it happened)."""
    named = [(s, e, _resolve(n, countries)) for s, e, n in candidates(text, start, end)
             if not any(a <= s < b for a, b in exclude)]
    named = [(s, e, p) for s, e, p in named if p and not (towns_only and p["kind"] == "country")
             and plausible(p, countries) and _used_as_place(text, s, e, p, violence=not towns_only, floor=start)]
    towns = [x for x in named if x[2]["kind"] == "city"]
    detail = _detail(text, start, end, towns)
    sub = _subplace(text, start, end, towns, countries, detail)
    if sub is not None:
        return sub
    if towns:
        # a city before a village it names ("al-Sabura, west of Damascus"), then the town nearest
        # the words that report the event ("killed in a bombing in Hasakeh")
        anchor = start if near is None else near
        best = min(towns, key=lambda x: (x[2]["population"] < 100_000, abs(x[0] - anchor), -x[2]["population"]))
        small = [text[s:e] for s, e, p in towns if p is not best[2]]
        # a village named beside the city ("al-Sabura, west of Damascus") places the event near it
        return dict(public(best[2], detail or (", ".join(small) if small else None)), precision=2 if small else 1)
    capital = _capital(text, start, end, countries)
    if capital is not None:
        return dict(public(capital, detail), precision=1)
    countries_named = [x for x in named if x[2]["kind"] == "country"]
    if countries_named:
        return dict(public(countries_named[0][2], detail), precision=3)
    return None


CAPITAL = lexicon.Skipping(re.compile(r"\b(?:the\s+)(?:(?P<demonym>[A-Z][\w-]+)\s+)?capital\b(?!\s+(?:city\s+)?of\b)"))


def _capital(text: str, start: int, end: int, countries) -> dict | None:
    """"in the Syrian capital", "arrived in the capital": the capital of the country the
    demonym names, or of the article's country."""
    if text.find("capital", start, end) < 0:
        return None  # every match holds "capital": most clauses are not scanned
    for m in CAPITAL.finditer(text, start, end):
        if not LOCATIVE_BEFORE.search(text, max(0, m.start() - BEFORE_CHARS), m.start()):
            continue
        code = extra()["countries"].get(m.group("demonym") or "") or (countries[0] if countries else None)
        name = lexicon.load("places_extra.yaml")["capitals"].get(code) if code else None
        found = lookup(name, [code]) if name else None
        if found and found["kind"] == "city":
            return found
    return None


# "the Damascus suburb of Jaramana", "the town of Adra", "the village of Orum al-Kubrah": the
# named sub-place is where it happened. When the gazetteer does not know it (or knows only a
# namesake far away) it is kept by its name at the place the text names around it (precision 2).
NAME = r"(?:(?:al|el|ad|ar|as|ash|az|an|at|ed|es|ez)-)?[A-Z][\w'’ʿ-]+"
# Matched from the noun ("suburb of X"), then the container looked for just before it: a pattern
# starting with the container would be tried at every word of a run like "Al-Al-Al-…", each try
# running to its end (quadratic).
NOUN_OF = lexicon.Skipping(re.compile(
    rf"\b(?P<noun>suburbs?|districts?|neighbou?rhoods?|quarter|town|village|city|camp|area|region|"
    rf"countryside|locality)\s+of\s+(?P<name>{NAME}(?:\s+{NAME}){{0,2}})"))
CONTAINER_BEFORE = re.compile(rf"\b(?P<container>{NAME}(?:\s+{NAME})?)\s+$")
CONTAINER_CHARS = 80


class SubplaceMatch:
    """A sub-place phrase: the groups container (or None), noun and name, with their offsets."""

    def __init__(self, noun_of, container):
        self.noun_of, self.container = noun_of, container

    def group(self, name: str):
        if name == "container":
            return self.container.group("container") if self.container else None
        return self.noun_of.group(name)

    def start(self, name: str | None = None) -> int:
        if name is None:
            return self.container.start() if self.container else self.noun_of.start()
        return self.noun_of.start(name)

    def end(self, name: str | None = None) -> int:
        return self.noun_of.end() if name is None else self.noun_of.end(name)


def subplaces(text: str, start: int, end: int):
    if text.find("of", start, end) < 0:
        return  # every match holds "of": a clause without it is not scanned
    for m in NOUN_OF.finditer(text, start, end):
        yield SubplaceMatch(m, CONTAINER_BEFORE.search(text, max(start, m.start() - CONTAINER_CHARS), m.start()))
# A neighbourhood, district, quarter or area is part of its town: the town is the place, the
# part its spot ("the Homs neighbourhood of al-Zahraa"); a suburb, village or town is a place.
PART_NOUNS = frozenset(lexicon.load("places_extra.yaml")["part_nouns"])
NEAR_KM = 60


def _subplace(text: str, start: int, end: int, towns, countries, detail=None) -> dict | None:
    for m in subplaces(text, start, end):
        name = m.group("name")
        before = text[max(start, m.start() - BEFORE_CHARS):m.start()]
        if not _plausible_name(name) or _said(before) or _seat(before):
            continue  # "speaking at his group's office in the Turkish city of Gaziantep"
        if m.group("noun") in PART_NOUNS:
            part = _part_of_town(m, towns, countries)
            if part is not None:
                return part
            continue
        container = _container(m, towns, countries)
        found = lookup(name, countries)
        if found and found["kind"] == "city" and (container is None or _km(found, container) <= NEAR_KM):
            return dict(public(found, detail), precision=1)
        if found and found["kind"] == "country":
            continue  # "the city of Syria" is no sub-place
        if container is not None:
            return dict(public(container, detail), name=name, kind="named", precision=2)
    return None


def _part_of_town(m, towns, countries) -> dict | None:
    """'the al-Zahraa neighbourhood of Homs' or 'the Homs neighbourhood of al-Zahraa': the town
    is whichever name is a town of the article's countries (the larger one), the other its part."""
    groups = [g for g in ("container", "name") if m.group(g)]
    resolved = [(g, lookup(m.group(g), countries)) for g in groups]
    rank = {c: i for i, c in enumerate(countries)}
    towns_named = [(g, p) for g, p in resolved if p and p["kind"] == "city"]
    if towns_named:
        g, town = min(towns_named, key=lambda x: (rank.get(x[1]["country_code"], len(rank)), -x[1]["population"]))
        other = [m.group(o) for o in groups if o != g]
    else:
        town, other = _container(m, towns, countries), [m.group("name")]
    if town is None:
        return None
    noun = m.group("noun").rstrip("s") if m.group("noun") != "suburbs" else "suburb"
    return dict(public(town, f"{other[0]} {noun}" if other and _plausible_name(other[0]) else None), precision=1)


def _container(m, towns, countries) -> dict | None:
    """The gazetteer town the construction or its clause names around the sub-place."""
    if m.group("container"):
        found = lookup(m.group("container"), countries)
        if found and found["kind"] == "city":
            return found
    near = [(abs(s - m.start("name")), p) for s, e, p in towns if not (m.start("name") <= s < m.end("name"))]
    return min(near, key=lambda x: x[0])[1] if near else None


def _plausible_name(name: str) -> bool:
    """Not a weekday, a demonym or another capitalised word that is no place's name."""
    first = name.split()[0]
    words = extra()["countries"]
    return (first not in extra()["not_places"] and name not in words and first not in words
            and not first.endswith(("ian", "ish", "ese")) and len(key(name)) >= 3)


def more_specific(a: dict, b: dict) -> bool:
    """Is place `a` a more specific place inside `b`: a town of country `b`, or a sub-place of
    town `b` (one the text names by itself, or a smaller town close by)?"""
    if b.get("kind") == "country":
        return a.get("kind") != "country" and a.get("country") == b.get("country")
    if a.get("kind") == "named":
        return a.get("admin1") == b.get("admin1") and _km(a, b) <= NEAR_KM
    return False


def _km(a: dict, b: dict) -> float:
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return 0.0
    import math

    dlat, dlon = math.radians(b["lat"] - a["lat"]), math.radians(b["lon"] - a["lon"])
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a["lat"])) * math.cos(math.radians(b["lat"])) * math.sin(dlon / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


@functools.lru_cache(maxsize=64)  # a clause's spots are asked for by find, then by named_spot
def _spots(text: str, start: int, end: int) -> tuple:
    """The spot phrases of text[start:end]: found by their noun first (one cheap pass), then read
    with the words before it."""
    ex = extra()
    found, last, noun_end = [], start, start
    for n in ex["detail_noun"].finditer(text, start, end):
        if n.start() >= last:
            pos, endpos = max(last, n.start() - 80), min(end, n.end() + 40)
            # no noun begins between the one before and this one: a phrase from pos has this noun
            # or a later one, and at most DETAIL_MODIFIERS words before it
            m = ex["detail"].search(text, _spot_start(text, pos, n.start()) if pos >= noun_end else pos, endpos)
            while m is not None and m.end() < n.end():
                m = ex["detail"].search(text, m.end(), endpos)
            if m is not None:
                found.append(_trim(m.group(0)))
                last = m.end()
        noun_end = n.end()
    return tuple(found)


def _spot_start(text: str, pos: int, noun: int) -> int:
    """Where, in text[pos:noun], a spot phrase whose noun is at `noun` or after can begin at the
    earliest: after the DETAIL_MODIFIERS+1-th run of white space before the noun (a modifier is
    one word and the white space after it). Searched from there, the spot pattern finds what it
    finds from pos (its lookbehinds still see the text before), without trying each word of the
    80 characters before the noun."""
    words = text[pos:noun].rsplit(None, DETAIL_MODIFIERS + 1)
    return pos + len(words[0]) if len(words) == DETAIL_MODIFIERS + 2 else pos


def _detail(text: str, start: int, end: int, towns=()) -> str | None:
    """The spot the clause names: a named one ("al-Zahraa neighbourhood", "al-Sabura area")
    before one with a name in it, before a generic one ("army checkpoint")."""
    found = _spots(text, start, end)
    if not found:
        return None
    return min(found, key=lambda f: (_namedness(f), found.index(f)))


PROPER = re.compile(r"^(?:(?:al|el|as|ar|ad|ash|az)-\w|[A-Z])")


def _trim(phrase: str) -> str:
    """'government-held al-Zahraa neighborhood' -> 'al-Zahraa neighborhood'."""
    words = phrase.split()
    for i, word in enumerate(words[:-1]):
        if PROPER.match(word):
            return " ".join(words[i:])
    return phrase


def _namedness(phrase: str) -> int:
    words = phrase.split()
    if len(words) >= 2 and PROPER.match(words[-2]) and not words[-2].endswith(("ian", "ish", "ese", "i")):
        return 0  # the name stands right before the spot noun
    return 1 if any(PROPER.match(w) for w in words[:-1]) else 2


def named_spot(text: str, start: int, end: int) -> str | None:
    """The spot of text[start:end] when it has a name: "al-Furqan neighborhood", "New Aleppo
    neighborhood"."""
    found = _spots(text, start, end)
    named = [f for f in found if _namedness(f) == 0 and _plausible_name(f.split()[0])]
    return named[0] if named else None


def is_named_spot(detail: str | None) -> bool:
    return bool(detail) and _namedness(detail) == 0


def detail_in(text: str, start: int, end: int) -> str | None:
    return _detail(text, start, end)


def country(code: str) -> dict | None:
    """The country-level place for an ISO code."""
    name = country_names().get(code)
    place = lookup(name) if name else None
    return public(place, None) if place else None
