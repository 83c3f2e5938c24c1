"""Reports, exports and imports."""

import csv
import json

import jsonschema
import pytest

import timeline
from conftest import ROOT, SEEDS, SHARED, run_cli
from timeline import report

GOLDEN = ROOT / "tests" / "golden" / "seeds_report.md"
WCEP = SHARED / "wcep" / "wcep_2016-09_events.tsv"


def test_seeds_report_matches_the_golden_file():
    assert run_cli("report", SEEDS, check=0).stdout == GOLDEN.read_text(encoding="utf-8")


def test_seeds_report_answers_the_brief():
    md = GOLDEN.read_text(encoding="utf-8")
    assert "### 2016-09-05 (Monday) — violence killed 40–53" in md
    assert "93" not in md.split("## What each outlet says")[0], "totals are not added to their parts"
    for row in ("Tartus, 30–38 killed (2016-09-05) | 000: 30 · alaraby: 38", "Hasakah, 5–8 killed (2016-09-05) | 000: 5 · alaraby: 8",
                "Damascus, 1–3 killed (2016-09-05) | 000: 1 · alaraby: 3", "Homs, 4 killed (2016-09-05) | 000: 4 · alaraby: 4"):
        assert row in md
    around = md.split("Meeting / visit: Barack Obama, Vladimir Putin in Hangzhou — 2016-09-05")[1].split("##")[0]
    assert "Tartus, 30–38 killed" in around and "Homs, 4 killed" in around and "(total) in Syria, 40–53 killed" in around
    assert "## Evidence" in md and "Gov. Talal Barazi" in md and "## Not dated or not placed" in md


@pytest.mark.parametrize("fmt", ["txt", "csv", "json"])
def test_other_report_formats(fmt):
    out = run_cli("report", SEEDS, "--format", fmt, check=0).stdout
    if fmt == "json":
        data = json.loads(out)
        day = [d for d in data["days"] if d["date"] == "2016-09-05"][0]
        assert day["violence_killed"] == {"low": 40, "high": 53, "events": 1}
        assert len(data["outlets_compared"]) == 5
    elif fmt == "csv":
        assert len(list(csv.reader(out.splitlines()))) == 9
    else:
        assert "violence killed 40–53" in out


def test_filters():
    t = timeline.load([SEEDS])
    only = report.Filters(lane="diplomacy")
    assert all("[diplomacy]" in line for line in report.render(t.records, t.documents, [], "txt", filters=only)
               .splitlines() if line.startswith("  ["))
    day = report.Filters(start="2016-09-05", end="2016-09-05", place="tartus")
    assert [e for e in t.records if day.keep(e)] == [e for e in t.records if e.place and e.place.name == "Tartus"]
    assert [e.id for e in t.records if report.Filters(actor="lavrov").keep(e)]
    out = run_cli("report", SEEDS, "--from", "2016-09-05", "--lane", "violence", "--format", "csv", check=0).stdout
    assert len(out.splitlines()) == 1 + 5
    assert run_cli("report", SEEDS, "--from", "5 Sept").returncode == 2


def test_timelinejs_export_validates():
    schema = json.loads((ROOT / "tests" / "schemas" / "timelinejs3.schema.json").read_text())
    data = json.loads(run_cli("export", SEEDS, "--to", "timelinejs", check=0).stdout)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert len(data["events"]) == 8 and {e["group"] for e in data["events"]} == {"violence", "diplomacy"}
    assert [era["text"]["headline"] for era in data["eras"]] == ["G20 summit, Hangzhou"]
    tartus = [e for e in data["events"] if "Tartus" in e["text"]["headline"]][0]
    assert "000: 30" in tartus["text"]["text"] and "alaraby: 38" in tartus["text"]["text"]


def test_acled_export_round_trips(tmp_path):
    exported = tmp_path / "acled.csv"
    run_cli("export", SEEDS, "--to", "acled", "-o", exported, check=0)
    header = next(csv.reader(exported.open()))
    assert header[:4] == ["event_id_cnty", "event_date", "year", "time_precision"] and "fatalities" in header
    original = [e.to_dict() for e in timeline.load([SEEDS]).records]
    again = [e.to_dict() for e in timeline.load([exported]).records]

    def key(e):
        return (e["date"], e["lane"], (e["place"] or {}).get("name"), (e["killed"] or {}).get("low"), e["aggregate"])

    assert sorted(map(key, again), key=str) == sorted(map(key, original), key=str)


def test_geojson_export():
    data = json.loads(run_cli("export", SEEDS, "--to", "geojson", check=0).stdout)
    placed = [e for e in timeline.load([SEEDS]).records if e.place and e.place.lat is not None]
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(placed) == 7
    tartus = [f for f in data["features"] if f["properties"]["place"] == "Tartus"][0]
    lon, lat = tartus["geometry"]["coordinates"]
    assert 35 < lon < 36.5 and 34 < lat < 35.5


ACLED_ROWS = [
    {"event_date": "05 September 2016", "event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb",
     "country": "Syria", "admin1": "Tartus", "location": "Tartus", "latitude": "34.889", "longitude": "35.887",
     "fatalities": "38", "source": "SOHR", "notes": "Two suicide bombings near the Arzuna bridge."},
    {"event_date": "05 September 2016", "event_type": "Protests", "sub_event_type": "Peaceful protest",
     "country": "Syria", "location": "Idlib", "fatalities": "0", "notes": "A protest."},
    {"event_date": "2016-09-09", "event_type": "Strategic developments", "sub_event_type": "Agreement",
     "country": "Switzerland", "location": "Geneva", "fatalities": "0", "notes": "US-Russia ceasefire deal."},
]


