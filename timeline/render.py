"""render: the event frame -> a plotly Figure with two lanes on one time axis -> HTML or image.

Like plotly express, it takes a tidy frame (`describe.frame`: one row per event, with the hover
text) and returns a Figure or the HTML/image of one; writing files is the caller's job. Violence above, diplomacy below, events per week underneath (the overview the range slider
shows). Every text that came from an article is HTML-escaped before it reaches the figure, so
plotly's labels show it as text and never as markup. Large inputs switch to WebGL markers, and
very large ones to a per-day density band that resolves into markers when zoomed in.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import date, timedelta

from timeline import calendar, describe, lexicon

LANES = ("violence", "diplomacy")
WEBGL_FROM = 2000  # events: above this, WebGL markers (SVG markers get slow)
DENSE_FROM = 5000  # events: above this, a density band first, markers when zoomed in
RESOLVE_DAYS = 62  # zoomed to this many days or fewer, the density band resolves into markers

esc = describe.html_text


# ------------------------------------------------------------------ rows

def rows(frame) -> list[dict]:
    """One plot row per dated event of the frame (records.frame plus a `hover` column): x
    (mid-day), span, lane, stacking slot, size, hover."""
    import pandas as pd

    out, slots = [], {}
    ordered = frame.assign(_order=frame["order"].fillna(99)).sort_values(["date", "_order", "lane", "id"],
                                                                        kind="stable")
    for e in ordered.itertuples(index=False):
        if pd.isna(e.date) or e.lane not in LANES:
            continue
        start = e.date.date()
        end = start if pd.isna(e.date_end) else e.date_end.date()
        key = (e.lane, start)
        slot = slots[key] = slots.get(key, -1) + 1  # ordered events stack in their order
        best, high, low = _int(e.killed_best), _int(e.killed_high), _int(e.killed_low)
        out.append({
            "id": e.id, "lane": e.lane, "type": "event" if pd.isna(e.type) else e.type, "start": start, "end": end,
            "x": _midday(start, end), "y": slot, "precise": start == end,
            "size": _area(best), "halo": _area(high),
            "has_range": high is not None and (high or 0) > (low or 0), "hover": e.hover,
        })
    return out


def _int(value):
    import pandas as pd

    return None if pd.isna(value) else int(value)


MAX_MARKER = 46  # pixels: a toll of 300,000 must not cover the plot


def _area(killed) -> float:
    """Marker diameter whose area follows the toll, up to MAX_MARKER (about 150 dead)."""
    return min(8 + 3.2 * math.sqrt(killed or 0), MAX_MARKER)


def _midday(start: date, end: date) -> str:
    middle = start + (end - start) / 2
    return f"{middle.isoformat()} 12:00" if start == end else middle.isoformat()


# ------------------------------------------------------------------ figure

def figure(frame, title: str | None = None, static: bool = False, link_hours: float | None = None):
    """A plotly Figure from the event frame (`describe.frame`): violence lane (row 1), diplomacy
    lane (row 2), events per day/week/month (row 3). `static` draws for an image (SVG markers,
    no slider or buttons)."""
    return _build(frame, title, static, link_hours)[0]


def _build(frame, title, static, link_hours):
    """(Figure, points kept out of it): for very large inputs the event traces start empty and
    the page loads their points when one zooms in."""
    from plotly.subplots import make_subplots

    n = len(frame)
    dense = n >= DENSE_FROM and not static
    plot_rows = rows(frame)
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.05, row_heights=[0.55, 0.32, 0.13],
                        subplot_titles=("Violence", "Diplomacy", f"Events per {_bin(plot_rows)[0]}"))
    types = [t for t in lexicon.type_ids() if any(r["type"] == t for r in plot_rows)]
    types += sorted({r["type"] for r in plot_rows} - set(types))
    gl = n >= WEBGL_FROM and not static
    blob = []
    for lane_index, lane in enumerate(LANES, start=1):
        lane_rows = [r for r in plot_rows if r["lane"] == lane]
        for trace in _lane_traces(lane_rows, types, gl, hidden=dense):
            if dense and (trace.meta or {}).get("role") == "events":
                blob.append(_take_points(trace))  # kept out of the figure; the page loads them on zoom
            fig.add_trace(trace, row=lane_index, col=1)
        if dense:
            fig.add_trace(_density(lane_rows, lane, plot_rows), row=lane_index, col=1)
    periods = [t for t in fig.data if t.legendgroup == "period"]
    for trace in periods[1:]:  # one legend entry toggles the period bars of both lanes
        trace.showlegend = False
    for trace in _weekly(plot_rows):
        fig.add_trace(trace, row=3, col=1)
    _context(fig, plot_rows)
    if link_hours:
        _links(fig, plot_rows, link_hours)
    _layout(fig, title, plot_rows, static)
    return fig, blob


def _lane_traces(lane_rows, types, gl: bool, hidden: bool):
    import plotly.graph_objects as go

    scatter = go.Scattergl if gl else go.Scatter
    colours = {t: lexicon.colour(t, lane_rows[0]["lane"] if lane_rows else None) for t in types}
    spans = [r for r in lane_rows if r["end"] != r["start"]]
    if spans:  # multi-day events (summits, truces) and imprecise dates: a bar over their days
        xs, ys = [], []
        for r in spans:
            xs += [r["start"].isoformat(), (r["end"] + timedelta(days=1)).isoformat(), None]
            ys += [r["y"], r["y"], None]
        yield go.Scatter(x=xs, y=ys, mode="lines", line={"width": 6, "color": "rgba(90,90,90,0.35)"},
                         hoverinfo="skip", name="period covered", legendgroup="period", showlegend=True,
                         visible="legendonly" if hidden else True)
    halos = [r for r in lane_rows if r["has_range"]]
    if halos:  # the toll's range: a halo as large as the highest claim around the best figure
        yield scatter(x=[r["x"] for r in halos], y=[r["y"] for r in halos], mode="markers", hoverinfo="skip",
                      marker={"size": [r["halo"] for r in halos], "color": [colours[r["type"]] for r in halos],
                              "opacity": 0.3, "line": {"width": 1, "color": "rgba(0,0,0,0.25)"}},
                      name="toll range (low–high)", legendgroup="halo", visible=False if hidden else True,
                      meta={"role": "halo"})
    for type_id in types:
        chosen = [r for r in lane_rows if r["type"] == type_id]
        if not chosen:
            continue
        yield scatter(
            x=[r["x"] for r in chosen], y=[r["y"] for r in chosen], mode="markers",
            name=esc(lexicon.label(type_id)), legendgroup=type_id, visible=False if hidden else True,
            marker={"size": [r["size"] for r in chosen], "color": colours[type_id],
                    "symbol": ["circle" if r["precise"] else "circle-open" for r in chosen],
                    "line": {"width": 1.5, "color": colours[type_id]}},
            text=[r["hover"] for r in chosen], hovertemplate="%{text}<extra></extra>",
            customdata=[r["id"] for r in chosen], meta={"role": "events", "type": type_id})


def _take_points(trace) -> dict:
    """Move an event trace's points out of it (for the page to load when zoomed in)."""
    points = {"x": list(trace.x), "y": list(trace.y), "text": list(trace.text), "size": list(trace.marker.size),
              "symbol": list(trace.marker.symbol), "customdata": list(trace.customdata)}
    trace.update(x=[], y=[], text=[], customdata=[], marker={"size": [], "symbol": []})
    return points


