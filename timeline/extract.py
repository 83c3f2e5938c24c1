"""extract: sentences -> event mentions (lane, type, date, place, actors, toll, attribution).

Each clause is read on its own so that one sentence can hold two events ("Explosions rocked
Syria Monday, hours after the US and Russia discussed ..."). Every value keeps its evidence:
the clause's span, the words its date came from, the source its figure is attributed to.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from timeline import calendar, lexicon, places, records, sentences, tolls

DAY_PRECISIONS = {"day"}
DATED_PRECISIONS = {"day", "week", "month", "season", "quarter", "year"}


@dataclass
class Draft:
    """A mention while the clause is being read (mutable: continuations and claims fold into it);
    `record` turns it into the frozen records.Mention that the later stages work on."""

    document: str
    start: int
    end: int
    text: str
    lane: str
    type: str
    trigger: str
    date: str | None = None
    precision: str | None = None
    date_basis: str | None = None  # clause | sentence | speech | anchor | narrative | context
    date_evidence: str | None = None
    relation: str | None = None  # before | after | same: ordered against the mention `anchor_index`
    anchor_index: int | None = None
    place: dict | None = None
    actors: list = field(default_factory=list)
    killed: tolls.Figure | None = None
    injured: tolls.Figure | None = None
    attribution: str | None = None
    aggregate: bool = False
    outlet: str | None = None
    unresolved: str | None = None  # why no date could be given


def record(m: Draft, siblings=()) -> records.Mention:
    """The mention as the later stages see it. `siblings` are the document's drafts, which
    `anchor_index` points into."""
    killed, injured = m.killed, m.injured
    qualifier = (killed or injured).qualifier if (killed or injured) else None
    anchored = m.relation and m.anchor_index is not None and 0 <= m.anchor_index < len(siblings)
    return records.new_mention(
        document=m.document, start=m.start, end=m.end, text=m.text,
        killed=killed.low if killed else None, killed_high=killed.high if killed else None,
        injured=injured.low if injured else None, injured_high=injured.high if injured else None,
        qualifier=qualifier, attribution=m.attribution, date_evidence=m.date_evidence, outlet=m.outlet,
        lane=m.lane, type=m.type, date=m.date, precision=m.precision, date_basis=m.date_basis,
        place=shared_place(m.place), actors=tuple(m.actors), aggregate=m.aggregate, relation=m.relation,
        anchor_start=siblings[m.anchor_index].start if anchored else None)


_PLACES = {}  # one Place per distinct place: a large corpus names the same towns many times


def shared_place(place: dict | None) -> records.Place | None:
    if place is None:
        return None
    key = tuple(place.get(k) for k in ("name", "detail", "admin1", "country", "lat", "lon", "source", "precision"))
    shared = _PLACES.get(key)
    if shared is None:
        shared = records.Place.from_dict(place)
        if len(_PLACES) < 200_000:
            _PLACES[key] = shared
    return shared


# ------------------------------------------------------------------ vocabulary

@functools.lru_cache(maxsize=1)
def all_triggers():
    """One regex for the triggers of every type, a named group per type in priority order: a
    clause is read in one pass."""
    parts = [f"(?P<t{i}>" + "|".join(t.triggers) + ")" for i, t in enumerate(lexicon.event_types())]
    return lexicon.Caseless(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


@functools.lru_cache(maxsize=1)
def cues():
    data = lexicon.load("cues.yaml")
    words = {k: v["words"] for k, v in data.items()}
    # every cue that can reject a trigger, in one pattern: most triggers have none before them,
    # and one search proves it (a match of the union is a match of one of them)
    words[ANY_REJECTION] = [w for k in REJECTIONS for w in data[k]["words"]]
    return {k: lexicon.Caseless(r"(?<!\w)(?:" + "|".join(v) + r")(?!\w)") for k, v in words.items()}


REJECTIONS = ("condemnation", "accusation", "intent")  # the cues _rejected reads
ANY_REJECTION = "any rejection"


def _alias_pattern(entries, key="aliases"):
    """One regex over every alias; lower-case aliases match in any case."""
    exact, folded, canon = [], [], {}
    for entry in entries:
        for alias in entry[key]:
            alias = str(alias)
            canon[alias if alias != alias.lower() else alias.lower()] = entry["name"]
            (folded if alias == alias.lower() else exact).append(alias)
    parts = [re.escape(a) for a in sorted(exact, key=len, reverse=True)]
    parts += ["(?i:" + re.escape(a) + ")" for a in sorted(folded, key=len, reverse=True)]
    return lexicon.Skipping(re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")), canon


@functools.lru_cache(maxsize=1)
def sources():
    data = lexicon.load("sources.yaml")
    pattern, canon = _alias_pattern(data["sources"])
    reporting = lexicon.Caseless(r"\b(?:" + "|".join(re.escape(w) for w in data["reporting"]) + r")\b")
    return pattern, canon, reporting


@functools.lru_cache(maxsize=1)
def actors():
    return _alias_pattern([{"name": a.name, "aliases": a.aliases} for a in lexicon.actors().values()])


def _canonical(canon: dict, found: str) -> str:
    return canon.get(found) or canon.get(found.lower()) or found


# ------------------------------------------------------------------ reading

@dataclass
class DocContext:
    doc: object
    text: str  # cleaned
    published: date | None
    timexes: list  # in text order and disjoint, as timex.find gives them
    countries: list  # countries the article is about, most named first
    calendar_events: list = field(default_factory=list)  # calendar events the text names
    mentions: list = field(default_factory=list)
    section_start: int = 0  # index of the first mention after the last heading
    dateline: tuple | None = None
    actor_cache: dict = field(default_factory=dict)  # (start, end) -> actor spans of a clause
    trigger_cache: dict = field(default_factory=dict)  # (start, end) -> trigger matches of a clause
    toll_cache: dict = field(default_factory=dict)  # (start, end) -> toll of a clause
    habitual_cache: dict = field(default_factory=dict)  # sentence start -> is it background?

    def __post_init__(self):
        self.timex_starts = [t.start for t in self.timexes]  # for timexes_from

    def timexes_from(self, start: int, end: int) -> list:
        """The timexes that start in [start, end): they are in order, so two bisections find
        them, not a pass over the document's timexes for every clause."""
        first = bisect.bisect_left(self.timex_starts, start)
        return self.timexes[first:bisect.bisect_left(self.timex_starts, end, first)]


