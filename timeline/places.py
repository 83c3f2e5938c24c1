"""Places: a gazetteer built on GeoNames (timeline/data/gazetteer.tsv), looked up by normalised
keys so that Tartus / Tartous / Ţarţūs and Hasakah / Hassakah / al-Hassakeh resolve to one place,
ranked by the countries the article is about (Homs in Syria before Al Khums in Libya).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata

from timeline import lexicon

ARTICLE = re.compile(r"^(?:al|el|ar|as|ad|ash|az|an|at|ed|es|en|ul)[\s-]+")
CANDIDATE = re.compile(r"(?:\b(?:al|el|as|ar|ad|ash|az)-)?[A-Z][\w'’‘ʿ-]*(?:\s+(?:al-|el-|ez-|ad-|as-)?[A-Z][\w'’‘ʿ-]*){0,3}")


@functools.lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Spelling-insensitive key: no accents, apostrophes, articles or case."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[ʿʾ‘’'`]", "", text).lower()
    text = re.sub(r"[\s_-]+", " ", text).strip()
    return ARTICLE.sub("", text)


def loose(k: str) -> str:
    """A looser key for transliteration variants: doubled letters, ou/u, final -h, -eh/-ah."""
    k = k.replace(" ", "").replace("ou", "u").replace("ee", "i").replace("aa", "a")
    k = re.sub(r"(.)\1+", r"\1", k)
    k = re.sub(r"h$", "", k)
    return re.sub(r"[ea]$", "a", k)


@functools.lru_cache(maxsize=1)
def gazetteer():
    """(by key, by loose key): key -> [place dict], most populous first."""
    by_key, by_loose = {}, {}
    path = lexicon.DATA / "gazetteer.tsv"
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            place = {"name": row["name"], "kind": row["kind"], "country_code": row["country"],
                     "admin1": row["admin1"] or None, "population": int(row["population"] or 0),
                     "lat": float(row["lat"]) if row["lat"] else None,
                     "lon": float(row["lon"]) if row["lon"] else None}
            for k in row["keys"].split("|"):
                by_key.setdefault(k, []).append(place)
                by_loose.setdefault(loose(k), []).append(place)
    for index in (by_key, by_loose):
        for places in index.values():
            places.sort(key=lambda p: (p["kind"] != "country", -p["population"]))
    return by_key, by_loose


@functools.lru_cache(maxsize=1)
def extra():
    data = lexicon.load("places_extra.yaml")
    words = {w: code for code, ws in data["country_words"].items() for w in ws}
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                         + r")(?![\w])")
    nouns = "|".join(data["detail_nouns"])
    # up to two modifiers, a spot noun, and maybe a second one: "main highway bridge",
    # "al-Zahraa neighbourhood", "army checkpoint"
    detail = re.compile(r"(?i)\b(?:(?!(?:a|an|the|of|in|on|at|near|to|from|by)\b)[\w'-]+\s+){0,2}(?:" + nouns
                        + r")\b(?:\s+(?:" + nouns + r")\b)?")
    return {"countries": words, "country_pattern": pattern, "not_places": set(data["not_places"]),
            "region_words": set(data["region_words"]),
            "detail": detail}


@functools.lru_cache(maxsize=1)
def country_names():
    by_code = {}
    for places in gazetteer()[0].values():
        for p in places:
            if p["kind"] == "country":
                by_code[p["country_code"]] = p["name"]
    return by_code


def countries_in(text: str) -> list[str]:
    """Country codes the text names (names and demonyms), most named first."""
    counts = {}
    for m in extra()["country_pattern"].finditer(text):
        code = extra()["countries"][m.group(0)]
        counts[code] = counts.get(code, 0) + 1
    return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@functools.lru_cache(maxsize=65536)
def _found(name: str):
    """Every gazetteer place a written name may be."""
    if name in extra()["not_places"]:
        return None
    by_key, by_loose = gazetteer()
    k = key(name)
    return by_key.get(k) or (by_loose.get(loose(k)) if len(k) >= 4 else None)


def lookup(name: str, countries=()) -> dict | None:
    """The best place for a written name, ranked by the article's countries then population."""
    found = _found(name)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    rank = {c: i for i, c in enumerate(countries)}
    return min(found, key=lambda p: (rank.get(p["country_code"], len(rank)), p["kind"] != "country",
                                     -p["population"]))


