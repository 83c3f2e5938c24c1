"""reconcile: mentions from all documents -> events.

One event per real-world event, keeping every outlet's claim: mentions cluster when they share
a lane, a compatible date, place and type family, and (for diplomacy) participants; a row of an
event table is an event of its own (never merged with another row of its table). Clusters
are searched only among mentions of nearby days in the same lane (blocking), so the cost grows
with the input, not with its square. Each event gets a toll range (low, best, high), aggregates
are linked to the local events they cover, events are ordered within their day where the text
orders them, and ids depend only on content.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import hashlib
import itertools
import re
import statistics
from collections import Counter, defaultdict
from datetime import date, timedelta

from timeline import describe, lexicon, places, timex
from timeline.records import Event, Mention, Place, Toll, evolve

# How directly a mention's date was read, strongest first. A date taken from "said Monday" only
# bounds the event (it happened by then).
BASIS_RANK = {"clause": 0, "sentence": 1, "narrative": 2, "anchor": 3, "context": 3, "publication": 3, "speech": 4,
              "planned": 4}
STRONG_RANK = 2  # above this, a date only bounds the event: it happened by then
WEAK_BASES = {"anchor", "narrative", "context", "publication", "speech", "planned"}


# ------------------------------------------------------------------ vocabulary

# Worked out once per type, value or list of actors rather than once per mention: a corpus
# repeats them (a few hundred types and actor lists, a few thousand date values)
_families = functools.lru_cache(maxsize=None)(lexicon.families)
_span = functools.lru_cache(maxsize=None)(timex.value_span)
_primary = lexicon.family  # totals of bombings and of shelling are different series
NONE = frozenset()
ACTOR_LISTS = 65_536  # lists of actors remembered: a bound, as a large corpus holds many


@functools.lru_cache(maxsize=ACTOR_LISTS)
def _persons(actors) -> frozenset:
    return lexicon.persons(actors) or NONE


@functools.lru_cache(maxsize=ACTOR_LISTS)
def _states(actors) -> frozenset:
    """States a mention involves: those named, and those of the persons named."""
    return lexicon.states(actors) or NONE


@functools.lru_cache(maxsize=None)
def _sitting(type_id) -> bool:
    """A body that sits in one place (the Security Council)."""
    kind = lexicon.event_type(type_id)
    return bool(kind is not None and kind.default_place)


# ------------------------------------------------------------------ mentions

class Item:
    """A mention with what clustering needs, worked out once."""

    __slots__ = ("m", "day", "coarse", "rank", "weak", "place", "kind", "families", "persons", "states", "doc",
                 "sitting", "spot")

    def __init__(self, m: Mention):
        self.m = m
        span = _span(m.date)
        self.day = span[0] if span else None
        self.coarse = not span or span[0] != span[1]
        self.rank = BASIS_RANK.get(m.date_basis, 5)
        self.weak = m.date_basis in WEAK_BASES
        self.place = m.place.name if m.place else None
        self.kind = ("country" if m.place.is_country else "town") if m.place else None
        self.families = _families(m.type)
        self.persons = _persons(m.actors)
        self.states = _states(m.actors)
        self.doc = m.document
        self.sitting = _sitting(m.type)
        self.spot = _spot(m.place)


class Cluster:
    """Mentions of one event, with what compatibility checks need kept up to date."""

    def __init__(self, item: Item):
        self.items = []
        self.lane = item.m.lane
        self.aggregate = bool(item.m.aggregate)
        self.places, self.days, self.families = set(), set(), set()
        self.persons, self.states, self.types = set(), set(), set()
        # what the checks ask of every item, kept as it grows: a cluster of a widely reported
        # event holds hundreds of items, and each newcomer is checked against many clusters
        self.dates, self.by_doc = set(), {}
        self.rows = {}  # table -> the event id its row carries (None when it names none)
        self.weak = False
        self.country = None
        self.add(item)

    def add(self, item: Item) -> None:
        self.items.append(item)
        if item.place and item.kind == "town":
            self.places.add(item.place)
        if item.day and not item.coarse:
            self.days.add(item.day)
        self.families |= item.families
        self.persons |= item.persons
        self.states |= item.states
        self.types.add(item.m.type)
        self.dates.add(item.m.date)
        self.by_doc.setdefault(item.doc, []).append(item)
        if item.m.origin == "table":
            self.rows[item.doc] = item.m.row_id
        self.weak = self.weak or item.weak
        if self.country is None and item.m.place:
            self.country = item.m.place.country


# ------------------------------------------------------------------ compatibility

def _dates_fit(item: Item, cluster: Cluster) -> bool:
    if item.coarse:
        return item.m.date in cluster.dates
    if not cluster.days:
        return False
    if item.day in cluster.days:
        return True
    if not (item.weak or cluster.weak):
        return False
    return (item.day - ONE_DAY) in cluster.days or (item.day + ONE_DAY) in cluster.days


ONE_DAY = timedelta(days=1)


def _families_fit(item: Item, cluster: Cluster) -> bool:
    return "any" in item.families or "any" in cluster.families or bool(item.families & cluster.families)


def _tolls_fit(item: Item, cluster: Cluster) -> bool:
    """One article that gives two different specific tolls is reporting two events."""
    mine = item.m.killed
    if mine is None or item.m.qualifier == "vague" or item.doc not in cluster.by_doc:
        return True
    for other in cluster.by_doc[item.doc]:
        theirs = other.m.killed
        if theirs is not None and other.m.qualifier != "vague" and theirs != mine:
            if item.m.attribution == other.m.attribution:
                return False
    return True


def _rows_fit(item: Item, cluster: Cluster) -> bool:
    """A table row is an event of its own: a cluster holding a row of a table takes no other row
    of it (two killings in one town on one day are two events), and a row of another table only
    when both carry the same event id (an export read back beside its source)."""
    if item.m.origin != "table" or not cluster.rows:
        return True
    if item.doc in cluster.rows:
        return False
    return item.m.row_id is not None and all(row_id == item.m.row_id for row_id in cluster.rows.values())


def _violence_fits(item: Item, cluster: Cluster) -> bool:
    if not (_dates_fit(item, cluster) and _families_fit(item, cluster) and _tolls_fit(item, cluster)
            and _rows_fit(item, cluster)):
        return False
    if cluster.aggregate or item.m.aggregate:
        # a total goes with totals of the same kind of attacks in the same country; a country-wide
        # lead without a toll too
        same_country = item.m.place and item.m.place.country == cluster.country
        lead = item.kind == "country" and item.m.killed is None
        same_kind = "any" in item.families or any(_primary(t) == _primary(item.m.type) for t in cluster.types)
        return bool(same_country and same_kind and (cluster.aggregate == bool(item.m.aggregate) or lead))
    if item.place and item.kind == "town":
        return item.place in cluster.places and not _other_spot_same_doc(item, cluster)
    if item.m.origin == "table":
        return False
    # no town named ("The Observatory said the attack ... gave a toll of three"): it goes on about
    # the report just before it in its own article, the only candidate its block offers
    return item.kind is None


GENERIC_SPOTS = lexicon.pattern("generic_spots")


def _spot(place: Place | None) -> str | None:
    """The named neighbourhood of a mention's town ("al-Furqan neighborhood"), not the town's
    own suburbs or outskirts ("Damascus suburbs")."""
    return _named_spot(place.name, place.detail) if place and place.detail else None


@functools.lru_cache(maxsize=4096)  # a corpus names the same spots again and again
def _named_spot(town: str, detail: str) -> str | None:
    if not places.is_named_spot(detail) or GENERIC_SPOTS.search(detail) or town.lower() in detail.lower():
        return None
    return detail.lower()


def _other_spot_same_doc(item: Item, cluster: Cluster) -> bool:
    """One article that reports two named neighbourhoods of a town is reporting two events
    (a roundup: "al-Furqan", "New Aleppo", "Maisaloun")."""
    mine = item.spot
    return bool(mine) and any(i.spot and i.spot != mine for i in cluster.by_doc.get(item.doc, ()))


NEARBY_CHARS = 600


def _diplomacy_fits(item: Item, cluster: Cluster) -> bool:
    if not (_dates_fit(item, cluster) and _families_fit(item, cluster) and _rows_fit(item, cluster)):
        return False
    if item.sitting and item.m.type in cluster.types:
        return True  # a session of the Security Council that day is one, whoever spoke at it
    if item.place and item.kind == "town" and cluster.places and item.place not in cluster.places:
        return False
    if item.persons and cluster.persons:
        return bool(item.persons & cluster.persons)
    if item.states and cluster.states:
        return item.states <= cluster.states or cluster.states <= item.states
    return bool(item.place and item.place in cluster.places)


def _score(item: Item, cluster: Cluster) -> tuple:
    """Lower is better: shared people, same type, same day, same document first."""
    same_type = item.m.type in cluster.types
    kin = same_type and any(i.m.type == item.m.type for i in cluster.by_doc.get(item.doc, ()))
    gap = min((abs((item.day - d).days) for d in cluster.days), default=9) if item.day else 9
    return (-len(item.persons & cluster.persons), not same_type, not kin, gap, item.doc not in cluster.by_doc)


# ------------------------------------------------------------------ clustering

def _block_key(item: Item):
    """Which clusters an item is compared with: those of its town; of its country (totals and
    country-wide reports); of its article (reports naming no place); all of the day (diplomacy)."""
    m = item.m
    if m.lane == "diplomacy":
        return "*"
    if item.place and item.kind == "town" and not m.aggregate:
        return ("town", item.place)
    if item.kind == "country" or m.aggregate:
        return ("country", m.place.country if m.place else None)
    if m.origin == "table":  # a table row naming no place is an event of its own
        return ("row", item.doc, m.start)
    return ("doc", item.doc)


class Blocks:
    """Clusters indexed by (lane, day or coarse value, block key), each listed once."""

    def __init__(self):
        self.index = defaultdict(dict)
        self.sieves = defaultdict(Sieve)  # (lane, day) -> the diplomacy of a day, indexed
        self.sieves_of = defaultdict(dict)  # id(cluster) -> the sieves it is in
        self.placed = defaultdict(list)  # document -> [(start, end, cluster)] of its placed violence
        self.kinds = defaultdict(dict)  # (type, day) -> clusters of town-level violence

    def candidates(self, item: Item, key) -> list:
        if key[0] == "doc":  # a report naming no place: only the placed report just before it
            preceding = self.preceding(item)
            return [preceding] if preceding is not None else []
        lane = item.m.lane
        days = [item.m.date] if item.coarse else [item.day - ONE_DAY, item.day, item.day + ONE_DAY]
        found = {}
        for day in days:
            if key == "*":
                sieve = self.sieves.get((lane, day))
                found.update(sieve.sift(item) if sieve else {})
            else:
                found.update(self.index.get((lane, day, key), {}))
        return list(found.values())

    def register(self, item: Item, cluster: Cluster, key) -> None:
        day = item.m.date if item.coarse else item.day
        if key == "*":  # every sieve the cluster is in learns what it has become
            self.sieves_of[id(cluster)][(item.m.lane, day)] = None
            for block in self.sieves_of[id(cluster)]:
                self.sieves[block].put(cluster)
        elif key[0] != "doc":  # a report naming no place is never looked up by its block
            self.index[(item.m.lane, day, key)][id(cluster)] = cluster
        if item.m.lane == "violence" and item.place:
            self.placed[item.doc].append((item.m.start, item.m.end, cluster))

    def register_kind(self, item: Item, cluster: Cluster) -> None:
        if item.m.lane == "violence" and item.kind == "town" and not item.m.aggregate and not item.coarse:
            self.kinds[(item.m.type, item.day)][id(cluster)] = cluster

    def same_kind(self, item: Item) -> list:
        """Clusters of the same specific kind of violence in the same country: on the same day
        (a day either side for a weak date), else, for a report that refers back to an event
        ("the chemical attack"), in the month before; the most reported first."""
        if item.coarse or item.day is None:
            return []
        country = item.m.place.country if item.m.place else None
        days = [item.day] + ([item.day - ONE_DAY, item.day + ONE_DAY] if item.weak else [])
        found = self._kind_on(item, days, country)
        if not found and item.weak and BACK_REFERENCE.search(item.m.text):
            found = self._kind_on(item, [item.day - timedelta(days=n) for n in range(1, BACK_DAYS + 1)], country)
        if not found:
            return []
        top = max(len(c.by_doc) for c in found)
        return [c for c in found if len(c.by_doc) == top]

    def _kind_on(self, item: Item, days, country) -> list:
        found = {}
        for day in days:
            for key, c in self.kinds.get((item.m.type, day), {}).items():
                if (country is None or c.country == country) and (item.kind != "town" or item.place in c.places):
                    found[key] = c
        return list(found.values())

    def preceding(self, item: Item):
        """The cluster of the nearest placed violence report before `item` in its own article."""
        best = None
        start_of_item = item.m.start
        for start, end, found in self.placed.get(item.doc, ()):
            if start < start_of_item and start_of_item - end <= NEARBY_CHARS and (best is None or start > best[0]):
                best = (start, found)
        return best[1] if best else None


class Sieve:
    """The diplomacy clusters of one day, indexed by what `_diplomacy_fits` asks of them, so that
    a newcomer is compared with those that could take it rather than with the whole day's (all the
    world's talks share one block: thousands a day in a large corpus). `sift` gives a superset of
    the clusters that fit, in the order they entered the day, as the plain block would."""

    def __init__(self):
        self.order = {}  # id(cluster) -> cluster, in the order they entered
        self.rank = {}  # id(cluster) -> its place in that order
        self.by_place, self.placeless = defaultdict(dict), {}
        self.by_person, self.personless = defaultdict(dict), {}
        self.by_type = defaultdict(dict)

    def put(self, c: Cluster) -> None:
        """Index a cluster that entered or grew (its places, persons and types only grow)."""
        key = id(c)
        if key not in self.order:
            self.order[key], self.rank[key] = c, len(self.rank)
        _file(key, c, c.places, self.by_place, self.placeless)
        _file(key, c, c.persons, self.by_person, self.personless)
        for t in c.types:
            self.by_type[t][key] = c

    def sift(self, item: Item) -> dict:
        """The clusters `item` may fit: a town's talks go with talks there or nowhere named, a
        meeting of people with talks of one of them or of nobody named, a sitting body's session
        with any session of its kind."""
        found = None
        if item.place and item.kind == "town":
            found = {**self.by_place.get(item.place, {}), **self.placeless}
        if item.persons:
            near = dict(self.personless)
            for person in item.persons:
                near.update(self.by_person.get(person, {}))
            found = near if found is None else {k: c for k, c in found.items() if k in near}
        if found is None:
            return self.order
        if item.sitting:
            found.update(self.by_type.get(item.m.type, {}))
        return {k: found[k] for k in sorted(found, key=self.rank.__getitem__)}


def _file(key, c: Cluster, values, index: dict, without: dict) -> None:
    """List a cluster under each of its values, or among those with none."""
    if values:
        without.pop(key, None)
        for value in values:
            index[value][key] = c
    else:
        without[key] = c


@contextlib.contextmanager
def _collector_paused():
    """Reconciling makes a partition's items, clusters and events: hundreds of thousands of
    small objects, none in a reference cycle. The cycle collector, run as they accumulate, walks
    the whole heap again and again for nothing (a quarter of reconciling's time in a run of 4,000
    articles): it runs once they are made. Left off if the caller turned it off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def cluster(mentions: list[Mention]) -> list[Cluster]:
    """Greedy clustering within blocks: each mention joins the best compatible cluster near it
    (same lane, within a day, same town or country or article), or starts one."""
    items = sorted((Item(m) for m in mentions if m.date), key=_item_order)
    clusters, blocks = [], Blocks()
    for item in items:
        key = _block_key(item)
        fits = _violence_fits if item.m.lane == "violence" else _diplomacy_fits
        fitting = [c for c in blocks.candidates(item, key) if fits(item, c)]
        if not fitting and (_unplaced(item) or _refers_back(item)):
            fitting = [c for c in blocks.same_kind(item) if _rows_fit(item, c)]
        if fitting:
            chosen = min(fitting, key=lambda c: _score(item, c)) if len(fitting) > 1 else fitting[0]
            chosen.add(item)
        else:
            chosen = Cluster(item)
            clusters.append(chosen)
        blocks.register(item, chosen, key)
        blocks.register_kind(item, chosen)
    return clusters