def mentions(doc, cleaned: str, published: date | None, timexes: list, dateline=None) -> list[Draft]:
    """Every event mention in one document, in text order. `dateline` is the span of the date
    that dates the article: it dates no event (though its digits are still no toll)."""
    ctx = DocContext(doc, cleaned, published, timexes, places.countries_in(cleaned),
                     calendar_events=calendar.named_in(cleaned), dateline=dateline)
    split = sentences.cut(cleaned, sentences.split(cleaned), dateline)
    claims = [s for s in split if CLAIM.search(cleaned, s.start, s.end)]
    for sentence in split:
        if sentence.heading:
            continue
        if sentence in claims:
            continue  # a claim of responsibility is about events already reported
        spans = sentences.clauses(cleaned, sentence)
        for i in range(len(spans)):
            mention = _read_clause(ctx, sentence, spans, i)
            if mention is None:
                mention = _toll_of_previous(ctx, sentence, spans, i)
            if mention is not None and not _merge_continuation(ctx, mention):
                ctx.mentions.append(mention)
            if mention is not None and mention.lane == "diplomacy" and _clause_toll(ctx, *spans[i]).killed is not None:
                # "The Security Council said ... reports that forces killed 1300 people": the
                # violence the talks are about, with its toll, is an event of its own (a toll
                # the clause does not give, the violence read from it would not have either)
                topic = _read_clause(ctx, sentence, spans, i, only="violence")
                if topic is not None and topic.killed is not None:
                    ctx.mentions.append(topic)
    _apply_claims(ctx, claims)
    return ctx.mentions


def _habitual(ctx: DocContext, sentence) -> bool:
    """Is the sentence background ("have all seen repeated suicide attacks")? Searched when first
    asked, once per sentence: most sentences report nothing, and then nobody asks."""
    found = ctx.habitual_cache.get(sentence.start)
    if found is None:
        found = ctx.habitual_cache[sentence.start] = bool(
            cues()["habitual"].search(ctx.text, sentence.start, sentence.end))
    return found


