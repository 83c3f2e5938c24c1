"""Reading time: publication dates, relative dates, numeric order, and no false dates."""

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEED_000, SEED_003, SEEDS, run_cli
from timeline import clean, dates, ingest, timex

CASES = yaml.safe_load((ROOT / "tests" / "cases" / "datelines.yaml").read_text())


def read(text, title=None, **kwargs):
    doc = ingest.Document(id="t", text=text, title=title if title is not None else text.split("\n", 1)[0])
    cleaned, _ = clean.mask(text)
    return dates.read(doc, cleaned, **kwargs)


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_dateline_forms(case):
    docdate, _ = read(case["text"], case.get("title"), date_order=case.get("date_order", "auto"))
    assert docdate.published == case["published"], docdate
    assert docdate.how == "text" and docdate.evidence


def seed(path: Path):
    doc = ingest.read_inputs([path]).documents[0]
    cleaned, _ = clean.mask(doc.text)
    return dates.read(doc, cleaned)


def test_seed_003_is_dated_from_its_update_line_with_the_order_decided_by_evidence():
    docdate, expressions = seed(SEED_003)
    assert docdate.published == date(2016, 9, 5)
    assert docdate.how == "text" and "Last update: Mon, 05/09/2016" in docdate.evidence
    assert docdate.order == "DMY" and docdate.order_reason
    assert "order DMY" in docdate.evidence
    by_text = {t.text: t.value for t in expressions}
    assert by_text["Sunday"] == "2016-09-04"
    assert by_text["Monday"] == "2016-09-05"


def test_seed_000_is_dated_from_the_calendar():
    docdate, expressions = seed(SEED_000)
    assert docdate.published == date(2016, 9, 5)
    assert docdate.how == "calendar"
    assert "G20" in docdate.evidence and "Hangzhou" in docdate.evidence and "Monday" in docdate.evidence
    assert [t.value for t in expressions if t.text == "Monday"] == ["2016-09-05", "2016-09-05"]


def test_sidebar_lends_no_dates():
    text = SEED_003.read_text(encoding="utf-8")
    sidebar = text.index("More from World")
    _, expressions = seed(SEED_003)
    assert all(t.start < sidebar for t in expressions)
    assert "Sunday" in text[sidebar:], "the sidebar has dates that must not be read"


def test_ambiguous_numeric_date_without_evidence_is_reported_not_guessed():
    docdate, _ = read("Title\n\nA car bomb exploded.\n\nUpdated: Mon, 05/09/2016\n")
    assert docdate.published is None
    assert any("ambiguous" in w for w in docdate.warnings)


@pytest.mark.parametrize("evidence,expected", [
    ("Talks were held on 25/09/2016 too.", "DMY"),
    ("Talks were held on 09/25/2016 too.", "MDY"),
    ("The G20 summit in Hangzhou ended.", "DMY"),
    ("The blast hit the neighbourhood centre.", "DMY"),
    ("The blast hit the neighborhood center.", "MDY"),
])
def test_numeric_order_is_decided_by_evidence(evidence, expected):
    filler = "Fighting went on in the north of the country, residents said. " * 6
    docdate, _ = read(f"Title\n\n{filler}\n\n{evidence}\n\nUpdated: Mon, 05/09/2016\n")
    assert docdate.order == expected, docdate
    assert docdate.published == (date(2016, 9, 5) if expected == "DMY" else date(2016, 5, 9))


def test_date_order_option_overrides():
    docdate, _ = read("Title\n\nThe neighbourhood.\n\nLast update: Mon, 05/09/2016\n", date_order="MDY")
    assert docdate.published == date(2016, 5, 9) and docdate.order_reason == "--date-order MDY"


def test_published_option_wins():
    docdate, _ = read("Date of publication 19 September 2016 text", published=date(2016, 1, 2))
    assert docdate.published == date(2016, 1, 2) and docdate.how == "option"


def test_metadata_date_wins_over_the_text():
    doc = ingest.Document(id="t", text="19 Sep 2016 text", title="", published="2016-09-20",
                          published_how="metadata", published_evidence="column date")
    docdate, _ = dates.read(doc, doc.text)
    assert docdate.published == date(2016, 9, 20) and docdate.how == "metadata"