def _density(lane_rows, lane: str, plot_rows):
    """How many events each day (week, month), drawn in the lane until one zooms in."""
    import plotly.graph_objects as go

    unit, start_of, period = _bin(plot_rows)
    counts = {}
    for r in lane_rows:
        key = start_of(r["start"])
        counts[key] = counts.get(key, 0) + 1
    keys = sorted(counts)
    top = max(counts.values(), default=1)
    return go.Bar(x=[k.isoformat() for k in keys], y=[counts[k] / top * 3 for k in keys], xperiod=period,
                  xperiodalignment="middle", customdata=[counts[k] for k in keys], marker={"color": "#999"},
                  name=f"{lane} events per {unit}", showlegend=False, meta={"role": "density"},
                  hovertemplate=f"{unit} of %{{x}}: %{{customdata}} events — zoom in to see them<extra></extra>")


def _bin(plot_rows):
    """The overview's bin: days for a few months, weeks for a few years, else months."""
    span = _span(plot_rows)
    days = (span[1] - span[0]).days if span else 0
    if days <= 120:
        return "day", lambda d: d, 86400000
    if days <= 3 * 365:
        return "week", lambda d: d - timedelta(days=d.weekday()), 7 * 86400000
    return "month", lambda d: d.replace(day=1), "M1"


