"""Reading events: the seeds' mentions per document (the acceptance table of the events issue),
and the phenomena behind them on text written for the test."""

from datetime import date

import pytest

from conftest import SEED_000, SEED_003
from timeline import ingest, pipeline


def mentions_of(path):
    doc = ingest.read_inputs([path]).documents[0]
    return [m.to_dict() for m in pipeline.read_document(doc, pipeline.Options()).mentions]


def find(mentions, lane, place=None, **fields):
    found = [m for m in mentions if m["lane"] == lane and (place is None or (m["place"] or {}).get("name") == place)
             and all(m.get(k) == v for k, v in fields.items())]
    assert len(found) == 1, (lane, place, fields, [(m["type"], m["place"], m["killed"]) for m in mentions])
    return found[0]


# event | lane | date | place | killed as reported by 000 / 003
SEED_TABLE = [
    ("violence", "Syria", "2016-09-05", 40, 53, True),
    ("violence", "Tartus", "2016-09-05", 30, 38, False),
    ("violence", "Homs", "2016-09-05", 4, 4, False),
    ("violence", "Damascus", "2016-09-05", 1, 3, False),
    ("violence", "Hasakah", "2016-09-05", 5, 8, False),
]


@pytest.mark.parametrize("lane,place,day,k000,k003,aggregate", SEED_TABLE, ids=[r[1] for r in SEED_TABLE])
def test_seed_violence_per_document(lane, place, day, k000, k003, aggregate):
    for path, killed in ((SEED_000, k000), (SEED_003, k003)):
        m = find(mentions_of(path), lane, place, killed=killed)
        assert m["date"] == day and m["aggregate"] is aggregate


def test_seed_details_and_attribution():
    m000, m003 = mentions_of(SEED_000), mentions_of(SEED_003)
    assert "al-Zahraa" in find(m000, "violence", "Homs")["place"]["detail"]
    assert "al-Zahraa" in find(m003, "violence", "Homs")["place"]["detail"]
    assert "bridge" in find(m000, "violence", "Tartus")["place"]["detail"]
    assert "al-Sabura" in find(m003, "violence", "Damascus")["place"]["detail"]
    assert find(m000, "violence", "Homs")["attribution"] == "Gov. Talal Barazi"
    assert find(m003, "violence", "Tartus")["attribution"] == "Syrian Observatory for Human Rights"
    assert find(m000, "violence", "Syria")["attribution"] == "Syrian state media"
    assert "Islamic State" in find(m000, "violence", "Tartus")["actors"], "ISIS's claim covers the day's attacks"


def test_seed_003_siege_is_the_day_before():
    m = find(mentions_of(SEED_003), "violence", "Aleppo", type="siege")
    assert m["date"] == "2016-09-04" and m["date_basis"] == "anchor"


def test_seed_diplomacy():
    m000, m003 = mentions_of(SEED_000), mentions_of(SEED_003)
    obama = [m for m in m000 + m003 if {"Barack Obama", "Vladimir Putin"} <= set(m["actors"])]
    assert obama and all(m["date"] == "2016-09-05" for m in obama)
    assert any((m["place"] or {}).get("name") == "Hangzhou" for m in obama)
    kerry = [m for m in m003 if {"John Kerry", "Sergey Lavrov"} <= set(m["actors"])]
    assert [m["date"] for m in kerry] == ["2016-09-04"]
    assert any({"John Kerry", "Sergey Lavrov"} <= set(m["actors"]) and (m["place"] or {}).get("name") == "Hangzhou"
               for m in m000)


def test_nothing_from_the_sidebar():
    text = SEED_003.read_text(encoding="utf-8")
    sidebar = text.index("More from World")
    assert all(m["end"] <= sidebar for m in mentions_of(SEED_003))


def test_soldier_killed_joins_the_jeep_blast():
    m = find(mentions_of(SEED_000), "violence", "Damascus")
    assert m["killed"] == 1 and "The soldier was killed." in m["text"]


def read_text(text, published=date(2016, 9, 5)):
    doc = ingest.Document(id="t", text=text, title="")
    return [m.to_dict() for m in pipeline.read_document(doc, pipeline.Options(published=published)).mentions]


@pytest.mark.parametrize("text", [
    "Homs and Damascus have all seen repeated suicide attacks during the conflict.",
    "The UN condemned the bombing of the hospital in Aleppo.",
    "More than 300000 people have been killed in Syria since the conflict began in March 2011.",
    "Police said the car was on its way to carry out an attack in the capital.",
    "The talks ended without an agreement, officials said on Monday.",
])
def test_not_events(text):
    mentions = read_text(text)
    assert all(m["type"] not in ("agreement", "ceasefire") for m in mentions)
    assert all(m["lane"] != "violence" for m in mentions), mentions


def test_one_sentence_two_events():
    mentions = read_text("Explosions rocked Homs on Monday, hours after Kerry and Lavrov held talks in Geneva.")
    assert {m["lane"] for m in mentions} == {"violence", "diplomacy"}
    talks = [m for m in mentions if m["lane"] == "diplomacy"][0]
    assert talks["relation"] == "before" and talks["date"] == "2016-09-05"


def test_tolls_in_a_dateline_are_not_read_as_tolls():
    mentions = read_text("30 September 2016 13 civilians killed 43 others injured in rocket attacks on Aleppo.")
    assert mentions[0]["killed"] == 13 and mentions[0]["injured"] == 43


def test_people_are_not_places():
    mentions = read_text('"This is a massacre by chemical weapons" said Saeed. Shelling hit the village of Kafr Awid.')
    places = [(m["place"] or {}).get("name") for m in mentions]
    assert "As Said" not in places
