"""report: events -> a report for briefs (Markdown, plain text, CSV, JSON).

What happened when (both lanes, in the order the text gives within a day), with each day's
violence counted once; where outlets disagree; what violence surrounded each diplomatic step;
what could not be dated; and the evidence behind every line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from timeline import describe, reconcile, timex
from timeline.describe import md_text as _md
from timeline.records import Event, dumps, row

FORMATS = ("md", "txt", "csv", "json")  # html and docx are the brief: timeline/brief.py
NOT_READ = "Inputs not read in full"  # the section on table rows left out (describe.input_notes)


@dataclass
class Filters:
    start: str | None = None  # YYYY-MM-DD, inclusive
    end: str | None = None
    lane: str | None = None
    place: str | None = None
    actor: str | None = None
    type: str | None = None

    def active(self) -> bool:
        return any((self.start, self.end, self.lane, self.place, self.actor, self.type))

    def keep(self, e: Event) -> bool:
        place = e.place
        places = " ".join(str(getattr(place, k) or "") for k in ("name", "detail", "admin1", "country")).lower() \
            if place else ""
        return ((not self.start or e.date >= self.start) and (not self.end or e.date <= self.end)
                and (not self.lane or e.lane == self.lane)
                and (not self.place or self.place.lower() in places)
                and (not self.actor or any(self.actor.lower() in a.lower() for a in e.actors))
                and (not self.type or e.type == self.type))


def parse_window(text: str) -> float:
    """'48h', '2d', '36' -> hours."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([hd]?)\s*", str(text).lower())
    if not m:
        raise ValueError(f"cannot read {text!r} as a time window (use e.g. 48h or 2d)")
    return float(m.group(1)) * (24 if m.group(2) == "d" else 1)


# ------------------------------------------------------------------ the parts

_docs = describe.documents_by_id
source_name = describe.source_name


def _toll(value: dict | None) -> str:
    """A day's total ({"low", "high"}) as '40–53'."""
    return describe.range_text(value["low"], value["high"]) if value else ""


def header(events: list, documents: list, escape=str) -> list[str]:
    """Documents (with their outlets), dates and counts per lane; `escape` makes the words read from
    the inputs (outlets, ids, dates) safe for the output."""
    outlets = [escape(o) for o in sorted({d.outlet or d.id for d in documents})]
    dated = sorted(e.date for e in events if e.date)
    span = f"{escape(dated[0])} to {escape(dated[-1])}" if dated else "no dated events"
    lanes = {lane: sum(1 for e in events if e.lane == lane) for lane in ("violence", "diplomacy")}
    return [f"Documents: {len(documents)} ({', '.join(outlets) or 'none'})", f"Dates: {span}",
            f"Events: {len(events)} (violence {lanes['violence']}, diplomacy {lanes['diplomacy']})"]


def days(events: list) -> list[tuple[str, list]]:
    """[(date, events in order)]: both lanes interleaved, ordered events in their order, a total
    after the events it counts. Events known only to the week, month or year are a group of
    their own ("1967", "August 2013"), not a day."""
    out = {}
    for e in sorted(events, key=_day_order):
        out.setdefault(_period(e), []).append(e)
    return sorted(out.items())


def _day_order(e: Event):
    return (e.date or "9999", e.order if e.order is not None else 99, e.aggregate, e.lane, e.id)


def _period(e: Event) -> str:
    """The key of an event's group: its day, or its date with its coarser precision."""
    return e.date if e.precision in (None, "day") else f"{e.date}/{e.precision}"


def _heading(key: str) -> str:
    """'2016-09-05 (Monday)', 'August 2013', '1967', 'week of 2016-09-05'."""
    day, _, precision = key.partition("/")
    return describe.date_text(day, precision or "day")


def day_heading(key: str, totals: dict) -> str:
    """'2016-09-05 (Monday) — violence killed 40–53': a chronology day with its violence counted once
    (totals from reconcile.day_totals)."""
    total = totals.get(key)
    return _heading(key) + (f" — violence killed {_toll(total)}" if total else "")


