"""ACLED exports as people download them (issue 16): every row an event or a counted skip, rows
with distinct ids never merged, an exact export round trip, every date form and both layouts,
and what a table leaves out said in the report, on the page and by the exit code."""

import csv
import json

from conftest import run_cli
from timeline import lexicon, render

# The current export layout, as ACLED's site writes it.
CURRENT = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
           "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
           "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
           "tags,timestamp").split(",")
TERESINA = dict(country="Brazil", admin1="Piaui", location="Teresina", latitude="-5.0892", longitude="-42.8019")
BENGHAZI = dict(country="Libya", admin1="Benghazi", location="Benghazi", latitude="32.1167", longitude="20.0667")
TRIPOLI = dict(country="Libya", admin1="Tripoli", location="Tripoli", latitude="32.8925", longitude="13.18")
ANKARA = dict(country="Turkey", admin1="Ankara", location="Ankara", latitude="39.9199", longitude="32.8543")
VIOLENCE_AGAINST_CIVILIANS = dict(event_type="Violence against civilians", sub_event_type="Attack")
ROWS = [
    # three killings in one town on one day, with distinct ids: three events, 1 + 1 + 1 killed
    dict(event_id_cnty="BRA14158", event_date="9-May-20", **VIOLENCE_AGAINST_CIVILIANS, **TERESINA,
         actor1="Unidentified Armed Group (Brazil)", source="Meio Norte", fatalities="1",
         notes="On 9 May 2020, a man was shot dead in Teresina."),
    dict(event_id_cnty="BRA14159", event_date="9-May-20", **VIOLENCE_AGAINST_CIVILIANS, **TERESINA,
         actor1="Unidentified Armed Group (Brazil)", source="Cidade Verde", fatalities="1",
         notes="On 9 May 2020, a woman was shot dead in Teresina."),
    dict(event_id_cnty="BRA14160", event_date="9-May-20", **VIOLENCE_AGAINST_CIVILIANS, **TERESINA,
         actor1="Police Forces of Brazil", source="Meio Norte", fatalities="1",
         notes="On 9 May 2020, police shot dead a man in Teresina."),
    # a missile strike, a car bomb and a grenade in one town on one day: three sub-event types, three events
    dict(event_id_cnty="LBY3001", event_date="10-May-20", event_type="Explosions/Remote violence",
         sub_event_type="Shelling/artillery/missile attack", actor1="LNA", **BENGHAZI, source="Libya Observer",
         fatalities="2", notes="On 10 May 2020, a missile struck a house in Benghazi, killing 2."),
    dict(event_id_cnty="LBY3002", event_date="10-May-20", event_type="Explosions/Remote violence",
         sub_event_type="Remote explosive/landmine/IED", actor1="Unidentified Armed Group (Libya)", **BENGHAZI,
         source="Libya Herald; Reuters", fatalities="3",
         notes="On 10 May 2020, a car bomb exploded near a mosque in Benghazi, killing 3."),
    dict(event_id_cnty="LBY3003", event_date="10-May-20", event_type="Explosions/Remote violence",
         sub_event_type="Grenade", actor1="Unidentified Armed Group (Libya)", **BENGHAZI, source="Al Wasat",
         fatalities="1", notes="On 10 May 2020, a grenade was thrown at a shop in Benghazi, killing 1."),
    # in neither lane: counted skips
    dict(event_id_cnty="LBY3004", event_date="11-May-20", event_type="Protests", sub_event_type="Peaceful protest",
         actor1="Protesters (Libya)", **TRIPOLI, source="Libya Observer", fatalities="0", notes="A protest."),
    dict(event_id_cnty="LBY3005", event_date="11-May-20", event_type="Riots", sub_event_type="Mob violence",
         actor1="Rioters (Libya)", **TRIPOLI, source="Libya Observer", fatalities="0", notes="A riot."),
    # ACLED's 0: no death reported
    dict(event_id_cnty="SYR9001", event_date="12-May-20", event_type="Battles", sub_event_type="Armed clash",
         actor1="Military Forces of Syria", actor2="HTS", country="Syria", admin1="Idleb", location="Saraqab",
         latitude="35.8624", longitude="36.8006", source="SOHR", fatalities="0",
         notes="Clashes near Saraqab; no fatalities reported."),
    # two agreements in one place on one day: two events in the diplomacy lane too
    dict(event_id_cnty="TUR5001", event_date="13-May-20", event_type="Strategic developments",
         sub_event_type="Agreement", actor1="Government of Russia", actor2="Government of Turkey", **ANKARA,
         source="Anadolu Agency", fatalities="0", notes="Russia and Turkey agreed on joint patrols."),
    dict(event_id_cnty="TUR5002", event_date="13-May-20", event_type="Strategic developments",
         sub_event_type="Agreement", actor1="Government of Turkey", actor2="Government of Iran", **ANKARA,
         source="Daily Sabah", fatalities="0", notes="Turkey and Iran agreed on a border deal."),
]
IN_A_LANE = [r["event_id_cnty"] for r in ROWS if r["event_type"] not in ("Protests", "Riots")]