def _weekly(plot_rows):
    """Events per day, week or month and lane: the overview, and what the range slider shows."""
    import plotly.graph_objects as go

    unit, start_of, period = _bin(plot_rows)
    for lane, colour in zip(LANES, ("#b2182b", "#2166ac")):
        counts = {}
        for r in plot_rows:
            if r["lane"] == lane:
                key = start_of(r["start"])
                counts[key] = counts.get(key, 0) + 1
        keys = sorted(counts)
        yield go.Bar(x=[k.isoformat() for k in keys], y=[counts[k] for k in keys], xperiod=period,
                     xperiodalignment="middle", marker={"color": colour}, name=f"{lane} per {unit}",
                     hovertemplate=f"{lane}, {unit} of %{{x}}: %{{y}}<extra></extra>", showlegend=False,
                     meta={"role": "overview", "unit": unit})


def _span(plot_rows):
    if not plot_rows:
        return None
    return min(r["start"] for r in plot_rows), max(r["end"] for r in plot_rows)


def _context(fig, plot_rows) -> None:
    """Reference-calendar events (summits, talks rounds) in the period: shaded spans across the
    lanes, labelled."""
    span = _span(plot_rows)
    if span is None or (span[1] - span[0]).days > 3 * 365:
        return
    for event in calendar.events():
        if event.end < span[0] - timedelta(days=2) or event.start > span[1] + timedelta(days=2):
            continue
        fig.add_vrect(x0=event.start.isoformat(), x1=(event.end + timedelta(days=1)).isoformat(),
                      fillcolor="rgba(33,102,172,0.09)", line_width=0, layer="below", row="all", col=1)
        fig.add_annotation(x=event.start.isoformat(), y=1.0, xref="x", yref="paper", xanchor="left",
                           yanchor="bottom", showarrow=False, text=esc(event.name),
                           font={"size": 10, "color": "#2166ac"})


def _links(fig, plot_rows, hours: float) -> None:
    """A dotted line from each diplomatic event to the violence within `hours` of it."""
    import plotly.graph_objects as go

    violence = [r for r in plot_rows if r["lane"] == "violence" and r["precise"]]
    xs, ys = [], []
    for d in (r for r in plot_rows if r["lane"] == "diplomacy" and r["precise"]):
        for v in violence:
            if abs((v["start"] - d["start"]).days) * 24 <= hours:
                xs += [d["x"], v["x"], None]
                ys += [("diplomacy", d["y"]), ("violence", v["y"]), None]
    if xs:
        fig.add_trace(go.Scatter(x=xs, y=[_paper_y(fig, y) for y in ys], yaxis="y4", mode="lines",
                                 line={"dash": "dot", "width": 1, "color": "rgba(0,0,0,0.35)"}, hoverinfo="skip",
                                 name=f"within {hours:g} h", legendgroup="links"))
        fig.update_layout(yaxis4={"overlaying": "y", "range": [0, 1], "visible": False, "domain": [0, 1],
                                  "anchor": "x"})


def _paper_y(fig, lane_y):
    """A lane's y as a fraction of the whole plot height (for lines between lanes)."""
    if lane_y is None:
        return None
    lane, y = lane_y
    axis = fig.layout.yaxis if lane == "violence" else fig.layout.yaxis2
    low, high = axis.range or (-0.7, 4)
    d0, d1 = axis.domain
    return d0 + (y - low) / (high - low) * (d1 - d0)