def event_line(e: Event, escape=str) -> str:
    """An event as the chronology lists it: 'Explosion / bombing in Tartus, 30–38 killed (part of the
    day's total) — actors: Islamic State'. `escape` makes the article's words safe for the output
    (Markdown, HTML, Word); the words added here need none."""
    toll = f" — killed {escape(describe.toll_text(e.killed))}" if e.killed and "killed" not in e.summary else ""
    part = " (part of the day's total)" if e.part_of else ""
    who = f" — actors: {escape(', '.join(e.actors[:3]))}" if e.lane == "violence" and e.actors else ""
    return f"{escape(describe.headline(e))}{toll}{part}{who}"


def outlet_claims(e: Event, docs: dict) -> dict:
    """{field: {outlet: claim}} of what each outlet says of an event (figure, date, place)."""
    claims = {"killed": {}, "date": {}, "place": {}}
    for m in e.mentions:
        name = source_name(m.document, docs)
        if m.killed is not None:
            claims["killed"].setdefault(name, set()).add(m.killed)
        if m.date:
            claims["date"].setdefault(name, set()).add(m.date[:10])
        if m.place and m.place.name:
            claims["place"].setdefault(name, set()).add(m.place.name)
    return claims


def compared(events: list, docs: dict) -> list[dict]:
    """Events that more than one outlet reports with a figure, and whether they agree."""
    rows = []
    for e in sorted(events, key=Event.sort_key):
        claims = outlet_claims(e, docs)
        if len(claims["killed"]) < 2:
            continue
        differs = [f for f, by in claims.items() if len({frozenset(v) for v in by.values()}) > 1]
        rows.append({"event": e, "claims": claims, "differs": differs})
    return rows


def around(events: list, window_hours: float) -> list[tuple[dict, list]]:
    """For each diplomatic event, the violent events within the window of it (same day counts
    as 0 hours apart; a day apart as 24)."""
    out = []
    violence = [e for e in events if e.lane == "violence" and e.precision in (None, "day")]
    for d in sorted((e for e in events if e.lane == "diplomacy"), key=Event.sort_key):
        day = date.fromisoformat(d.date)
        near = [v for v in violence if abs((date.fromisoformat(v.date) - day).days) * 24 <= window_hours]
        out.append((d, sorted(near, key=Event.sort_key)))
    return out


def grouped(pairs) -> list[tuple[list, list]]:
    """Diplomatic steps that have the same violence around them, listed once under all of them."""
    out = {}
    for d, near in pairs:
        out.setdefault(tuple(v.id for v in near), ([], near))[0].append(d)
    return list(out.values())


def _quote(m, limit: int = 200) -> str:
    return describe.clip(m.text, limit)


def _lane(e: Event) -> str:
    return describe.lane_name(e.lane) or "no lane"


def _t(text) -> str:
    """An input value on one line of the text report, with no terminal control in it."""
    return describe.terminal_text(text, fold=True)


# ------------------------------------------------------------------ Markdown


def markdown(events: list, documents: list, unresolved: list, window_hours: float = 48,
             title: str = "Timeline report", revisions=None) -> str:
    docs = _docs(documents)
    notes, lines = [], [f"# {_md(title)}", ""] + [f"- {h}" for h in header(events, documents, _md)] + [""]
    lines += _md_chronology(events, docs, notes)
    lines += _md_revisions(events, docs, revisions or [])
    lines += _md_compared(events, docs)
    lines += _md_around(events, window_hours)
    lines += _md_checks(events, docs)
    if unresolved:
        lines += ["## Not dated or not placed", ""] + [f"- {_md(u)}" for u in unresolved] + [""]
    left_out = describe.input_notes(documents)
    if left_out:
        lines += [f"## {NOT_READ}", ""] + [f"- {_md(n)}" for n in left_out] + [""]
    if notes:
        lines += ["## Evidence", ""] + notes + [""]
    return describe.terminal_text("\n".join(lines))  # every value is escaped; this is a second lock