def _read_clause(ctx: DocContext, sentence, spans, i: int, only: str | None = None) -> Draft | None:
    """The mention a clause reports (of lane `only` when given), or None."""
    start, end = spans[i]
    matches = ctx.trigger_cache.get((start, end))
    if matches is None:  # one pass over the clause, shared by the calls that read it
        matches = ctx.trigger_cache[(start, end)] = list(all_triggers().finditer(ctx.text, start, end))
    if not matches:
        return None
    found = _event_type(ctx.text, start, end, talkers=lambda: _talkers(ctx, start, end), only=only, matches=matches)
    if found is None:
        return None
    type_id, lane, trigger = found
    if lane == "violence" and _habitual(ctx, sentence):
        return None
    toll = _clause_toll(ctx, start, end)
    at = trigger.start()
    if _cued(ctx.text, start, at, ANY_REJECTION) and _rejected(ctx, start, end, at, lane, toll):
        return None
    if not lexicon.event_type(type_id).carries_tolls:
        toll = tolls.Toll(None, None)  # a figure beside a truce is the violence's, not the truce's
    m = Draft(document=ctx.doc.id, start=start, end=end, text=ctx.doc.text[start:end], lane=lane,
                type=type_id, trigger=trigger.group(0), killed=toll.killed, injured=toll.injured,
                outlet=ctx.doc.outlet)
    actor_spans = _clause_actors(ctx, start, end)
    m.actors = _actor_names([a for a in actor_spans if lane == "diplomacy"
                             or not SPEAKS_AFTER.match(ctx.text, a[1], min(end, a[1] + 30))])
    own = _own_part(ctx, start, end) if i == 0 else start  # "Shortly after the Tartus bombings, ..."
    words = [(a, b) for a, b, _ in actor_spans] + [t.span() for t in matches if t.start() >= own]
    m.place = places.find(ctx.text, own, end, ctx.countries, exclude=words,
                          towns_only=lane == "diplomacy", near=trigger.start())
    if m.place is None and lane == "violence":
        m.place = _spot_in_last_town(ctx, own, end)
    m.attribution = _attribution(ctx.text, start, end)
    m.aggregate = _is_aggregate(ctx.text, own, end, m, ctx.countries)
    if m.aggregate and (m.place is None or m.place.get("kind") != "country") and ctx.countries:
        m.place = places.country(ctx.countries[0])
    _date(ctx, m, sentence, spans, i)
    if m.lane == "diplomacy" and m.place is None:
        m.place = _calendar_place(ctx, m) or _default_place(m)
    return m


def _rejected(ctx: DocContext, start: int, end: int, at: int, lane: str, toll) -> bool:
    """Is the trigger at `at` the object of a condemnation, of an accusation that reports no
    incident, or (violence) of an intent?"""
    if _cued(ctx.text, start, at, "condemnation"):
        return True
    if _cued(ctx.text, start, at, "accusation") and not _reported_incident(ctx, start, end, toll):
        return True
    return lane == "violence" and _cued(ctx.text, start, at, "intent")


def _default_place(m: Draft):
    """A session of the Security Council the text does not place is at the UN in New York."""
    where = lexicon.event_type(m.type).default_place
    found = places.lookup(where) if where else None
    return dict(places.public(found, None), precision=2, source=f"default place of {m.type}") if found else None


def _spot_in_last_town(ctx: DocContext, start: int, end: int):
    """"Terrorists fired shells at al-Furqan neighborhood" after a report from Aleppo, "a similar
    bombing in the same square": a named spot with no town, or "the same" place, is in the town
    the article was just reporting from."""
    spot = places.named_spot(ctx.text, start, end)
    same = SAME_PLACE.search(ctx.text, start, end)
    if spot is None and same is None:
        return None
    for prev in reversed(ctx.mentions[ctx.section_start:]):
        if prev.place and prev.place.get("kind") in ("city", "named"):
            # "A similar bombing in the same square on July 25": where the report before it was
            return dict(prev.place, detail=spot or prev.place.get("detail"), precision=1)
    return None


SAME_PLACE = lexicon.caseless_pattern("same_place")


TOLL_ONLY_CHARS = 800


def _toll_of_previous(ctx: DocContext, sentence, spans, i: int) -> Draft | None:
    """"Abdul-Rahman said more than 40 people have been confirmed dead": a toll with no word of
    what happened is another figure for the violence just reported (a report of its own, so that
    each source's figure is kept). None in a background sentence."""
    start, end = spans[i]
    prev = next((p for p in reversed(ctx.mentions[ctx.section_start:]) if p.lane == "violence" and p.date), None)
    if prev is None or not 0 <= start - prev.end <= TOLL_ONLY_CHARS or not tolls.has_number(ctx.text, start, end):
        return None  # a figure written as a number: "a woman was killed" goes on about the report before
    if _habitual(ctx, sentence):
        return None
    toll = _clause_toll(ctx, start, end)
    if toll.killed is None or toll.killed.qualifier == "vague":
        return None
    m = Draft(document=ctx.doc.id, start=start, end=end, text=ctx.doc.text[start:end], lane="violence",
              type=prev.type, trigger="", killed=toll.killed, injured=toll.injured, outlet=ctx.doc.outlet,
              place=prev.place, attribution=_attribution(ctx.text, start, end))
    _set_date(m, prev.date, prev.precision, "context", prev.date_evidence)
    return m


