"""Text from inputs stays text in every output (issue "Hostile input and safe outputs").

Every hostile input (the fixtures in ../shared/data/hostile/, an events file whose every text field
carries a payload, an article whose file name is markup) goes through every text output: the
Markdown report rendered by markdown-it-py (HTML on) and python-markdown holds no live markup, the
text outputs no terminal control, CSV no cell a spreadsheet would run, TimelineJS no markup but its
own paragraphs, and every JSON output parses strictly (no NaN, no Infinity).
"""

import csv
import io
import json
import math
import re
from html.parser import HTMLParser

import pytest

from conftest import SEEDS, SHARED, run_cli
from timeline import describe, export, records

HOSTILE = SHARED / "hostile"
PAYLOADS = ["<script>window.__xss=1</script>", '<img src=x onerror="window.__xss=2">',
            "[x](javascript:window.__xss=3)", "<javascript:alert(1)>", "\x1b]0;pwned\x07\x1b[31m"]
PAYLOAD = " ".join(PAYLOADS)
OUTLET = "Outlet\n\n[click](javascript:window.__xss=4)\n\n<script>window.__xss=5</script>\x1b]0;pwned\x07"
# A file name an article may well have on a Linux machine.
MARKUP_NAME = '<img src=x onerror="window.__xss=6">'
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what no text output may carry (\t and \n may)
FORMULA = ("=", "+", "-", "@", "\t", "\r")
# What the Markdown report may become in HTML: no links, images, scripts or anything else.
REPORT_TAGS = {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td"}


# ------------------------------------------------------------------ the hostile inputs

def need_hostile():
    if not (HOSTILE / "injection_corpus.csv").exists():
        pytest.skip("../shared/data/hostile is not beside the checkout")


@pytest.fixture(scope="module")
def hostile_events(tmp_path_factory):
    """The seeds' events file with a payload in every text field: titles, outlets, paths, document
    ids, evidence, warnings, summaries, places, actors, quotes, attributions, unresolved texts."""
    data = json.loads(run_cli("extract", SEEDS, check=0).stdout)
    renamed = {}
    for n, doc in enumerate(data["documents"]):
        renamed[doc["id"]] = f"{doc['id']} {PAYLOADS[n % 2]}"
        doc.update(id=renamed[doc["id"]], title=f"Title {PAYLOAD}", outlet=f"{OUTLET} {n}",
                   path=f"{MARKUP_NAME}.txt", published_evidence=f"Evidence {PAYLOAD}",
                   warnings=[f"Warning {PAYLOAD}"])
    for event in data["events"]:
        event["summary"] = f"=Summary {PAYLOAD}"
        if event["place"]:
            event["place"].update(name=f"@Place {PAYLOAD}", detail=f"Detail {PAYLOAD}", admin1=f"+Admin {PAYLOAD}",
                                  country=f"-Country {PAYLOAD}")
        event["actors"] = [f"=Actor {PAYLOAD}", OUTLET]
        for m in event["mentions"]:
            m["document"] = renamed.get(m["document"], m["document"])
            m.update(text=f"Said {PAYLOAD}\n\n# heading\n- item", attribution=f"@Attributed {PAYLOAD}",
                     date_evidence=f"Monday {PAYLOAD}", outlet=OUTLET)
    data["unresolved"] = [f"{u} {PAYLOAD}" for u in data["unresolved"]] + [f"-Unresolved\n\n{PAYLOAD}"]
    path = tmp_path_factory.mktemp("hostile") / "hostile_events.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def markup_named_article(tmp_path_factory):
    """Seed 003 in a file named like an HTML tag, with terminal escapes and markup in its text."""
    folder = tmp_path_factory.mktemp("named")
    text = (SEEDS / "003_64b11752b0c503c2.txt").read_text(encoding="utf-8")
    path = folder / f"{MARKUP_NAME}.txt"
    path.write_text(text.replace("Tartus", f"Tartus {PAYLOAD}", 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def nonfinite_acled(tmp_path_factory):
    """An ACLED table whose coordinates are nan, inf and -inf, beside one row with real ones."""
    path = tmp_path_factory.mktemp("acled") / "nonfinite_acled.csv"
    columns = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
               "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
               "fatalities", "tags"]
    rows = [("SYR1", "Aleppo", "nan", "inf"), ("SYR2", "Homs", "-inf", "36.7"), ("SYR3", "Idlib", "1e999", "nan"),
            ("SYR4", "Hama", "35.13", "36.75")]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for n, (eid, town, lat, lon) in enumerate(rows, start=1):
            writer.writerow([eid, f"0{n} September 2016", 2016, 1, "Explosions/Remote violence", "Shelling/artillery/"
                             "missile attack", "Military Forces of Syria", "Syria", town, town, lat, lon, 1, "SOHR",
                             f"Shelling killed {n} people in {town}.", n, ""])
    return path


INPUTS = ["corpus", "curated", "acled", "events", "named_article"]


@pytest.fixture(params=INPUTS)
def hostile_input(request, hostile_events, markup_named_article):
    """(name, CLI arguments) of one hostile input."""
    name = request.param
    if name == "events":
        return name, [hostile_events]
    if name == "named_article":
        return name, [markup_named_article]
    need_hostile()
    if name == "corpus":
        return name, [HOSTILE / "injection_corpus.csv", "--outlet-column", "outlet"]
    return name, [HOSTILE / f"injection_{name}.csv"]


def cli(*args) -> str:
    """The output of a command that reads hostile inputs (it may skip some rows: exit 0 or 1)."""
    proc = run_cli(*args, "-q")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


# ------------------------------------------------------------------ checking what came out

class Markup(HTMLParser):
    """The tags and attributes of an HTML text (what a browser would build, not what it shows)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    handle_startendtag = handle_starttag


def assert_inert_html(html: str, allowed: set):
    found = Markup(html)
    assert set(found.tags) <= allowed, sorted(set(found.tags) - allowed)
    assert not found.attrs, found.attrs  # neither the report nor TimelineJS texts carry any attribute
    lowered = html.lower()  # as text they read "&lt;script", "&lt;a href=...": words, not markup
    for markup in ("<script", "<img", "<a "):
        assert markup not in lowered, markup
    assert not re.search(r"<[a-z][^<>]*\b(?:href|src)\s*=\s*[\"']?\s*javascript:", lowered)


def render_markdown(md: str) -> dict:
    import markdown
    from markdown_it import MarkdownIt

    return {"markdown-it": MarkdownIt("commonmark", {"html": True}).render(md),
            "python-markdown": markdown.markdown(md)}


def strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def is_number(cell: str) -> bool:
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def assert_safe_csv(text: str):
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA) or is_number(cell), (cell, row)
    assert not CONTROL.search(text)


# ------------------------------------------------------------------ every output, every hostile input

def test_markdown_report_renders_no_markup(hostile_input):
    name, args = hostile_input
    md = cli("report", *args)
    assert "Timeline report" in md
    assert not CONTROL.search(md) and "pwned" not in md
    for renderer, html in render_markdown(md).items():
        assert_inert_html(html, REPORT_TAGS)
        headings = re.findall(r"<h1>(.*?)</h1>", html)
        assert headings == ["Timeline report"], (renderer, headings)


def test_markdown_report_shows_the_payloads_as_text(hostile_events):
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(cli("report", hostile_events))
    shown = Markup(html)
    text = re.sub(r"<[^>]+>", "", html)
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in text  # the words stay, as words
    assert "[x](javascript:window.__xss=3)" in text and "[click](javascript:window.__xss=4)" in text
    assert "a" not in shown.tags


def test_text_report_carries_no_terminal_control(hostile_input):
    name, args = hostile_input
    txt = cli("report", *args, "--format", "txt")
    assert not CONTROL.search(txt) and "pwned" not in txt
    assert not any(line.startswith(("[click]", "<script>", "#", "- item")) for line in txt.splitlines()), \
        "a newline in an input must not start a line of the report"


def test_dates_audit_carries_no_terminal_control(markup_named_article):
    out = cli("dates", markup_named_article)
    assert MARKUP_NAME in out and not CONTROL.search(out) and "pwned" not in out
    strict_json(cli("dates", markup_named_article, "--format", "json"))


@pytest.mark.parametrize("command", [("report", "--format", "csv"), ("export", "--to", "acled"),
                                     ("extract", "--format", "csv")])
def test_csv_outputs_hold_no_formula(hostile_input, command):
    name, args = hostile_input
    assert_safe_csv(cli(command[0], *args, *command[1:]))


def test_timelinejs_export_holds_only_its_own_markup(hostile_input):
    name, args = hostile_input
    data = strict_json(cli("export", *args, "--to", "timelinejs"))
    assert data["events"]
    assert "<" not in data["title"]["text"]["headline"]
    for era in data["eras"]:
        assert "<" not in era["text"]["headline"]
    ids = [slide["unique_id"] for slide in data["events"]]
    assert len(set(ids)) == len(ids)
    for slide in data["events"]:
        assert "<" not in slide["text"]["headline"]
        assert_inert_html(slide["text"]["text"], {"p"})
        assert slide["group"] in ("violence", "diplomacy")
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", slide["unique_id"]), slide["unique_id"]
        assert slide["autolink"] is False


@pytest.mark.parametrize("command", [("extract",), ("report", "--format", "json"), ("export", "--to", "timelinejs"),
                                     ("export", "--to", "geojson")])
def test_json_outputs_are_strict(hostile_input, command):
    name, args = hostile_input
    out = cli(command[0], *args, *command[1:])
    strict_json(out)
    assert not CONTROL.search(out)
    for line in cli("extract", *args, "--format", "jsonl").splitlines():
        strict_json(line)


# ------------------------------------------------------------------ numbers that are not numbers

@pytest.fixture(scope="module")
def nonfinite_events(tmp_path_factory):
    """The seeds' events file with NaN for the Tartus event's latitude and for a mention's longitude
    (Python's json reads NaN, and a schema's minimum and maximum let it through)."""
    data = json.loads(run_cli("extract", SEEDS, check=0).stdout)
    tartus = next(e for e in data["events"] if (e["place"] or {}).get("name") == "Tartus")
    tartus["place"]["lat"] = float("nan")
    homs = next(e for e in data["events"] if (e["place"] or {}).get("name") == "Homs")
    homs["mentions"][0]["place"] = dict(homs["place"], lon=float("nan"))
    path = tmp_path_factory.mktemp("nan") / "nan_events.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "NaN" in path.read_text(encoding="utf-8")
    return path


@pytest.fixture(params=["acled", "events"])
def nonfinite(request, nonfinite_acled, nonfinite_events):
    """(input, the places whose coordinates are not numbers, the places that have real ones)."""
    if request.param == "acled":
        return nonfinite_acled, {"Aleppo", "Homs", "Idlib"}, {"Hama"}
    # an events file holding NaN is refused whole (ingest): nothing of it is placed
    return nonfinite_events, {"Tartus", "Homs", "Damascus", "Hasakah", "Hangzhou"}, set()


@pytest.mark.parametrize("command", [("extract",), ("extract", "--format", "jsonl"), ("report", "--format", "json"),
                                     ("export", "--to", "timelinejs"), ("export", "--to", "geojson")])
def test_nonfinite_numbers_never_reach_json(nonfinite, command):
    path, _, _ = nonfinite
    out = cli(command[0], path, *command[1:])
    for line in out.splitlines() if "jsonl" in command else [out]:
        strict_json(line)
    assert "NaN" not in out and "Infinity" not in out


def test_nonfinite_coordinates_become_null(nonfinite):
    path, unplaced, placed = nonfinite
    events = strict_json(cli("extract", path))["events"]
    for e in events:
        if (e["place"] or {}).get("name") in unplaced:
            assert e["place"]["lat"] is None or e["place"]["lon"] is None, e["place"]
        for m in e["mentions"]:
            for key in ("lat", "lon"):
                assert m["place"] is None or m["place"][key] is None or math.isfinite(m["place"][key])


def test_an_events_file_with_nan_is_refused_naming_it(nonfinite_events):
    proc = run_cli("report", nonfinite_events)
    assert proc.returncode == 1 and "NaN is not a number JSON allows" in proc.stderr


def test_geojson_leaves_out_points_without_real_coordinates(nonfinite):
    path, unplaced, placed = nonfinite
    names = {f["properties"]["place"] for f in strict_json(cli("export", path, "--to", "geojson"))["features"]}
    assert placed <= names and not names & unplaced


def test_acled_export_keeps_numbers_and_empties_nonfinite_ones(nonfinite):
    path, unplaced, placed = nonfinite
    rows = list(csv.DictReader(io.StringIO(cli("export", path, "--to", "acled"))))
    for row in rows:
        if row["location"] in unplaced:
            assert "" in (row["latitude"], row["longitude"]), row
        for key in ("latitude", "longitude"):
            assert row[key] == "" or is_number(row[key]), row
    for row in rows:
        if row["location"] in placed:
            assert is_number(row["latitude"]) and is_number(row["longitude"]), row
        assert row["fatalities"].isdigit() and row["year"] == "2016"


def test_records_dumps_is_strict():
    text = records.dumps({"lat": float("nan"), "lon": [float("inf"), -float("inf"), 1.5], "n": 3, "s": "a\x9b\u2028"})
    assert strict_json(text) == {"lat": None, "lon": [None, None, 1.5], "n": 3, "s": "a\x9b\u2028"}
    assert "\x9b" not in text and "\u2028" not in text


# ------------------------------------------------------------------ the shared escaping functions

@pytest.mark.parametrize("separator", ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"])
def test_md_text_keeps_a_value_on_one_line(separator):
    md = describe.md_text(f"Outlet{separator}{separator}[click](javascript:alert(1)){separator}# h")
    assert "\n" not in md and "\r" not in md and separator not in md
    assert md == r"Outlet \[click\](javascript:alert(1)) \# h"


@pytest.mark.parametrize("text, escaped", [
    ("<script>x</script>", r"&lt;script\>x&lt;/script\>"),
    ("&lt; &#106;", "&amp;lt; &amp;\\#106;"),
    ("<javascript:alert(1)>", r"&lt;javascript:alert(1)\>"),
    ("![i](http://e/p.png)", r"\!\[i\](http://e/p.png)"),
    ("a_b *c* `d` |e| ~~f~~ \\g", r"a\_b \*c\* \`d\` \|e\| \~\~f\~\~ \\g"),
    ("- item", r"\- item"), ("+ item", r"\+ item"), ("1. item", r"1\. item"), ("12) item", r"12\) item"),
    ("> quote", r"\> quote"), ("### h", r"\#\#\# h"), ("2016-09-05 (Monday)", "2016-09-05 (Monday)"),
    ("Syrian-Turkish (total)", "Syrian-Turkish (total)"),
])
def test_md_text_escapes(text, escaped):
    assert describe.md_text(text) == escaped


@pytest.mark.parametrize("text, cleaned", [
    ("a\x1b]0;pwned\x07b", "ab"), ("a\x1b]8;;http://e\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
    ("a\x1b[31mred\x1b[0m", "ared"), ("a\x1b[?1049h", "a"), ("a\x9b2Jb", "ab"), ("a\x9d0;t\x9cb", "ab"),
    ("a\x1bcb", "ab"), ("a\x1b]0;unterminated", "a0;unterminated"), ("a\x00\x07\x08\x7f\x85\x9fb", "ab"),
    ("tab\tand\nnewline\r", "tab\tand\nnewline"),
])
def test_terminal_text_strips_escape_sequences_and_controls(text, cleaned):
    assert describe.terminal_text(text) == cleaned


def test_terminal_text_folds_lines_on_request():
    assert describe.terminal_text("a\n\nb\u2028c\x1b[1m\td", fold=True) == "a b c d"


@pytest.mark.parametrize("value, cell", [
    ("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\r=x", "'=x"), ("Homs", "Homs"), ("a=b", "a=b"), (-3, -3), (34.7, 34.7), (0.0, 0.0),
    (float("nan"), ""), (float("inf"), ""), (None, ""), (True, True),
])
def test_csv_cell(value, cell):
    assert describe.csv_cell(value) == cell


def test_slide_ids_are_safe_unique_and_deterministic():
    ids = ["ev-8da37285f7", "ev-8da37285f7", MARKUP_NAME, "123", None, "", "é"]
    first, again = set(), set()
    first = [export.slide_id(i, first) for i in ids]
    again = [export.slide_id(i, again) for i in ids]
    assert first == again and len(set(first)) == len(first)
    assert first[0] == "ev-8da37285f7"
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", i) for i in first), first


def test_a_lane_that_is_not_ours_is_never_copied():
    """The reader refuses such a lane; an output handed one anyway (the library's callers) writes
    no group and no lane text: the slide stays, in no group."""
    from timeline import report
    from timeline.records import Event, Mention, Place

    lane = '<img src=x onerror="window.__xss=7">'
    event = Event(id="ev-1", lane=lane, type="explosion", date="2016-09-05", precision="day",
                  place=Place(name="Homs", country="Syria", lat=34.73, lon=36.71), summary="Explosion in Homs",
                  mentions=(Mention(document="d1", start=0, end=1, text="An explosion in Homs."),))
    slides = strict_json(export.render([event], [], "timelinejs"))["events"]
    assert len(slides) == 1 and "group" not in slides[0] and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*",
                                                                            slides[0]["unique_id"])
    outputs = [report.render([event], [], [], fmt) for fmt in ("md", "txt", "csv")]
    outputs += [export.render([event], [], to) for to in ("acled", "geojson")]
    for out in outputs:
        assert "__xss=7" not in out, out


# ------------------------------------------------------------------ a real browser

@pytest.mark.slow
def test_hostile_markdown_report_runs_nothing_in_chromium(hostile_events, markup_named_article, tmp_path, chromium):
    import browser

    need_hostile()
    inputs = [[hostile_events], [markup_named_article], [HOSTILE / "injection_corpus.csv", "--outlet-column", "outlet"],
              [HOSTILE / "injection_curated.csv", HOSTILE / "injection_acled.csv"]]
    pages = []
    for n, args in enumerate(inputs):
        for renderer, html in render_markdown(cli("report", *args)).items():
            page = tmp_path / f"report-{n}-{renderer}.html"
            page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{html}</body></html>',
                            encoding="utf-8")
            pages.append(page)
    driver = browser.fresh_log(chromium)  # the session's Chromium (conftest.py)
    for page in pages:
        driver.get(page.as_uri())
        assert driver.execute_script("return document.body.textContent.length") > 100, page.name
        driver.execute_script("for (const a of document.querySelectorAll('a')) a.click();")
        assert driver.execute_script("return window.__xss === undefined"), page.name
