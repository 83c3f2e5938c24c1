"""Score the date reading against the TIMEX3 gold of MEANTIME (English, 120 Wikinews articles).

    python benchmarks/timex_meantime.py [meantime/intra-doc_annotation] [--errors]

The document creation time comes from the gold (as TempEval does). The text is rebuilt from the
gold tokens (a space between tokens, a newline between sentences). A system expression matches a
gold one when their character spans overlap (strict span-overlap); value accuracy counts matched
pairs with the same TIMEX3 value. MEANTIME annotates only the first sentences of each article
(title, date line and about four more): expressions found after the last annotated sentence are
not scored. Prints value precision / recall / F1 for DATE expressions
(the figure the issue asks for), span F1, and the time the date stage takes per article.
"""

import sys
import time
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline import clean, dates, ingest  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "meantime" / "intra-doc_annotation"


def load(path: Path):
    """(doc id, text, dct, [gold (start, end, type, value, text)], (dct start, dct end), end of the
    annotated part)."""
    root = ET.parse(path).getroot()
    spans, parts, offset, last_sentence, sentence_of = {}, [], 0, None, {}
    for tok in root.iter("token"):
        sep = "" if not parts else ("\n" if tok.get("sentence") != last_sentence else " ")
        offset += len(sep)
        parts.append(sep + (tok.text or ""))
        spans[tok.get("t_id")] = (offset, offset + len(tok.text or ""))
        offset += len(tok.text or "")
        last_sentence = tok.get("sentence")
        sentence_of[tok.get("t_id")] = int(last_sentence)
    text = "".join(parts)
    annotated = [sentence_of[a.get("t_id")] for a in root.iter("token_anchor")]
    last = max(annotated) if annotated else 0
    annotated_end = max(e for t, (s, e) in spans.items() if sentence_of[t] <= last)
    gold, dct, dct_span = [], None, None
    for t in root.iter("TIMEX3"):
        ids = [a.get("t_id") for a in t.iter("token_anchor")]
        span = (spans[ids[0]][0], spans[ids[-1]][1]) if ids else None
        if t.get("functionInDocument") == "CREATION_TIME":
            dct, dct_span = _dct(t.get("value"), text[span[0]:span[1]] if span else ""), span
        elif span:
            gold.append((span[0], span[1], t.get("type"), t.get("value"), text[span[0]:span[1]]))
    return root.get("doc_id"), text, dct, gold, dct_span, annotated_end


def _dct(value: str, written: str) -> date:
    """The gold DCT; one file writes it 03-02-2009, so fall back on the words it annotates."""
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return dates.parse_date_value(written)


def system(doc_id: str, text: str, dct: date):
    doc = ingest.Document(id=doc_id, text=text, title=text.split("\n", 1)[0])
    cleaned, _ = clean.mask(text)
    _docdate, found = dates.read(doc, cleaned, dct)
    return found


def overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(folder: Path, show_errors: bool = False):
    files = sorted(folder.glob("*/*.xml"))
    counts = {"gold": 0, "sys": 0, "span": 0, "value": 0}
    errors, elapsed = [], 0.0
    for path in files:
        doc_id, text, dct, gold, dct_span, annotated_end = load(path)
        started = time.perf_counter()
        found = system(doc_id, text, dct)
        elapsed += time.perf_counter() - started
        found = [t for t in found if t.type == "DATE" and t.end <= annotated_end
                 and not (dct_span and overlaps((t.start, t.end), dct_span))]
        gold_dates = [g for g in gold if g[2] == "DATE"]
        counts["gold"] += len(gold_dates)
        counts["sys"] += len(found)
        matched_gold = set()
        for t in found:
            match = next((i for i, g in enumerate(gold_dates) if i not in matched_gold and overlaps((t.start, t.end), g)), None)
            if match is None:
                errors.append(("FP", doc_id, t.text, t.value, ""))
                continue
            matched_gold.add(match)
            counts["span"] += 1
            if t.value == gold_dates[match][3]:
                counts["value"] += 1
            else:
                errors.append(("VALUE", doc_id, t.text, t.value, f"gold {gold_dates[match][4]!r}={gold_dates[match][3]}"))
        errors += [("FN", doc_id, g[4], g[3], "") for i, g in enumerate(gold_dates) if i not in matched_gold]
    return files, counts, errors, elapsed


def prf(hit: int, sys_n: int, gold_n: int):
    p = hit / sys_n if sys_n else 0.0
    r = hit / gold_n if gold_n else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv):
    folder = Path(next((a for a in argv if not a.startswith("--")), DEFAULT))
    files, counts, errors, elapsed = score(folder, "--errors" in argv)
    sp, sr, sf = prf(counts["span"], counts["sys"], counts["gold"])
    vp, vr, vf = prf(counts["value"], counts["sys"], counts["gold"])
    print(f"MEANTIME English: {len(files)} documents, {counts['gold']} gold DATE expressions, "
          f"{counts['sys']} found")
    print(f"DATE span  (overlap): P {sp:.3f}  R {sr:.3f}  F1 {sf:.3f}")
    print(f"DATE value (overlap): P {vp:.3f}  R {vr:.3f}  F1 {vf:.3f}")
    print(f"date stage: {elapsed * 1000 / len(files):.2f} ms per article")
    if "--errors" in argv:
        for e in errors:
            print("\t".join(str(x) for x in e))


if __name__ == "__main__":
    main(sys.argv[1:])