def _reported_incident(ctx: DocContext, start: int, end: int, toll) -> bool:
    """"The opposition accused government forces of gassing hundreds of people on Wednesday ...
    over rebel-held Damascus suburbs": an accusation that gives a day and a toll or a town
    reports an incident; "Moscow accused Washington of air strikes on civilians" does not."""
    if toll.killed is not None and REFERS_BACK.search(ctx.text, start, end):
        return True  # "blames the government for the attack which it says killed 1400": its toll
    if not any(t.precision == "day" and t.value for t in _timexes_in(ctx, start, end)):
        return False
    if toll.killed is not None:
        return True
    place = places.find(ctx.text, start, end, ctx.countries)
    return bool(place and place.get("kind") != "country")


def _clause_toll(ctx: DocContext, start: int, end: int):
    """The toll of a clause (its dates' digits are no toll), read once per clause."""
    key = (start, end)
    if key not in ctx.toll_cache:
        ctx.toll_cache[key] = tolls.read(ctx.text, start, end,
                                         exclude=[(t.start, t.end) for t in ctx.timexes_from(start, end)])
    return ctx.toll_cache[key]


def _clause_actors(ctx: DocContext, start: int, end: int) -> list[tuple]:
    """_actor_spans of a clause, read once per clause."""
    key = (start, end)
    if key not in ctx.actor_cache:
        ctx.actor_cache[key] = _actor_spans(ctx.text, start, end)
    return ctx.actor_cache[key]


def _talkers(ctx: DocContext, start: int, end: int) -> bool:
    """Two or more people named in a clause that gives no toll: a conversation, not a fight."""
    people = lexicon.persons(name for _, _, name in _clause_actors(ctx, start, end))
    if len(people) < 2:
        return False
    toll = _clause_toll(ctx, start, end)
    return toll.killed is None and toll.injured is None


def _own_part(ctx: DocContext, start: int, end: int) -> int:
    """Where the clause's own words begin: after an opening "Shortly after the Tartus bombings,"
    that refers to another event."""
    for t in _timexes_in(ctx, start, end):
        if t.anchor == "event" and t.start - start < 3:
            comma = ctx.text.find(",", t.end, end)
            return comma + 1 if comma > 0 else start
    return start


def _event_type(text: str, start: int, end: int, talkers=lambda: False, only: str | None = None,
                matches=None):
    """(type id, lane, trigger match) of the clause, by type priority (event_types.yaml order).
    Agreements and ceasefires that are only sought ("without an agreement") do not count; a
    summit counts only when nothing more specific is named. `talkers()` (called only when the
    clause has triggers of both lanes): the clause names two people and no toll, so a
    diplomatic trigger in it is what it reports ("Kerry told Muallem in a call that ... the gas
    attack")."""
    types = lexicon.event_types()
    found = {}
    for m in matches if matches is not None else all_triggers().finditer(text, start, end):
        index = int(m.lastgroup[1:])
        found.setdefault(index, []).append(m)
    if not found:
        return None
    violence = next(((types[i].id, "violence", ms[0]) for i, ms in sorted(found.items())
                     if types[i].lane == "violence"), None)
    diplomacy = []
    for i, ms in sorted(found.items()):
        t = types[i]
        if t.lane != "diplomacy":
            continue
        usable = [m for m in ms if not (t.has("may_be_sought")
                                        and _cued(text, start, m.start(), "irrealis", IRREALIS_WINDOW))]
        if usable:
            diplomacy.append((t.has("fallback"), i, (t.id, t.lane, usable[0])))
    if only == "violence":
        return violence
    if violence is not None and not (diplomacy and (talkers() or _only_in_anaphora(text, start, end, violence[2])
                                                    or _only_the_topic(text, diplomacy, violence[2]))):
        return violence
    if diplomacy:
        return min(diplomacy, key=lambda d: (d[0], d[1]))[2]
    return None


TOPIC = lexicon.caseless_pattern("topic")


def _only_the_topic(text: str, diplomacy: list, trigger) -> bool:
    """"Kerry told Muallem in a call on Saturday that ... the chemical attack", "arrived for
    talks aimed at an enquiry into the attack": the violence is what the talks are about."""
    first = min(d[2][2].start() for d in diplomacy)
    return first < trigger.start() and bool(TOPIC.search(text, first, trigger.start()))