def _md_chronology(events, docs, notes) -> list[str]:
    lines = ["## Chronology", ""]
    totals = reconcile.day_totals(events)
    for day, items in days(events):
        lines += [f"### {_md(day_heading(day, totals))}", ""]
        for e in items:
            refs = []
            for m in describe.first_per_document(e):
                notes.append(f"[^{len(notes) + 1}]: {_md(source_name(m.document, docs))}"
                             + (f" ({_md(m.attribution)})" if m.attribution else "")
                             + f": “{_md(_quote(m))}”")
                refs.append(f"[^{len(notes)}]")
            lines.append(f"- **{_lane(e)}** · {event_line(e, _md)} {''.join(refs)}")
        lines.append("")
    return lines


def _md_revisions(events, docs, revisions) -> list[str]:
    """'toll revised from 30 to 30–38 after 003' (from the store's history)."""
    by_id = {e.id: e for e in events}
    rows = [r for r in revisions if r["event"] in by_id]
    if not rows:
        return []
    lines = ["## Toll revisions", ""]
    for r in rows:
        before, after = describe.range_text(*r["from"]), describe.range_text(*r["to"])
        sources = ", ".join(source_name(d, docs) for d in r["documents"])
        lines.append(f"- {_md(by_id[r['event']].summary)}: toll revised from {_md(before)} to {_md(after)} after "
                     f"{_md(sources)} ({_md(r['ingested_at'])})")
    return lines + [""]


def _claim_text(by: dict) -> str:
    return " · ".join(f"{outlet}: {'/'.join(str(v) for v in sorted(values))}" for outlet, values in sorted(by.items()))


def _md_compared(events, docs) -> list[str]:
    rows = compared(events, docs)
    if not rows:
        return []
    lines = ["## What each outlet says", "", "| Event | Killed | Dates | Places | Disagree on |", "|---|---|---|---|---|"]
    for r in rows:
        e, claims = r["event"], r["claims"]
        lines.append(f"| {_md(e.summary)} ({_md(e.date)}) | {_md(_claim_text(claims['killed']))} | "
                     f"{_md(_claim_text(claims['date']))} | {_md(_claim_text(claims['place']))} | "
                     f"{', '.join(r['differs']) or 'nothing'} |")
    return lines + [""]


def _md_around(events, window_hours) -> list[str]:
    pairs = around(events, window_hours)
    if not pairs:
        return []
    lines = [f"## Violence around diplomacy (within {window_hours:g} hours)", ""]
    for steps, near in grouped(pairs):
        lines.append("### " + " · ".join(f"{_md(d.summary)} — {_md(d.date)}" for d in steps))
        lines.append("")
        if not near:
            lines.append("- no violence reported within the window")
        for v in near:
            lines.append(f"- {_md(v.date)} {_md(v.summary)}")
        lines.append("")
    return lines


def _md_checks(events, docs) -> list[str]:
    rows = [(e, c) for e in events for c in e.checks or ()]
    if not rows:
        return []
    lines = ["## Totals and their parts", "", "| Total | Outlet | Total given | Sum of parts given | Parts | Adds up |",
             "|---|---|---|---|---|---|"]
    for e, c in rows:
        lines.append(f"| {_md(e.summary)} ({_md(e.date)}) | {_md(source_name(c['document'], docs))} | "
                     f"{_md(c['total'])} | {_md(c['parts'])} | {_md(c['components'])} | "
                     f"{'yes' if c['consistent'] else 'NO'} |")
    return lines + [""]


# ------------------------------------------------------------------ other formats