def test_undated_document_leaves_relative_dates_unresolved():
    docdate, expressions = read("Title\n\nA car bomb exploded on Monday, killing four.")
    assert docdate.published is None and docdate.how is None
    monday = [t for t in expressions if t.text == "Monday"][0]
    assert monday.value is None and "unknown publication date" in monday.reason


DCT = date(2016, 9, 5)  # a Monday


@pytest.mark.parametrize("text,expected", [
    ("Fighting resumed on Monday.", "2016-09-05"),
    ("Kerry met Lavrov on Sunday.", "2016-09-04"),
    ("They will meet on Friday.", "2016-09-09"),
    ("The talks are due to resume on Monday.", "2016-09-05"),
    ("The talks will resume next Monday.", "2016-09-12"),
    ("A strike hit the town yesterday.", "2016-09-04"),
    ("Shelling continued today.", "2016-09-05"),
    ("The clashes began three days ago.", "2016-09-02"),
    ("Fighting intensified last week.", "2016-W35"),
    ("Talks collapsed last month.", "2016-08"),
    ("The siege began last year.", "2015"),
    ("Earlier this month the truce held.", "2016-09"),
    ("Rebels took the town on September 12.", "2016-09-12"),
    ("Rebels took the town on 2 September.", "2016-09-02"),
    ("The offensive began in August.", "2016-08"),
    ("The offensive began in March 2013.", "2013-03"),
    ("The truce was signed on 12/09/2016.", None),
    ("In the summer of 2015 the town fell.", "2015-SU"),
])
def test_relative_and_explicit_expressions(text, expected):
    found = [t for t in timex.find(text, DCT) if t.type in ("DATE", "TIME")]
    assert found, text
    assert found[0].value == expected


@pytest.mark.parametrize("text", [
    "Theresa May vowed to confront Trump.",
    "Officials said talks may resume soon.",
    "Thousands march in Damascus.",
    "Obama and Putin met for 90 minutes.",
    "Rebels carried out 4 attacks in the area.",
    "The protesters march on the capital.",
    "Stocks fall in Tokyo.",
])
def test_no_false_dates(text):
    dated = [t for t in timex.find(text, DCT) if t.type == "DATE" and t.value and t.value[:1].isdigit()]
    assert dated == [], dated


def test_sept_4_is_a_date_but_4_attacks_is_not():
    values = [t.value for t in timex.find("Since Sept. 4 there have been 4 attacks.", DCT) if t.type == "DATE"]
    assert values == ["2016-09-04"]


def test_anchored_expressions_carry_their_offset():
    found = {t.text: t for t in timex.find("Obama spoke, a day after forces advanced, hours after the talks.", DCT)}
    assert found["a day after"].anchor == "event" and found["a day after"].offset_days == 1
    assert found["hours after"].offset_days == 0


def test_dates_json_offsets_hold_for_files_and_corpora(tmp_path):
    corpus = tmp_path / "c.csv"
    corpus.write_text('id,text\nrow1,"Date of publication 19 September 2016. On Monday a blast hit Homs."\n')
    out = json.loads(run_cli("dates", SEEDS, corpus, "--format", "json", check=0).stdout)
    texts = {SEED_000.stem: SEED_000.read_text(encoding="utf-8"), SEED_003.stem: SEED_003.read_text(encoding="utf-8"),
             "row1": "Date of publication 19 September 2016. On Monday a blast hit Homs."}
    assert {r["document"] for r in out} == set(texts)
    for r in out:
        assert set(r) >= {"document", "text", "start", "end", "type", "value", "anchor"}
        assert texts[r["document"]][r["start"]:r["end"]] == r["text"]
    monday = [r for r in out if r["document"] == "row1" and r["text"] == "Monday"][0]
    assert monday["value"] == "2016-09-19"


def test_dates_text_output_names_the_evidence():
    out = run_cli("dates", SEED_000, check=0).stdout
    assert "published 2016-09-05 (calendar)" in out and "G20 summit, Hangzhou" in out
