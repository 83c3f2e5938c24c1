"""The notebook API: timeline.load() and the Timeline object."""

import json

import pandas as pd

import timeline
from conftest import SEEDS
from timeline import records


def test_load_gives_events_documents_json_figure_and_report():
    t = timeline.load([SEEDS])
    assert [d.id for d in t.documents] == ["000_0e2d6fac08845090", "003_64b11752b0c503c2"]
    df = t.events
    assert list(df.columns) == list(records.COLUMNS)
    assert isinstance(df["lane"].dtype, pd.CategoricalDtype)
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert str(df["killed_low"].dtype) == "Int64"
    assert len(df) == len(t.records) > 0
    assert set(df["lane"]) == {"violence", "diplomacy"}
    data = json.loads(t.to_json())
    assert data["schema"] == "timeline/1" and len(data["events"]) == len(df)
    fig = t.figure()
    assert {tr.yaxis for tr in fig.data if (tr.meta or {}).get("role") == "labels"} == {"y", "y2"}
    assert t.report("md").startswith("# Timeline report")


def test_load_accepts_a_single_path_and_options():
    t = timeline.load(SEEDS / "000_0e2d6fac08845090.txt", published="2016-09-06")
    assert t.documents[0].published == "2016-09-06"
    assert t.documents[0].published_how == "option"


def test_public_api_is_declared():
    assert set(timeline.__all__) >= {"load", "Timeline"}
    assert timeline.Timeline is timeline.api.Timeline


def test_records_round_trip_through_their_dict_form():
    t = timeline.load([SEEDS])
    for e in t.records:
        assert records.Event.from_dict(e.to_dict()) == e
    for d in t.documents:
        assert records.Document.from_dict(d.to_dict()).to_dict() == d.to_dict()


def test_hand_curated_events_keep_unknown_fields():
    data = {"id": "ev-1", "lane": "violence", "type": "attack", "date": "2016-09-05", "analyst_note": "checked",
            "mentions": [{"document": "d", "start": 0, "end": 4, "text": "text", "reviewed": True}]}
    out = records.Event.from_dict(data).to_dict()
    assert out["analyst_note"] == "checked" and out["mentions"][0]["reviewed"] is True
