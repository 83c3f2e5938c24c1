"""describe: the words every output shares, so that a toll, a source or a type reads the same in
the report, on the timeline and in an export.

Toll text ("30–38"), source names (the outlet, else the short document id), the ledger of each
outlet's figure, type labels, one-line summaries, quotes clipped for display, and the escaping
that keeps article text inert in HTML and Markdown.
"""

from __future__ import annotations

import html

from timeline import lexicon, records
from timeline.records import Document, Event, Mention, Toll

# One number style everywhere: "at least 8", "about 40" ("dozens" counts 12, at least).
QUALIFIER_SIGNS = {"at least": "at least ", "about": "about ", "vague": "at least "}


# ------------------------------------------------------------------ escaping

def html_text(text) -> str:
    """Article text as inert text inside HTML (and plotly labels, which understand a little HTML)."""
    return html.escape("" if text is None else str(text), quote=True)


def md_text(text) -> str:
    """Article text inside Markdown: no markup or HTML from the article survives."""
    text = " ".join(str(text).split())
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def clip(text, limit: int) -> str:
    """Whitespace folded, cut to `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date_text(day: str, precision: str = "day") -> str:
    """A date written at its precision: '2016-09-05 (Monday)', 'August 2013', '1967'."""
    from datetime import date

    try:
        d = date.fromisoformat(day[:10])
    except ValueError:
        return day
    if precision == "year":
        return str(d.year)
    if precision in ("month", "season", "quarter"):
        return f"{MONTHS[d.month - 1]} {d.year}" if precision == "month" else f"{precision} from {d.isoformat()}"
    if precision == "week":
        return f"week of {d.isoformat()}"
    return f"{d.isoformat()} ({d.strftime('%A')})"


# ------------------------------------------------------------------ figures and names

def toll_text(toll: Toll | None) -> str:
    """'30' or '30–38' (low–high); '' when no figure."""
    if not toll:
        return ""
    return str(toll.low) if toll.low == toll.high else f"{toll.low}–{toll.high}"


def range_text(low, high) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


def documents_by_id(documents) -> dict:
    return {d.id: d for d in documents}


def source_name(doc_id: str, docs: dict) -> str:
    """The outlet when known, else a short form of the document id ('000_0e2d...' -> '000')."""
    doc = docs.get(doc_id)
    if doc is not None:
        return doc.source_name
    return Document(id=doc_id).source_name


def outlet_or_id(doc_id: str, docs: dict) -> str:
    """The outlet when known, else the whole document id (exports, where ids must resolve)."""
    doc = docs.get(doc_id)
    return (doc.outlet if doc is not None and doc.outlet else None) or doc_id


def ledger(event: Event, docs: dict) -> str:
    """'000: 30 · 003: 38 (Syrian Observatory for Human Rights)': each outlet's figure and source."""
    parts, seen = [], set()
    for m in event.mentions:
        if m.killed is None:
            continue
        key = (m.document, m.killed, m.attribution)
        if key in seen:
            continue
        seen.add(key)
        sign = QUALIFIER_SIGNS.get(m.qualifier, "")
        source = f" ({m.attribution})" if m.attribution else ""
        parts.append(f"{source_name(m.document, docs)}: {sign}{m.killed}{source}")
    return " · ".join(parts)


def sources(event: Event, docs: dict) -> str:
    """'alaraby (Syrian Observatory for Human Rights); 000': who reported the event, once each."""
    names = []
    for m in event.mentions:
        name = outlet_or_id(m.document, docs)
        if m.attribution:
            name += f" ({m.attribution})"
        if name not in names:
            names.append(name)
    return "; ".join(names)


def first_per_document(event: Event) -> list[Mention]:
    seen, out = set(), []
    for m in event.mentions:
        if m.document not in seen:
            seen.add(m.document)
            out.append(m)
    return out


# ------------------------------------------------------------------ events

label = lexicon.label


def summary(event: Event) -> str:
    """'Car bomb / IED in Tartus, 30–38 killed'; diplomacy names its participants."""
    where = f" in {event.place.name}" if event.place and event.place.name else ""
    who = ""
    if event.lane == "diplomacy":
        people = sorted(lexicon.persons(event.actors)) or sorted(lexicon.states(event.actors))
        who = f": {', '.join(people[:4])}" if people else ""
    toll = f", {toll_text(event.killed)} killed" if event.killed else ""
    total = " (total)" if event.aggregate else ""
    return f"{label(event.type)}{total}{who}{where}{toll}"


def headline(event: Event) -> str:
    return event.summary or event.type


# ------------------------------------------------------------------ the timeline's frame

HOVER_CLIP = 220  # characters of evidence shown in a hover label
BRIEF_FROM = 2000  # events: from this many, hovers leave out the ledger and the evidence (a lighter page)


def hover_text(event: Event, docs: dict, brief: bool = False) -> str:
    """The hover label of an event (HTML-escaped: plotly labels understand a little HTML)."""
    lines = [f"<b>{html_text(headline(event))}</b>"]
    when = html_text(event.date) + (f" – {html_text(event.date_end)}" if event.date_end else "")
    evidence = next((m.date_evidence for m in event.mentions if m.date_evidence), None)
    if evidence and not brief:
        when += f" <i>(date from: {html_text(clip(evidence, 70))})</i>"
    lines.append(when)
    if event.place and event.place.name:
        lines.append(f"Place: {html_text(event.place.name)}"
                     + (f" — {html_text(event.place.detail)}" if event.place.detail else ""))
    if event.actors:
        lines.append(f"Actors: {html_text(', '.join(event.actors[:6]))}")
    killed = event.killed
    if killed:
        lines.append(f"Killed: {killed.low}–{killed.high} (best {killed.best})" if not killed.single
                     else f"Killed: {killed.low}")
    if not brief:
        said = ledger(event, docs)
        if said:
            lines.append(f"Sources: {html_text(said)}")
        if event.mentions:
            lines.append(f"“{html_text(clip(event.mentions[0].text, HOVER_CLIP))}”")
    return "<br>".join(lines)


def frame(events, documents=(), brief: bool | None = None):
    """The Event table (records.frame) with what the timeline shows of each event: `hover`."""
    docs = documents_by_id(documents)
    brief = len(events) >= BRIEF_FROM if brief is None else brief
    return records.frame(events, {"hover": [hover_text(e, docs, brief) for e in events]})


def title(events) -> str:
    """A title from the content: 'Syria, 4–5 Sep 2016: 6 violent events, 40–53 killed; 2 diplomatic'."""
    from collections import Counter
    from datetime import date

    if not events:
        return "Timeline: no events"
    countries = Counter(e.place.country for e in events if e.place and e.place.country)
    where = countries.most_common(1)[0][0] if countries else "Timeline"
    days = sorted(e.date for e in events if e.date)
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    if first == last:
        span = f"{first.day} {first:%b %Y}"
    elif (first.year, first.month) == (last.year, last.month):
        span = f"{first.day}–{last.day} {last:%b %Y}"
    elif first.year == last.year:
        span = f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    else:
        span = f"{first:%b %Y} – {last:%b %Y}"
    violent = [e for e in events if e.lane == "violence"]
    # each death counted once: a total stands for its parts, dates known only roughly are left out
    counted = [e.killed for e in violent if e.killed and not e.part_of and e.precision in (None, "day")]
    low, high = sum(k.low for k in counted), sum(k.high for k in counted)
    killed = f", {range_text(low, high)} killed" if counted else ""
    diplomatic = len(events) - len(violent)
    return f"{where}, {span}: {len(violent)} violent event{'s' * (len(violent) != 1)}{killed}; {diplomatic} diplomatic"