def _unplaced(item: Item) -> bool:
    """A report of violence that names no town ("a chemical attack in Syria", "the attack"),
    of a specific kind, and no total."""
    m = item.m
    return m.lane == "violence" and item.kind != "town" and not m.aggregate and not lexicon.has(m.type, "generic")


def _refers_back(item: Item) -> bool:
    """A weakly dated report of a specific kind of violence that refers back to it ("the
    chemical massacre near Damascus", said days later)."""
    m = item.m
    return (m.lane == "violence" and item.weak and not m.aggregate and not lexicon.has(m.type, "generic")
            and bool(BACK_REFERENCE.search(m.text)))


# "the chemical attack", "Wednesday's massacre", "the attack on August 21": a report that refers
# back to an event already known rather than telling of a new one.
BACK_REFERENCE = lexicon.pattern("refers_back")
BACK_DAYS = 30


def _item_order(item: Item):
    """Mentions that say who (diplomacy) or where (violence) first, strongest dates first, so that
    clusters form around them and the vaguer mentions then join the right one."""
    vague = not item.persons if item.m.lane == "diplomacy" else (item.place is None or item.kind == "country")
    return (vague, item.rank, item.place is None, item.coarse,
            item.day or date.max, item.doc, item.m.start)


# ------------------------------------------------------------------ events