def _only_in_anaphora(text: str, start: int, end: int, trigger) -> bool:
    """"The blasts come as talks ... ended": the violence is only the subject that refers back,
    and the clause is about the talks. Not so when violence is named again later in it."""
    subject = ANAPHORA.match(text, start, end)
    if not subject or trigger.start() >= subject.end():
        return False
    types = lexicon.event_types()
    return not any(types[int(m.lastgroup[1:])].lane == "violence"
                   for m in all_triggers().finditer(text, subject.end(), end))


WINDOW = 60  # characters before a trigger in which a cue applies to it
IRREALIS_WINDOW = 100  # "signs of possible progress between X and Y on a ceasefire deal"


def _cued(text: str, clause_start: int, trigger_start: int, kind: str, window: int = WINDOW) -> bool:
    return bool(cues()[kind].search(text, max(clause_start, trigger_start - window), trigger_start))


TITLED_PERSON = lexicon.pattern("titled_person")
# "the UN said", "the Observatory reported": who reports violence is its source, not one of its
# actors (in diplomacy the speakers are the participants)
SPEAKS_AFTER = lexicon.caseless_pattern("speaks_after")


def _actor_spans(text: str, start: int, end: int) -> list[tuple]:
    """(start, end, canonical name) of every actor alias in text[start:end], and of people the
    text names with their office ("Saudi Foreign Minister Adel al-Jubeir") though the actor
    table does not know them."""
    pattern, canon = actors()
    found = [(m.start(), m.end(), _canonical(canon, m.group(0))) for m in pattern.finditer(text, start, end)]
    for m in TITLED_PERSON.finditer(text, start, end):
        if not any(a < m.end("name") and m.start("name") < b for a, b, _ in found):
            found.append((m.start("name"), m.end("name"), m.group("name")))
    return sorted(found)


def _actor_names(spans) -> list[str]:
    return list(dict.fromkeys(name for _, _, name in spans))


ACCORDING = lexicon.pattern("according")
TOLD = lexicon.pattern("told")


def _attribution(text: str, start: int, end: int) -> str | None:
    """Who reported the clause's figure: a known source named with a reporting word, else a
    named person ("according to Gov. Talal Barazi"). A sentence's closing attribution ("..., the
    observatory said.") belongs to its last clause, so the clause is all we read."""
    pattern, canon, reporting = sources()
    if not reporting.search(text, start, end):
        return None
    m = pattern.search(text, start, end)
    if m:
        return _canonical(canon, m.group(0))
    for finder in (ACCORDING, TOLD):
        person = finder.search(text, start, end)
        if person and _looks_like_a_source(person.group("who")):
            return person.group("who").strip().rstrip(".")
    return None




def _looks_like_a_source(who: str) -> bool:
    """'Gov. Talal Barazi', 'Aleppo Police Command': not 'He', nor a bare place name."""
    words = who.strip().rstrip(".").split()
    if not words or words[0] in lexicon.load("sources.yaml")["not_sources"]:
        return False
    return len(words) >= 2 or places.lookup(words[0]) is None


AGGREGATE = lexicon.caseless_pattern("aggregate")
PLURAL_EVENTS = lexicon.caseless_pattern("plural_events")


def _is_aggregate(text: str, start: int, end: int, m: Draft, countries=()) -> bool:
    """A toll for several attacks at once: a series, plural attacks in a whole country, or plural
    attacks in several towns ("blasts that hit Tartous, Homs and Hasakeh")."""
    if m.lane != "violence" or m.killed is None:
        return False
    if AGGREGATE.search(text, start, end):
        towns = {places.lookup(n)["name"] for _, _, n in places.candidates(text, start, end)
                 if places.lookup(n) and places.lookup(n)["kind"] == "city"
                 and places.plausible(places.lookup(n), countries)}
        return len(towns) != 1  # "simultaneous attacks ... in Homs" is Homs's share
    if not PLURAL_EVENTS.search(text, start, end):
        return False
    return _listed_towns(text, start, end, countries) >= 2 or bool(m.place and m.place.get("kind") == "country")


LIST_GAP = re.compile(r"^\s*(?:,|and|,\s*and|&)?\s*$")


