"""places' cheaper tests give what the plain code gives: the words after a name read by one
pattern (AFTER) for three, and the name scan that stops only at capitals where no article can
start a name."""

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import lexicon, places

TALKS_AFTER = lexicon.caseless_pattern("talks_after")
LOCATIVE_AFTER = lexicon.caseless_pattern("locative_after")
EVENT_AFTER = lexicon.caseless_pattern("event_after")
BASED_AFTER = lexicon.pattern("based_after")


def _used_as_place_plain(text: str, start: int, end: int, violence: bool = True, floor: int = 0) -> bool:
    """places._used_as_place as it was: each pattern of the words after the name on its own."""
    before, after = text[max(floor, start - places.BEFORE_CHARS):start], text[end:end + places.AFTER_CHARS]
    talks = TALKS_AFTER.match(after)
    if violence and talks:
        return False
    used_after = bool(LOCATIVE_AFTER.match(after) or EVENT_AFTER.match(after) or (not violence and talks))
    if not (used_after or places.CUE_WORDS & {w.lower() for w in before.split()[-6:]}):
        return False
    if (places._said(before) or BASED_AFTER.match(after) or (violence and places._seat(before))
            or (places._may_find(places.TOPIC_BEFORE, before) and places.TOPIC_BEFORE.search(before))):
        return False
    return used_after or bool(places.LOCATIVE_BEFORE.search(before))


BEFORE_WORDS = ["in", "near", "the", "town", "of", "said", "told", "reporters", "UN", "talks", "held", "at",
                "session", "on", "killed", "northern", "rebel-held", "city", "struck", "Syrian", "capital",
                "IN", "The", "statement", "headquarters", ",", "-", "\n", "ſaid"]
AFTER_WORDS = ["talks", "peace", "province", "countryside", "bombing", "car", "bomb", "attacks", "s", "'s", ",",
               "-based", "based", "on", "Monday", "Talks", "PROVINCE", "summit", "clashes", "the", "air", "base",
               "\u212a"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(BEFORE_WORDS), max_size=10), st.lists(st.sampled_from(AFTER_WORDS), max_size=5),
       st.booleans(), st.sampled_from(["", " ", "'"]))
def test_used_as_place_as_plain(before, after, violence, glue):
    head = " ".join(before) + (" " if before else "")
    text = head + "Homs" + glue + " ".join(after)
    start, end = len(head), len(head) + len("Homs")
    for floor in (0, max(0, start - 12)):
        assert places._used_as_place(text, start, end, {}, violence=violence, floor=floor) == \
            _used_as_place_plain(text, start, end, violence=violence, floor=floor), (text, violence, floor)


def test_after_groups():
    """The talks group is set for talks only; a place's or an event's words match without it."""
    for after, talks, used in [(" talks on Monday", True, True), (" peace talks", True, True),
                               (" province on Monday", False, True), ("'s bombings", False, True),
                               (" on Monday", False, False), (" TALKS", True, True)]:
        m = places.AFTER.match(after)
        assert (m is not None) == used, after
        assert (m is not None and m.start("first") >= 0) == talks, after


def _scan_plain(text: str) -> list:
    """places._scan_candidates as it was: CANDIDATE alone."""
    found = []
    for m in places.CANDIDATE.finditer(text):
        run = places._places_in_run(m.group(0))
        if not run or places.TITLED.search(text, max(0, m.start() - 20), m.start()):
            continue
        found += [(m.start() + at, m.start() + at + len(name), name) for at, name in run]
    return found


NAME_WORDS = ["al-Bab", "Homs", "ash-Shaddadi", "el-Arish", "Deir", "ez-Zor", "Ras", "al-Ain", "as-Suwayda",
              "President", "Vladimir", "Putin", "Aleppo", "area", "east", "al-", "al-bab", "pro-Assad", "-", "Al-Bab",
              "in", "the", "of", "and", "near", "a", "e", "el-", "Tal", "Abyad", "U.S.-led", "Idlib", "ad-Dana"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_WORDS), max_size=12), st.sampled_from([" ", "  ", ", ", "-"]))
def test_scan_candidates_as_plain(words, glue):
    text = glue.join(words)
    assert places._scan_candidates(text, 0, len(text)) == _scan_plain(text), text