def reconcile(mentions: list[Mention]) -> tuple[list[Event], list[str]]:
    """(events sorted by date, order, lane, id; mentions that make no event, with the reason).
    Mentions are clustered partition by partition (`partitions`: clustering never looks across
    them), as the Dask engine does on its workers, then finished together."""
    return finish([cluster_part(part) for part in partitions(mentions)])


@_collector_paused()
def cluster_part(mentions: list[Mention]) -> list[tuple]:
    """The clusters of one partition as (order key, Event or None, [unresolved]): the order key
    is that of the cluster's first mention, so sorting by it gives the order one clustering of
    all mentions creates them in."""
    return list(entries(mentions))


def entries(mentions: list[Mention]):
    """cluster_part's entries one at a time, each cluster let go once its entry is made (a
    streamed run spills each entry as it comes: a partition's events are never all in memory)."""
    clusters = cluster(mentions)
    clusters.reverse()
    while clusters:
        c = clusters.pop()
        reason = _too_vague(c)
        if reason:
            yield _item_order(c.items[0]), None, [f"{i.doc}: {i.m.text!r}: {reason}" for i in c.items]
        else:
            yield _item_order(c.items[0]), _event(c), []


@_collector_paused()
def finish(parts: list[list[tuple]]) -> tuple[list[Event], list[str]]:
    """Events from the clusters of every partition: ids, totals linked to their parts, order
    within days (a text orders events of any lane and place), sorted."""
    entries = sorted((entry for part in parts for entry in part), key=lambda entry: entry[0])
    unresolved = [text for _, _, texts in entries for text in texts]
    built = _assign_ids([event for _, event, _ in entries if event is not None])
    built = _link_aggregates(built)
    built = _order_within_days(built)
    return sorted(built, key=Event.sort_key), unresolved


