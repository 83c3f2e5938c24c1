"""The timeline in a real headless Chromium: loads offline, two lanes, hover shows the sources,
two fragments on one page, and article text that tries to run script stays text."""

import json
from pathlib import Path

import plotly
import pytest

import browser
from conftest import SEED_000, SEEDS, run_cli

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

slow = pytest.mark.slow  # a real Chromium; test_links_between_diplomacy_and_violence needs none


@pytest.fixture(scope="module")
def driver(chromium):
    """The session's Chromium (conftest.py), with an empty console log for this module."""
    return browser.fresh_log(chromium)


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("render") / "timeline.html"
    run_cli("render", SEEDS, "-o", out, check=0)
    return out


# What the first view shows, from the DOM: every item's box, the lanes' plot areas, tick labels
# by height, the events in view according to the page's own data.
VIEW_JS = """
const gd = document.querySelector(arguments[0] || '.js-plotly-plot');
const host = gd.parentNode, page = gd.getBoundingClientRect(), full = gd._fullLayout;
function area(x, y) { const xa = full[x], ya = full[y];
  return {left: page.left + xa._offset, right: page.left + xa._offset + xa._length,
          top: page.top + ya._offset, bottom: page.top + ya._offset + ya._length}; }
const lanes = [area('xaxis', 'yaxis'), area('xaxis2', 'yaxis2')];
const items = Array.from(host.querySelectorAll('.event-label, .event-cluster')).map(e => {
  const r = e.getBoundingClientRect();
  const marks = Array.from(e.querySelectorAll('.tl-mark, .tl-bar, .tl-stack')).map(m => m.getBoundingClientRect())
    .map(m => ({left: m.left, right: m.right, top: m.top, bottom: m.bottom}));
  return {cluster: e.classList.contains('event-cluster'), ids: (e.dataset.event || e.dataset.events).split(' '),
          text: e.textContent, box: {left: r.left, right: r.right, top: r.top, bottom: r.bottom}, marks: marks}; });
const ticks = Array.from(gd.querySelectorAll('.xtick text, .x2tick text')).map(t => t.getBoundingClientRect())
  .map(r => (r.top + r.bottom) / 2);
const data = gd.timelineData;
const xa = full.xaxis, a = xa.r2l(xa.range[0]), b = xa.r2l(xa.range[1]), DAY = 864e5;
const inView = data.id.filter((id, i) => !data.background[i] && (data.end[i] + 1) * DAY >= a && data.start[i] * DAY <= b
  && (!data.point[i] || (data.start[i] * DAY + DAY / 2 >= a && data.start[i] * DAY + DAY / 2 <= b)));
const legend = host.querySelector('.tl-legend').getBoundingClientRect();
return {lanes: lanes, items: items, ticks: ticks, inView: inView, range: xa.range, legendTop: legend.top,
        plotBottom: page.bottom, n: data.id.length, resources: performance.getEntriesByType('resource').map(r => r.name)};
"""


def overlapping(items) -> list:
    boxes = [(i["ids"][0], i["box"]) for i in items]
    return [(p, q) for k, (p, a) in enumerate(boxes) for q, b in boxes[k + 1:]
            if a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5
            and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5]


def inside(box, lane, slack=1.0) -> bool:
    return (box["left"] >= lane["left"] - slack and box["right"] <= lane["right"] + slack
            and box["top"] >= lane["top"] - slack and box["bottom"] <= lane["bottom"] + slack)


def check_first_view(view) -> None:
    """The issue's bar for a first view: no two labels overlap, every marker and label inside its
    lane, every event in view labelled or in a labelled cluster, date ticks on both lanes."""
    assert view["items"], "events are drawn"
    assert overlapping(view["items"]) == []
    for item in view["items"]:
        lane = next((lane for lane in view["lanes"] if inside(item["box"], lane)), None)
        assert lane is not None, ("outside its lane", item["text"], item["box"], view["lanes"])
        assert all(inside(m, lane) for m in item["marks"]), item["text"]
        assert item["text"].strip(), "every item carries a label"
    drawn = {i for item in view["items"] for i in item["ids"]}
    assert set(view["inView"]) <= drawn, sorted(set(view["inView"]) - drawn)[:5]
    for lane in view["lanes"]:  # tick labels just under each lane
        assert any(lane["bottom"] < y < lane["bottom"] + 40 for y in view["ticks"]), "date ticks under a lane"


