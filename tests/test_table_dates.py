"""Dates in event tables as people download them: ACLED's spreadsheet layout ("9-May-20"), and
numeric days whose order the whole column settles."""

import csv
import json

from conftest import run_cli
from timeline import tables

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                 "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
                 "fatalities", "tags"]


def acled_export(path, days):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(ACLED_COLUMNS)
        for n, day in enumerate(days, start=1):
            writer.writerow([f"SYR{n}", day, 2020, 1, "Explosions/Remote violence", "Shelling/artillery/missile attack",
                             "Military Forces of Syria", "Syria", "Idlib", f"Town{n}", 35.9, 36.6, 1, "SOHR",
                             f"Shelling killed {n} people in Town{n}.", n, ""])
    return path


def test_acled_spreadsheet_dates_are_read(tmp_path):
    path = acled_export(tmp_path / "acled.csv", ["9-May-20", "10-May-20", "09-May-2020", "11 May 2020", "2020-05-12"])
    data = json.loads(run_cli("report", path, "--format", "json", check=0).stdout)
    days = {d["date"] for d in data["days"]}
    assert days == {"2020-05-09", "2020-05-10", "2020-05-11", "2020-05-12"}


def test_numeric_days_take_the_columns_order(tmp_path):
    dmy = acled_export(tmp_path / "dmy.csv", ["09/05/2020", "13/05/2020"])
    days = {d["date"] for d in json.loads(run_cli("report", dmy, "--format", "json", check=0).stdout)["days"]}
    assert days == {"2020-05-09", "2020-05-13"}
    assert tables.column_order(["9/1/2016", "9/30/2016"]) == "MDY"
    assert tables.column_order(["09/05/2020"], default="DMY") == "DMY" and tables.column_order(["09/05/2020"]) is None


def test_a_curated_table_in_month_first_dates(tmp_path):
    path = tmp_path / "curated.csv"
    path.write_text("date,title,lane,killed,place\n9/1/2016,Car bomb kills 4 in Homs,violence,4,Homs\n"
                    "9/30/2016,Shelling kills 3 in Aleppo,violence,3,Aleppo\n", encoding="utf-8")
    days = {d["date"] for d in json.loads(run_cli("report", path, "--format", "json", check=0).stdout)["days"]}
    assert days == {"2016-09-01", "2016-09-30"}


def test_duplicate_ids_in_a_corpus_are_reported(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text("id,text\n7,A car bomb killed 4 in Homs on Monday.\n7,A car bomb killed 4 in Homs on Monday.\n"
                    "8,Shelling hit Aleppo.\n8,Talks in Geneva.\n", encoding="utf-8")
    proc = run_cli("extract", path, "--published", "2016-09-05", check=0)
    assert "2 document ids given more than once: 1 with the same text (read once: 7); 1 with another text" \
           in proc.stderr
    assert sorted(d["id"] for d in json.loads(proc.stdout)["documents"]) == ["7", "8", "8-2"]