def write_export(path, rows=ROWS, columns=CURRENT):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**{c: "" for c in columns}, "year": "2020", "time_precision": "1", "geo_precision": "1",
                             **row})
    return path


def events_of(*args):
    proc = run_cli("extract", *args, check=0)
    return json.loads(proc.stdout), proc.stderr


def table_rows(events, table):
    return [m for e in events for m in e["mentions"] if m["document"] == table]


def read_csv(path):
    return list(csv.DictReader(path.open(encoding="utf-8")))


# ------------------------------------------------------------------ rows are events

def test_every_row_is_an_event_or_a_counted_skip(tmp_path, schema):
    import jsonschema

    data, stderr = events_of(write_export(tmp_path / "acled.csv"))
    jsonschema.Draft202012Validator(schema).validate(data)
    rows = table_rows(data["events"], "acled")
    assert sorted(m["row_id"] for m in rows) == sorted(IN_A_LANE)
    assert len(data["events"]) == len(IN_A_LANE), "one event per row in a lane"
    said = "2 of 11 rows skipped (1 × Peaceful protest: in neither lane; 1 × Mob violence: in neither lane)"
    assert said in stderr
    assert data["documents"][0]["warnings"] == [said]


def test_rows_with_distinct_ids_never_merge(tmp_path):
    data, _ = events_of(write_export(tmp_path / "acled.csv"))
    teresina = [e for e in data["events"] if e["place"]["name"] == "Teresina"]
    assert len(teresina) == 3 and sum(e["killed"]["low"] for e in teresina) == 3
    benghazi = sorted(e["type"] for e in data["events"] if e["place"]["name"] == "Benghazi")
    assert benghazi == ["explosion", "ied", "shelling"]
    ankara = [e for e in data["events"] if e["place"]["name"] == "Ankara"]
    assert len(ankara) == 2 and all(e["lane"] == "diplomacy" for e in ankara)
    assert len({e["id"] for e in data["events"]}) == len(data["events"])


def test_rows_of_two_tables_merge_only_with_the_same_id(tmp_path):
    first = write_export(tmp_path / "first.csv")
    same = write_export(tmp_path / "same.csv")
    other = write_export(tmp_path / "other.csv", [{**r, "event_id_cnty": r["event_id_cnty"] + "-B"} for r in ROWS])
    together, _ = events_of(first, same)
    assert len(together["events"]) == len(IN_A_LANE)
    assert all({m["document"] for m in e["mentions"]} == {"first", "same"} for e in together["events"])
    apart, _ = events_of(first, other)
    assert len(apart["events"]) == 2 * len(IN_A_LANE)


def test_a_row_merges_with_the_article_reporting_it(tmp_path):
    article = tmp_path / "herald.txt"
    article.write_text("Car bomb kills three near Benghazi mosque\n\nA car bomb exploded near a mosque in Benghazi "
                       "on May 10, killing three people, security officials said.\n", encoding="utf-8")
    data, _ = events_of(write_export(tmp_path / "acled.csv"), article, "--published", "2020-05-11")
    merged = [e for e in data["events"] if {m["document"] for m in e["mentions"]} == {"acled", "herald"}]
    assert len(merged) == 1 and merged[0]["date"] == "2020-05-10"
    assert [m["row_id"] for m in merged[0]["mentions"] if m["document"] == "acled"] == ["LBY3002"]
    assert "row_id" not in next(m for m in merged[0]["mentions"] if m["document"] == "herald")
    assert len([e for e in data["events"] if e["place"]["name"] == "Benghazi"]) == 3


# ------------------------------------------------------------------ the round trip

def test_the_acled_round_trip_is_exact(tmp_path):
    source = write_export(tmp_path / "x.csv")
    exports = []
    for name in ("a.csv", "b.csv", "c.csv"):
        target = tmp_path / name
        run_cli("export", exports[-1] if exports else source, "--to", "acled", "-o", target, check=0)
        exports.append(target)
    a, b, c = (path.read_bytes() for path in exports)
    assert a == b == c, "exporting an export again gives the same file"
    rows = read_csv(exports[0])
    given = {r["event_id_cnty"]: r for r in ROWS if r["event_id_cnty"] in IN_A_LANE}
    assert [r["event_id_cnty"] for r in rows] == IN_A_LANE, "same rows, same ids, in date order"
    for row in rows:
        original = given[row["event_id_cnty"]]
        assert row["source"] == original["source"], "the source cell travels as it is"
        assert row["fatalities"] == original["fatalities"], "same fatalities, 0 stays 0"
        assert row["event_date"].startswith(original["event_date"].split("-")[0].zfill(2))
    again = read_csv(exports[1])
    assert sum(int(r["fatalities"]) for r in again) == sum(int(given[i]["fatalities"]) for i in IN_A_LANE) == 9
    assert len(events_of(exports[1])[0]["events"]) == len(events_of(source)[0]["events"]) == len(IN_A_LANE)
    # ACLED's 0 is "no death reported": no toll of the event (no "0 killed" label), and 0 once exported
    saraqab = next(e for e in events_of(exports[1])[0]["events"] if e["place"]["name"] == "Saraqab")
    assert saraqab["killed"] is None and "killed" not in saraqab["summary"]


