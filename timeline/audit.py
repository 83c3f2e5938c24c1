"""audit: what `timeline dates` shows - every date reading with its evidence (read by
`pipeline.read_dates_of`)."""

from __future__ import annotations

import json


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
        return json.dumps(records(readings), ensure_ascii=False, indent=2) + "\n"
    lines = []
    for doc, docdate, expressions in readings:
        published = docdate.published.isoformat() if docdate.published else "undated"
        lines.append(f"{doc.id}: published {published}" + (f" ({docdate.how})" if docdate.how else ""))
        if docdate.evidence:
            lines.append(f"  evidence: {docdate.evidence}")
        if docdate.order_reason:
            lines.append(f"  numeric dates: {docdate.order_reason}")
        for warning in docdate.warnings:
            lines.append(f"  warning: {warning}")
        for t in expressions:
            value = t.value or "?"
            lines.append(f"  {t.start:>6}-{t.end:<6} {t.type:<8} {value:<14} {t.text!r}  [{t.rule}] {t.reason}")
        lines.append("")
    return "\n".join(lines)
