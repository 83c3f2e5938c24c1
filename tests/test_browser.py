"""The timeline in a real headless Chromium: loads offline, two lanes, hover shows sources."""

import pytest

import browser
from conftest import SEEDS, run_cli


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
  const lane = (t.yaxis || 'y') === 'y' ? 'violence' : 'diplomacy';
  lanes[lane] = (lanes[lane] || 0) + t.x.length;
}
const titles = (gd.layout.annotations || []).map(a => a.text);
return {lanes: lanes, titles: titles, top: gd.layout.yaxis.domain, bottom: gd.layout.yaxis2.domain,
        points: document.querySelectorAll('.scatterlayer .point').length,
        resources: performance.getEntriesByType('resource').map(r => r.name)};
"""


def test_seeds_timeline_loads_offline_with_two_lanes(driver, seeds_page, seeds_json):
    driver.get(seeds_page.as_uri())
    browser.wait_for_plots(driver)
    info = driver.execute_script(LANES_JS)
    assert browser.console_errors(driver) == []
    assert info["resources"] == [], "a standalone page loads nothing from the network"
    assert "Violence" in info["titles"] and "Diplomacy" in info["titles"]
    assert info["top"][0] > info["bottom"][1], "violence lane above diplomacy"
    expected = {lane: sum(1 for e in seeds_json["events"] if e["lane"] == lane) for lane in ("violence", "diplomacy")}
    assert info["lanes"] == expected
    assert info["points"] == sum(expected.values()), "every event is drawn as a marker"