# ------------------------------------------------------------------ dates and layouts

def test_every_date_form_of_real_exports(tmp_path):
    forms = ["9-May-20", "09-May-2020", "09 May 2020", "2020-05-09", "09/05/2020"]
    rows = [{**ROWS[0], "event_id_cnty": f"BRA{n}", "event_date": form} for n, form in enumerate(forms)]
    data, stderr = events_of(write_export(tmp_path / "acled.csv", rows))
    assert [e["date"] for e in data["events"]] == ["2020-05-09"] * 5 and "skipped" not in stderr


def test_the_previous_layout_and_the_date_order_option(tmp_path):
    layout = lexicon.acled()["columns_previous"]
    assert layout[0] == "data_id" and layout[-1] == "iso3" and "sub_event_type" in layout
    rows = [{**r, "data_id": str(n), "event_date": day} for n, (r, day) in
            enumerate(zip(ROWS[:4], ["05/09/2020", "05/09/2020", "05/09/2020", "05/10/2020"]))]
    path = write_export(tmp_path / "older.csv", rows, columns=layout)
    dmy, _ = events_of(path)
    assert sorted(e["date"] for e in dmy["events"]) == ["2020-09-05"] * 3 + ["2020-10-05"], "ACLED writes the day first"
    mdy, _ = events_of(path, "--date-order", "mdy")
    assert sorted(e["date"] for e in mdy["events"]) == ["2020-05-09"] * 3 + ["2020-05-10"]
    assert len(mdy["events"]) == 4


def test_a_corpus_date_column_in_month_first_order(tmp_path):
    corpus = tmp_path / "corpus.csv"
    corpus.write_text("id,title,text,date\n1,Shelling,Shelling killed 3 people in Aleppo.,9/1/2016\n"
                      "2,Car bomb,A car bomb killed 4 people in Homs.,9/30/2016\n", encoding="utf-8")
    data, _ = events_of(corpus, "--date-column", "date")
    assert [(d["id"], d["published"], d["published_evidence"]) for d in data["documents"]] == [
        ("1", "2016-09-01", "column date: 9/1/2016"), ("2", "2016-09-30", "column date: 9/30/2016")]


# ------------------------------------------------------------------ what a table leaves out

def test_skipped_rows_are_in_the_report_and_on_the_page(tmp_path):
    path = write_export(tmp_path / "acled.csv")
    said = "2 of 11 rows skipped (1 × Peaceful protest: in neither lane; 1 × Mob violence: in neither lane)"
    md = run_cli("report", path, check=0).stdout
    section = md.split("## Inputs not read in full\n\n")[1].split("\n\n")[0]
    assert section.startswith("- ") and section.endswith(f"acled.csv: {said}")  # the path as Markdown text
    assert f"Inputs not read in full:\n  {path}: {said}" in run_cli("report", path, "--format", "txt", check=0).stdout
    data = json.loads(run_cli("report", path, "--format", "json", check=0).stdout)
    assert data["inputs_not_read"] == [f"{path}: {said}"]
    events = tmp_path / "events.json"
    run_cli("extract", path, "-o", events, check=0)
    assert said in run_cli("report", events, check=0).stdout, "the events file keeps what the table left out"
    page = tmp_path / "page.html"
    run_cli("render", path, "-o", page, "--plotlyjs", "none", check=0)
    assert '<div class="tl-notes" role="status">' in page.read_text(encoding="utf-8")
    assert said in page.read_text(encoding="utf-8")


def test_a_table_that_gives_no_event_fails_and_says_so(tmp_path):
    rows = [ROWS[6], ROWS[7], {**ROWS[0], "event_date": "<b>32-May-20</b>"}]
    path = write_export(tmp_path / "acled.csv", rows)
    proc = run_cli("report", path)
    assert proc.returncode == 1
    said = ("no event read: 3 of 3 rows skipped (1 × Peaceful protest: in neither lane; 1 × Mob violence: in "
            "neither lane; 1 × unreadable event_date, e.g. row 3: '<b>32-May-20</b>')")
    assert f"{path}: {said}" in proc.stderr
    assert "## Inputs not read in full" in proc.stdout and "Events: 0" in proc.stdout
    page = tmp_path / "page.html"
    assert run_cli("render", path, "-o", page, "--plotlyjs", "none").returncode == 1
    html_text = page.read_text(encoding="utf-8")
    assert render.notes_html([f"{path}: {said}"]) in html_text
    assert "&#x27;&lt;b&gt;32-May-20&lt;/b&gt;&#x27;" in html_text and "<b>32-May-20</b>" not in html_text
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(CURRENT) + "\n", encoding="utf-8")
    proc = run_cli("extract", empty)
    assert proc.returncode == 1 and "no event read: the table has no rows" in proc.stderr
