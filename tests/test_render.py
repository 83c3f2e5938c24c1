"""The figure, tested by its structure (the browser tests see it drawn)."""

import timeline
from conftest import SEEDS
from timeline import describe, lexicon, render
from timeline.records import Event, Toll


def event(i, day, killed=None, lane="violence", type_="explosion"):
    return Event(id=f"ev-{i}", lane=lane, type=type_, date=day, precision="day",
                 killed=Toll(killed, killed, killed) if killed else None, summary=f"event {i}")


def figure(events, documents=(), **kw):
    return render.figure(describe.frame(events, documents), **kw)


def markers(fig):
    return [t for t in fig.data if (t.meta or {}).get("role") == "events"]


def test_lanes_types_and_overview():
    t = timeline.load([SEEDS])
    fig = figure(t.records, t.documents)
    assert {tr.yaxis for tr in markers(fig)} == {"y", "y2"}
    assert sum(len(tr.x) for tr in markers(fig)) == 8
    assert [tr.meta["role"] for tr in fig.data if (tr.meta or {}).get("role") == "overview"] == ["overview"] * 2
    assert any(shape.fillcolor for shape in fig.layout.shapes), "the G20 summit is shaded"


def test_huge_tolls_do_not_cover_the_plot():
    fig = figure([event(1, "2016-09-05", 300_000), event(2, "2016-09-05", 4)], [])
    sizes = [s for tr in markers(fig) for s in tr.marker.size]
    assert max(sizes) <= render.MAX_MARKER and min(sizes) < max(sizes)


def test_first_view_leaves_out_far_off_background_dates():
    events = [event(i, f"2016-09-{1 + i % 28:02d}") for i in range(200)] + [event(999, "1967-06-05")]
    fig = figure(events)
    start = fig.layout.xaxis.range[0]
    assert str(start) >= "2016-08", start


def test_same_figure_same_div_id_different_figures_different_ids():
    t = timeline.load([SEEDS])
    a, b = figure(t.records, t.documents), figure(t.records, t.documents)
    assert render.div_id(a) == render.div_id(b)
    assert render.div_id(a) != render.div_id(figure(t.records[:3], t.documents))


def test_a_type_keeps_its_colour_whatever_else_is_drawn():
    alone = figure([event(1, "2016-09-05", type_="shelling")])
    mixed = figure([event(1, "2016-09-05", type_="shelling"), event(2, "2016-09-05", type_="air_strike"),
                    event(3, "2016-09-05", lane="diplomacy", type_="meeting")])

    def colour(fig, type_id):
        return next(tr.marker.color for tr in markers(fig) if tr.meta["type"] == type_id)

    assert colour(alone, "shelling") == colour(mixed, "shelling") == lexicon.colour("shelling")


def test_violence_is_warm_and_diplomacy_cool():
    def hue(colour):
        import colorsys

        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return colorsys.rgb_to_hls(r, g, b)[0] * 360

    for t in lexicon.event_types():
        h = hue(t.colour)
        if t.lane == "violence":
            assert h <= 60 or h >= 300, (t.id, t.colour, h)
        else:
            assert 120 <= h <= 280, (t.id, t.colour, h)


def test_the_title_says_what_the_timeline_holds():
    t = timeline.load([SEEDS])
    assert describe.title(t.records) == "Syria, 4–5 Sep 2016: 6 violent events, 40–53 killed; 2 diplomatic"
    assert t.figure().layout.title.text == describe.title(t.records)
    assert describe.title([]) == "Timeline: no events"
