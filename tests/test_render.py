"""The figure, tested by its structure (the browser tests see it drawn)."""

import timeline
from conftest import SEEDS
from timeline import describe, layout, lexicon, render
from timeline.records import Event, Toll


def event(i, day, killed=None, lane="violence", type_="explosion"):
    return Event(id=f"ev-{i}", lane=lane, type=type_, date=day, precision="day",
                 killed=Toll(killed, killed, killed) if killed else None, summary=f"event {i}")


def figure(events, documents=(), **kw):
    return render.figure(describe.frame(events, documents), **kw)


def labels(fig):
    return [t for t in fig.data if (t.meta or {}).get("role") == "labels"]


def test_lanes_labels_and_overview():
    t = timeline.load([SEEDS])
    fig = figure(t.records, t.documents, static=True)
    assert {tr.yaxis for tr in labels(fig)} == {"y", "y2"}
    texts = [x for tr in labels(fig) for x in tr.text]
    assert len(texts) == 8 and "Tartus · bombing · 30–38 killed" in texts
    assert [tr.meta["role"] for tr in fig.data if (tr.meta or {}).get("role") == "overview"] == ["overview"] * 2
    assert any(shape.fillcolor for shape in fig.layout.shapes), "the G20 summit is shaded"
    assert fig.layout.xaxis.showticklabels and fig.layout.xaxis2.showticklabels, "date ticks on both lanes"


def test_the_page_carries_every_dated_event_with_label_and_card():
    t = timeline.load([SEEDS])
    frame = describe.frame(t.records, t.documents)
    data, cards = render.page_data(frame), render.cards(render.items(frame))
    assert sorted(data["id"]) == sorted(e.id for e in t.records)
    k = data["label"].index("Tartus · bombing · 30–38 killed")
    ledger = cards[k][render.CARD_FIELDS.index("ledger")]
    assert ledger == ["000: 30", "alaraby: 38 (Syrian Observatory for Human Rights)"]
    assert data["best"][k] == 30 and data["high"][k] == 38 and data["point"][k] == 1
    assert {t["lane"] for t in data["types"]} == {"violence", "diplomacy"}


def test_huge_tolls_keep_markers_inside_a_row():
    assert layout.diameter(300_000) <= layout.ROW and layout.diameter(4) < layout.diameter(300_000)
    fig = figure([event(1, "2016-09-05", 300_000), event(2, "2016-09-05", 4)], [], static=True)
    sizes = [s for tr in labels(fig) for s in tr.marker.size]
    assert max(sizes) <= layout.ROW and min(sizes) < max(sizes)


def test_first_view_leaves_out_far_off_background_dates():
    events = [event(i, f"2016-09-{1 + i % 28:02d}") for i in range(200)] + [event(999, "1967-06-05")]
    fig = figure(events)
    assert str(fig.layout.xaxis.range[0]) >= "2016-08", fig.layout.xaxis.range
    from datetime import date

    window = (date(2016, 9, 1), date(2016, 9, 30))
    data = render.page_data(describe.frame(events), window=window)
    assert data["background"][data["id"].index("ev-999")] == 1 and sum(data["background"]) == 1


def test_periods_do_not_stretch_the_first_view():
    events = [event(i, f"2016-09-{1 + i:02d}") for i in range(5)]
    events.append(Event(id="ev-year", lane="violence", type="siege", date="2016-01-01", precision="year"))
    data = render.page_data(describe.frame(events))
    assert data["view"][0] >= "2016-08-25", data["view"]
    k = data["id"].index("ev-year")
    assert data["point"][k] == 0 and data["end"][k] - data["start"][k] == 365, "the year as a bar"


def test_labels_are_packed_without_overlap_and_clustered_when_they_cannot_fit():
    from datetime import date

    items = [{"id": f"e{i}", "lane": "violence", "type": "shelling", "start": date(2016, 9, 5), "end": date(2016, 9, 5),
              "point": True, "precise": True, "label": f"Town {i} · shelling", "best": 0, "low": 0, "high": 0,
              "part": False} for i in range(30)]
    g = layout.Geometry((date(2016, 9, 1), date(2016, 9, 10)), 900, 200)
    placed, rest = layout.arrange(items, 5, g, lambda r: r["label"])
    assert rest == []
    assert sum(len(u["items"]) for u in placed) == 30, "every item placed alone or in a cluster"
    assert any(u.get("cluster") for u in placed) and len({u["row"] for u in placed}) <= 5
    rows = {}
    for u in placed:
        for other in rows.get(u["row"], []):
            assert u["x0"] >= other["x1"] or other["x0"] >= u["x1"], "no two labels of a row overlap"
        rows.setdefault(u["row"], []).append(u)
    few, _ = layout.arrange(items[:4], 5, g, lambda r: r["label"])
    assert not any(u.get("cluster") for u in few) and len({u["row"] for u in few}) == 4


def test_too_many_labels_for_an_image_become_numbers_with_a_key():
    # 20 events on the 5th (the image's lane has 14 rows), 3 on the 6th, with labels that would not fit
    events = [event(i, "2016-09-05" if i < 20 else "2016-09-06", i + 1) for i in range(23)]
    fig = figure(events, static=True)
    texts = [x for tr in labels(fig) for x in tr.text]
    numbers = [int(x) for x in texts if x.isdigit()]
    runs = [x for x in texts if not x.isdigit()]
    assert numbers, texts
    assert all("#" in x for x in runs), "a cluster says which numbers it holds"
    assert not any("·" in x and "#" not in x for x in texts), "no full label in a numbered image"
    key = [tr for tr in fig.data if tr.type == "table"]
    assert key and len(key[0].cells.values[0]) == 23
    assert sorted(numbers) == [21, 22, 23] and runs == ["20 events · 210 killed · #1–20"]
    assert set(numbers) <= set(int(k) for k in key[0].cells.values[0])


def test_same_figure_same_div_id_different_figures_different_ids():
    t = timeline.load([SEEDS])
    a, b = figure(t.records, t.documents), figure(t.records, t.documents)
    assert render.div_id(a) == render.div_id(b)
    assert render.div_id(a) != render.div_id(figure(t.records[:3], t.documents))


def test_a_type_keeps_its_colour_whatever_else_is_drawn():
    alone = render.page_data(describe.frame([event(1, "2016-09-05", type_="shelling")]))
    mixed = render.page_data(describe.frame([event(1, "2016-09-05", type_="shelling"), event(2, "2016-09-05", type_="air_strike"),
                    event(3, "2016-09-05", lane="diplomacy", type_="meeting")]))

    def colour(fig, type_id):
        return fig["types"][[t["id"] for t in fig["types"]].index(type_id)]["colour"]

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
