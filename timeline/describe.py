"""describe: the words every output shares, so that a toll, a source or a type reads the same in
the report, on the timeline and in an export.

Toll text ("30–38"), source names (the outlet, else the short document id), the ledger of each
outlet's figure, type labels, one-line summaries, quotes clipped for display, and the escaping
that keeps input text inert in HTML, Markdown, a terminal and a spreadsheet.
"""

from __future__ import annotations

import html
import math
import re

from timeline import lexicon, records
from timeline.records import Document, Event, Mention, Toll

# One number style everywhere: "at least 8", "about 40" ("dozens" counts 12, at least).
QUALIFIER_SIGNS = {"at least": "at least ", "about": "about ", "vague": "at least "}


# ------------------------------------------------------------------ escaping
#
# Every value that came from an input (titles, outlets, ids, places, quotes, summaries, actors,
# attributions, evidence, file names) goes through one of these on its way into an output.

# Whole terminal escape sequences, so that no parameter of one survives as text: OSC, DCS, SOS, PM
# and APC strings up to their terminator (BEL or ST), CSI sequences, then any other two-character
# escape; in their 7-bit (ESC ...) and 8-bit (C1) forms.
_ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # strings (OSC ...)
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: parameters, intermediates, final byte
    r"|\x1b[ -/]*[0-~]")  # any other escape (an unterminated OSC loses its ESC ] here)
# What is left: C0 controls but tab and newline, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Markdown punctuation that can start markup anywhere in a line (python-markdown shows `\|` and
# `\~` with their backslash: the price of CommonMark tables and strikethrough staying inert).
# `(` and `)` need no escape: they make a link only after a `]`, and every `]` is escaped.
_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|#~!>])")
# At the start of a value, which may start a list item: a list marker, or an ordered list's number.
_MD_LEADING = re.compile(r"^(?:([-+])|(\d{1,9})([.)])(?=\s|$))")


def terminal_text(text, fold: bool = False) -> str:
    """Input text safe to print to a terminal: escape sequences (ESC/CSI/OSC ...) removed whole,
    then every control character but tab and newline (C0, DEL, C1). `fold`: whitespace runs,
    newlines and the other line and paragraph separators become one space (a value on one line)."""
    text = _ESCAPE_SEQUENCES.sub("", "" if text is None else str(text))
    if fold:
        text = " ".join(text.split())  # str.split knows \r \x0b \x0c \x1c-\x1f \x85 \u2028 \u2029
    return _CONTROLS.sub("", text)


def html_text(text) -> str:
    """Article text as inert text inside HTML (and plotly labels, which understand a little HTML)."""
    return html.escape("" if text is None else str(text), quote=True)


def md_text(text) -> str:
    """Article text inside Markdown, on one line: no markup, HTML tag, entity or link from the
    article survives. `&` and `<` become entities (python-markdown does not honour `\\<`, so a
    backslash would let a tag through there), Markdown punctuation is backslash-escaped, and a
    leading list marker or number is escaped where the value starts a line or list item."""
    text = terminal_text(text, fold=True).replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_PUNCTUATION.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: "\\" + m.group(1) if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