def text(events: list, documents: list, unresolved: list, window_hours: float = 48) -> str:
    """The plain-text report, for a terminal: every input value on one line, without controls."""
    docs = _docs(documents)
    lines = header(events, documents, _t) + [""]
    totals = reconcile.day_totals(events)
    for day, items in days(events):
        total = totals.get(day)
        lines.append(_t(_heading(day)) + (f"  (violence killed {_toll(total)})" if total else ""))
        for e in items:
            lines.append(f"  [{_lane(e)}] {_t(e.summary)}")
    rows = compared(events, docs)
    if rows:
        lines += ["", "What each outlet says:"]
        lines += [f"  {_t(r['event'].summary)} ({_t(r['event'].date)}): {_t(_claim_text(r['claims']['killed']))}"
                  + (f"  [disagree on {', '.join(r['differs'])}]" if r["differs"] else "") for r in rows]
    pairs = around(events, window_hours)
    if pairs:
        lines += ["", f"Violence around diplomacy (within {window_hours:g} h):"]
        for steps, near in grouped(pairs):
            lines += [f"  {_t(d.date)} {_t(d.summary)}" for d in steps]
            lines += [f"    {_t(v.date)} {_t(v.summary)}" for v in near]
    if unresolved:
        lines += ["", "Not dated or not placed:"] + [f"  {_t(u)}" for u in unresolved]
    left_out = describe.input_notes(documents)
    if left_out:
        lines += ["", f"{NOT_READ}:"] + [f"  {_t(n)}" for n in left_out]
    return describe.terminal_text("\n".join(lines)) + "\n"


CSV_COLUMNS = ["id", "date", "date_end", "order", "lane", "type", "place", "detail", "country", "killed_low",
               "killed_best", "killed_high", "aggregate", "part_of", "summary", "documents"]


def table(events: list) -> str:
    """The events as CSV (also `extract --format csv`): numbers stay numbers, text cells are
    neutralised for spreadsheets (describe.csv_cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in sorted(events, key=Event.sort_key):
        flat = row(e)
        flat["documents"] = " ".join(flat["documents"])
        flat["lane"] = describe.lane_name(flat["lane"])
        writer.writerow([describe.csv_cell(flat[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def structured(events: list, documents: list, unresolved: list, window_hours: float = 48) -> dict:
    docs = _docs(documents)
    totals = reconcile.day_totals(events)
    return {
        "summary": header(events, documents),
        "days": [{"date": day.partition("/")[0], "precision": day.partition("/")[2] or "day",
                  "violence_killed": totals.get(day), "events": [e.id for e in items]}
                 for day, items in days(events)],
        "outlets_compared": [{"event": r["event"].id, "disagree_on": r["differs"],
                              "claims": {f: {o: sorted(v) for o, v in by.items()} for f, by in r["claims"].items()}}
                             for r in compared(events, docs)],
        "violence_around_diplomacy": [{"event": d.id, "window_hours": window_hours,
                                       "violence": [v.id for v in near]} for d, near in around(events, window_hours)],
        "unresolved": unresolved,
        "inputs_not_read": describe.input_notes(documents),
    }


def select(events: list, unresolved: list, filters: Filters | None) -> tuple[list, list]:
    """The events the filters keep, and what to say of the reports that could not be dated or placed
    (they match no date, lane, place or type filter)."""
    if not filters:
        return events, unresolved
    events = [e for e in events if filters.keep(e)]
    if filters.active() and unresolved:
        unresolved = [f"{len(unresolved)} reports that could not be dated or placed are left out by the filters"]
    return events, unresolved


def render(events: list, documents: list, unresolved: list, format: str = "md", window_hours: float = 48,
           filters: Filters | None = None, revisions=None) -> str:
    events, unresolved = select(events, unresolved, filters)
    if format == "md":
        return markdown(events, documents, unresolved, window_hours, revisions=revisions)
    if format == "txt":
        return text(events, documents, unresolved, window_hours)
    if format == "csv":
        return table(events)
    if format == "json":
        return dumps(structured(events, documents, unresolved, window_hours), indent=2) + "\n"
    raise ValueError(f"unknown report format {format!r} (choose from {', '.join(FORMATS)})")