def first_view(driver, page: Path, width: int = 1280):
    driver.set_window_size(width, 1000)
    driver.get(page.as_uri())
    browser.wait_for_plots(driver)
    browser.wait_for_items(driver)
    return driver.execute_script(VIEW_JS)


@slow
def test_seeds_timeline_loads_offline_labelled_in_two_lanes(driver, seeds_page, seeds_json):
    view = first_view(driver, seeds_page)
    assert browser.console_errors(driver) == []
    assert view["resources"] == [], "a standalone page loads nothing from the network"
    check_first_view(view)
    labels = {item["ids"][0]: item for item in view["items"] if not item["cluster"]}
    assert set(labels) == {e["id"] for e in seeds_json["events"]}, "all eight seed events labelled one by one"
    violence, diplomacy = view["lanes"]
    assert violence["bottom"] < diplomacy["top"], "violence lane above diplomacy"
    lane_of = {e["id"]: e["lane"] for e in seeds_json["events"]}
    for event_id, item in labels.items():
        assert inside(item["box"], violence if lane_of[event_id] == "violence" else diplomacy)
    tartus = next(item for item in labels.values() if "Tartus" in item["text"])
    assert "Tartus · bombing · 30–38 killed" in tartus["text"]
    assert view["legendTop"] >= view["plotBottom"] - 1, "the legend is below the plot"


@slow
def test_narrow_layout_keeps_legend_below_and_nothing_overlapping(driver, seeds_page):
    view = first_view(driver, seeds_page, width=760)
    check_first_view(view)
    assert view["legendTop"] >= view["plotBottom"] - 1


CARD_JS = """
const done = arguments[arguments.length - 1];
const label = Array.from(document.querySelectorAll('.event-label')).find(e => e.textContent.includes(arguments[0]));
const card = document.querySelector('.tl-card');
card.hidden = true;
label.click();
const started = Date.now();
(function wait() {  // the cards are unpacked at the first click
  if (card.hidden && Date.now() - started < 10000) { setTimeout(wait, 20); return; }
  done({hidden: card.hidden, text: card.innerText, event: card.dataset.event, label: label.dataset.event,
        hover: label.title});
})();
"""


@slow
def test_a_click_opens_the_detail_card(driver, seeds_page):
    first_view(driver, seeds_page)
    card = driver.execute_async_script(CARD_JS, "Tartus")
    assert not card["hidden"] and card["event"] == card["label"]
    text = card["text"]
    assert "000: 30" in text and "alaraby: 38 (Syrian Observatory for Human Rights)" in text
    assert "Mon 5 Sep 2016" in text and "report of Mon 5 Sep 2016" in text, "how the date was worked out"
    assert "Tartus" in text and "Islamic State" in text
    assert "30–38 killed" in card["hover"] and len(card["hover"]) < 120, "the hover stays short"
    kerry = driver.execute_async_script(CARD_JS, "Kerry")
    assert "Sun 4 Sep 2016" in kerry["text"] and "hours after" in kerry["text"]


def fakes_september_2016(tmp_path) -> Path:
    """The FA-KES articles published in September 2016, as a corpus of their own."""
    import csv

    from conftest import FAKES, need_fakes

    need_fakes()
    with open(FAKES, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["date"][:7] in ("2016-09", "09/2016") or "/09/2016" in r["date"]
                or r["date"].startswith("9/") and r["date"].endswith("2016")]
    path = tmp_path / "fakes-2016-09.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@slow
def test_fakes_september_2016_first_view(driver, tmp_path):
    from conftest import FAKES_COLUMNS

    corpus = fakes_september_2016(tmp_path)
    page = tmp_path / "sept.html"
    run_cli("render", corpus, *FAKES_COLUMNS, "-o", page, check=0)
    view = first_view(driver, page)
    check_first_view(view)
    assert view["range"][0] >= "2016-08" and view["range"][1] <= "2016-11", view["range"]
    assert sum(1 for item in view["items"] if not item["cluster"]) >= 10, "most events are labelled one by one"
    assert browser.console_errors(driver) == []