def csv_cell(value):
    """A CSV cell: a number we computed stays a number (a non-finite one becomes empty); text is
    cleaned of terminal controls, and text a spreadsheet would run as a formula (starting with
    = + - @, tab or CR) gets a leading ' (OWASP's rule against CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else ""
    text = terminal_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def lane_name(lane) -> str | None:
    """The lane when it is one of ours (violence, diplomacy), else None: a lane read from a file
    curated by hand is never copied into an output."""
    return lane if lane in records.LANES else None


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


def sources(event: Event, docs: dict, rows_as_given: bool = False) -> str:
    """'alaraby (Syrian Observatory for Human Rights); 000': who reported the event, once each.
    `rows_as_given`: a table row's own source cell as it is (an ACLED export's `source` column,
    which must read back unchanged, not wrapped in the outlet 'ACLED' once more on every pass)."""
    names = []
    for m in event.mentions:
        if rows_as_given and m.origin == "table" and m.attribution:
            name = m.attribution
        else:
            name = outlet_or_id(m.document, docs) + (f" ({m.attribution})" if m.attribution else "")
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

LABEL_CLIP = 48  # characters of a timeline label
CARD_SENTENCES = 5  # sentences a detail card quotes
BRIEF_FROM = 2000  # events: from this many, a card quotes one sentence (a lighter page)
RELAY = "as the report before it"  # the date reader's word for a time carried over from earlier sentences


def short_date(day: str | None, end: str | None = None, precision: str | None = "day") -> str:
    """'Mon 5 Sep 2016', '4–5 Sep 2016', 'Aug 2013', '1967': for labels and cards."""
    from datetime import date

    try:
        first = date.fromisoformat(str(day)[:10])
        last = date.fromisoformat(str(end)[:10]) if end else first
    except ValueError:
        return str(day or "")
    if precision == "year":
        return str(first.year)
    if precision not in (None, "day"):
        return f"{first:%b %Y}" if (first.year, first.month) == (last.year, last.month) else \
            f"{first:%b %Y} – {last:%b %Y}"
    if first == last:
        return f"{first:%a} {first.day} {first:%b %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


def _surnames(actors) -> list[str]:
    return [p.split()[-1] for p in lexicon.persons(actors)]


def event_label(event: Event) -> str:
    """The label a timeline item carries: 'Tartus · car bomb · 30–38 killed', 'Hangzhou · meeting ·
    Obama, Putin'."""
    parts = [event.place.name] if event.place and event.place.name else []
    parts.append(lexicon.short(event.type) + (" (total)" if event.aggregate else ""))
    if event.killed:
        parts.append(f"{toll_text(event.killed)} killed")
    elif event.lane == "diplomacy":
        people = sorted(_surnames(event.actors))[:2] or sorted(lexicon.states(event.actors))[:2]
        if people:
            parts.append(", ".join(people))
    return clip(" · ".join(parts), LABEL_CLIP)


def date_how(event: Event, docs: dict) -> str:
    """How the date was worked out, in plain words: '“a day after”, counted from “Monday” in
    alaraby's report of 5 Sep 2016'."""
    with_evidence = [m for m in event.mentions if m.date_evidence]
    if not with_evidence:
        return "the date the table or file gives" if event.mentions else ""
    def fits(m) -> tuple:
        # a relative phrase ("a day after") explains a date other than the report's own; the most
        # direct reading of those that fit
        doc = docs.get(m.document)
        moved = bool(doc and doc.published and event.date and doc.published[:10] != event.date[:10])
        relative = m.date_evidence.strip(" )").count("(") > m.date_evidence.count(RELAY)
        return (relative != moved, m.date_evidence.count("("))

    m = min(with_evidence, key=fits)
    chain = [part.strip(" )") for part in m.date_evidence.split("(")]
    relayed = any(part == RELAY for part in chain)
    chain = [part for part in chain if part and part != RELAY]
    doc = docs.get(m.document)
    whose = source_name(m.document, docs)
    published = f" of {short_date(doc.published)}" if doc is not None and doc.published else ""
    words = f"“{chain[-1]}” in {whose}'s report{published}" if chain else f"{whose}'s report{published}"
    if len(chain) > 1:
        words = f"“{chain[0]}”, counted from " + words
    if relayed:
        words += ", the time the sentences before it give"
    return words


def _names_said(text: str, event: Event) -> int:
    """How many of the event's actors a sentence names (a person by surname)."""
    names = _surnames(event.actors) + [a for a in event.actors if a not in lexicon.persons(event.actors)]
    return sum(1 for n in names if n and n.lower() in text.lower())


