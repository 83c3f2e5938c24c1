"""layout: the labelled timeline for an image, packed here as the page's script packs it.

Items of a lane are stacked in rows so that no two labels overlap (first fit over items sorted by
their left edge: as few rows as interval packing allows); where they do not fit, numbered
markers and a key table below; where even those do not fit, the items of a day, week, month...
collapse into clusters ("12 events · 240 killed"). Widths are estimated from the label's length
(there is no browser to measure text in)."""

from __future__ import annotations

import math
from datetime import date, timedelta

ROW, FOOT, FOOT_ROWS, GAP, PAD = 20, 17, 2, 10, 4  # pixels, as in timeline.js
CHAR = 6.4  # pixels per character at 11 px (a little wide: labels must not touch)
KEY_MAX = 60  # items: up to this many may be numbered with a key table
MARGIN = {"l": 70, "r": 20, "t": 70, "b": 30}
LEVELS = ("day", "week", "month", "quarter", "year", "all")


def text_width(text: str) -> float:
    return len(text) * CHAR + 2


def diameter(killed: int) -> float:
    return min(7 + 1.1 * math.sqrt(max(killed, 0)), 16) if killed else 7


def bucket(day: date, level: str):
    if level == "day":
        return day
    if level == "week":
        return day - timedelta(days=day.weekday())
    if level == "month":
        return (day.year, day.month)
    if level == "quarter":
        return (day.year, (day.month - 1) // 3)
    return day.year if level == "year" else 0


class Geometry:
    """A lane's pixels: the view (first, last day) over `width` pixels, `height` pixels high."""

    def __init__(self, span, width: float, height: float):
        self.a, self.b = span
        self.width, self.height = width, height

    def px(self, day: date, hours: float = 0) -> float:
        days = (day - self.a).days + hours / 24
        return days / max((self.b - self.a).days, 1) * self.width

    def visible(self, r) -> bool:
        return r["end"] >= self.a and r["start"] < self.b


# ------------------------------------------------------------------ units and packing

def single(r, g: Geometry, text: str) -> dict:
    if not r["point"]:
        a = max(g.px(r["start"]), 0)
        b = min(g.px(r["end"] + timedelta(days=1)), g.width)
        return {"items": [r], "text": text, "x": a, "bar": (a, max(b, a + 2)), "x0": a,
                "x1": min(max(b, a + text_width(text)), g.width)}
    x, radius = g.px(r["start"], 12), diameter(r["best"]) / 2
    x0, x1, flip = x - radius, x + radius + 3 + text_width(text), False
    if x1 > g.width:
        x0, x1, flip = x - radius - 3 - text_width(text), x + radius, True
    return {"items": [r], "text": text, "x": x, "x0": max(x0, 0), "x1": min(x1, g.width), "flip": flip}


def cluster(members, level: str, g: Geometry, text_of=None) -> dict:
    counted = [r for r in members if not r["part"] and r["precise"] and r["point"]]  # as timeline.js
    low, high = sum(r["low"] for r in counted), sum(r["high"] for r in counted)
    text = f"{len(members)} events" + (f" · {low if low == high else f'{low}–{high}'} killed" if high else "")
    keys = [text_of(r) for r in members] if text_of else []
    if keys and all(k.isdigit() for k in keys):  # numbered for the key table: which numbers it holds
        text += f" · #{min(map(int, keys))}–{max(map(int, keys))}"
    first, last = min(r["start"] for r in members), max(r["end"] for r in members)
    x = min(max(g.px(first) / 2 + g.px(last + timedelta(days=1)) / 2, 8), g.width - 8)
    unit = {"items": members, "text": text, "x": x, "x0": x - 8, "x1": x + 8 + 3 + text_width(text),
            "cluster": level, "flip": False}
    if unit["x1"] > g.width:
        unit.update(x0=x - 8 - 3 - text_width(text), x1=x + 8, flip=True)
    return unit


def pack(units, rows: int) -> list:
    """Give each unit the first row where it fits; return those that fit nowhere."""
    units.sort(key=lambda u: u["x0"])
    ends, failed = [-math.inf] * rows, []
    for u in units:
        row = next((k for k in range(rows) if ends[k] + GAP <= u["x0"]), None)
        u["row"] = row
        if row is None:
            failed.append(u)
        else:
            ends[row] = u["x1"]
    return failed


def arrange(members, rows: int, g: Geometry, text_of) -> tuple[list, list]:
    """(placed units, units left over): items one by one where they fit; where one does not,
    the smallest bucket holding more than it collapses into a cluster."""
    if not members or rows < 1:
        return [], []
    counts = {level: {} for level in LEVELS}
    for r in members:
        for level in LEVELS:
            key = bucket(r["start"], level)
            counts[level][key] = counts[level].get(key, 0) + 1
    collapsed = {level: set() for level in LEVELS}
    units = []
    for _ in range(40):
        units = _units(members, collapsed, g, text_of)
        failed = pack(units, rows)
        if not failed:
            return units, []
        grew = False
        for u in failed:
            first = LEVELS.index(u["cluster"]) + 1 if u.get("cluster") else 0
            for level in LEVELS[first:]:
                key = bucket(u["items"][0]["start"], level)
                if counts[level][key] > len(u["items"]) or level == "all":
                    grew |= key not in collapsed[level]
                    collapsed[level].add(key)
                    break
        if not grew:
            break
    return [u for u in units if u["row"] is not None], [u for u in units if u["row"] is None]


def _units(members, collapsed, g, text_of) -> list:
    loose, grouped = [], {}
    for r in members:
        level = next((lv for lv in reversed(LEVELS) if bucket(r["start"], lv) in collapsed[lv]), None)
        if level is None:
            loose.append(r)
        else:
            grouped.setdefault((LEVELS.index(level), bucket(r["start"], level)), []).append(r)
    units = [single(r, g, text_of(r)) for r in loose]
    return units + [cluster(rs, LEVELS[level], g, text_of) for (level, _), rs in grouped.items()]


# ------------------------------------------------------------------ the figure

def lanes(plot_items, span, width: int, height: int, domains, text_of):
    """{lane: (placed point units, placed period units, geometry, rows, foot rows)} and whether
    anything had to be clustered."""
    plot_h = height - MARGIN["t"] - MARGIN["b"]
    out, clustered = {}, False
    for lane in ("violence", "diplomacy"):
        low, high = domains[lane]
        g = Geometry(span, width - MARGIN["l"] - MARGIN["r"], (high - low) * plot_h)
        mine = [r for r in plot_items if r["lane"] == lane and g.visible(r)]
        points = [r for r in mine if r["point"] and g.a <= r["start"] < g.b]
        periods = [r for r in mine if not r["point"]]
        foot = FOOT_ROWS if periods else 0
        rows = int((g.height - foot * FOOT - 2 * PAD) // ROW)
        placed, rest = arrange(points, rows, g, text_of)
        placed_periods, rest_periods = arrange(periods, foot, g, text_of)
        clustered |= any(u.get("cluster") for u in placed + placed_periods) or bool(rest or rest_periods)
        out[lane] = (placed, placed_periods, g, rows, foot)
    return out, clustered


def draw(fig, plot_items, span, width: int, height: int, domains, link_hours=None) -> None:
    """Draw the labelled items of `plot_items` (render.items) for the view `span` on the static
    figure: labels when they fit, else numbers and a key table, else clusters."""
    if not span:
        return
    numbers = {}
    laid, clustered = lanes(plot_items, span, width, height, domains, lambda r: r["label"])
    if clustered:
        # numbered lane by lane, in time order: a cluster then holds a run of numbers ("#3–14")
        shown = sorted((r for r in plot_items if Geometry(span, 1, 1).visible(r)),
                       key=lambda r: (r["lane"] != "violence", r["start"]))
        if len(shown) <= KEY_MAX:
            numbers = {r["id"]: str(k) for k, r in enumerate(shown, start=1)}
            laid = lanes(plot_items, span, width, height, domains, lambda r: numbers[r["id"]])[0]
    for lane, (placed, periods, g, rows, foot) in laid.items():
        _draw_lane(fig, lane, placed, periods, g, foot)
    if link_hours:
        _draw_links(fig, laid, link_hours)
    if numbers:
        _key_table(fig, shown, numbers, domains)


def _y(g: Geometry, top_px: float) -> float:
    """A pixel offset from the lane's top as the lane axis's 0..1."""
    return 1 - top_px / g.height


def _draw_lane(fig, lane, placed, periods, g, foot) -> None:
    import plotly.graph_objects as go
    from timeline import lexicon

    axis = {"violence": ("x", "y"), "diplomacy": ("x2", "y2")}[lane]
    xs, ys, sizes, colours, symbols, texts, positions = [], [], [], [], [], [], []
    for u in placed:
        r = u["items"][0]
        xs.append(_when(g, u["x"]))
        ys.append(_y(g, PAD + u["row"] * ROW + ROW / 2))
        texts.append(u["text"])
        positions.append("middle left" if u.get("flip") else "middle right")
        if u.get("cluster"):
            sizes.append(14), colours.append("#555"), symbols.append("square")
        else:
            sizes.append(diameter(r["best"])), colours.append(lexicon.colour(r["type"], lane))
            symbols.append("circle" if r["precise"] else "circle-open")
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=texts, textposition=positions, xaxis=axis[0],
                             yaxis=axis[1], textfont={"size": 11}, hoverinfo="skip", showlegend=False,
                             marker={"size": sizes, "color": colours, "symbol": symbols, "line": {"width": 1.5,
                                                                                                   "color": colours}},
                             meta={"role": "labels", "lane": lane}))
    for u in periods:
        top = g.height - (foot - u["row"]) * FOOT
        y_bar, y_text = _y(g, top + FOOT - 3), _y(g, top + 6)
        r = u["items"][0]
        colour = "#555" if u.get("cluster") else lexicon.colour(r["type"], lane)
        a, b = u.get("bar", (u["x0"], u["x0"] + 8))
        fig.add_trace(go.Scatter(x=[_when(g, a), _when(g, b)], y=[y_bar, y_bar], mode="lines", xaxis=axis[0],
                                 yaxis=axis[1], line={"width": 4, "color": colour}, hoverinfo="skip",
                                 showlegend=False, opacity=0.75 if r["precise"] else 0.35))
        fig.add_annotation(x=_when(g, u["x0"]), y=y_text, xref=axis[0], yref=axis[1], text=_esc(u["text"]),
                           showarrow=False, xanchor="left", font={"size": 10})