def _view(plot_rows):
    """The period first shown: where the events are, leaving out the few far-off background dates
    (a war of 1967 recalled in 2016) that would squash the rest; "all" and zooming out show them."""
    span = _span(plot_rows)
    if span is None or len(plot_rows) < 20:
        return span
    starts = sorted(r["start"] for r in plot_rows)
    low, high = starts[len(starts) // 100], starts[-1 - len(starts) // 100]
    return (low, max(high, min(span[1], high + timedelta(days=1))))


def _layout(fig, title, plot_rows, static: bool) -> None:
    fig.update_layout(
        title={"text": esc(title) if title else "Timeline: violence and diplomacy"},
        template="plotly_white", height=640, hovermode="closest", bargap=0, barmode="stack",
        margin={"l": 50, "r": 30, "t": 80, "b": 40},
        legend={"title": {"text": "Click to show or hide"}, "groupclick": "togglegroup"},
        hoverlabel={"align": "left"},
    )
    for lane_index, lane in enumerate(LANES, start=1):
        top = max([r["y"] for r in plot_rows if r["lane"] == lane], default=0)
        fig.update_yaxes(showticklabels=False, zeroline=False, showgrid=False, range=[-0.7, max(top, 3) + 0.7],
                         fixedrange=True, row=lane_index, col=1)
    fig.update_yaxes(fixedrange=True, showgrid=False, row=3, col=1)
    span = _view(plot_rows)
    if span:
        pad = max(1, (span[1] - span[0]).days // 20)
        fig.update_xaxes(range=[(span[0] - timedelta(days=pad)).isoformat(),
                                (span[1] + timedelta(days=pad + 1)).isoformat()])
        if (span[1] - span[0]).days <= 14:  # a few days: one labelled tick per day, at midday
            fig.update_xaxes(dtick=86400000, tick0="2000-01-01 12:00", tickformat="%a %d %b\n%Y")
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#eee")
    if not static:
        fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.07}, row=3, col=1)
        fig.update_xaxes(rangeselector={"buttons": [
            {"count": 7, "label": "1w", "step": "day", "stepmode": "backward"},
            {"count": 1, "label": "1m", "step": "month", "stepmode": "backward"},
            {"step": "all", "label": "all"}]}, row=1, col=1)


# ------------------------------------------------------------------ output

