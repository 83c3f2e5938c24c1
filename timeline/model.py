"""model: the events JSON contract (schema timeline/1) and the Event table (pandas).

Events and documents are plain dicts shaped as the contract says, so an events file written by
`extract` and one curated by hand are the same thing to report and render.
"""

from __future__ import annotations

import json

SCHEMA = "timeline/1"
LANES = ("violence", "diplomacy")

# Columns of Timeline.events, in order, with their pandas dtypes.
COLUMNS = {
    "id": "string", "lane": "category", "type": "string", "date": "datetime64[ns]",
    "date_end": "datetime64[ns]", "precision": "string", "order": "Int64", "place": "string",
    "detail": "string", "admin1": "string", "country": "string", "lat": "float64", "lon": "float64",
    "actors": "object", "killed_low": "Int64", "killed_best": "Int64", "killed_high": "Int64",
    "injured_low": "Int64", "injured_best": "Int64", "injured_high": "Int64", "aggregate": "bool",
    "part_of": "string", "summary": "string", "documents": "object", "n_mentions": "int64",
}


def document_record(doc, docdate) -> dict:
    return {
        "id": doc.id, "path": doc.path, "title": doc.title, "outlet": doc.outlet,
        "published": docdate.published.isoformat() if docdate.published else None,
        "published_how": docdate.how, "published_evidence": docdate.evidence,
        "date_order": docdate.order, "date_order_reason": docdate.order_reason,
        "warnings": list(doc.warnings) + list(docdate.warnings),
    }


def mention_record(m, siblings=()) -> dict:
    """A mention as the contract shows it (plus the fields reconcile needs to redo its work).
    `siblings` are the document's mentions, which `anchor_index` points into."""
    killed = m.killed.low if m.killed else None
    qualifier = (m.killed or m.injured).qualifier if (m.killed or m.injured) else None
    return {
        "document": m.document, "start": m.start, "end": m.end, "text": m.text,
        "killed": killed, "killed_high": m.killed.high if m.killed else None,
        "injured": m.injured.low if m.injured else None,
        "injured_high": m.injured.high if m.injured else None,
        "qualifier": qualifier, "attribution": m.attribution, "date_evidence": m.date_evidence,
        "outlet": m.outlet, "lane": m.lane, "type": m.type, "date": m.date, "precision": m.precision,
        "date_basis": m.date_basis, "place": _place(m.place), "actors": list(m.actors),
        "aggregate": m.aggregate, "relation": m.relation,
        "anchor_start": siblings[m.anchor_index].start if m.relation and m.anchor_index is not None
        and 0 <= m.anchor_index < len(siblings) else None,
    }


_PLACES = {}  # one dict per distinct place: a large corpus names the same towns many times


def _place(place: dict | None) -> dict | None:
    if place is None:
        return None
    key = tuple(place.get(k) for k in ("name", "detail", "admin1", "country", "lat", "lon", "source"))
    shared = _PLACES.get(key)
    if shared is None:
        shared = {k: place.get(k) for k in ("name", "detail", "admin1", "country", "lat", "lon")}
        if place.get("source"):
            shared["source"] = place["source"]
        if len(_PLACES) < 200_000:
            _PLACES[key] = shared
    return shared


def to_json(documents: list, events: list, unresolved: list) -> str:
    """The events file: deterministic (sorted keys inside records, stable order of records)."""
    data = {"schema": SCHEMA, "documents": documents, "events": events, "unresolved": unresolved}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_jsonl(events: list) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events)


def _range(value: dict | None, part: str):
    return value.get(part) if isinstance(value, dict) else None


def frame(events: list):
    """The Event table: one row per event, columns and dtypes as in COLUMNS."""
    import pandas as pd

    rows = []
    for e in events:
        place = e.get("place") or {}
        rows.append({
            "id": e["id"], "lane": e["lane"], "type": e.get("type"), "date": e.get("date"),
            "date_end": e.get("date_end"), "precision": e.get("precision"), "order": e.get("order"),
            "place": place.get("name"), "detail": place.get("detail"), "admin1": place.get("admin1"),
            "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
            "actors": list(e.get("actors") or []),
            **{f"{k}_{p}": _range(e.get(k), p) for k in ("killed", "injured") for p in ("low", "best", "high")},
            "aggregate": bool(e.get("aggregate")), "part_of": e.get("part_of"), "summary": e.get("summary"),
            "documents": sorted({m["document"] for m in e.get("mentions", [])}),
            "n_mentions": len(e.get("mentions", [])),
        })
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("date", "date_end"):
        df[col] = pd.to_datetime(df[col].str.slice(0, 10) if len(df) else df[col], errors="coerce",
                                 format="%Y-%m-%d")
    df["lane"] = pd.Categorical(df["lane"], categories=list(LANES))
    return df.astype({k: v for k, v in COLUMNS.items() if v not in ("datetime64[ns]", "category", "object")})
