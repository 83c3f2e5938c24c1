"""brief: events -> a brief to paste into Word or a web page (HTML, or a .docx file).

The same events as the Markdown report, told for a reader in a hurry: the key points first
(the largest tolls, the diplomatic steps, where outlets disagree), the timeline as a picture,
then the chronology day by day and the sources. Article text is untrusted: in HTML every word
from an input is escaped, and in Word the characters XML cannot hold are dropped.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date

from timeline import calendar, describe, reconcile, report
from timeline.records import Event

FORMATS = ("html", "docx")

# Each group of key points is capped so the list stays short: beyond its cap a group ends with one
# line saying how many more the chronology holds (at most 3 + 4 + 4 points).
MOST_TOLLS, MOST_DIPLOMACY, MOST_DISAGREEMENTS = 3, 3, 3
IMAGE_ALT = "The timeline: violence above, diplomacy below, on one time axis"
# Drawn narrower than the render command's image: a page is 16 cm wide, and its labels must stay legible there.
IMAGE_WIDTH_PX = 1000
FIELD_NAMES = {"killed": "toll", "date": "date", "place": "place"}  # report.outlet_claims' fields

# XML 1.0 cannot hold most control characters (python-docx refuses them) nor lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def plain(text) -> str:
    """Input text with the characters XML (and so Word and HTML) cannot hold taken out, and the
    terminal's escape sequences and controls (DEL, C1) with them: an HTML brief may be printed."""
    return _NOT_XML.sub("", describe.terminal_text(text))


def _h(text) -> str:
    """Input text as inert HTML text."""
    return describe.html_text(plain(text))


# ------------------------------------------------------------------ key points

def key_points(events: list, documents: list) -> list[str]:
    """The brief's first lines, as plain sentences: largest tolls, diplomacy, disagreements."""
    docs = describe.documents_by_id(documents)
    return _toll_points(events) + _diplomacy_points(events) + _disagreement_points(events, docs)


def _when(e: Event) -> str:
    return describe.date_text(e.date, e.precision or "day") if e.date else "undated"


def _toll_points(events: list) -> list[str]:
    """The deadliest events, each death counted once: a total listed stands for its parts, and
    names the largest of them (the day's total of several bombings hides which one was worst)."""
    tolled = sorted((e for e in events if e.lane == "violence" and _best(e)), key=lambda e: (-_best(e), e.sort_key()))
    listed, totals_of_listed, points = set(), set(), []
    for e in tolled:
        if (e.part_of and e.part_of in listed) or (e.id and e.id in totals_of_listed):
            continue  # counted already, inside a total or as a part of this total
        listed.add(e.id)
        totals_of_listed.add(e.part_of)
        point = f"{_when(e)}: {describe.summary(e)}"
        deadliest = next((p for p in tolled if p.part_of == e.id), None) if e.aggregate else None
        if deadliest:
            point += f"; the deadliest of them: {describe.summary(deadliest)}"
        points.append(point + ".")
        if len(points) == MOST_TOLLS:
            break
    return points


def _best(e: Event) -> int:
    return (e.killed.best or 0) if e.killed else 0


def _diplomacy_points(events: list) -> list[str]:
    """The diplomatic events most documents report (in a large corpus the first few by date are
    rarely the ones that mattered), in the order they happened."""
    steps = sorted((e for e in events if e.lane == "diplomacy"), key=lambda e: (-len(e.documents), e.sort_key()))
    shown = sorted(_capped(steps, MOST_DIPLOMACY), key=Event.sort_key)
    points = [f"{_when(e)}: {describe.summary(e)}{_during(e)}." for e in shown]
    if len(steps) > len(shown):
        points.append(f"{_more(len(steps) - len(shown), 'diplomatic ')} (see the chronology).")
    return points


def _capped(items: list, cap: int) -> list:
    """The first `cap` items; all of them when only one is over (its line costs no more than the
    line saying it is left out)."""
    return items if len(items) <= cap + 1 else items[:cap]


def _more(n: int, kind: str = "") -> str:
    return f"{n} more {kind}event{'s' * (n != 1)}"


def _during(e: Event) -> str:
    """', during the G20 summit, Hangzhou' when the event falls in a reference-calendar event held
    at its place: the reader knows the summit, not the Hangzhou meeting."""
    try:
        day = date.fromisoformat(e.date[:10])
    except (TypeError, ValueError):
        return ""
    place = e.place.name if e.place else None
    for c in calendar.events():
        if c.start <= day <= c.end and place and c.place == place:
            return f", during the {c.name}"
    return ""