# ------------------------------------------------------------------ partitions

# mentions: a lane with more is cut into periods at quiet days. Clustering holds about 2 KB per
# mention of its partition (with the mentions), so this bounds a run's memory (a streamed extract,
# a Dask worker) to some 200 MB of clustering however large the corpus: 250,000 left 100,000
# articles at 490-520 MB.
PART_SIZE = 100_000


def partitions(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions grouped so that no clustering decision looks across groups: by lane (clusters
    never mix lanes), and a lane of more than PART_SIZE mentions cut into periods at its quietest
    days. Not by country: a report that names no place joins the attack most outlets report that
    day wherever it is, and talks bring countries together. Groups in a fixed order, mentions in
    their input order."""
    dated = [m for m in mentions if m.date]
    days = [(lane_of(m), day_of(m)) for m in dated]
    counts = Counter(days)
    cuts = period_cuts(counts)
    keys = {day: part_key(*day, cuts) for day in counts}  # the partition of each lane's day
    groups = defaultdict(list)
    for m, day in zip(dated, days):
        groups[keys[day]].append(m)
    return [groups[key] for key in sorted(groups)]


def lane_of(m: Mention) -> str:
    return m.lane or ""


def day_of(m: Mention) -> str:
    """The day a mention counts on for cutting periods (a coarse date by its start: all of its
    value fall on one side)."""
    return m.date[:10]


def period_cuts(counts: Counter) -> dict:
    """{lane: [first days of its 2nd, 3rd ... periods]} for lanes of more than PART_SIZE
    mentions (counts: (lane, day) -> mentions); each cut falls on the quietest day of the week
    before the size is reached, so few reports of one event fall on both sides."""
    by_group = defaultdict(dict)
    for (group, day), n in counts.items():
        by_group[group][day] = n
    cuts = {}
    for group, days in by_group.items():
        if sum(days.values()) <= PART_SIZE:
            continue
        ordered, cuts[group], size = sorted(days), [], 0
        for index, day in enumerate(ordered):
            size += days[day]
            if size >= PART_SIZE and index + 1 < len(ordered):
                window = range(max(index - 6, 1), index + 2)
                quiet = min(window, key=lambda j: (days[ordered[j - 1]] + days[ordered[j]], -j))
                if not cuts[group] or ordered[quiet] > cuts[group][-1]:
                    cuts[group].append(ordered[quiet])
                size = sum(days[d] for d in ordered[quiet:index + 1])
    return cuts


def part_key(lane: str, day: str, cuts: dict) -> tuple:
    """The partition of a mention of `lane` on `day`: (lane, period number)."""
    return lane, bisect.bisect_right(cuts.get(lane, ()), day)


def _too_vague(c: Cluster) -> str | None:
    """A lone report that says neither where nor how many (violence), or neither who nor where
    (diplomacy), and joined no other report, is not an event we can place on a timeline."""
    if not any(i.day for i in c.items):  # a date outside the calendar read as one (defence in depth)
        return "no date on the calendar"
    if len(c.items) > 1:
        return None
    item = c.items[0]
    if item.m.origin == "table":
        return None  # a row someone curated is kept as they wrote it
    if item.m.lane == "violence" and not item.place and item.m.killed is None:
        return "no place or toll of its own, and no report near it to attach to"
    if item.m.lane == "diplomacy" and not item.place and not item.persons and not item.states and not item.m.actors:
        return "no participants or place named"
    return None


def sort_key(e: Event):
    return e.sort_key()


def _event(c: Cluster) -> Event:
    mentions = tuple(sorted((i.m for i in c.items), key=lambda m: (m.document, m.start)))
    chosen = _date_of(c)
    span = _span(chosen.m.date)
    event = evolve(
        BLANK_EVENT, id=None, lane=c.lane, type=_type_of(c), date=span[0].isoformat(),
        date_end=span[1].isoformat() if span[1] != span[0] else None,
        precision=chosen.m.precision, order=None, place=_place_of(c),
        actors=tuple(sorted({a for m in mentions for a in m.actors})),
        killed=toll_range(mentions, "killed"), injured=toll_range(mentions, "injured"),
        aggregate=c.aggregate, part_of=None, summary="", mentions=mentions,
        discrepancies=discrepancies(mentions))
    return evolve(event, summary=describe.summary(event))


# Events are made as copies of a blank one (records.evolve): Event's own __init__ sets its fields
# one by one through object.__setattr__ (it is frozen), which cost a fifth of making an event.
BLANK_EVENT = Event(id=None, lane="", type="", date="")


def _date_of(c: Cluster) -> Item:
    """The date read most directly. When every outlet's date only bounds the event ("said
    Monday", "hours after", the date of the report before it), the tightest bound: the earliest."""
    dated = [i for i in c.items if i.day]
    best = min(i.rank for i in dated)
    if best > STRONG_RANK:
        return min(dated, key=lambda i: (i.day, i.coarse, i.doc, i.m.start))
    top = [i for i in dated if i.rank == best]
    counts = Counter(i.m.date for i in top)
    return min(top, key=lambda i: (-counts[i.m.date], i.coarse, i.day, i.doc))


def _type_of(c: Cluster) -> str:
    """The specific type most documents give, the most specific on a tie (the generic type only
    when nothing else is said): twenty reports of a chemical attack, one of which mentions the
    shelling that followed, are a chemical attack."""
    if len(c.types) == 1:  # nearly always: nothing to vote on
        return next(iter(c.types))
    votes = Counter(t for _, t in {(i.doc, i.m.type) for i in c.items})  # one vote per document
    specific = [t for t in votes if not lexicon.has(t, "generic")] or list(votes)
    return min(specific, key=lambda t: (-votes[t], lexicon.rank(t)))


def _place_of(c: Cluster) -> Place | None:
    """The town most outlets name (a total keeps its country); its spot from whoever names one."""
    placed = [i.m.place for i in c.items if i.m.place]
    if not placed:
        return None
    if c.aggregate:
        countries = [p for p in placed if p.is_country]
        placed = countries or placed
    else:
        towns = [p for p in placed if not p.is_country]
        placed = towns or placed
    counts = Counter(p.name for p in placed)
    name = max(counts, key=lambda n: (counts[n], n))
    chosen = next(p for p in placed if p.name == name)
    details = [p.detail for p in placed if p.name == name and p.detail]
    named = [d for d in details if d[:1].isupper() or d[:3].lower() in ("al-", "el-")]
    return evolve(chosen, detail=(named or details or [None])[0], source=None)


def _claims(mentions, kind: str):
    """(figure, upper figure, qualifier) per distinct claim: one per outlet and attribution."""
    seen = {}
    for m in mentions:
        figure, high = m.figure(kind)
        if figure is None:
            continue
        key = (m.document, m.attribution)
        claim = (figure, high or figure, m.qualifier)
        if key not in seen or (seen[key][2] == "vague" and claim[2] != "vague"):
            seen[key] = claim
    return list(seen.values())


def toll_range(mentions, kind: str) -> Toll | None:
    """low: the conservative figure (the smallest claim; "dozens" counts 12); high: the largest
    specific claim; best: the median of the specific claims (vague ones only bound the range)."""
    claims = _claims(mentions, kind)
    if not claims:
        return None
    specific = [low for low, _, q in claims if q != "vague"]
    low = min(low for low, _, _ in claims)
    if not specific:
        return Toll(low, low, max(high for _, high, _ in claims))
    # a range claim ("between 20 and 30") reaches its upper figure
    return Toll(low, int(statistics.median_low(specific)), max(high for _, high, q in claims if q != "vague"))


def discrepancies(mentions) -> dict:
    """What the outlets disagree on: {field: {document: claim}} for toll, date and place."""
    out = {}
    said = {"killed": [m.killed for m in mentions], "date": [m.date for m in mentions],
            "place": [m.place.name if m.place else None for m in mentions]}
    for name, values in said.items():
        if len(set(values) - {None}) < 2:  # nearly always: all say the same, or one says it
            continue
        claims = {}
        for m, value in zip(mentions, values):
            if value is not None:
                claims.setdefault(m.document, value)
        if len(set(claims.values())) > 1:
            out[name] = claims
    return out


# ------------------------------------------------------------------ ids, totals, order

def _assign_ids(built: list[Event]) -> list[Event]:
    """ev-<hash of lane, family, date, place, total?>; the rare clash gets -2, -3 in the order of
    the events' most specific type and first mention (for table rows: the event id of the row, which
    an export keeps, so that the rows of an export read back get the ids they were written with)."""
    groups = defaultdict(list)  # base id -> indexes into built
    for index, e in enumerate(built):
        place = e.place.name if e.place else ""
        content = "|".join([e.lane, _primary(e.type), e.date, e.date_end or "", place, str(e.aggregate)])
        groups["ev-" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:10]].append(index)
    ids = {}
    for base, group in groups.items():
        if len(group) == 1:  # nearly always: no clash to order
            ids[group[0]] = base
            continue
        group.sort(key=lambda i: (lexicon.rank(built[i].type), built[i].mentions[0].document,
                                  _natural(built[i].mentions[0].row_id), built[i].mentions[0].start))
        ids.update({index: base if n == 1 else f"{base}-{n}" for n, index in enumerate(group, start=1)})
    return [evolve(e, id=ids[index]) for index, e in enumerate(built)]