def _listed_towns(text: str, start: int, end: int, countries=()) -> int:
    """How many towns a clause lists together ("blasts that hit Tartous, Homs and Hasakeh"): a
    town named around another ("the Damascus suburb of Jaramana") is not a second event."""
    found = [(s, e) for s, e, n in places.candidates(text, start, end)
             if places.lookup(n) and places.lookup(n)["kind"] == "city" and places.plausible(places.lookup(n), countries)]
    best = run = 1 if found else 0
    for (_, e1), (s2, _) in zip(found, found[1:]):
        run = run + 1 if LIST_GAP.match(text[e1:s2]) else 1
        best = max(best, run)
    return best


# ------------------------------------------------------------------ dates

REPORTING_VERB = lexicon.caseless_pattern("reporting_verb")


def _timexes_in(ctx: DocContext, start: int, end: int):
    """The temporal expressions of text[start:end] that can date an event (not the dateline)."""
    skip = ctx.dateline or (-1, -1)
    return [t for t in ctx.timexes_from(start, end) if t.end <= end and not skip[0] <= t.start < skip[1]]


def _date(ctx: DocContext, m: Draft, sentence, spans, i: int) -> None:
    start, end = spans[i]
    own = _timexes_in(ctx, start, end)
    # "a day after X" dates the clause only when it opens it ("The raids come a day after the
    # ministry said ..." is about the raids), and only when X has no date of its own ("a day
    # after an airstrike on Monday killed 12")
    anchored = [t for t in own if t.anchor == "event" and t.start - start < 3]
    explicit = [t for t in own if t.day and t.anchor != "event"]
    if anchored and not explicit:
        return _date_from_anchor(ctx, m, anchored[0], spans, i)
    narrative = [t for t in own if t.anchor == "previous date" and t.value]
    if narrative:
        t = narrative[0]
        return _set_date(m, t.value[:10], "day", "narrative", t.text, relation=t.relation,
                         anchor_index=_last_index(ctx, m.lane))
    dated = [t for t in own if t.type in ("DATE", "TIME") and t.precision in DATED_PRECISIONS and t.value]
    if dated:
        t = min(dated, key=lambda t: (t.precision != "day", t.start))
        basis = "speech" if REPORTING_VERB.search(ctx.text[start:t.start]) or _statement_date(ctx, m, t) else "clause"
        if "future" in t.reason or "'next'" in t.reason:
            basis = "planned"  # "are due to resume discussions on Monday": expected, not yet done
        return _set_date(m, t.value[:10] if t.precision == "day" else t.value, t.precision, basis, t.text)
    return _date_from_context(ctx, m, sentence, spans, i)


STATEMENT = lexicon.caseless_pattern("statement_about")
REFERS_BACK = lexicon.caseless_pattern("refers_back")


def _statement_date(ctx: DocContext, m: Draft, t) -> bool:
    """"Ban Ki-moon on Friday renewed his push to investigate allegations that the attack ...":
    the date is the statement's, and the violence only its topic: the date bounds the event."""
    trigger = ctx.text.find(m.trigger, t.end, m.end)
    return m.lane == "violence" and trigger > t.end and bool(STATEMENT.search(ctx.text, t.end, trigger))


def _set_date(m: Draft, value, precision, basis, evidence, relation=None, anchor_index=None):
    m.date, m.precision, m.date_basis, m.date_evidence = value, precision, basis, evidence
    m.relation, m.anchor_index = relation, anchor_index


def _date_from_anchor(ctx: DocContext, m: Draft, t, spans, i: int) -> None:
    """'X, a day after Y' dates Y from X; 'Shortly after the Tartus bombings, Z' dates Z from the
    earlier mention it names."""
    subordinate = i > 0 and t.start == spans[i][0]
    offset = t.offset_days
    if subordinate:
        main = _clause_date(ctx, spans[i - 1])
        day = _shift(main[0], -offset) if main and offset is not None else None
        if day:
            previous = ctx.mentions[-1] if ctx.mentions and ctx.mentions[-1].start >= spans[i - 1][0] else None
            return _set_date(m, day.isoformat(), "day", "anchor", f"{t.text} ({main[1]})", relation="before",
                             anchor_index=len(ctx.mentions) - 1 if previous else None)
    else:
        index = _anchor_mention(ctx, ctx.text[t.end:spans[i][1]])
        if index is not None and ctx.mentions[index].date and offset is not None:
            anchor = ctx.mentions[index]
            evidence = f"{t.text} ({anchor.date_evidence})"
            if anchor.precision != "day":  # "after X" in a month is in that month, as far as we know
                return _set_date(m, anchor.date, anchor.precision, "anchor", evidence, "after", index)
            day = _shift(anchor.date[:10], offset)
            if day:
                return _set_date(m, day.isoformat(), "day", "anchor", evidence, relation="after", anchor_index=index)
    m.unresolved = f"{t.text!r}: the event it is dated from has no date"