def _disagreement_points(events: list, docs: dict) -> list[str]:
    """'Outlets disagree on the toll of the explosion / bombing in Tartus (2016-09-05): alaraby says
    38, 000 says 30.' The deadliest events first; the claims quoted are the tolls when they differ
    (the chronology has the rest)."""
    rows = [r for r in report.compared(events, docs) if r["differs"]]
    rows.sort(key=lambda r: -_best(r["event"]))
    shown, points = _capped(rows, MOST_DISAGREEMENTS), []
    for r in shown:
        e, fields = r["event"], r["differs"]
        names = [FIELD_NAMES.get(f, f) for f in fields]
        what = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        quoted = "killed" if "killed" in fields else fields[0]
        said = _says(r["claims"][quoted]) if len(fields) == 1 else f"{FIELD_NAMES.get(quoted, quoted)}: " \
            + _says(r["claims"][quoted])
        points.append(f"Outlets disagree on the {what} of {_what(e)} ({e.date}): {said}.")
    if len(rows) > len(shown):
        points.append(f"Outlets also disagree on {_more(len(rows) - len(shown))} (see the chronology).")
    return points


MOST_OUTLETS = 3  # outlets quoted in one disagreement


def _says(by: dict) -> str:
    """'alaraby says 38, 000 says 30': the highest claim first; an outlet giving several figures
    says their range ('1–1400'), and beyond three outlets, how many more."""
    ordered = sorted(by.items(), key=lambda item: (-_largest(item[1]), item[0]))
    said = ", ".join(f"{outlet} says {_claim(values)}" for outlet, values in ordered[:MOST_OUTLETS])
    more = len(ordered) - MOST_OUTLETS
    return said + (f" and {more} more outlet{'s' * (more != 1)}" if more > 0 else "")


def _claim(values) -> str:
    values = sorted(values)
    if all(isinstance(v, int) for v in values):
        return describe.range_text(values[0], values[-1])
    return "/".join(str(v) for v in values[:2]) + ("/…" if len(values) > 2 else "")


def _largest(values) -> float:
    numbers = [v for v in values if isinstance(v, (int, float))]
    return max(numbers) if numbers else 0


def _what(e: Event) -> str:
    """'the explosion / bombing in Tartus', 'the suicide bombing (total) in Syria'."""
    where = f" in {e.place.name}" if e.place and e.place.name else ""
    return f"the {describe.label(e.type).lower()}{' (total)' if e.aggregate else ''}{where}"


# ------------------------------------------------------------------ the parts both formats share

def _chronology(events: list, docs: dict) -> list[tuple[str, list]]:
    """[(day heading, [(lane, line, details)])] with the report's days, lines and totals; the lines
    are plain text (each format escapes them its own way)."""
    totals = reconcile.day_totals(events)
    out = []
    for day, items in report.days(events):
        out.append((report.day_heading(day, totals),
                    [(describe.lane_name(e.lane) or "no lane", report.event_line(e, plain), _details(e, docs))
                     for e in items]))
    return out


def _details(e: Event, docs: dict) -> str:
    """'Killed, by outlet: 000: 30 · alaraby: 38 (Syrian Observatory for Human Rights). Reported by: 000, alaraby.'"""
    said = describe.ledger(e, docs)
    outlets = ", ".join(describe.source_name(m.document, docs) for m in describe.first_per_document(e))
    return plain((f"Killed, by outlet: {said}. " if said else "") + (f"Reported by: {outlets}." if outlets else ""))


def _sources(documents: list) -> list[str]:
    """'alaraby — “53 killed in …” — 2016-09-05 — 003_64b11752b0c503c2'."""
    return [plain(f"{d.source_name} — “{describe.clip(d.title, 200) or 'untitled'}” — "
                  f"{d.published or 'undated'} — {d.id}") for d in documents]


def _image_note(reason: str | None) -> str:
    return f"(timeline image unavailable: {describe.clip(plain(reason or 'not drawn'), 200)})"


# ------------------------------------------------------------------ the image

def timeline_image(events: list, documents: list, title: str) -> tuple[bytes | None, str | None]:
    """(PNG bytes, None), or (None, why not): kaleido needs the system's Chromium, and a brief
    without its picture is still worth having."""
    if not events:
        return None, "no events to draw"
    try:
        from timeline import render

        fig = render.figure(describe.frame(events, documents), title=title, static=True,
                            window=describe.window_of(documents))
        return render.image(fig, "png", width=IMAGE_WIDTH_PX), None
    except Exception as exc:  # kaleido reports a missing or broken Chromium in many ways
        return None, f"{type(exc).__name__}: {exc}"