def _natural(text: str | None) -> list:
    """A sort key that puts BRA9 before BRA10 and ev-1a2b-2 before ev-1a2b-10."""
    return [int(part) if odd else part for odd, part in zip(itertools.cycle((0, 1)), re.split(r"(\d+)", text or ""))]


def _link_aggregates(built: list[Event]) -> list[Event]:
    """A local event reported by an outlet that also gives the day's total is part of it; each
    outlet's parts are checked against its total."""
    totals = defaultdict(list)  # (date, country) -> the totals given for them, in order
    for e in built:
        if e.aggregate and e.lane == "violence":
            totals[(e.date, _country(e))].append(e)
    linked = []
    for e in built:
        if not (e.aggregate or e.lane != "violence" or e.precision != "day"):
            for total in totals.get((e.date, _country(e)), ()):
                if _share_a_document(e, total):
                    e = evolve(e, part_of=total.id)
                    break
        linked.append(e)
    parts = defaultdict(list)
    for e in linked:
        if e.part_of:
            parts[e.part_of].append(e)
    return [evolve(e, checks=tuple(_check_parts(e, parts[e.id]))) if e.aggregate and e.lane == "violence" else e
            for e in linked]


def _country(e: Event) -> str | None:
    return e.place.country if e.place else None


def _share_a_document(a: Event, b: Event) -> bool:
    return not {m.document for m in a.mentions}.isdisjoint(m.document for m in b.mentions)