@slow
def test_all_of_fakes_first_view_spans_the_articles_years(driver, tmp_path, fakes_events):
    page = tmp_path / "fakes.html"
    # from FA-KES's events file (read once a session: conftest.fakes_events): the same page, byte
    # for byte, as rendering the corpus itself, less the seconds of reading 793 articles again
    run_cli("render", fakes_events, "-o", page, check=0)
    view = first_view(driver, page)
    check_first_view(view)
    assert view["range"][0] >= "2010-06", "1967 and 1982 are background, out of the first view"
    assert view["range"][1] <= "2018-12"
    assert any(item["cluster"] for item in view["items"]), "a thousand events: clusters"
    # a cluster opens as one zooms in
    key = "return document.querySelector('.tl-overview-key').textContent"
    assert "per month" in driver.execute_script(key)
    driver.execute_script("document.querySelector('.event-cluster').click()")
    browser.wait_for_items(driver, changed_from=view["range"])
    zoomed = driver.execute_script(VIEW_JS)
    assert zoomed["range"][1] < view["range"][1] or zoomed["range"][0] > view["range"][0], "the cluster opened"
    check_first_view(zoomed)
    assert "per month" not in driver.execute_script(key), "the overview's bins follow the zoom"


@slow
def test_background_toggle_brings_far_off_events_in(driver, tmp_path):
    events = [{"id": f"ev-{i}", "lane": "violence", "type": "shelling", "date": f"2016-09-{1 + i:02d}",
               "date_end": None, "precision": "day", "order": None, "actors": [], "aggregate": False,
               "part_of": None, "place": None, "killed": None, "injured": None, "summary": f"shelling {i}",
               "mentions": [{"document": "d", "start": 0, "end": 1, "text": "x", "killed": None, "injured": None,
                             "qualifier": None, "attribution": None, "date_evidence": "Monday"}]}
              for i in range(5)]
    events.append(dict(events[0], id="ev-1967", date="1967-06-05", summary="war of 1967"))
    doc = {"id": "d", "path": "d.txt", "title": "t", "outlet": None, "published": "2016-09-06",
           "published_how": "option", "published_evidence": None, "warnings": []}
    source = tmp_path / "events.json"
    source.write_text(json.dumps({"schema": "timeline/1", "documents": [doc], "events": events, "unresolved": []}))
    page = tmp_path / "bg.html"
    run_cli("render", source, "-o", page, check=0)
    view = first_view(driver, page)
    check_first_view(view)
    assert "ev-1967" not in {i for item in view["items"] for i in item["ids"]}
    driver.execute_script("document.querySelector('.tl-background input').click()")
    browser.wait_for_items(driver)
    with_background = driver.execute_script(VIEW_JS)
    assert with_background["range"][0] < "1967-06"
    assert "ev-1967" in {i for item in with_background["items"] for i in item["ids"]}


@slow
def test_two_fragments_render_on_one_page(driver, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    run_cli("render", SEEDS, "--embed", "-o", first, check=0)
    run_cli("render", SEED_000, "--embed", "-o", second, check=0)
    expected = [len(json.loads(run_cli("extract", x, check=0).stdout)["events"]) for x in (SEEDS, SEED_000)]
    a, b = first.read_text(), second.read_text()
    assert "<html" not in a and "<body" not in a
    page = tmp_path / "brief.html"
    page.write_text("<!doctype html><html><head><meta charset='utf-8'><script>" + PLOTLY_JS.read_text() +
                    "</script></head><body><h1>Brief</h1><p>First:</p>" + a + "<p>Second:</p>" + b + "</body></html>")
    driver.get(page.as_uri())
    browser.wait_for_plots(driver, count=2)
    browser.wait_for_items(driver)
    ids = driver.execute_script("return Array.from(document.querySelectorAll('.js-plotly-plot')).map(e => e.id)")
    assert len(ids) == 2 and ids[0] != ids[1]
    counts = driver.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => new Set(Array.from("
        "g.parentNode.querySelectorAll('.event-label, .event-cluster')).flatMap(e => "
        "(e.dataset.event || e.dataset.events).split(' '))).size)")
    assert counts == expected and expected[0] != expected[1]
    for selector in ("#" + ids[0], "#" + ids[1]):
        check_first_view(driver.execute_script(VIEW_JS, selector))
    assert browser.console_errors(driver) == []


PAYLOADS = ['<script>window.__xss = 1</script>', '<img src=x onerror="window.__xss = 2">',
            '<a href="javascript:window.__xss=3">click</a>', '</script><script>window.__xss = 4</script>',
            '<a href="https://example.invalid/phish">a link the article smuggles in</a>']


def hostile_events(tmp_path):
    """An events file whose every text field carries a payload (users curate these by hand)."""
    text = "A car bomb killed 4 people in Homs on Monday. " + " ".join(PAYLOADS)
    event = {
        "id": "ev-hostile", "lane": "violence", "type": "car_bomb", "date": "2016-09-05", "date_end": None,
        "precision": "day", "order": None, "actors": PAYLOADS[:2], "aggregate": False, "part_of": None,
        "place": {"name": PAYLOADS[4], "detail": PAYLOADS[0], "admin1": None, "country": PAYLOADS[2],
                  "lat": None, "lon": None},
        "killed": {"low": 4, "best": 4, "high": 4}, "injured": None, "summary": PAYLOADS[3],
        "mentions": [{"document": "evil", "start": 0, "end": len(text), "text": text, "killed": 4, "injured": None,
                      "qualifier": "exact", "attribution": PAYLOADS[2], "date_evidence": PAYLOADS[0]}],
    }
    doc = {"id": "evil", "path": "evil.txt", "title": PAYLOADS[3], "outlet": PAYLOADS[1], "published": "2016-09-05",
           "published_how": "option", "published_evidence": PAYLOADS[0], "warnings": []}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"schema": "timeline/1", "documents": [doc], "events": [event], "unresolved": []}))
    return path


