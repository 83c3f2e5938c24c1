"""Checking an events file against the schema: jsonschema-rs says quickly that a file is sound,
and jsonschema has the last word on anything it doubts (ingest.check_events_file). The fast
check must never pass a file jsonschema would refuse."""

import copy
import json

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import ingest

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=6)
ODD_STRINGS = st.sampled_from(["2016-09-05\n", "２０１６-09-05", "٢٠١٦-٠٩-٠٥", "2016-9-5", "", "violence", "diplomacy",
                               "2016-09-05T00:00", "1e3"])


def _paths(value, path=()):
    """Every path into a JSON value."""
    yield path
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield from _paths(inner, path + (key,))


def _replace(value, path, new):
    if not path:
        return new
    value[path[0]] = _replace(value[path[0]], path[1:], new)
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_fast_check_passes_nothing_jsonschema_refuses(seeds_json, schema, data):
    paths = list(_paths(seeds_json))
    doc = copy.deepcopy(seeds_json)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        try:
            doc = _replace(doc, path, data.draw(JSON | ODD_STRINGS))
        except (KeyError, IndexError, TypeError):  # an earlier change removed what the path went through
            pass
    refused = any(True for _ in jsonschema.Draft202012Validator(schema).iter_errors(doc))
    if refused:
        assert not ingest._sound(doc), json.dumps(doc)[:500]


def test_a_sound_file_and_a_broken_one(seeds_json):
    assert ingest.check_events_file(seeds_json) is None
    broken = copy.deepcopy(seeds_json)
    broken["events"][0]["order"] = "first"
    assert ingest.check_events_file(broken) == "events[0].order: 'first' is not of type 'integer', 'null'"