def _check_parts(total: Event, parts: list[Event]) -> list[dict]:
    """Per outlet: does the sum of the local tolls it gives equal the total it gives?"""
    out = []
    for doc in total.documents:
        figures = [m.killed for m in total.mentions if m.document == doc and m.killed is not None]
        if not figures:
            continue
        sums = []
        for part in parts:
            mine = [m.killed for m in part.mentions if m.document == doc and m.killed is not None]
            if mine:
                sums.append(mine[0])
        out.append({"document": doc, "total": figures[0], "parts": sum(sums), "components": len(sums),
                    "consistent": sum(sums) == figures[0]})
    return out


def _order_within_days(built: list[Event]) -> list[Event]:
    """'Shortly after the Tartus bombings', 'hours after the talks', 'Later in the day': events
    that the text orders get their position within the day."""
    related = [(e, m) for e in built for m in e.mentions if m.relation]
    docs = {m.document for _, m in related}  # only their articles' mentions can be their anchors
    where = {(m.document, m.start): e for e in built for m in e.mentions if m.document in docs}
    edges = defaultdict(set)
    for e, m in related:
        other = where.get((m.document, m.anchor_start))
        if other is None or other is e or other.date != e.date:
            continue
        before, after = (e, other) if m.relation == "before" else (other, e)
        edges[before.id].add(after.id)
    by_id = {e.id: e for e in built}
    order = {}
    for day_events in _group_by_day([by_id[i] for i in set(edges) | set().union(*edges.values())]):
        for position, event_id in enumerate(_topological([e.id for e in day_events], edges)):
            order[event_id] = position
    return [evolve(e, order=order[e.id]) if e.id in order else e for e in built]