def _when(g: Geometry, px: float) -> str:
    """The date-time at `px` pixels into the lane."""
    from datetime import datetime

    days = px / g.width * max((g.b - g.a).days, 1)
    return (datetime(g.a.year, g.a.month, g.a.day) + timedelta(days=days)).isoformat(sep=" ", timespec="minutes")


def _esc(text: str) -> str:
    from timeline import describe

    return describe.html_text(text)


def _draw_links(fig, laid, hours: float) -> None:
    import plotly.graph_objects as go

    def spots(lane):
        placed, _, g, _, _ = laid[lane]
        domain = fig.layout.yaxis.domain if lane == "violence" else fig.layout.yaxis2.domain
        return [(u["items"][0]["start"], _when(g, u["x"]),
                 domain[0] + _y(g, PAD + u["row"] * ROW + ROW / 2) * (domain[1] - domain[0]))
                for u in placed if not u.get("cluster")]

    xs, ys = [], []
    for day, x, y in spots("diplomacy"):
        for vday, vx, vy in spots("violence"):
            if abs((vday - day).days) * 24 <= hours:
                xs += [x, vx, None]
                ys += [y, vy, None]
    if xs:
        fig.add_trace(go.Scatter(x=xs, y=ys, yaxis="y4", mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"dash": "dot", "width": 1, "color": "rgba(0,0,0,0.35)"},
                                 name=f"within {hours:g} h", meta={"role": "links"}))
        fig.update_layout(yaxis4={"overlaying": "y", "range": [0, 1], "visible": False, "domain": [0, 1],
                                  "anchor": "x"})


def _key_table(fig, shown, numbers, domains) -> None:
    """The numbered markers' key: a table under the figure, which grows to hold it."""
    import plotly.graph_objects as go
    from timeline import describe

    extra = 24 * len(shown) + 40
    height = fig.layout.height
    plot_h = height - MARGIN["t"] - MARGIN["b"]
    scale = plot_h / (plot_h + extra)
    shift = 1 - scale
    for name in ("yaxis", "yaxis2", "yaxis3"):
        low, high = fig.layout[name].domain
        fig.layout[name].domain = (shift + low * scale, shift + high * scale)
    fig.layout.height = height + extra
    fig.add_trace(go.Table(
        domain={"x": [0, 1], "y": [0, shift * 0.95]}, columnwidth=[30, 130, 800],
        header={"values": ["#", "Date", "Event"], "align": "left", "fill": {"color": "#eee"}},
        cells={"values": [[numbers[r["id"]] for r in shown],
                          [describe.short_date(r["start"].isoformat(), r["end"].isoformat() if r["end"] != r["start"]
                                               else None, "day" if r["precise"] else "month") for r in shown],
                          [_esc(r["label"]) for r in shown]], "align": "left", "height": 22}))