def sentences(event: Event, docs: dict, limit: int = CARD_SENTENCES) -> list[list[str]]:
    """[[outlet, sentence], ...]: what the event was read from, the sentence naming most of its
    actors first, each sentence once."""
    seen, ranked = set(), []
    for order, m in enumerate(event.mentions):
        text = " ".join((m.text or "").split())
        if text and text not in seen:
            seen.add(text)
            ranked.append((-_names_said(text, event), order, source_name(m.document, docs), text))
    return [[who, text] for _, _, who, text in sorted(ranked)[:limit]]


def card(event: Event, docs: dict, brief: bool = False) -> dict:
    """The detail card of a timeline item: plain strings, which the page sets as text."""
    killed = event.killed
    toll = ""
    if killed:
        toll = f"{toll_text(killed)} killed" + ("" if killed.single else f" (best estimate {killed.best})")
    if event.injured:
        toll += ("; " if toll else "") + f"{toll_text(event.injured)} injured"
    parts = (event.place.name, event.place.detail, event.place.admin1, event.place.country) if event.place else ()
    where = ", ".join(dict.fromkeys(p for p in parts if p))  # 'Aleppo, Syria', not 'Aleppo, Aleppo, Syria
    return {"title": headline(event),
            "how": date_how(event, docs), "where": where, "who": ", ".join(event.actors[:8]), "toll": toll,
            "ledger": ledger(event, docs).split(" · ") if ledger(event, docs) else [],
            "said": sentences(event, docs, 1 if brief else CARD_SENTENCES),
            "reports": len({m.document for m in event.mentions})}


def frame(events, documents=(), brief: bool | None = None):
    """The Event table (records.frame) with what the timeline shows of each event: `label` and
    `card` (the page's hover is the label and the date); `attrs["notes"]`: what of the inputs
    was not read (input_notes), which the page shows above the timeline."""
    docs = documents_by_id(documents)
    brief = len(events) >= BRIEF_FROM if brief is None else brief
    df = records.frame(events, {"label": [event_label(e) for e in events],
                                "card": [card(e, docs, brief) for e in events]})
    df.attrs["notes"] = input_notes(documents)
    return df


def input_notes(documents) -> list[str]:
    """What of the event tables read was left out ('acled.csv: 12 of 40 rows skipped (10 × Peaceful
    protest: in neither lane; ...)'), from their document records: said by the report and the page,
    so that a table read in part (or not at all) never passes for a whole one."""
    return [f"{d.path or d.id}: {w}" for d in documents if d.kind == "table" for w in d.warnings]


BACKGROUND_BEFORE = 31  # days before the first article from which a mention is background
BACKGROUND_AFTER = 7  # days after the last article (a date read wrongly into the future)


def window_of(documents) -> tuple | None:
    """The articles' own period: their first and last publication dates (None when none is known)."""
    from datetime import date

    days = []
    for d in documents:
        try:
            days.append(date.fromisoformat(str(d.published)[:10]))
        except (TypeError, ValueError):
            continue
    return (min(days), max(days)) if days else None


def is_background(start, end, window) -> bool:
    """Whether an event lies far outside the articles' own period (a war of 1967 recalled in 2016):
    left out of a timeline's first view and title."""
    from datetime import timedelta

    if not window:
        return False
    return end < window[0] - timedelta(days=BACKGROUND_BEFORE) or start > window[1] + timedelta(days=BACKGROUND_AFTER)


def _in_window(event: Event, window) -> bool:
    from datetime import date

    try:
        start = date.fromisoformat(event.date[:10])
        end = date.fromisoformat((event.date_end or event.date)[:10])
    except (TypeError, ValueError):
        return False
    return not is_background(start, end, window)


def title(events, window=None) -> str:
    """A title from the content: 'Syria, 4–5 Sep 2016: 6 violent events, 40–53 killed; 2 diplomatic'."""
    from collections import Counter
    from datetime import date

    events = [e for e in events if _in_window(e, window)] if window else events
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
