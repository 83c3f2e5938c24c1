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
def driver():
    d = browser.start()
    yield d
    browser.stop(d)


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("render") / "timeline.html"
    run_cli("render", SEEDS, "-o", out, check=0)
    return out


LANES_JS = """
const gd = document.querySelector('.js-plotly-plot');
const lanes = {};
for (const t of gd.data) {
  if (!t.meta || t.meta.role !== 'events') continue;
  const lane = (t.yaxis || 'y') === 'y' ? 'violence' : 'diplomacy';
  lanes[lane] = (lanes[lane] || 0) + t.x.length;
}
const titles = (gd.layout.annotations || []).map(a => a.text);
return {lanes: lanes, titles: titles, top: gd.layout.yaxis.domain, bottom: gd.layout.yaxis2.domain,
        slider: !!(gd.layout.xaxis3.rangeslider && gd.layout.xaxis3.rangeslider.visible),
        buttons: (gd.layout.xaxis.rangeselector.buttons || []).map(b => b.label),
        resources: performance.getEntriesByType('resource').map(r => r.name)};
"""

HOVER_JS = """
const gd = document.querySelector('.js-plotly-plot');
const i = gd.data.findIndex(t => t.meta && t.meta.role === 'events' && t.text.some(x => x.includes(arguments[0])));
const p = gd.data[i].text.findIndex(x => x.includes(arguments[0]));
Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: p}]);
const label = document.querySelector('.hoverlayer');
return label ? label.textContent : '';
"""


@slow
def test_seeds_timeline_loads_offline_with_two_lanes(driver, seeds_page, seeds_json):
    driver.get(seeds_page.as_uri())
    browser.wait_for_plots(driver)
    info = driver.execute_script(LANES_JS)
    assert browser.console_errors(driver) == []
    assert info["resources"] == [], "a standalone page loads nothing from the network"
    assert "Violence" in info["titles"] and "Diplomacy" in info["titles"]
    assert info["top"][0] > info["bottom"][1], "violence lane above diplomacy"
    expected = {lane: sum(1 for e in seeds_json["events"] if e["lane"] == lane) for lane in ("violence", "diplomacy")}
    assert info["lanes"] == expected == {"violence": 6, "diplomacy": 2}
    assert info["slider"] and info["buttons"] == ["1w", "1m", "all"]
    markers = driver.execute_script("return document.querySelectorAll('.scatterlayer .point').length")
    assert markers >= sum(expected.values()), "every event is drawn"


@slow
def test_hover_shows_both_outlets_figures(driver, seeds_page):
    driver.get(seeds_page.as_uri())
    browser.wait_for_plots(driver)
    text = driver.execute_script(HOVER_JS, "Tartus")
    assert "000: 30" in text and "alaraby: 38" in text
    assert "Syrian Observatory for Human Rights" in text
    assert "Place: Tartus" in text


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
    ids = driver.execute_script("return Array.from(document.querySelectorAll('.js-plotly-plot')).map(e => e.id)")
    assert len(ids) == 2 and ids[0] != ids[1]
    counts = driver.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => g.data.filter("
        "t => t.meta && t.meta.role === 'events').reduce((n, t) => n + t.x.length, 0))")
    assert counts == expected and expected[0] != expected[1]
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
    text = driver.execute_script(HOVER_JS, "car bomb")
    assert driver.execute_script("return window.__xss === undefined")
    assert driver.execute_script("return document.querySelectorAll('img[src=x], .js-plotly-plot script, "
                                 "a[href^=javascript], .js-plotly-plot a').length") == 0, "no markup from the text"
    assert "<" in text and "onerror" in text, "the payload is shown as text"
    assert driver.execute_script("return window.__xss === undefined")


@pytest.mark.slow  # kaleido starts a Chromium for each image
def test_static_image(tmp_path):
    png, svg = tmp_path / "t.png", tmp_path / "t.svg"
    run_cli("render", SEEDS, "--image", png, check=0)
    run_cli("render", SEEDS, "--image", svg, check=0)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert b"<svg" in svg.read_bytes()[:400] and b"Violence" in svg.read_bytes()
    assert not (tmp_path / "timeline.html").exists()


@slow
def test_large_timeline_shows_density_then_markers_when_zoomed(driver, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from render_scale import synthetic_events
    from timeline import describe, render

    events = synthetic_events(render.DENSE_FROM + 500)
    page = tmp_path / "large.html"
    page.write_text(render.page(describe.frame(events)))
    driver.get(page.as_uri())
    browser.wait_for_plots(driver)
    state = """
    const gd = document.querySelector('.js-plotly-plot');
    const ev = gd.data.filter(t => t.meta && t.meta.role === 'events');
    const de = gd.data.filter(t => t.meta && t.meta.role === 'density');
    return {points: ev.reduce((n, t) => n + (t.visible === true ? t.x.length : 0), 0),
            density: de.every(t => t.visible !== false)};
    """
    assert driver.execute_script(state) == {"points": 0, "density": True}
    driver.set_script_timeout(60)
    driver.execute_async_script("""
      const done = arguments[arguments.length - 1];
      const gd = document.querySelector('.js-plotly-plot');
      Plotly.relayout(gd, {'xaxis.range': ['2015-03-01', '2015-03-21']}).then(() => setTimeout(done, 500));
    """)
    zoomed = driver.execute_script(state)
    assert zoomed["points"] > 0 and zoomed["density"] is False
    expected = sum(1 for e in events if "2015-02-09" <= e.date <= "2015-04-11")
    assert zoomed["points"] <= expected, "only the window (and a margin) is handed to the plot"
    assert browser.console_errors(driver) == []


def test_links_between_diplomacy_and_violence(tmp_path):
    import timeline
    from timeline import describe, render

    t = timeline.load([SEEDS])
    frame = describe.frame(t.records, t.documents)
    fig = render.figure(frame, link_hours=24)
    links = [tr for tr in fig.data if tr.name == "within 24 h"]
    assert links and len([x for x in links[0].x if x is None]) >= 2
    assert not [tr for tr in render.figure(frame).data if tr.name and "within" in tr.name]
