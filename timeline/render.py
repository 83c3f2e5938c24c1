"""render: the event frame -> a two-lane timeline -> HTML or image.

Like plotly express, it takes a tidy frame (`describe.frame`: one row per event, with its label,
detail card) and returns a Figure or the HTML/image of one; writing files is the
caller's job. Violence above, diplomacy below, events per day/week/month underneath (the
overview the range slider shows).

The page: plotly draws the lanes' time axes, the overview and the range slider; the events are
drawn by a small script (TIMELINE_JS) over the lanes as HTML elements, laid out again at every
zoom: each item is a marker with its label ("Tartus · car bomb · 30–38 killed"), stacked in rows
so that no two labels overlap (interval packing on the label's width in pixels), and where there
is no room the items of a day, week, month... collapse into a cluster ("12 events · 240 killed")
that opens as one zooms in. Periods (sieges, totals over days, dates known to the month) are thin
bars in rows of their own at the lane's foot. The events and their cards travel as gzipped JSON
in inert script elements (unpacked by the browser) and every text is set with textContent, so
nothing from an article is ever markup. A large page also carries a summary of its first view
(`first_view`: its items by day, with their ids) ahead of the plot: the script draws that view from
it at once and unpacks the events, placed after the plot, once the first frame is painted.

The image (`static=True`): the same packing done here, for the view's width in pixels, drawn as
plotly traces; when labels do not fit, numbered markers and a key table.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta

from timeline import calendar, describe, lexicon, records

LANES = ("violence", "diplomacy")
DAY_MS = 86_400_000
OVERVIEW_COLOURS = {"violence": "#b2182b", "diplomacy": "#2166ac"}


# ------------------------------------------------------------------ items

def items(frame, window=None) -> list[dict]:
    """One item per dated event of the frame, sorted by time: start/end day, whether a point
    (one day) or a period, label, card, toll, and whether it is background (far outside
    `window`, the articles' own (first, last) dates)."""
    import pandas as pd

    out = []
    ordered = frame.assign(_order=frame["order"].fillna(99)).sort_values(["date", "_order", "lane", "id"],
                                                                        kind="stable")
    for e in ordered.itertuples(index=False):
        if pd.isna(e.date) or e.lane not in LANES:
            continue
        start = e.date.date()
        end = _end(start, None if pd.isna(e.date_end) else e.date_end.date(), _text(e.precision))
        low, best, high = (_int(v) for v in (e.killed_low, e.killed_best, e.killed_high))
        out.append({
            "id": e.id, "lane": e.lane, "type": "event" if pd.isna(e.type) else e.type, "start": start, "end": end,
            "point": start == end, "precise": _text(e.precision) in ("", "day"),
            "label": getattr(e, "label", None) or _text(e.summary) or e.id,
            "card": getattr(e, "card", None) or {},
            "best": best or 0, "low": low or 0, "high": high or 0,
            "part": not pd.isna(e.part_of), "background": _background(start, end, window),
        })
    return out


def _text(value) -> str:
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(value)


def _int(value):
    import pandas as pd

    return None if pd.isna(value) else int(value)


def _end(start: date, end: date | None, precision: str) -> date:
    """The last day an event may be on: its end, else the end of its month or year when only
    those are known."""
    if end and end >= start:
        return end
    if precision == "year":
        return date(start.year, 12, 31)
    if precision == "month":
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return start


_background = describe.is_background
window_of = describe.window_of  # the articles' own (first, last) dates


def view(plot_items) -> tuple | None:
    """The period first shown: the days of the events that are not background, leaving out the
    1% at either end when there are many (a stray date should not squash the rest). Periods
    (a year known only as a year) do not stretch it: their bars are cut at the view's edges."""
    shown = [r for r in plot_items if not r["background"]] or plot_items
    points = [r for r in shown if r["point"]] or shown
    if not points:
        return None
    starts = sorted(r["start"] for r in points)
    ends = sorted(r["end"] for r in points)
    cut = len(points) // 100 if len(points) >= 20 else 0
    return starts[cut], ends[-1 - cut]


def padded(span) -> tuple[date, date]:
    pad = max(1, (span[1] - span[0]).days // 20)
    return span[0] - timedelta(days=pad), span[1] + timedelta(days=pad + 1)


# ------------------------------------------------------------------ overview

def bin_unit(days: int) -> str:
    """The overview's bin for a view of `days`: days for a few months, weeks for a few years,
    else months (the page does the same at every zoom)."""
    return "day" if days <= 120 else "week" if days <= 3 * 365 else "month"


def _bin_start(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    return d


def overview(plot_items, unit: str, span=None):
    """Events per day/week/month and lane: the strip under the lanes, what the range slider
    shows. Bins of `unit` near the view (`span` and as much again on either side); the page's
    script fills in the rest of the period as monthly averages in the same unit ("coarse")."""
    import plotly.graph_objects as go

    period = {"day": DAY_MS, "week": 7 * DAY_MS, "month": "M1"}[unit]
    near = (span[0] - (span[1] - span[0]), span[1] + (span[1] - span[0])) if span and unit != "month" else None
    for lane in LANES:
        counts, far = {}, {}
        for r in plot_items:
            if r["lane"] != lane or r["background"]:
                continue
            if not near or near[0] <= r["start"] <= near[1]:
                key = _bin_start(r["start"], unit)
                counts[key] = counts.get(key, 0) + 1
            else:
                key = r["start"].replace(day=1)
                far[key] = far.get(key, 0) + 1
        keys, far_keys = sorted(counts), sorted(far)
        per_unit = {"day": 1, "week": 7}.get(unit, 0)
        yield go.Bar(x=[k.isoformat() for k in keys], y=[counts[k] for k in keys], xperiod=period,
                     xperiodalignment="middle", xperiod0="2000-01-03" if unit == "week" else "2000-01-01",
                     marker={"color": OVERVIEW_COLOURS[lane]}, name=f"{lane} per {unit}",
                     hovertemplate=f"{lane}: %{{y}} in the {unit} of %{{x}}<extra></extra>", showlegend=False,
                     meta={"role": "overview", "lane": lane})
        yield go.Bar(x=[k.isoformat() for k in far_keys],
                     y=[far[k] * per_unit / _month_days(k) for k in far_keys], xperiod="M1",
                     xperiodalignment="middle", showlegend=False,
                     marker={"color": OVERVIEW_COLOURS[lane], "opacity": 0.45}, name=f"{lane}, monthly average",
                     hovertemplate=f"{lane}: %{{y:.1f}} per {unit} on average in the month of %{{x}}<extra></extra>",
                     meta={"role": "overview-coarse", "lane": lane})


def _month_days(first: date) -> int:
    return ((first.replace(day=28) + timedelta(days=4)).replace(day=1) - first).days


# ------------------------------------------------------------------ figure

HEIGHT = 680
# Tick labels by zoom, each under the middle of its day, month or year (ticklabelmode "period"):
# ticks are never fixed, so zooming out to decades stays cheap.
TICK_FORMATS = [
    {"dtickrange": [None, DAY_MS - 1], "value": "%H:%M\n%a %d %b %Y"},
    {"dtickrange": [DAY_MS, 7 * DAY_MS], "value": "%a %d %b\n%Y"},
    {"dtickrange": [7 * DAY_MS, "M1"], "value": "%d %b\n%Y"},
    {"dtickrange": ["M1", "M12"], "value": "%b\n%Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]
DOMAINS = {"violence": (0.44, 1.0), "diplomacy": (0.17, 0.37), "overview": (0.0, 0.08)}


def figure(frame, title: str | None = None, static: bool = False, link_hours: float | None = None,
           window=None, width: int = 1400):
    """A plotly Figure of the event frame (`describe.frame`): the violence lane, the diplomacy
    lane and the overview on one time axis. Interactive (static=False), the lanes are empty: the
    page's script draws the events over them. `static` draws the labelled events for an image
    `width` pixels wide (no slider, no interactive wording)."""
    return _figure(items(frame, window), title, static, link_hours, width)


def _figure(plot_items, title, static=False, link_hours=None, width=1400):
    fig = _frame(plot_items, title, static)
    if static:
        from timeline import layout

        layout.draw(fig, [r for r in plot_items if not r["background"]], _view_range(plot_items), width,
                    HEIGHT, DOMAINS, link_hours)
    return fig


def _frame(plot_items, title, static):
    """The axes, lane headings, overview, reference calendar and title."""
    import plotly.graph_objects as go

    fig = go.Figure()
    span = _view_range(plot_items)
    unit = bin_unit((span[1] - span[0]).days if span else 0)
    for trace in overview(plot_items, unit, span):
        fig.add_trace(trace.update(xaxis="x3", yaxis="y3"))
    for lane, axis in (("violence", "x"), ("diplomacy", "x2")):  # an empty trace keeps each lane's axis drawn
        fig.add_trace(go.Scatter(x=[], y=[], xaxis=axis, yaxis=axis.replace("x", "y"), showlegend=False,
                                 hoverinfo="skip", meta={"role": "lane", "lane": lane}))
    lane_axis = {"showticklabels": False, "zeroline": False, "showgrid": False, "range": [0, 1], "fixedrange": True}
    time_axis = {"type": "date", "showgrid": True, "gridcolor": "#eee", "showticklabels": True, "ticks": "outside",
                 "ticklabelmode": "period", "nticks": 9, "tickformatstops": TICK_FORMATS}
    if span:
        time_axis["range"] = [d.isoformat() for d in span]
        time_axis["nticks"] = min(9, (span[1] - span[0]).days + 1)  # a few days: one tick a day
    fig.update_layout(
        title={"text": _escape(title) if title else "Timeline: violence and diplomacy", "x": 0.01, "xanchor": "left"},
        template="plotly_white", height=HEIGHT, hovermode="closest", bargap=0.05, barmode="stack",
        margin={"l": 70, "r": 20, "t": 70, "b": 30}, showlegend=False, hoverlabel={"align": "left"},
        xaxis={**time_axis, "anchor": "y"}, xaxis2={**time_axis, "anchor": "y2", "matches": "x"},
        xaxis3={**time_axis, "anchor": "y3", "matches": "x", "showticklabels": False},  # the lanes carry the dates
        yaxis={**lane_axis, "domain": DOMAINS["violence"], "title": {"text": "Violence"}},
        yaxis2={**lane_axis, "domain": DOMAINS["diplomacy"], "title": {"text": "Diplomacy"}},
        yaxis3={"domain": DOMAINS["overview"], "fixedrange": True, "showgrid": False, "nticks": 3,
                "title": {"text": f"per {unit}", "font": {"size": 11}}},
    )
    if not static:
        fig.update_layout(xaxis3={"rangeslider": {"visible": True, "thickness": 0.08}},
                          xaxis={"rangeselector": {"buttons": [
                              {"count": 7, "label": "1w", "step": "day", "stepmode": "backward"},
                              {"count": 1, "label": "1m", "step": "month", "stepmode": "backward"},
                              {"step": "all", "label": "all"}], "y": 1.02, "x": 1, "xanchor": "right"}})
    _context(fig, plot_items)
    return fig


def _view_range(plot_items):
    span = view(plot_items)
    return padded(span) if span else None


_escape = describe.html_text


def _context(fig, plot_items) -> None:
    """Reference-calendar events (summits, talks rounds) in the period: shaded across the lanes,
    named at the top."""
    span = view(plot_items)
    if span is None or (span[1] - span[0]).days > 3 * 365:
        return
    for event in calendar.events():
        if event.end < span[0] - timedelta(days=2) or event.start > span[1] + timedelta(days=2):
            continue
        for axis in ("x", "x2"):
            fig.add_vrect(x0=event.start.isoformat(), x1=(event.end + timedelta(days=1)).isoformat(), xref=axis,
                          yref=f"y{axis[1:]}", fillcolor="rgba(33,102,172,0.08)", line_width=0, layer="below")
        fig.add_annotation(x=event.start.isoformat(), y=DOMAINS["violence"][1], xref="x", yref="paper",
                           xanchor="left", yanchor="bottom", showarrow=False, text=_escape(event.name),
                           font={"size": 10, "color": "#2166ac"})


# ------------------------------------------------------------------ page data

def page_data(frame, window=None, link_hours: float | None = None) -> dict:
    """What the page's script lays out, column by column (compact for 100,000 events): days
    since 1970 for the dates, type indices into `types`."""
    return _page_data(items(frame, window), link_hours)


def _page_data(plot_items, link_hours=None) -> dict:
    types = [t for t in lexicon.type_ids() if any(r["type"] == t for r in plot_items)]
    types += sorted({r["type"] for r in plot_items} - set(types))
    index = {t: i for i, t in enumerate(types)}
    epoch = date(1970, 1, 1)
    span = _view_range(plot_items)
    full = (min(r["start"] for r in plot_items), max(r["end"] for r in plot_items)) if plot_items else None
    return {
        "types": [{"id": t, "label": lexicon.label(t), "colour": lexicon.colour(t, _lane_of(t, plot_items)),
                   "lane": _lane_of(t, plot_items)} for t in types],
        "id": [r["id"] for r in plot_items], "lane": [LANES.index(r["lane"]) for r in plot_items],
        "type": [index[r["type"]] for r in plot_items],
        "start": [(r["start"] - epoch).days for r in plot_items], "end": [(r["end"] - epoch).days for r in plot_items],
        "point": [int(r["point"]) for r in plot_items], "precise": [int(r["precise"]) for r in plot_items],
        "label": [r["label"] for r in plot_items],
        "best": [r["best"] for r in plot_items], "low": [r["low"] for r in plot_items],
        "high": [r["high"] for r in plot_items], "part": [int(r["part"]) for r in plot_items],
        "background": [int(r["background"]) for r in plot_items],
        "view": [d.isoformat() for d in span] if span else None,
        "full": [d.isoformat() for d in padded(full)] if full else None,
        "linkHours": link_hours,
    }


def _lane_of(type_id, plot_items) -> str:
    t = lexicon.event_type(type_id)
    return t.lane if t else next(r["lane"] for r in plot_items if r["type"] == type_id)


# ------------------------------------------------------------------ the first view, drawn first

FIRST_VIEW_FROM = 50_000  # events: a page of more draws its first view from a summary, then unpacks
EACH_UP_TO = 1_500  # items of a lane in the first view beyond which they come as days: too many to label
ROW_COLUMNS = ("id", "lane", "type", "start", "end", "point", "precise", "label", "best", "low", "high", "part",
               "background")


def first_view(data) -> dict | None:
    """What the page's script needs to draw the first view (`data`: page_data; its range is the
    figure's) before it unpacks every event: per lane, the points and the periods in view, one by
    one when few, else as days (the layout never splits a day when there are more than fit), with
    their ids, counts and tolls; in full only the items that may be labelled one by one. Its size
    follows the view's days, not the events, so a page of 100,000 events paints as soon as one of
    100; the rest is unpacked after the first frame."""
    if not data["id"] or not data["view"]:
        return None
    epoch = date(1970, 1, 1)
    a, b = ((date.fromisoformat(d) - epoch).days for d in data["view"])
    rows, groups = set(), []
    for lane in range(len(LANES)):
        mine = [k for k, v in enumerate(data["lane"]) if v == lane and not data["background"][k]]
        # as the script tests them: a point's middle of the day inside [a, b], a period touching it
        points = [k for k in mine if data["point"][k] and a <= data["start"][k] < b]
        periods = [k for k in mine if not data["point"][k] and data["end"][k] + 1 >= a and data["start"][k] <= b]
        groups += [_first_group(data, points, rows), _first_group(data, periods, rows)]
    rows = sorted(rows)
    return {"background": sum(data["background"]),
            "types": data["types"], "view": data["view"], "full": data["full"], "linkHours": data["linkHours"],
            "groups": groups, "rows": {"i": rows, **{c: [data[c][k] for k in rows] for c in ROW_COLUMNS}}}


def _first_group(data, members, rows) -> dict:
    """The items of one lane and kind in the first view as atoms the layout takes whole (each item,
    or each day): first day, count, toll range as clusters count it, end, where its ids start in
    `ids` (all ids, space-separated: a cluster's are a slice) and, if it holds one item, which."""
    each = len(members) <= EACH_UP_TO
    atoms = {f: [] for f in ("day", "n", "lo", "hi", "t1", "cs", "i")}
    texts, offset = [], 0
    for run in ([[k] for k in members] if each else _days(data["start"], members)):
        counted = [k for k in run if not data["part"][k] and data["precise"][k] and data["point"][k]]
        for field, value in (("day", data["start"][run[0]]), ("n", len(run)),
                             ("lo", sum(data["low"][k] for k in counted)), ("hi", sum(data["high"][k] for k in counted)),
                             ("t1", max(data["end"][k] for k in run) + 1), ("cs", offset),
                             ("i", run[0] if len(run) == 1 else -1)):
            atoms[field].append(value)
        if len(run) == 1:
            rows.add(run[0])
        text = " ".join(data["id"][k] for k in run)
        texts.append(text)
        offset += len(text.encode("utf-16-le")) // 2 + 1  # the script counts UTF-16 units
    return {"each": each, "ids": " ".join(texts), **atoms}


def _days(starts, members) -> list[list[int]]:
    """Members (sorted by day) in runs of one day."""
    runs = []
    for k in members:
        if runs and starts[runs[-1][0]] == starts[k]:
            runs[-1].append(k)
        else:
            runs.append([k])
    return runs


def json_script(data, plot_id: str, name: str) -> str:
    """JSON in an inert script element, read at once (no unpacking); "<" is escaped, so no text
    can close the element."""
    text = records.dumps(data).replace("<", "\\u003c")
    return f'<script type="application/json" id="{plot_id}-{name}">{text}</script>'


CARD_FIELDS = ("title", "how", "where", "who", "toll", "ledger", "said", "reports")


def cards(plot_items) -> list[list]:
    """Each item's detail card (in the order of `page_data`), as lists of CARD_FIELDS: the page
    parses them only when a card is first opened."""
    return [[r["card"].get(f) for f in CARD_FIELDS] for r in plot_items]


def packed_script(data, plot_id: str, name: str) -> str:
    """JSON, gzipped, in base64, in an inert script element: a fifth of the bytes or less, so a
    page of 100,000 events loads almost as fast as one of 100; base64 holds no "<", so no text can
    close the element. gzip's timestamp is fixed: the same input gives the same file."""
    import base64
    import gzip

    raw = records.dumps(data).encode("utf-8")  # strict: NaN and Infinity become null
    packed = base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")
    return f'<script type="application/octet-stream" id="{plot_id}-{name}">{packed}</script>'


def unpack(html_text: str, plot_id: str, name: str = "events"):
    """The JSON a page carries in its `name` block (for tests and tools reading a page back)."""
    import base64
    import gzip

    start = html_text.index(f'id="{plot_id}-{name}">') + len(f'id="{plot_id}-{name}">')
    end = html_text.index("</script>", start)
    return json.loads(gzip.decompress(base64.b64decode(html_text[start:end])))


# ------------------------------------------------------------------ output

def div_id(fig, data=None, prefix: str = "timeline", salt: str = "") -> str:
    """A deterministic id for the plot div: the same figure (and salt) gets the same id, two
    different figures, or the same one written to two files, get different ones."""
    content = [fig.to_plotly_json(), data or None] + ([salt] if salt else [])
    digest = hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return f"{prefix}-{digest[:12]}"


def page(frame, plotlyjs: str = "inline", embed: bool = False, title: str | None = None,
         link_hours: float | None = None, extra_script: str = "", plot_id: str | None = None, salt: str = "",
         window=None, summary: bool | None = None) -> str:
    """The timeline of the event frame as HTML: a standalone page (plotly.js inline: works
    offline), a page loading plotly.js from its CDN, or an embeddable fragment (no html/head/body)
    for a host page that loads plotly.js once. `plot_id` names the plot's div; by default it is
    derived from the figure and `salt` (the output's name: two fragments on one page differ).
    `window`: the articles' own (first, last) dates; events far outside it are background.
    `summary`: draw the first view from a summary before unpacking the events (`to_html`)."""
    plot_items = items(frame, window)
    return to_html(_figure(plot_items, title), plotlyjs, embed, extra_script, _page_data(plot_items, link_hours),
                   plot_id=plot_id, salt=salt, cards=cards(plot_items), notes=frame.attrs.get("notes"),
                   summary=summary)


PLOT_ID = re.compile(r"[A-Za-z][\w-]{0,63}")


def _asset(name: str) -> str:
    from pathlib import Path

    return (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")


def to_html(fig, plotlyjs: str = "inline", embed: bool = False, extra_script: str = "", data=None,
            plot_id: str | None = None, salt: str = "", cards=None, notes=None, summary: bool | None = None) -> str:
    """HTML of a figure; `data` (page_data) are the events the page's script draws over it,
    `cards` their detail cards, `notes` what of the inputs was not read (shown above the plot).
    `summary` (by default: beyond FIRST_VIEW_FROM events): the page carries `first_view` ahead of
    the plot and the events after it, drawn from the first and unpacked after the first frame."""
    include = {"inline": True, "cdn": "cdn", "none": False}[plotlyjs]
    if embed and plotlyjs == "inline":
        include = False
    if plot_id is not None and not PLOT_ID.fullmatch(plot_id):
        raise ValueError(f"a div id is a letter then letters, digits, - or _ (at most 64), not {plot_id!r}")
    plot_id = plot_id or div_id(fig, data, salt=salt)
    script = (_asset("timeline.js") if data is not None else "") + extra_script
    html_text = fig.to_html(full_html=not embed, include_plotlyjs=include, div_id=plot_id,
                            post_script=script or None,
                            config={"displaylogo": False, "responsive": True, "scrollZoom": True})
    if data is None:
        return html_text
    first = first_view(data) if (len(data["id"]) > FIRST_VIEW_FROM if summary is None else summary) else None
    events = packed_script(data, plot_id, "events")
    before = f"<style>{_asset('timeline.css')}</style>" + notes_html(notes)
    before += json_script(first, plot_id, "first") if first else events
    marker = f'<div id="{plot_id}"'
    html_text = html_text.replace(marker, before + marker, 1)
    # the cards (and, with a summary, the events) after everything else: the page is drawn
    # before the browser reads them
    after = (events if first else "") + packed_script(cards or [], plot_id, "cards")
    end = html_text.rfind("</body>")
    return html_text[:end] + after + html_text[end:] if end >= 0 else html_text + after


def notes_html(notes) -> str:
    """What of the inputs was not read ('acled.csv: no event read: 40 of 40 rows skipped (...)'), as
    a visible notice above the timeline, so that a page drawn from a table read in part, or not at
    all, says so. The notes come from the inputs: escaped text, never markup."""
    if not notes:
        return ""
    listed = "".join(f"<li>{_escape(note)}</li>" for note in notes)
    return f'<div class="tl-notes" role="status"><strong>Inputs not read in full</strong><ul>{listed}</ul></div>'


IMAGE_FORMATS = ("png", "svg", "pdf")


def image(fig, fmt: str, width: int = 1400, height: int | None = None) -> bytes:
    """PNG, SVG or PDF bytes through kaleido and the system's Chromium; MathJax is not fetched
    (no network is needed)."""
    import kaleido

    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"image format must be png, svg or pdf, not {fmt!r}")
    height = height or int(fig.layout.height or HEIGHT)
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        return kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height})
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
