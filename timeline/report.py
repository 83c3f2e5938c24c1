"""report: events -> a chronological report (Markdown, plain text, CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json

from timeline import reconcile

FORMATS = ("md", "txt", "csv", "json")


def _toll(value: dict | None) -> str:
    if not value:
        return ""
    return str(value["low"]) if value["low"] == value["high"] else f"{value['low']}–{value['high']}"


def _by_day(events: list) -> dict:
    days = {}
    for e in sorted(events, key=reconcile.sort_key):
        days.setdefault(e.get("date") or "undated", []).append(e)
    return days


def header(events: list, documents: list) -> list[str]:
    outlets = sorted({d.get("outlet") or d["id"] for d in documents})
    dated = sorted(e["date"] for e in events if e.get("date"))
    span = f"{dated[0]} to {dated[-1]}" if dated else "no dated events"
    lanes = {lane: sum(1 for e in events if e["lane"] == lane) for lane in ("violence", "diplomacy")}
    return [f"Documents: {len(documents)} ({', '.join(outlets) or 'none'})", f"Dates: {span}",
            f"Events: {len(events)} (violence {lanes['violence']}, diplomacy {lanes['diplomacy']})"]


def markdown(events: list, documents: list, unresolved: list, title: str = "Timeline report") -> str:
    lines = [f"# {title}", ""] + [f"- {h}" for h in header(events, documents)] + [""]
    lines += ["## Chronology", ""]
    for day, items in _by_day(events).items():
        lines += [f"### {day}", ""]
        for e in items:
            toll = _toll(e.get("killed"))
            toll = f" — killed {toll}" if toll else ""
            sources = sorted({m["document"] for m in e.get("mentions", [])})
            lines.append(f"- **{e['lane']}** · {_md(e.get('summary') or e.get('type'))}{toll} "
                         f"[{', '.join(sources)}]")
        lines.append("")
    if unresolved:
        lines += ["## Unresolved", ""] + [f"- {_md(u)}" for u in unresolved] + [""]
    return "\n".join(lines)


def _md(text) -> str:
    """Article text inside Markdown: no markup or HTML from the article survives."""
    text = " ".join(str(text).split())
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def text(events: list, documents: list, unresolved: list) -> str:
    lines = header(events, documents) + [""]
    for day, items in _by_day(events).items():
        lines.append(day)
        for e in items:
            toll = _toll(e.get("killed"))
            lines.append(f"  [{e['lane']}] {e.get('summary')}" + (f" (killed {toll})" if toll else ""))
    if unresolved:
        lines += ["", "Unresolved:"] + [f"  {u}" for u in unresolved]
    return "\n".join(lines) + "\n"


CSV_COLUMNS = ["id", "date", "date_end", "lane", "type", "place", "detail", "killed_low", "killed_best",
               "killed_high", "aggregate", "part_of", "summary", "documents"]


def table(events: list) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in sorted(events, key=reconcile.sort_key):
        place, killed = e.get("place") or {}, e.get("killed") or {}
        writer.writerow([e["id"], e.get("date"), e.get("date_end") or "", e["lane"], e.get("type"),
                         place.get("name") or "", place.get("detail") or "", killed.get("low", ""),
                         killed.get("best", ""), killed.get("high", ""), bool(e.get("aggregate")),
                         e.get("part_of") or "", e.get("summary") or "",
                         " ".join(sorted({m["document"] for m in e.get("mentions", [])}))])
    return out.getvalue()


def render(events: list, documents: list, unresolved: list, format: str = "md") -> str:
    if format == "md":
        return markdown(events, documents, unresolved)
    if format == "txt":
        return text(events, documents, unresolved)
    if format == "csv":
        return table(events)
    if format == "json":
        days = [{"date": day, "events": [e["id"] for e in items]} for day, items in _by_day(events).items()]
        return json.dumps({"summary": header(events, documents), "days": days, "unresolved": unresolved},
                          ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown report format {format!r} (choose from {', '.join(FORMATS)})")