def _shift(day: str, days: int) -> date | None:
    """`day` moved by `days`, or None past the calendar's ends."""
    try:
        return date.fromisoformat(day) + timedelta(days=days)
    except OverflowError:
        return None


def _clause_date(ctx: DocContext, span):
    """(ISO day, evidence) of the first day-precise date in a clause, else of the context."""
    for t in _timexes_in(ctx, *span):
        if t.day and t.anchor != "event":
            return t.day.isoformat(), t.text
    previous = _last_dated(ctx)
    return (previous.date[:10], previous.date_evidence) if previous else None


def _anchor_mention(ctx: DocContext, phrase: str) -> int | None:
    """The earlier mention a phrase like "the Tartus bombings" refers to: the latest whose text
    shares a capitalised word with it, else the latest dated one."""
    names = set(re.findall(r"\b[A-Z][\w-]+", phrase))
    for index in range(len(ctx.mentions) - 1, ctx.section_start - 1, -1):
        if names and names & set(re.findall(r"\b[A-Z][\w-]+", ctx.mentions[index].text)):
            return index
    dated = [i for i, x in enumerate(ctx.mentions) if x.date and i >= ctx.section_start]
    return dated[-1] if dated else None


def _last_dated(ctx: DocContext, lane: str | None = None):
    for x in reversed(ctx.mentions[ctx.section_start:]):
        if x.date and x.precision == "day" and (lane is None or x.lane == lane):
            return x
    return None


def _last_index(ctx: DocContext, lane: str | None) -> int | None:
    previous = _last_dated(ctx, lane)
    return ctx.mentions.index(previous) if previous else None


def _date_from_context(ctx: DocContext, m: Draft, sentence, spans, i: int) -> None:
    """No date in the clause: another clause of the sentence, else the mention before it."""
    for j, span in enumerate(spans):
        if j == i:
            continue
        for t in _timexes_in(ctx, *span):
            if t.day and t.anchor != "event":
                basis = "speech" if REPORTING_VERB.search(ctx.text[span[0]:t.start]) else "sentence"
                return _set_date(m, t.day.isoformat(), "day", basis, t.text)
    vague = [t for t in _timexes_in(ctx, *spans[i]) if t.precision == "vague"]
    if vague:
        m.unresolved = f"the text dates it only as {vague[0].text!r}"
        return None
    if NOT_NARRATIVE.search(ctx.text, *spans[i]):
        if m.killed is not None and ctx.published:
            # "A total of 1500 people have fallen victims of the chemical attack", "more than 40
            # people have been confirmed dead": the toll so far of the event the article reports
            # or refers back to, dated by the article (a bound) until it joins that event
            previous = _context_mention(ctx)
            day = previous.date[:10] if previous is not None and previous.date else ctx.published.isoformat()
            return _set_date(m, day, "day", "context", "the report's own event (a toll so far)")
        m.unresolved = "a state of affairs (perfect or progressive tense) with no date of its own"
        return None
    previous = _context_mention(ctx)
    if previous is not None:
        return _set_date(m, previous.date, previous.precision, "context",
                         f"as the report before it ({previous.date_evidence})")
    if ctx.published and m.start - _body_start(ctx) <= LEAD_CHARS:
        # the lead of a news report tells the news of its day; a weak date, said to be one
        return _set_date(m, ctx.published.isoformat(), "day", "publication",
                         "the article's date (its lead gives no date of its own)")
    m.unresolved = "no date in its sentence and no dated report before it"
    return None


LEAD_CHARS = 400


def _body_start(ctx: DocContext) -> int:
    """Where the article's text begins, after its title."""
    title = getattr(ctx.doc, "title", "") or ""
    found = ctx.text.find(title) if title else -1
    return found + len(title) if 0 <= found < 200 else 0


BACKGROUND_DAYS = 3


def _context_mention(ctx: DocContext):
    """The report an undated clause continues: the one before it, unless that one was background
    told with a date of its own far from the story's lead ("launched on August 24"); then the lead."""
    previous = _last_dated(ctx)
    lead = next((x for x in ctx.mentions[ctx.section_start:] if x.date and x.precision == "day"), None)
    if previous is None or lead is None or previous.date_basis not in ("clause", "sentence"):
        return previous
    gap = abs((date.fromisoformat(previous.date[:10]) - date.fromisoformat(lead.date[:10])).days)
    return lead if gap > BACKGROUND_DAYS else previous


