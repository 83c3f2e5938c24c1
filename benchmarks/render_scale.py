"""Render synthetic timelines of growing size and measure them in headless Chromium.

    python benchmarks/render_scale.py [N ...]      (default: 100 1000 10000 100000)

For each size: time to build the figure and HTML, file size, time to first paint in the browser
(navigation start to the first frame after plotly and the timeline's script have drawn the first
view's events; the median of five loads, taken in turns with the other sizes), time until every
event is unpacked (a large page draws its first view from a summary and unpacks the events after
that frame; a small one before it), the median time of a pan step (a relayout shifting the x range by a tenth, until the next frame,
items laid out again), over the whole period and zoomed in to 30 days, the items (labels and
clusters) of the last view, and the paint of the largest size over the smallest.
"""

import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402
from timeline import describe, lexicon, render  # noqa: E402
from timeline.records import Event  # noqa: E402

MARK = """
var gd = document.getElementById('{plot_id}');
gd.addEventListener('timeline:drawn', function () {  // the events are on screen: two frames later
  requestAnimationFrame(function () { requestAnimationFrame(function () {
    window.__painted = performance.now(); }); });
});
gd.addEventListener('timeline:complete', function () { window.__complete = performance.now(); });
"""

PAN = """
var done = arguments[arguments.length - 1];
var gd = document.querySelector('.js-plotly-plot');
var r = gd.layout.xaxis.range.map(function (v) { return new Date(v).getTime(); });
if (arguments[0]) { var mid = (r[0] + r[1]) / 2; r = [mid - arguments[0] * 43200000, mid + arguments[0] * 43200000]; }
var width = r[1] - r[0];
var times = [], i = -1;
function step() {
  if (i >= 12) { done(times); return; }
  if (i < 0) { i = 0; Plotly.relayout(gd, {'xaxis.range': [new Date(r[0]).toISOString(), new Date(r[1]).toISOString()]})
    .then(function () { setTimeout(step, 300); }); return; }
  var t0 = performance.now();
  var shift = (i % 2 ? -1 : 1) * width * 0.1;
  r = [r[0] + shift, r[1] + shift];
  Plotly.relayout(gd, {'xaxis.range': [new Date(r[0]).toISOString(), new Date(r[1]).toISOString()]}).then(function () {
    requestAnimationFrame(function () { times.push(performance.now() - t0); i += 1; step(); });
  });
}
step();
"""


def synthetic_events(n: int, seed: int = 2) -> list[Event]:
    rng = random.Random(seed)
    types = lexicon.load("event_types.yaml")["types"]
    start = date(2013, 1, 1)
    out = []
    for i in range(n):
        t = rng.choice(types)
        day = start + timedelta(days=rng.randrange(5 * 365))
        killed = rng.randrange(1, 80) if t["lane"] == "violence" and rng.random() < 0.6 else None
        out.append({"id": f"ev-{i:07d}", "lane": t["lane"], "type": t["id"], "date": day.isoformat(), "date_end": None,
                    "precision": "day", "order": None, "actors": [], "aggregate": False, "part_of": None,
                    "place": {"name": f"Town{rng.randrange(300)}", "detail": None, "admin1": None, "country": "Syria",
                              "lat": None, "lon": None},
                    "killed": {"low": killed, "best": killed, "high": killed + rng.randrange(0, 10)} if killed else None,
                    "injured": None, "summary": f"{t['label']} in Town{i % 300}",
                    "mentions": [{"document": f"doc{i}", "start": 0, "end": 60, "text": "A synthetic report " * 3,
                                  "killed": killed, "injured": None, "qualifier": "exact", "attribution": None,
                                  "date_evidence": "Monday"}]})
    return [Event.from_dict(e) for e in out]


def load(driver, path: Path):
    """(first paint ms, complete ms) of one load of the page."""
    driver.get(path.as_uri())
    browser.wait_for_plots(driver, timeout=120)
    deadline = time.time() + 120
    while (driver.execute_script("return window.__painted === undefined || window.__complete === undefined")
           and time.time() < deadline):
        time.sleep(0.05)
    return driver.execute_script("return [window.__painted, window.__complete]")


def paints(driver, pages: dict, loads: int = 5) -> dict:
    """Per size, the medians of `loads` loads of (first paint ms, complete ms). The loads go in
    turns, one of each size a round (after one load to warm the browser up: its first is slower),
    so that the load of a machine shared with others weighs on every size alike."""
    load(driver, next(iter(pages.values())))
    taken = {n: [] for n in pages}
    for _ in range(loads):
        for n, path in pages.items():
            taken[n].append(load(driver, path))
    return {n: tuple(statistics.median(t[k] for t in taken[n]) for k in (0, 1)) for n in pages}


def pans(driver, path: Path):
    """(median pan ms over the whole period, median pan ms zoomed to 30 days, the items of the last
    view). Pans once every event is unpacked: before, a draw away from the first view waits for them."""
    load(driver, path)
    driver.set_script_timeout(300)
    wide = driver.execute_async_script(PAN, 0)
    zoomed = driver.execute_async_script(PAN, 30)
    drawn = driver.execute_script("return document.querySelectorAll('.event-label, .event-cluster').length")
    return statistics.median(wide[2:]), statistics.median(zoomed[2:]), drawn


def build(sizes, folder: Path) -> dict:
    """Per size: (page file, build s, HTML MB)."""
    built = {}
    for n in sizes:
        events = synthetic_events(n)
        started = time.perf_counter()
        page = render.page(describe.frame(events), extra_script=MARK)
        seconds = time.perf_counter() - started
        path = folder / f"timeline-{n}.html"
        path.write_text(page, encoding="utf-8")
        built[n] = (path, seconds, len(page) / 1e6)
    return built


def main(sizes):
    with tempfile.TemporaryDirectory() as folder:
        built = build(sizes, Path(folder))
        driver = browser.start()
        try:
            measured = paints(driver, {n: b[0] for n, b in built.items()})
            print(f"{'events':>8} {'build s':>8} {'HTML MB':>8} {'paint ms':>9} {'complete ms':>11} {'pan ms':>7} "
                  f"{'pan 30d ms':>10} {'items':>6}")
            for n, (path, seconds, megabytes) in built.items():
                pan, pan_zoomed, drawn = pans(driver, path)
                paint, complete = measured[n]
                print(f"{n:>8,} {seconds:>8.2f} {megabytes:>8.1f} {paint:>9.0f} {complete:>11.0f} {pan:>7.1f} "
                      f"{pan_zoomed:>10.1f} {drawn:>6}")
        finally:
            browser.stop(driver)
    if len(built) > 1:
        small, large = min(built), max(built)
        print(f"paint of {large:,} events / paint of {small:,} events: "
              f"{measured[large][0] / measured[small][0]:.2f}x (target: at most 1.5x)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000, 100000])