def render(events: list, documents: list, unresolved: list, format: str, filters: report.Filters | None = None,
           title: str | None = None):
    """The brief in `format` (html: str; docx: bytes) of the events the filters keep, exactly as
    the report keeps them, with the timeline drawn when it can be."""
    if format not in FORMATS:
        raise ValueError(f"unknown brief format {format!r} (choose from {', '.join(FORMATS)})")
    events, unresolved = report.select(events, unresolved, filters)
    title = title or describe.title(events, describe.window_of(documents))
    png, why = timeline_image(events, documents, title)
    build = html if format == "html" else docx
    return build(events, documents, unresolved, png, title, image_note=why)


# ------------------------------------------------------------------ HTML

STYLE = """body{font-family:Georgia,serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}h3{font-size:1em}
.meta,.details,.note{color:#555;font-size:.9em}img{max-width:100%;height:auto}
.lane{font:bold .75em sans-serif;text-transform:uppercase;padding:0 .3em;border-radius:3px;color:#fff}
.violence{background:#b23b2e}.diplomacy{background:#2e5fa8}.other{background:#777}"""

# No script, and nothing fetched: the page says so to the browser as well.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def html(events: list, documents: list, unresolved: list, image_png: bytes | None, title: str | None = None,
         image_note: str | None = None) -> str:
    """A standalone HTML brief: no script, no external resource, every input word escaped."""
    title = title or describe.title(events, describe.window_of(documents))
    docs = describe.documents_by_id(documents)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
           f"<title>{_h(title)}</title><style>{STYLE}</style></head><body>", f"<h1>{_h(title)}</h1>",
           '<p class="meta">' + "<br>".join(_h(line) for line in report.header(events, documents)) + "</p>",
           "<h2>Key points</h2>", _html_list(key_points(events, documents)), _html_image(image_png, title, image_note),
           "<h2>Chronology</h2>"]
    for heading, lines in _chronology(events, docs):
        out += [f"<h3>{_h(heading)}</h3>", "<ul>"]
        for lane, line, details in lines:
            kind = lane if lane in ("violence", "diplomacy") else "other"
            out.append(f'<li><span class="lane {kind}">{_h(lane)}</span> {_h(line)}'
                       + (f'<br><span class="details">{_h(details)}</span>' if details else "") + "</li>")
        out.append("</ul>")
    if unresolved:
        out += ["<h2>Not dated or not placed</h2>", _html_list(unresolved)]
    out += ["<h2>Sources</h2>", _html_list(_sources(documents)), "</body></html>", ""]
    return "\n".join(out)


def _html_list(items) -> str:
    return "<ul>" + "".join(f"<li>{_h(item)}</li>" for item in items) + "</ul>"


def _html_image(png: bytes | None, title: str, note: str | None) -> str:
    if not png:
        return f'<p class="note">{_h(_image_note(note))}</p>'
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{_h(IMAGE_ALT + ": " + title)}"></figure>'


# ------------------------------------------------------------------ Word

IMAGE_WIDTH_CM = 16


def docx(events: list, documents: list, unresolved: list, image_png: bytes | None, title: str | None = None,
         image_note: str | None = None) -> bytes:
    """The brief as a Word file (bytes): heading, key points, the picture, chronology, sources."""
    import docx as python_docx  # here, not at the top: the CLI's import stays light

    title = plain(title or describe.title(events, describe.window_of(documents)))
    doc = python_docx.Document()
    doc.core_properties.title = title[:255]
    doc.add_heading(title, level=0)
    doc.add_paragraph("\n".join(plain(line) for line in report.header(events, documents)))
    doc.add_heading("Key points", level=1)
    for point in key_points(events, documents):
        doc.add_paragraph(plain(point), style="List Bullet")
    _docx_image(doc, image_png, title, image_note)
    _docx_chronology(doc, events, documents)
    if unresolved:
        doc.add_heading("Not dated or not placed", level=1)
        for item in unresolved:
            doc.add_paragraph(plain(item), style="List Bullet")
    doc.add_heading("Sources", level=1)
    for source in _sources(documents):
        doc.add_paragraph(source, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_chronology(doc, events: list, documents: list) -> None:
    doc.add_heading("Chronology", level=1)
    for heading, lines in _chronology(events, describe.documents_by_id(documents)):
        doc.add_heading(plain(heading), level=2)
        for lane, line, details in lines:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(plain(lane)).bold = True
            paragraph.add_run(" · " + line)
            if details:
                paragraph.add_run().add_break()  # the ledger under the line, in the same bullet
                paragraph.add_run(details).italic = True


def _docx_image(doc, png: bytes | None, title: str, note: str | None) -> None:
    from docx.shared import Cm

    if not png:
        doc.add_paragraph(_image_note(note))
        return
    shape = doc.add_picture(io.BytesIO(png), width=Cm(IMAGE_WIDTH_CM))
    # python-docx has no call for alt text; screen readers read the drawing's descr attribute
    shape._inline.docPr.set("descr", plain(f"{IMAGE_ALT}: {title}"))