# Tenses that describe a state rather than tell the next step of the story: such a clause does
# not take its date from the sentence before it.
NOT_NARRATIVE = lexicon.caseless_pattern("not_narrative")


# ------------------------------------------------------------------ claims

CLAIM = lexicon.caseless_pattern("claim")


def _apply_claims(ctx: DocContext, claims: list) -> None:
    """'ISIS claimed responsibility for the attacks' (`claims`: the sentences that claim): the
    claimant is an actor of the document's attacks of that day, not only of the claim's sentence."""
    pattern, canon = actors()
    for sentence in claims:
        claimant = pattern.search(ctx.text, sentence.start, sentence.end)
        before = [m for m in ctx.mentions if m.end <= sentence.start and m.lane == "violence" and m.date]
        if not claimant or not before:
            continue
        name, day = _canonical(canon, claimant.group(0)), before[-1].date
        for m in ctx.mentions:
            if (m.lane == "violence" and m.date == day and name not in m.actors
                    and not lexicon.has(m.type, "no_claimant")):
                m.actors.append(name)


# ------------------------------------------------------------------ continuations

ANAPHORA = lexicon.caseless_pattern("anaphora")
CONTINUATION_CHARS = 400


def _merge_continuation(ctx: DocContext, m: Draft) -> bool:
    """Fold a sentence that goes on about the event just reported into that mention: "The attack
    hit the city's al-Zahraa neighbourhood", "The soldier was killed", "At least 16 of those
    killed were troops", or the toll that follows a lead ("Explosions rocked Syria Monday. At
    least 40 people were killed ..."). Returns True when merged."""
    prev = _previous_in_lane(ctx, m)
    if prev is None or m.date_basis == "anchor":
        return False
    toll_only = lexicon.has(m.type, "generic") and m.trigger.lower() == "killed" and m.place is None
    lead_then_toll = (prev.killed is None and m.killed is not None and _same_place(prev, m)
                      and m.date_basis in ("context", "speech", None) and (m.type == prev.type or lexicon.has(m.type, "generic")))
    if not (ANAPHORA.match(m.text) or toll_only or lead_then_toll):
        return False
    if m.killed and prev.killed:
        return False  # a second toll is a second event (or a breakdown the toll reader dropped)
    prev.end = m.end
    prev.text = ctx.doc.text[prev.start:prev.end]
    prev.killed, prev.injured = prev.killed or m.killed, prev.injured or m.injured
    prev.attribution = prev.attribution or m.attribution
    prev.aggregate = prev.aggregate or m.aggregate
    prev.actors += [a for a in m.actors if a not in prev.actors]
    _merge_place(prev, m, ctx)
    return True


def _previous_in_lane(ctx: DocContext, m: Draft):
    """The last mention of the same lane, if it ends just before this one."""
    for prev in reversed(ctx.mentions[ctx.section_start:]):
        if prev.lane == m.lane:
            return prev if 0 <= m.start - prev.end <= CONTINUATION_CHARS else None
    return None


def _same_place(a: Draft, b: Draft) -> bool:
    if a.place is None or b.place is None:
        return True
    return a.place["name"] == b.place["name"]


def _merge_place(prev: Draft, m: Draft, ctx: DocContext | None = None) -> None:
    if prev.aggregate:
        return
    if m.place is None:  # "The attack hit the city's al-Zahraa neighbourhood": a spot, no town
        detail = places.detail_in(ctx.text, m.start, m.end) if ctx else None
        if prev.place and detail and (not prev.place.get("detail") or detail[0] != detail[0].lower()):
            prev.place = dict(prev.place, detail=detail)
        return
    if prev.place is None or places.more_specific(m.place, prev.place):
        prev.place = m.place
    elif not prev.place.get("detail") and m.place.get("detail") and m.place["name"] == prev.place["name"]:
        prev.place = dict(prev.place, detail=m.place["detail"])
    elif not prev.place.get("detail") and m.place.get("kind") != "country" and m.place["name"] != prev.place["name"]:
        prev.place = dict(prev.place, detail=m.place.get("detail") or m.place["name"])


def _calendar_place(ctx: DocContext, m: Draft):
    """A diplomatic event dated during a summit the article names took place there unless the
    text says otherwise."""
    if not m.date or m.precision != "day":
        return None
    day = date.fromisoformat(m.date[:10])
    for event in ctx.calendar_events:
        if event.start <= day <= event.end:
            place = places.lookup(event.place)
            if place:
                return dict(places.public(place, None), source=f"calendar: {event.name}")
    return None
