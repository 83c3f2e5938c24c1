"""render: events -> a plotly Figure with two lanes on one time axis -> HTML.

Violence above, diplomacy below. All text that came from an article is HTML-escaped before it
reaches the figure, so that plotly's hover labels show it as text and never as markup.
"""

from __future__ import annotations

import hashlib
import html
import json
import math

from timeline import reconcile, timex

LANE_ROWS = {"violence": 1, "diplomacy": 2}
PALETTE = ["#b2182b", "#d6604d", "#f4a582", "#8c510a", "#762a83", "#e08214", "#543005", "#c51b7d",
           "#7f3b08", "#b35806", "#2166ac", "#4393c3", "#1b7837", "#5aae61", "#35978f", "#01665e",
           "#3288bd", "#5e4fa2"]
CLIP = 220  # characters of evidence shown in a hover label


def esc(text) -> str:
    """Article text as inert text inside plotly labels (which understand a little HTML)."""
    return html.escape("" if text is None else str(text), quote=True)


def _clip(text: str, limit: int = CLIP) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ledger(event: dict, documents: dict) -> str:
    """'000: 30 · 003: 38 (SOHR)': each outlet's figure, with who it attributes it to."""
    parts = []
    for m in event.get("mentions", []):
        if m.get("killed") is None:
            continue
        who = documents.get(m["document"], {}).get("outlet") or m["document"]
        attribution = f" ({m['attribution']})" if m.get("attribution") else ""
        qualifier = {"at least": "≥", "about": "~", "vague": "≈"}.get(m.get("qualifier"), "")
        parts.append(f"{who}: {qualifier}{m['killed']}{attribution}")
    return " · ".join(parts)


def hover_text(event: dict, documents: dict) -> str:
    place = event.get("place") or {}
    lines = [f"<b>{esc(event.get('summary') or event.get('type'))}</b>"]
    date_line = esc(event.get("date"))
    if event.get("date_end"):
        date_line += f" – {esc(event['date_end'])}"
    evidence = [m.get("date_evidence") for m in event.get("mentions", []) if m.get("date_evidence")]
    if evidence:
        date_line += f" <i>(from: {esc(_clip(evidence[0], 60))})</i>"
    lines.append(date_line)
    if place.get("name"):
        detail = f" — {esc(place['detail'])}" if place.get("detail") else ""
        lines.append(f"Place: {esc(place['name'])}{detail}")
    if event.get("actors"):
        lines.append(f"Actors: {esc(', '.join(event['actors']))}")
    killed = event.get("killed")
    if killed:
        lines.append(f"Killed: {killed['low']}–{killed['high']} (best {killed['best']})")
    ledger = _ledger(event, documents)
    if ledger:
        lines.append(f"Sources: {esc(ledger)}")
    mentions = event.get("mentions") or []
    if mentions:
        lines.append(f"“{esc(_clip(mentions[0].get('text', '')))}”")
    return "<br>".join(lines)


def _rows(events: list, documents: dict):
    """Plot rows: x, y (stacked within a day so ordered events do not overlap), sizes, text."""
    per_day = {}
    rows = []
    for e in sorted(events, key=reconcile.sort_key):
        span = timex.value_span(e.get("date"))
        if span is None:
            continue
        key = (e["lane"], span[0])
        slot = per_day.get(key, 0)
        per_day[key] = slot + 1
        killed = (e.get("killed") or {}).get("best") or 0
        rows.append({"event": e, "x": span[0].isoformat(), "x_end": (e.get("date_end") or None),
                     "y": slot, "size": 9 + 4 * math.sqrt(killed), "hover": hover_text(e, documents),
                     "precise": e.get("precision") in (None, "day")})
    return rows


def figure(events: list, documents: list | None = None, title: str | None = None):
    """A plotly Figure: violence lane (row 1) above the diplomacy lane (row 2)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    docs = {d["id"]: d for d in documents or []}
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        row_heights=[0.6, 0.4], subplot_titles=("Violence", "Diplomacy"))
    rows = _rows(events, docs)
    types = sorted({r["event"].get("type") or "event" for r in rows})
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
    labels = reconcile.type_labels()
    for lane, row_index in LANE_ROWS.items():
        for type_id in types:
            chosen = [r for r in rows if r["event"]["lane"] == lane and (r["event"].get("type") or "event") == type_id]
            if chosen:
                fig.add_trace(_trace(go, chosen, labels.get(type_id, type_id), colours[type_id]),
                              row=row_index, col=1)
    _layout(fig, title)
    return fig


def _trace(go, rows, name, colour):
    return go.Scatter(
        x=[r["x"] for r in rows], y=[r["y"] for r in rows], mode="markers", name=esc(name),
        legendgroup=name,
        marker={"size": [r["size"] for r in rows], "color": colour, "line": {"width": 1, "color": colour},
                "symbol": ["circle" if r["precise"] else "circle-open" for r in rows]},
        text=[r["hover"] for r in rows], hovertemplate="%{text}<extra></extra>",
        customdata=[r["event"]["id"] for r in rows],
    )


def _layout(fig, title):
    fig.update_layout(
        title={"text": esc(title) if title else "Timeline: violence and diplomacy"},
        template="plotly_white", height=560, hovermode="closest", margin={"l": 60, "r": 30, "t": 70, "b": 40},
        legend={"title": {"text": "Event type (click to toggle)"}},
    )
    for row in (1, 2):
        fig.update_yaxes(showticklabels=False, zeroline=False, showgrid=False, rangemode="tozero", row=row, col=1)
    fig.update_xaxes(type="date", row=2, col=1)


def div_id(fig, prefix: str = "timeline") -> str:
    """A deterministic id for the plot div: the same figure gets the same id, two different
    figures on one page get different ones."""
    digest = hashlib.sha1(json.dumps(fig.to_plotly_json(), sort_keys=True, default=str).encode()).hexdigest()
    return f"{prefix}-{digest[:12]}"


def to_html(fig, plotlyjs: str = "inline", embed: bool = False) -> str:
    """Standalone page (plotly.js inline: works offline), a page loading plotly.js from its CDN, or
    an embeddable fragment (no html/head/body) for a host page that loads plotly.js once."""
    include = {"inline": True, "cdn": "cdn", "none": False}[plotlyjs]
    if embed:
        include = False if plotlyjs == "inline" else include
    return fig.to_html(full_html=not embed, include_plotlyjs=include, div_id=div_id(fig),
                       config={"displaylogo": False, "responsive": True})
