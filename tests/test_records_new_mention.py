"""records.new_mention and unpickling build the same Mention as its own __init__, through the slots."""

import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import records

OPTIONAL = {"killed": st.none() | st.integers(0, 10**6), "qualifier": st.none() | st.sampled_from(["exact", "about"]),
            "date": st.none() | st.just("2016-09-05"), "actors": st.lists(st.text(max_size=5)).map(tuple),
            "aggregate": st.booleans(), "anchor_start": st.none() | st.integers(0, 99)}


@given(st.text(max_size=20), st.integers(0, 10**6), st.fixed_dictionaries({}, optional=OPTIONAL))
def test_the_same_mention_as_its_init(text, start, optional):
    values = dict(document="d", start=start, end=start + len(text), text=text, **optional)
    made, fast = records.Mention(**values), records.new_mention(**values)
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert fast.extra is made.extra is records.NO_EXTRA
    again = pickle.loads(pickle.dumps(fast))
    assert again == fast and repr(again) == repr(fast) and again.extra is records.NO_EXTRA


def test_still_frozen_and_strict():
    mention = records.new_mention(document="d", start=0, end=1, text="a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.start = 2
    with pytest.raises(TypeError):
        records.new_mention(document="d", start=0, end=1)  # no text
    with pytest.raises(TypeError):
        records.new_mention(document="d", start=0, end=1, text="a", colour="red")
