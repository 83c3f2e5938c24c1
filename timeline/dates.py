"""dates: the publication date of a document, then every temporal expression in it.

Publication date, in this order: an explicit option > metadata (HTML, corpus column) > a
dateline or update line in the text > a reference-calendar event the text names. Each result
says how it was found and quotes its evidence; when nothing works the document stays undated.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from timeline import calendar, timex, lexicon

HEAD_CHARS = 300  # a dateline stands within this many characters after the title
# Lines that announce a publication date wherever they stand ("Last update: ...").
CUE_LINE = lexicon.pattern("cue_line")


@dataclass
class DocumentDate:
    published: date | None
    how: str | None  # option | metadata | text | calendar | None
    evidence: str | None
    order: str | None = None  # DMY | MDY: how this document writes numeric dates
    order_reason: str | None = None
    warnings: list = field(default_factory=list)
    span: tuple | None = None  # where the dateline stands: it dates the article, not its events
    outlet: str | None = None  # the outlet its page layout gives away, when the input names none


def read(doc, cleaned: str, published: date | None = None, date_order: str = "auto"):
    """(DocumentDate, [Timex]) for one document; `cleaned` is its boilerplate-masked text."""
    order = OrderDecider(cleaned, doc.outlet, date_order)
    docdate = publication_date(doc, cleaned, published, order)
    expressions = timex.find(cleaned, docdate.published, order.decided())
    if order.decided() is None and any(t.alternatives for t in expressions):
        for t in expressions:  # weigh the evidence only now that a date needs it
            if t.alternatives and order.resolve(t):
                expressions = timex.find(cleaned, docdate.published, order.decided())
                break
    docdate.order, docdate.order_reason = order.order, order.reason
    docdate.outlet = None if doc.outlet else order.layout_outlet()
    if any(t.alternatives for t in expressions):
        docdate.warnings.append("numeric dates with undecided day/month order: "
                                + "; ".join(f"{t.text!r} ({', '.join(t.alternatives)})"
                                            for t in expressions if t.alternatives))
    return docdate, expressions


CALENDAR_YEARS = (2, 9998)


def publication_date(doc, cleaned: str, option: date | None, order: "OrderDecider") -> DocumentDate:
    warnings = []
    if option is not None and CALENDAR_YEARS[0] <= option.year <= CALENDAR_YEARS[1]:
        return DocumentDate(option, "option", f"--published {option.isoformat()}")
    if option is not None:  # a day of year 1 or 9999 has no neighbour to reconcile with
        warnings.append(f"--published {option.isoformat()} ignored (outside years 2-9998)")
    if doc.published:
        parsed = parse_date_value(doc.published, order)
        if parsed and CALENDAR_YEARS[0] <= parsed.year <= CALENDAR_YEARS[1]:
            return DocumentDate(parsed, doc.published_how or "metadata",
                                doc.published_evidence or doc.published)
        warnings.append(f"could not read the date given in metadata: {doc.published!r}")
    found = dateline(doc, cleaned, order) or from_calendar(cleaned)
    if found:
        found.warnings = warnings + found.warnings
        return found
    return DocumentDate(None, None, None, warnings=warnings + [
        "no publication date found (no option, metadata, dateline or calendar event): "
        "relative dates stay unresolved"])


def parse_date_value(value: str, order: "OrderDecider | None" = None) -> date | None:
    """A date written in a metadata field or option: ISO, numeric, or words."""
    value = value.strip()
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if iso:
        try:
            return date(*map(int, iso.groups()))
        except ValueError:
            return None
    for t in timex.find(value, None, order.decided() if order else None, only=lexicon.dateline_rules() | {"month-year"}):
        if t.day:
            return t.day
        if t.alternatives and order is not None:
            chosen = order.resolve(t)
            if chosen:
                return chosen
    return None


def _dateline_regions(doc, cleaned: str):
    """(start, end, label) of the text where a dateline may stand, in the order they are tried:
    before the title (corpora often print "Fri 10 Jul 2015 <title>"), after it, then lines
    announcing a date anywhere, then the title itself. Each when it is tried: most documents
    are dated by the first, and the lines need a scan of the whole text."""
    found = cleaned.find(doc.title) if doc.title else -1
    if 0 <= found < 200:
        if found > 0:
            yield 0, found, "start"
        title_end = found + len(doc.title)
        yield title_end, min(len(cleaned), title_end + HEAD_CHARS), "head"
    else:
        yield 0, min(len(cleaned), HEAD_CHARS), "head"
    for m in CUE_LINE.finditer(cleaned):
        yield m.start(), m.end(), "line"
    if found >= 0:
        yield found, found + len(doc.title), "title"


def dateline(doc, cleaned: str, order: "OrderDecider") -> DocumentDate | None:
    for start, end, label in _dateline_regions(doc, cleaned):
        for t in timex.find(cleaned[start:end], None, order.decided(), only=lexicon.dateline_rules()):
            day = t.day or order.resolve(t)
            if day is None:
                if t.alternatives:
                    return DocumentDate(None, None, None, warnings=[
                        f"dateline {t.text!r} is ambiguous ({', '.join(t.alternatives)}) and "
                        "nothing in the document decides the day/month order"])
                continue
            line = _line_at(cleaned, start + t.start)
            how_order = f"; {order.reason}" if (t.alternatives or "document order" in t.reason) else ""
            return DocumentDate(day, "text", f"{line!r} ({label} of the text{how_order})",
                                span=(start + t.start, start + t.end))
    return None


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end >= 0 else len(text)].strip()
    return line if len(line) <= 120 else line[:117] + "..."


def from_calendar(cleaned: str) -> DocumentDate | None:
    """Date a document by a calendar event it names and the weekdays it uses."""
    named = calendar.named_in(cleaned)
    if not named:
        return None
    event = named[0]
    if any(e.start > event.end or e.end < event.start for e in named[1:]):
        return DocumentDate(None, None, None, warnings=[
            "the text names several calendar events that disagree: "
            + ", ".join(e.name for e in named) + "; not dated from the calendar"])
    weekdays = _weekdays_named(cleaned)
    day, why = _day_for_weekdays(event, weekdays)
    evidence = f"names the {event.name} ({event.start.isoformat()} to {event.end.isoformat()}); {why}"
    warnings = [] if weekdays and day else [f"publication day assumed: {why}"]
    return DocumentDate(day or event.end, "calendar", evidence, warnings=warnings)


def _weekdays_named(text: str) -> list[int]:
    names = timex.words()["weekdays"]
    found = re.findall(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", text)
    return sorted({names[w.lower()] for w in found})


def _day_for_weekdays(event, weekdays: list[int]):
    """The latest day of the event that the text names by weekday; else the first such day
    in the week after it."""
    if not weekdays:
        return None, f"no weekday named: the event's last day, {event.end.isoformat()}"
    span = [(event.start + timedelta(days=i)) for i in range((event.end - event.start).days + 1)]
    inside = [d for d in span if d.weekday() in weekdays]
    if inside:
        d = inside[-1]
        return d, f"the text says {d.strftime('%A')}, which falls on {d.isoformat()} during the event"
    after = [event.end + timedelta(days=i) for i in range(1, 8)]
    d = next(d for d in after if d.weekday() in weekdays)
    return d, f"the text says {d.strftime('%A')}: the first one after the event, {d.isoformat()}"


# ------------------------------------------------------------------ day/month order

@functools.lru_cache(maxsize=1)
def _spelling():
    pairs = lexicon.load("spelling.yaml")["pairs"]
    british = re.compile(r"(?i)\b(" + "|".join(p[0] for p in pairs) + r")\b")
    american = re.compile(r"(?i)\b(" + "|".join(p[1] for p in pairs) + r")\b")
    return british, american


NUMERIC = lexicon.Skipping(re.compile(r"(?<![\d/.])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)?\d\d)(?![\d/])"))
# What every match of NUMERIC holds (a digit, a separator, a day or month, a separator, a digit):
# one quick scan for it spares most texts, which write no numeric date, the full pattern, whose
# starter stops at every space. On an ASCII text re.ASCII reads \d alike, without the Unicode tables.
NUMERIC_SHAPE = re.compile(r"\d[/.-]\d{1,2}[/.-]\d")
ASCII_NUMERIC_SHAPE = re.compile(NUMERIC_SHAPE.pattern, re.ASCII)


def outlet_from_layout(text: str) -> str | None:
    """The outlet whose page furniture the text carries ("Last update: Mon, 05/09/2016 - 17:15"
    is alaraby's), so that a file with no outlet is named by its outlet, not its file name."""
    found = _first_layout_line(text)
    return found[0].id if found else None


def _first_layout_line(text: str):
    """(outlet, match) of the first layout line of outlets.yaml the text carries, or None."""
    for o in lexicon.outlets():
        for pattern in o.layouts:
            m = layout_line(pattern).search(text)
            if m:
                return o, m
    return None


@functools.lru_cache(maxsize=None)
def layout_line(pattern: str):
    """A layout pattern as a whole line, with only spaces or tabs around it: white space that
    includes newlines would run over blank lines, and a page of 20,000 empty lines would take
    seconds per outlet. A lexicon.Skipping (the same matches): re would try the line start at
    every character of a document, the Skipping only after line breaks."""
    return lexicon.Skipping(re.compile(r"(?m)^[^\S\n]*" + pattern + r"[^\S\n]*$"))


@functools.lru_cache(maxsize=1)
def _outlets_by_name() -> dict:
    """{lower-case name or id: the first outlet of outlets.yaml that answers to it}: one lookup
    per document instead of a walk through every outlet's names."""
    table = {}
    for o in lexicon.outlets():
        for key in [n.lower() for n in o.names] + [o.id]:
            table.setdefault(key, o)
    return table


class OrderDecider:
    """Decides whether a document writes numeric dates day first (DMY) or month first (MDY),
    from evidence, keeping the reason. Evidence is weighed only when a date needs it."""

    def __init__(self, text: str, outlet: str | None, option: str = "auto"):
        self.text, self.outlet, self.option = text, outlet, (option or "auto").upper()
        self.order, self.reason = None, None
        if self.option in ("DMY", "MDY"):
            self.order, self.reason = self.option, f"--date-order {self.option}"
        else:
            found = self._document_evidence()
            if found:
                self.order, self.reason = found

    def decided(self) -> str | None:
        return self.order

    def resolve(self, t) -> date | None:
        """The day an ambiguous numeric timex names, deciding the order if need be."""
        readings = dict(a.split(":") for a in t.alternatives)
        if not readings:
            return None
        if self.order is None:
            found = self._reading_evidence(readings)
            if found:
                self.order, self.reason = found
        if self.order in readings:
            return date.fromisoformat(readings[self.order])
        return None

    def _document_evidence(self):
        for finder in (self._other_numeric_dates, self._outlet_convention, self._layout):
            found = finder()
            if found:
                return found
        return None

    def _reading_evidence(self, readings: dict):
        for finder in (self._calendar, self._named_month_dates, self._spelling):
            found = finder(readings) if finder != self._spelling else finder()
            if found:
                return found
        return None

    def _other_numeric_dates(self):
        if not (ASCII_NUMERIC_SHAPE if self.text.isascii() else NUMERIC_SHAPE).search(self.text):
            return None  # no numeric date at all
        votes = {"DMY": [], "MDY": []}
        for m in NUMERIC.finditer(self.text):
            a, b = int(m.group(1)), int(m.group(3))
            if a > 12 >= b:
                votes["DMY"].append(m.group(0))
            elif b > 12 >= a:
                votes["MDY"].append(m.group(0))
        if bool(votes["DMY"]) != bool(votes["MDY"]):
            order = "DMY" if votes["DMY"] else "MDY"
            return order, f"order {order}: the document also writes {votes[order][0]!r}"
        return None

    def _outlet_convention(self):
        if not self.outlet:
            return None
        o = _outlets_by_name().get(self.outlet.strip().lower())
        if o is None:
            return None
        return o.date_order, f"order {o.date_order}: {o.id}'s convention (outlets.yaml)"

    def layout_outlet(self) -> str | None:
        """outlet_from_layout(text): the id of the outlet whose page layout the text carries."""
        found = self._layout_found
        return found[0].id if found else None

    @functools.cached_property
    def _layout_found(self):
        """_first_layout_line(text), looked for once: an undecided order has looked already,
        and read() asks again for the outlet (every layout pattern, run over the whole text)."""
        return _first_layout_line(self.text)

    def _layout(self):
        found = self._layout_found
        if found is None:
            return None
        o, m = found
        return (o.date_order, f"order {o.date_order}: the line {m.group(0).strip()!r} "
                f"is {o.id}'s page layout, which writes the day first"
                if o.date_order == "DMY" else
                f"order MDY: the page layout is {o.id}'s")

    def _calendar(self, readings: dict):
        near = {}
        for event in calendar.named_in(self.text):
            for order, iso in readings.items():
                d = date.fromisoformat(iso)
                if event.start - timedelta(days=7) <= d <= event.end + timedelta(days=14):
                    near.setdefault(order, event)
        if len(near) == 1:
            order, event = next(iter(near.items()))
            return order, f"order {order}: the text names the {event.name} ({event.start.isoformat()})"
        return None

    def _named_month_dates(self, readings: dict):
        near = {}
        for t in timex.find(self.text, None, None, only={"day-month-year", "month-day-year", "month-year"}):
            if t.value:
                for order, iso in readings.items():
                    if iso[:7] == t.value[:7]:
                        near.setdefault(order, t.text)
        if len(near) == 1:
            order, text = next(iter(near.items()))
            return order, f"order {order}: the text also names {text!r}"
        return None

    def _spelling(self):
        british, american = _spelling()
        uk = sorted({m.group(0).lower() for m in british.finditer(self.text)})
        us = sorted({m.group(0).lower() for m in american.finditer(self.text)})
        if uk and not us:
            return "DMY", f"order DMY: British spelling ({', '.join(uk)}), whose outlets write the day first"
        if us and not uk:
            return "MDY", f"order MDY: American spelling ({', '.join(us)}), whose outlets write the month first"
        return None