def div_id(fig, points=None, prefix: str = "timeline", salt: str = "") -> str:
    """A deterministic id for the plot div: the same figure (and salt) gets the same id, two
    different figures, or the same one written to two files, get different ones."""
    content = [fig.to_plotly_json(), points or None] + ([salt] if salt else [])
    digest = hashlib.sha1(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return f"{prefix}-{digest[:12]}"


# When the density band is shown (very large inputs), zooming in to RESOLVE_DAYS or fewer shows
# the events of the visible window as markers; zooming out shows the band again. Only the
# window's points are handed to WebGL, so panning stays fast. Runs inside plotly's post_script,
# where {plot_id} is the div's id.
RESOLVE_JS = """
(function () {
  var gd = document.getElementById('{plot_id}');
  var store = document.getElementById('{plot_id}-points');
  if (!gd || !gd.data || !store) { return; }
  var full = null, events = [], density = [], busy = false, shown = false;
  gd.data.forEach(function (t, i) {
    if (t.meta && t.meta.role === 'events') { events.push(i); }
    if (t.meta && t.meta.role === 'density') { density.push(i); }
  });
  function lowerBound(xs, v) { var lo = 0, hi = xs.length; while (lo < hi) { var mid = (lo + hi) >> 1;
    if (xs[mid] < v) { lo = mid + 1; } else { hi = mid; } } return lo; }
  var loaded = null;  // [from, to] of the points handed to the plot: panning inside it costs nothing
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function show(range) {
    var a = new Date(range[0]).getTime(), b = new Date(range[1]).getTime();
    var zoomed = (b - a) / 86400000 <= RESOLVE_DAYS;
    if (!zoomed && !shown) { return; }
    if (zoomed && loaded && a >= loaded[0] && b <= loaded[1]) { return; }
    if (zoomed && !full) { full = JSON.parse(store.textContent); }
    loaded = zoomed ? [a - (b - a), b + (b - a)] : null;
    var from = zoomed ? iso(loaded[0]) : '', to = zoomed ? iso(loaded[1]) + '~' : '';
    var update = {x: [], y: [], text: [], 'marker.size': [], 'marker.symbol': [], customdata: [], visible: []};
    events.forEach(function (i, k) {
      var f = full ? full[k] : null, lo = 0, hi = 0;
      if (zoomed) { lo = lowerBound(f.x, from); hi = lowerBound(f.x, to); }
      function part(a) { return f ? a.slice(lo, hi) : []; }
      update.x.push(part(f ? f.x : [])); update.y.push(part(f ? f.y : []));
      update.text.push(part(f ? f.text : [])); update['marker.size'].push(part(f ? f.size : []));
      update['marker.symbol'].push(part(f ? f.symbol : [])); update.customdata.push(part(f ? f.customdata : []));
      update.visible.push(zoomed);
    });
    busy = true; shown = zoomed;
    Plotly.restyle(gd, update, events).then(function () {
      return Plotly.restyle(gd, {visible: !zoomed}, density);
    }).then(function () { busy = false; });
  }
  gd.on('plotly_relayout', function () {
    if (busy) { return; }
    var r = gd.layout.xaxis.range;
    if (r) { show(r); }
  });
})();
""".replace("RESOLVE_DAYS", str(RESOLVE_DAYS))


def points_script(points, plot_id: str) -> str:
    """The events of a dense figure as JSON in an inert script element ("<" escaped so that no
    text can close it), parsed by the page only when one zooms in."""
    if not points:
        return ""
    data = json.dumps(points, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f'<script type="application/json" id="{plot_id}-points">{data}</script>'


def page(frame, plotlyjs: str = "inline", embed: bool = False, title: str | None = None,
         link_hours: float | None = None, extra_script: str = "", plot_id: str | None = None, salt: str = "") -> str:
    """The timeline of the event frame as HTML: a standalone page (plotly.js inline: works
    offline), a page loading plotly.js from its CDN, or an embeddable fragment (no html/head/body)
    for a host page that loads plotly.js once. `plot_id` names the plot's div; by default it is
    derived from the figure and `salt` (the output's name: two fragments on one page differ)."""
    fig, points = _build(frame, title, False, link_hours)
    return to_html(fig, plotlyjs, embed, extra_script, points, plot_id=plot_id, salt=salt)


PLOT_ID = re.compile(r"[A-Za-z][\w-]{0,63}")


def to_html(fig, plotlyjs: str = "inline", embed: bool = False, extra_script: str = "", points=None,
            plot_id: str | None = None, salt: str = "") -> str:
    """HTML of a figure; `points` are the events kept out of a dense figure's traces."""
    include = {"inline": True, "cdn": "cdn", "none": False}[plotlyjs]
    if embed and plotlyjs == "inline":
        include = False
    dense = any((t.meta or {}).get("role") == "density" for t in fig.data)
    if plot_id is not None and not PLOT_ID.fullmatch(plot_id):
        raise ValueError(f"a div id is a letter then letters, digits, - or _ (at most 64), not {plot_id!r}")
    plot_id = plot_id or div_id(fig, points, salt=salt)
    html_text = fig.to_html(full_html=not embed, include_plotlyjs=include, div_id=plot_id,
                            post_script=(RESOLVE_JS if dense else "") + extra_script or None,
                            config={"displaylogo": False, "responsive": True, "scrollZoom": True})
    store = points_script(points, plot_id)
    if not store:
        return html_text
    marker = f'<div id="{plot_id}"'
    return html_text.replace(marker, store + marker, 1)


IMAGE_FORMATS = ("png", "svg", "pdf")


def image(fig, fmt: str, width: int = 1400, height: int = 700) -> bytes:
    """PNG, SVG or PDF bytes through kaleido and the system's Chromium; MathJax is not fetched
    (no network is needed)."""
    import kaleido

    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"image format must be png, svg or pdf, not {fmt!r}")
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        return kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height})
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
