"""The figure, tested by its structure (the browser tests see it drawn)."""

import timeline
from conftest import SEEDS
from timeline import render


def event(i, day, killed=None, lane="violence", type_="explosion"):
    return {"id": f"ev-{i}", "lane": lane, "type": type_, "date": day, "date_end": None, "precision": "day",
            "order": None, "place": None, "actors": [], "aggregate": False, "part_of": None,
            "killed": {"low": killed, "best": killed, "high": killed} if killed else None, "injured": None,
            "summary": f"event {i}", "mentions": []}


def markers(fig):
    return [t for t in fig.data if (t.meta or {}).get("role") == "events"]


def test_lanes_types_and_overview():
    t = timeline.load([SEEDS])
    fig = render.figure(t.records, t.documents)
    assert {tr.yaxis for tr in markers(fig)} == {"y", "y2"}
    assert sum(len(tr.x) for tr in markers(fig)) == 8
    assert [tr.meta["role"] for tr in fig.data if (tr.meta or {}).get("role") == "overview"] == ["overview"] * 2
    assert any(shape.fillcolor for shape in fig.layout.shapes), "the G20 summit is shaded"


def test_huge_tolls_do_not_cover_the_plot():
    fig = render.figure([event(1, "2016-09-05", 300_000), event(2, "2016-09-05", 4)], [])
    sizes = [s for tr in markers(fig) for s in tr.marker.size]
    assert max(sizes) <= render.MAX_MARKER and min(sizes) < max(sizes)


def test_first_view_leaves_out_far_off_background_dates():
    events = [event(i, f"2016-09-{1 + i % 28:02d}") for i in range(200)] + [event(999, "1967-06-05")]
    fig = render.figure(events, [])
    start = fig.layout.xaxis.range[0]
    assert str(start) >= "2016-08", start


def test_same_figure_same_div_id_different_figures_different_ids():
    t = timeline.load([SEEDS])
    a, b = render.figure(t.records, t.documents), render.figure(t.records, t.documents)
    assert render.div_id(a) == render.div_id(b)
    assert render.div_id(a) != render.div_id(render.figure(t.records[:3], t.documents))