def _group_by_day(items: list[Event]):
    days = defaultdict(list)
    for e in items:
        days[e.date].append(e)
    return [sorted(v, key=lambda e: e.id) for _, v in sorted(days.items())]


def _topological(ids: list[str], edges: dict) -> list[str]:
    """Kahn's algorithm, ties broken by id; a cycle (contradictory text) leaves the rest as is."""
    ids_set = set(ids)
    incoming = {i: sum(1 for j in ids if i in edges.get(j, ())) for i in ids}
    ready = sorted(i for i in ids if incoming[i] == 0)
    out = []
    while ready:
        current = ready.pop(0)
        out.append(current)
        for nxt in sorted(edges.get(current, ())):
            if nxt in ids_set:
                incoming[nxt] -= 1
                if incoming[nxt] == 0:
                    ready.append(nxt)
                    ready.sort()
    return out + sorted(i for i in ids if i not in out)


def day_totals(events: list[Event], lane: str = "violence") -> dict:
    """{date: {"low", "high", "events"}}: the tolls of a day with each death counted once: a
    total stands for its parts, which are not added to it."""
    out = {}
    for e in events:
        if e.lane != lane or e.part_of or not e.killed or e.precision not in (None, "day"):
            continue
        day = out.setdefault(e.date, {"low": 0, "high": 0, "events": 0})
        day["low"] += e.killed.low
        day["high"] += e.killed.high
        day["events"] += 1
    return out