def hostile_article(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(PAYLOADS[3] + " headline\n\n" + "On Monday a car bomb killed 4 people in Homs, "
                    + PAYLOADS[1] + " said. " + PAYLOADS[0] + " " + PAYLOADS[2] + "\n")
    return path


@slow
def test_article_text_never_runs(driver, tmp_path):
    page = tmp_path / "hostile.html"
    run_cli("render", hostile_events(tmp_path), hostile_article(tmp_path), "--published", "2016-09-05",
            "--title", PAYLOADS[0], "-o", page, check=0)
    driver.get(page.as_uri())
    browser.wait_for_plots(driver)
    browser.wait_for_items(driver)
    text = driver.execute_async_script(CARD_JS, "car bomb")["text"]
    assert driver.execute_script("return window.__xss === undefined")
    assert driver.execute_script("return document.querySelectorAll('img[src=x], .js-plotly-plot script, "
                                 "a[href^=javascript], .js-plotly-plot a, .tl-layer a, .tl-card a, .tl-layer img, "
                                 ".tl-card img').length") == 0, "no markup from the text"
    assert "<" in text and "onerror" in text, "the payload is shown as text"
    assert driver.execute_script("return window.__xss === undefined")


@pytest.mark.slow  # kaleido draws with a Chromium (started once a session: conftest.kaleido_kept)
def test_static_image(tmp_path, kaleido_kept):
    png, svg = tmp_path / "t.png", tmp_path / "t.svg"
    run_cli("render", SEEDS, "--image", png, check=0)
    run_cli("render", SEEDS, "--image", svg, check=0)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    drawn = svg.read_text(encoding="utf-8")
    assert drawn.lstrip().startswith("<svg") and "Violence" in drawn
    assert "Tartus · bombing · 30–38 killed" in drawn and "Hangzhou · meeting · Obama, Putin" in drawn, "labelled"
    assert "Click" not in drawn and "click" not in drawn, "no interactive wording in an image"
    assert not (tmp_path / "timeline.html").exists()


@slow
def test_a_large_timeline_clusters_then_opens_when_zoomed(driver, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from render_scale import synthetic_events
    from timeline import describe, render

    events = synthetic_events(20_000)
    page = tmp_path / "large.html"
    page.write_text(render.page(describe.frame(events)))
    view = first_view(driver, page)
    check_first_view(view)
    assert sum(len(item["ids"]) for item in view["items"]) == len(view["inView"]) > 19_000
    assert len(view["items"]) < 400, "a first view of clusters, not 20,000 elements"
    driver.execute_script("Plotly.relayout(document.querySelector('.js-plotly-plot'), "
                          "{'xaxis.range': ['2015-03-01', '2015-03-08']})")
    browser.wait_for_items(driver, changed_from=view["range"])
    zoomed = driver.execute_script(VIEW_JS)
    check_first_view(zoomed)
    assert sum(1 for item in zoomed["items"] if not item["cluster"]) >= 20, "zoomed in, events one by one"
    assert browser.console_errors(driver) == []


def test_links_between_diplomacy_and_violence(tmp_path):
    import timeline
    from timeline import describe, render

    t = timeline.load([SEEDS])
    frame = describe.frame(t.records, t.documents)
    fig = render.figure(frame, link_hours=24, static=True)
    links = [tr for tr in fig.data if tr.name == "within 24 h"]
    assert links and len([x for x in links[0].x if x is None]) >= 2
    assert not [tr for tr in render.figure(frame, static=True).data if tr.name and "within" in tr.name]
    assert render.page_data(frame, link_hours=24)["linkHours"] == 24
