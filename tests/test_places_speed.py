"""The shortcuts of timeline/places.py give what the plain code gives."""

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import places


BEFORES = ["a French diplomat said in ", "told reporters in ", "in a statement issued in ", "speaking at ",
           "said from the city of ", "the UN in ", "the OPCW in ", "peace talks being held in the ",
           "an emergency session on ", "a draft resolution on the situation in ", "killed in ",
           "SAID IN ", "said İn ", "said ın ", "talks ON ", "", "   ", "said in\n", "said in the\n ",
           "meeting about\u00a0", "the UN at the capital of ", "fighting near", "report regarding "]


def _places_in_run_plain(run: str) -> tuple:
    """_places_in_run as it was: every name looked up, then tested."""
    found, words, i = [], run.split(), 0
    while i < len(words):
        for j in range(len(words), i, -1):
            name = " ".join(words[i:j])
            place = places.lookup(name)
            if place and i > 0 and not all(places._may_precede(w) for w in words[:i]):
                place = None
            if place and j < len(words) and not places._may_follow(words[j]):
                place = None
            if place:
                found.append((len(" ".join(words[:i])) + (1 if i else 0), name))
                i = j
                break
        else:
            i += 1
    return tuple(found)


RUNS = ["Deir ez-Zor", "Juan Manuel Santos", "George Sabra", "Northern Homs Province", "Homs", "Syrian Observatory",
        "The Syrian Capital Damascus", "Syrias Deir Ezzor", "Idlib Syrian Observatory", "Aleppo Sunday", "Homs Hama",
        "In Homs", "Outside Damascus", "President Vladimir Putin", "Ras al-Ain", "New York City", "Al-Bab Aleppo"]


def test_places_in_run_as_plain():
    for run in RUNS:
        assert places._places_in_run(run) == _places_in_run_plain(run), run


def test_word_screen_is_exact():
    """Where _may_find rules a pattern out, its search finds nothing."""
    for pattern in (places.SPEECH_BEFORE, places.TOPIC_BEFORE):
        assert places._screen(pattern) is not None
        for before in BEFORES + ["the statement in ", "speaking at the Syrian city of ", "SAID IN ", "ſaid in "]:
            assert places._may_find(pattern, before) or not pattern.search(before), before


SPEECH_AND_TOPIC_WORDS = ["said", "says", "told", "reporters", "speaking", "spoke", "statement", "news", "press",
                          "conference", "based", "warned", "session", "meeting", "talks", "resolution", "report",
                          "on", "about", "over", "regarding", "in", "from", "at", "the", "situation", "city", "of",
                          "Turkish", "late", "Monday", " ", "  ", "\n", "-", ".", "İ", "ı", "ſ", "\u212a", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SPEECH_AND_TOPIC_WORDS + [w.upper() for w in SPEECH_AND_TOPIC_WORDS[:8]]),
                max_size=12).map(lambda words: " ".join(words) + " "))  # the patterns end at "in ", "on the "
def test_word_screen_never_hides_a_match(before):
    for pattern in (places.SPEECH_BEFORE, places.TOPIC_BEFORE):
        assert places._may_find(pattern, before) or not pattern.search(before)
    assert places._said(before) == bool(places.SPEECH_BEFORE.search(before))
