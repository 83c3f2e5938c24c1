"""audit: what `timeline dates` shows - every date reading with its evidence (read by
`pipeline.read_dates_of`)."""

from __future__ import annotations

from timeline.describe import terminal_text
from timeline.records import dumps


def _t(text) -> str:
    """A value from a document (its id, evidence, warnings) on one line, with no terminal control."""
    return terminal_text(text, fold=True)


def records(readings) -> list[dict]:
    """[{document, text, start, end, type, value, anchor, ...}]: offsets into the document's text."""
    out = []
    for doc, _docdate, expressions in readings:
        for t in expressions:
            out.append({"document": doc.id, "text": doc.text[t.start:t.end], "start": t.start, "end": t.end, "type": t.type,
                        "value": t.value, "anchor": t.anchor, "precision": t.precision, "rule": t.rule,
                        "reason": t.reason})
    return out


def render(readings, format: str = "text") -> str:
    if format == "json":
        return dumps(records(readings), indent=2) + "\n"
    lines = []
    for doc, docdate, expressions in readings:
        published = docdate.published.isoformat() if docdate.published else "undated"
        lines.append(f"{_t(doc.id)}: published {published}" + (f" ({docdate.how})" if docdate.how else ""))
        if docdate.evidence:
            lines.append(f"  evidence: {_t(docdate.evidence)}")
        if docdate.order_reason:
            lines.append(f"  numeric dates: {_t(docdate.order_reason)}")
        for warning in docdate.warnings:
            lines.append(f"  warning: {_t(warning)}")
        for t in expressions:
            value = t.value or "?"
            lines.append(f"  {t.start:>6}-{t.end:<6} {t.type:<8} {value:<14} {t.text!r}  [{t.rule}] {t.reason}")
        lines.append("")
    return terminal_text("\n".join(lines))  # t.text is a repr (escaped); the rest is ours