def write_acled(path, columns):
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for n, row in enumerate(ACLED_ROWS):
            writer.writerow({**{c: "" for c in columns}, "event_id_cnty": f"SYR{n}", "year": "2016",
                             "time_precision": "1", **row})


@pytest.mark.parametrize("layout", ["columns_current", "columns_old"])
def test_acled_imports_both_layouts(tmp_path, layout):
    from timeline import lexicon

    path = tmp_path / "acled.csv"
    write_acled(path, lexicon.acled()[layout])
    proc = run_cli("extract", path, SEEDS, check=0)
    data = json.loads(proc.stdout)
    lanes = sorted((e["lane"], e["date"]) for e in data["events"] if any(m["document"] == "acled" for m in e["mentions"]))
    assert ("diplomacy", "2016-09-09") in lanes
    assert "1 of 3 rows skipped" in proc.stderr and "in neither lane" in proc.stderr
    tartus = [e for e in data["events"] if (e["place"] or {}).get("name") in ("Tartus",) and e["date"] == "2016-09-05"]
    if layout == "columns_current":
        assert len(tartus) == 1, "the imported row merges with the articles' Tartus event"
        assert {m["document"] for m in tartus[0]["mentions"]} == {"000_0e2d6fac08845090", "003_64b11752b0c503c2", "acled"}


def test_curated_table_rows_are_classified_and_skipped(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("date,title,lane,place,killed,source\n"
                    "2016-09-05,A car bomb exploded at a checkpoint in Homs killing four,,,,my notes\n"
                    "2016-09-04,Kerry and Lavrov held talks in Hangzhou,,,,\n"
                    "2016-09-06,The stock market rose,,,,\n"
                    "2016-09-07,Something important,diplomacy,Geneva,,\n")
    t = timeline.load([path])
    lanes = sorted((e.date, e.lane) for e in t.records)
    assert lanes == [("2016-09-04", "diplomacy"), ("2016-09-05", "violence"), ("2016-09-07", "diplomacy")]
    assert any("1 of 4 rows skipped" in n for n in t.result.notices)
    homs = [e for e in t.records if e.lane == "violence"][0]
    assert homs.place.name == "Homs" and homs.killed.low == 4


def test_wcep_loads_as_date_title_table(tmp_path):
    if not WCEP.exists():
        pytest.skip("WCEP data not beside the checkout")
    rows = list(csv.DictReader(WCEP.open(encoding="utf-8"), delimiter="\t"))
    path = tmp_path / "wcep.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["date", "title", "source"])
        writer.writerows([r["date"], r["event_summary"], "Wikipedia Current Events Portal"] for r in rows)
    t = timeline.load([path])
    lanes = {lane: sum(1 for e in t.records if e.lane == lane) for lane in ("violence", "diplomacy")}
    assert lanes["violence"] > 20 and lanes["diplomacy"] > 5
    assert t.result.notices, "rows in neither lane are reported"


# ------------------------------------------------------------------ report fixes (issue 14, first part)

def test_type_is_checked_against_the_lexicon():
    proc = run_cli("report", SEEDS, "--type", "xyz")
    assert proc.returncode == 2
    assert "unknown type 'xyz'" in proc.stderr and "car_bomb" in proc.stderr and "meeting" in proc.stderr
    assert "chemical_attack" in run_cli("report", "--help", check=0).stdout


def test_a_total_comes_after_its_parts():
    lines = [line for line in timeline.load([SEEDS]).report("md").splitlines() if line.startswith("- **violence**")]
    total = next(i for i, line in enumerate(lines) if "(total)" in line)
    parts = [i for i, line in enumerate(lines) if "part of the day's total" in line]
    assert parts and max(parts) < total


def test_dates_are_printed_at_their_precision():
    from timeline import describe
    from timeline.records import Event

    events = [Event(id="ev-1", lane="violence", type="attack", date="1967-01-01", date_end="1967-12-31",
                    precision="year", summary="A war"),
              Event(id="ev-2", lane="violence", type="attack", date="2013-08-01", date_end="2013-08-31",
                    precision="month", summary="A month of raids")]
    md = report.render(events, [], [], "md")
    assert "### 1967\n" in md and "### August 2013\n" in md and "1967-01-01 (Sunday)" not in md
    assert describe.date_text("2016-09-05") == "2016-09-05 (Monday)"


def test_filters_apply_to_what_could_not_be_dated():
    t = timeline.load([SEEDS])
    assert t.unresolved, "the seeds have reports that could not be dated"
    filtered = report.render(t.records, t.documents, t.unresolved, "md", filters=report.Filters(lane="violence"))
    assert "Jarablus" in report.render(t.records, t.documents, t.unresolved, "md")
    assert "Jarablus" not in filtered
    assert "left out by the filters" in filtered


def test_quotes_are_cut_at_a_word():
    from timeline import describe

    cut = describe.clip("The attack hit the city's al-Zahraa neighbourhood near the market", 40)
    assert cut.endswith("…") and len(cut) <= 40 and not cut[:-1].endswith(("neighbou", "al-Za"))
    assert cut[:-1] in "The attack hit the city's al-Zahraa neighbourhood near the market"


def test_violence_around_diplomacy_is_listed_once_for_steps_that_share_it():
    md = timeline.load([SEEDS]).report("md")
    section = md.split("## Violence around diplomacy")[1].split("\n## ")[0]
    assert section.count("Car bomb in Homs") == 1
    assert "Kerry" in section and "Obama" in section


def test_one_number_style_in_the_ledger():
    from timeline import describe

    t = timeline.load([SEEDS])
    docs = describe.documents_by_id(t.documents)
    ledgers = " ".join(describe.ledger(e, docs) for e in t.records)
    assert "≥" not in ledgers and "~" not in ledgers
    assert "at least" in ledgers
