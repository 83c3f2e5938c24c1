"""A page drawn summary-first (render.first_view: the first view drawn before the events are
unpacked) ends up, in a real headless Chromium, with exactly the items of the same page drawn from
every event: at its first paint, once complete, after a zoom, and after a zoom asked for before the
events were unpacked."""

import json
import sys
from datetime import date
from pathlib import Path

import pytest

import browser
from conftest import SEEDS

pytestmark = pytest.mark.slow  # a real Chromium and pages of thousands of events

# Every item of the plot's host as the reader and the tests see it: class, ids, text, box, hover.
SNAPSHOT = """
function snapshot(gd) {
  return Array.from(gd.parentNode.querySelectorAll('.event-label, .event-cluster')).map(function (e) {
    var r = e.getBoundingClientRect();
    return [e.className, e.dataset.event || e.dataset.events, e.textContent, e.title, e.getAttribute('aria-label'),
            [r.left, r.top, r.width, r.height].map(function (v) { return Math.round(v * 100) / 100; })];
  });
}
"""

# Run as the page's extra_script (after timeline.js): what was on screen when the page said the
# first view was drawn, and whether the events had been unpacked by then.
AT_DRAWN = SNAPSHOT + """
var gd = document.getElementById('{plot_id}');
gd.addEventListener('timeline:drawn', function () {
  window.__atDrawn = {state: gd.dataset.timeline, unpacked: !!gd.timelineData, items: snapshot(gd)};
  if (window.__zoomEarly) { Plotly.relayout(gd, {'xaxis.range': window.__zoomEarly}); }
});
"""

ZOOM = ["2015-03-01", "2015-03-15"]

COMPLETE = SNAPSHOT + """
var done = arguments[arguments.length - 1], started = Date.now();
var gd = document.querySelector('.js-plotly-plot');
(function wait() {
  if (gd.dataset.timeline !== 'complete' && Date.now() - started < 60000) { setTimeout(wait, 20); return; }
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    done({state: gd.dataset.timeline, range: gd._fullLayout.xaxis.range, items: snapshot(gd), atDrawn: window.__atDrawn});
  }); });
})();
"""

RELAYOUT = """
var done = arguments[arguments.length - 1], gd = document.querySelector('.js-plotly-plot');
Plotly.relayout(gd, {'xaxis.range': arguments[0]}).then(function () {
  requestAnimationFrame(function () { requestAnimationFrame(function () { done(); }); });
});
"""


@pytest.fixture(scope="module")
def driver(chromium):
    chromium.set_window_size(1280, 1000)
    chromium.set_script_timeout(90)
    return browser.fresh_log(chromium)


def frames():
    """The seeds (a few events one by one), and thousands of synthetic events with periods and
    far-off background: lanes too full to label, drawn from the summary's days."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import timeline
    from render_scale import synthetic_events
    from timeline import describe
    from timeline.records import Event

    seeds = timeline.load([SEEDS])
    extra = [Event(id=f"ev-period-{k}", lane="violence" if k % 2 else "diplomacy", type="siege" if k % 2 else "talks",
                   date=f"201{4 + k % 3}-0{1 + k % 9}-01", precision="month" if k % 3 else "day",
                   date_end=None if k % 3 else f"201{4 + k % 3}-0{1 + k % 9}-2{k % 9}") for k in range(40)]
    extra += [Event(id=f"ev-far-{k}", lane="violence", type="shelling", date=f"19{60 + k}-06-05", precision="day")
              for k in range(3)]
    return {"seeds": (describe.frame(seeds.records, seeds.documents), None),
            "synthetic": (describe.frame(synthetic_events(6000) + extra), (date(2013, 1, 1), date(2017, 12, 31)))}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from timeline import render

    folder, out = tmp_path_factory.mktemp("first_paint"), {}
    for name, (frame, window) in frames().items():
        for summary, early in ((True, False), (False, False), (True, True)):
            if early and name != "synthetic":
                continue
            zoom = f"window.__zoomEarly = {json.dumps(ZOOM)};" if early else ""
            html = render.page(frame, extra_script=zoom + AT_DRAWN, summary=summary, window=window, plot_id="tl")
            assert ('id="tl-first"' in html) == summary
            path = folder / f"{name}-{summary}-{early}.html"
            path.write_text(html, encoding="utf-8")
            out[name, summary] = out.get((name, summary), path)
            out[name, summary, early] = path
    return out


def load(driver, page: Path):
    driver.get(page.as_uri())
    return driver.execute_async_script(COMPLETE)


@pytest.mark.parametrize("name", ["seeds", "synthetic"])
def test_summary_first_draws_what_the_full_data_draws(driver, pages, name):
    summary, full = load(driver, pages[name, True]), load(driver, pages[name, False])
    assert full["state"] == summary["state"] == "complete"
    assert full["items"], "items are drawn"
    at_drawn = summary["atDrawn"]
    assert at_drawn["state"] == "drawn" and not at_drawn["unpacked"], "drawn from the summary, before unpacking"
    assert at_drawn["items"] == full["items"], "the first paint shows the first view's items"
    assert summary["items"] == full["items"], "and nothing moves once the events are unpacked"
    assert full["atDrawn"]["items"] == full["items"]
    if name == "synthetic":
        assert any(item[0] == "event-cluster" for item in full["items"])
        assert sum(len(item[1].split(" ")) for item in full["items"]) > 5000, "every event of the view is in an item"
    assert browser.console_errors(driver) == []


def test_zoom_after_and_before_unpacking(driver, pages):
    full = load(driver, pages["synthetic", False])
    driver.execute_async_script(RELAYOUT, ZOOM)
    zoomed_full = driver.execute_async_script(COMPLETE)
    load(driver, pages["synthetic", True])
    driver.execute_async_script(RELAYOUT, ZOOM)
    zoomed_summary = driver.execute_async_script(COMPLETE)
    assert zoomed_summary["items"] == zoomed_full["items"] != full["items"]
    assert any(item[0] == "event-label" for item in zoomed_full["items"]), "zoomed in: events one by one"
    # asked for by the page's own listener when the summary is drawn: waits for the events, then draws
    early = load(driver, pages["synthetic", True, True])
    assert early["range"] == zoomed_full["range"] and early["items"] == zoomed_full["items"]
    assert browser.console_errors(driver) == []