def public(place: dict, detail: str | None) -> dict:
    country = country_names().get(place["country_code"], place["country_code"])
    return {"name": place["name"] if place["kind"] != "city" else _display(place), "detail": detail,
            "admin1": place["admin1"], "country": country, "lat": place["lat"], "lon": place["lon"],
            "kind": place["kind"]}


def _display(place: dict) -> str:
    """Plain spelling for display: 'Ţarţūs' -> 'Tartus'; the admin1 name where it is the city's."""
    plain = unicodedata.normalize("NFKD", place["name"])
    plain = "".join(c for c in plain if not unicodedata.combining(c) and c not in "ʿʾ‘’")
    if place["admin1"] and key(place["admin1"]) in (key(plain), loose(key(plain))):
        return place["admin1"]
    if place["admin1"] and loose(key(place["admin1"])) == loose(key(plain)):
        return place["admin1"]
    return plain


TITLED = lexicon.pattern("titled")


def candidates(text: str, start: int, end: int):
    """(start, end, place) for every capitalised name in text[start:end] that is a place.
    Longer names are tried first ("Deir ez-Zor" before "Deir")."""
    found = []
    for m in CANDIDATE.finditer(text, start, end):
        if TITLED.search(text, max(0, m.start() - 20), m.start()):
            continue  # "President Vladimir Putin" is a person, not the town of Vladimir
        words = m.group(0).split()
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                name = " ".join(words[i:j])
                place = lookup(name)
                if place and i > 0 and not all(w.lower() in extra()["region_words"] for w in words[:i]):
                    place = None  # "Juan Manuel Santos" is a man, though Santos is a city
                if place:
                    offset = m.start() + len(" ".join(words[:i])) + (1 if i else 0)
                    found.append((offset, offset + len(name), name))
                    i = j
                    break
            else:
                i += 1
    return found


# A small town is taken for a place only where the text uses its name as one ("in X", "the
# village of X", "X province"); a big city anywhere. Persons and common words share names with
# many villages.
LOCATIVE_BEFORE = lexicon.pattern("locative_before")
LOCATIVE_AFTER = lexicon.pattern("locative_after")
BIG_CITY = 50_000


def _used_as_place(text: str, start: int, end: int, place: dict) -> bool:
    if place["kind"] == "country" or place["population"] >= BIG_CITY:
        return True
    return bool(LOCATIVE_BEFORE.search(text, max(0, start - 40), start) or LOCATIVE_AFTER.match(text[end:end + 30]))


def find(text: str, start: int, end: int, countries=(), exclude=(), towns_only=False, near=None) -> dict | None:
    """The place of a clause: its most prominent named town (detail keeps the spot the text
    names: 'al-Zahraa neighbourhood', 'highway bridge'); else its country. Names inside
    `exclude` spans (actors) are not places; with `towns_only` countries do not count (the
    countries in a diplomatic sentence are its parties, not where it happened)."""
    named = [(s, e, lookup(n, countries)) for s, e, n in candidates(text, start, end)
             if not any(a <= s < b for a, b in exclude)]
    named = [(s, e, p) for s, e, p in named if p and not (towns_only and p["kind"] == "country")
             and _used_as_place(text, s, e, p)]
    towns = [x for x in named if x[2]["kind"] == "city"]
    detail = _detail(text, start, end, towns)
    if towns:
        # a city before a village it names ("al-Sabura, west of Damascus"), then the town nearest
        # the words that report the event ("killed in a bombing in Hasakeh")
        anchor = start if near is None else near
        best = min(towns, key=lambda x: (x[2]["population"] < 100_000, abs(x[0] - anchor), -x[2]["population"]))
        small = [text[s:e] for s, e, p in towns if p is not best[2]]
        return public(best[2], detail or (", ".join(small) if small else None))
    countries_named = [x for x in named if x[2]["kind"] == "country"]
    if countries_named:
        return public(countries_named[0][2], detail)
    return None


def _detail(text: str, start: int, end: int, towns=()) -> str | None:
    """The spot the clause names: a named one ("al-Zahraa neighbourhood", "al-Sabura area")
    before one with a name in it, before a generic one ("army checkpoint")."""
    found = [_trim(m.group(0)) for m in extra()["detail"].finditer(text, start, end)]
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


def detail_in(text: str, start: int, end: int) -> str | None:
    return _detail(text, start, end)


def country(code: str) -> dict | None:
    """The country-level place for an ISO code."""
    name = country_names().get(code)
    place = lookup(name) if name else None
    return public(place, None) if place else None
