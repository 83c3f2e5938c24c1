"""ingest: files, folders and corpora -> Documents (and events files, passed through).

Every bad input becomes an InputProblem naming the file; the other inputs are still read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from timeline.records import Document  # noqa: F401  (the input record; re-exported for callers)

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".md"}
CORPUS_SUFFIXES = {".csv", ".tsv", ".jsonl"}
EVENTS_SUFFIXES = {".json"}
# Documentation that sits beside articles in a folder is not an article.
NOT_ARTICLES = re.compile(r"^(readme|license|licence|changelog)(\..*)?$", re.IGNORECASE)
SNIFF_BYTES = 8192
# The longest document read (characters): a longer one is cut there, with a notice. Set
# TIMELINE_MAX_CHARS to change it; news articles run to 5,000-30,000.
MAX_CHARS = int(os.environ.get("TIMELINE_MAX_CHARS", "200000"))
# The largest file read; an events file or a corpus may be large, an article is cut at MAX_CHARS.
MAX_FILE_BYTES = int(os.environ.get("TIMELINE_MAX_FILE_BYTES", str(2 * 1024 ** 3)))
# A corpus file up to this size keeps the rows its first pass (the survey) parsed, and is not
# parsed again to be read: parsing a CSV is 1.5% of reading it. A larger one is parsed twice, so
# that its articles are never all in memory at once.
HELD_BYTES = 32 * 1024 ** 2
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # characters no text file is made of


@dataclass
class InputProblem:
    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}"


@dataclass
class CorpusOptions:
    text_column: str = "text"
    title_column: str | None = "title"
    id_column: str | None = "id"
    date_column: str | None = None
    outlet_column: str | None = None


class Documents:
    """The documents of the inputs, in input order: articles (read already) and corpora, whose
    rows are read again each time the documents are iterated, so that a corpus of 100,000
    articles is never in memory at once. Ids given twice are settled before the first iteration
    (`settle`), from what a first pass over each corpus recorded."""

    def __init__(self):
        self.parts = []  # Document | Corpus
        self.actions = {}  # (part, row) -> "skip" | (new id or None, warnings to add)

    def append(self, part) -> None:
        self.parts.append(part)

    def __iter__(self):
        for index, part in enumerate(self.parts):
            rows = [(0, part)] if isinstance(part, Document) else part.documents()
            for row, doc in rows:
                action = self.actions.get((index, row))
                if action == "skip":
                    continue
                if action:
                    new_id, warnings = action
                    doc = replace(doc, id=new_id or doc.id, warnings=doc.warnings + warnings)
                yield doc

    def __len__(self) -> int:
        return sum(1 if isinstance(p, Document) else p.count for p in self.parts) - \
            sum(1 for a in self.actions.values() if a == "skip")

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index):  # for small inputs and tests: reads them all
        return list(self)[index]

    def signatures(self):
        """(part, row, id, text digest, path) of every document, in order, without its text."""
        for index, part in enumerate(self.parts):
            if isinstance(part, Document):
                yield index, 0, part.id, digest(part.text), part.path
            else:
                for row, doc_id, text_digest, path in part.signatures:
                    yield index, row, doc_id, text_digest, path

    def cut_warnings(self) -> list:
        out = [f"{d.path}: {w}" for d in self.parts if isinstance(d, Document) for w in d.warnings if CUT in w]
        return out + [w for p in self.parts if not isinstance(p, Document) for w in p.cut]


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class Inputs:
    documents: Documents = field(default_factory=Documents)
    event_files: list = field(default_factory=list)  # (path, parsed events JSON)
    tables: list = field(default_factory=list)  # (path, kind, rows): ACLED exports, curated tables
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)  # read, but not whole: the user is told


def read_inputs(paths, corpus: CorpusOptions | None = None) -> Inputs:
    """Read every path (file or folder) in the given order; folders in sorted order."""
    corpus = corpus or CorpusOptions()
    out = Inputs()
    for raw in paths:
        path = Path(raw)
        try:
            path.stat()
        except OSError as exc:  # missing, or in a folder this user may not enter
            reason = "no such file or folder" if isinstance(exc, FileNotFoundError) else f"cannot read: {exc.strerror}"
            out.problems.append(InputProblem(str(raw), reason))
            continue
        if path.is_dir():
            _read_folder(path, corpus, out)
        else:
            _read_file(path, corpus, out, explicit=True)
    _dedupe_ids(out)
    out.notices += out.documents.cut_warnings()
    return out


def _read_folder(folder: Path, corpus: CorpusOptions, out: Inputs) -> None:
    before = len(out.documents) + len(out.event_files) + len(out.tables)
    def unreadable(error: OSError) -> None:
        out.problems.append(InputProblem(error.filename or str(folder), f"cannot read: {error.strerror or error}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or NOT_ARTICLES.match(name):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() in ARTICLE_SUFFIXES | CORPUS_SUFFIXES | EVENTS_SUFFIXES:
                _read_file(path, corpus, out, explicit=False)
    if len(out.documents) + len(out.event_files) + len(out.tables) == before:
        out.problems.append(InputProblem(str(folder), "folder holds no readable articles"))


def _read_file(path: Path, corpus: CorpusOptions, out: Inputs, explicit: bool) -> None:
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES | CORPUS_SUFFIXES | EVENTS_SUFFIXES:
        out.problems.append(InputProblem(str(path), f"unsupported file type {suffix or '(none)'!r}"
                                         " (expected .txt, .html, .md, .csv, .tsv, .jsonl or .json)"))
        return
    if suffix in CORPUS_SUFFIXES:
        return _read_corpus(path, suffix, corpus, out)
    try:
        data = _read_regular(path)
    except OSError as exc:
        out.problems.append(InputProblem(str(path), f"cannot read: {exc.strerror or exc}"))
        return
    except InputError as exc:
        out.problems.append(InputProblem(str(path), str(exc)))
        return
    text, problem, warnings = decode(data)
    if problem:
        out.problems.append(InputProblem(str(path), problem))
        return
    try:
        if suffix in ARTICLE_SUFFIXES:
            out.documents.append(_article(path, suffix, text, warnings))
        else:
            out.event_files.append((str(path), _events_file(text)))
    except InputError as exc:
        out.problems.append(InputProblem(str(path), str(exc)))
    except RecursionError:  # JSON or HTML nested beyond Python's stack
        out.problems.append(InputProblem(str(path), "nested too deeply to read"))


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES: a FIFO would block forever and a
    link to /dev/zero never ends."""
    import stat

    if not stat.S_ISREG(os.stat(path).st_mode):  # never opened: opening a FIFO waits for a writer
        raise InputError("not a regular file (a device, a FIFO or a socket)")
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"larger than {MAX_FILE_BYTES:,} bytes (TIMELINE_MAX_FILE_BYTES); not read")
    return data


class InputError(ValueError):
    """A file that cannot be read as what its name says it is."""


BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))  # UTF-32 first: its LE mark starts like UTF-16's


def decode(data: bytes):
    """bytes -> (text, problem, warnings). A byte-order mark says the encoding (UTF-8, -16, -32);
    else UTF-8, invalid bytes replaced, with a warning. Binary is told by its content: NUL bytes,
    or many control characters, in the first 8 KB."""
    if not data.strip():
        return None, "empty file", []
    encoding = next((enc for bom, enc in BOMS if data.startswith(bom)), None)
    if encoding:
        bom = next(b for b, enc in BOMS if enc == encoding)
        text = data[len(bom):].decode(encoding, errors="replace")
        return (text, None, []) if text.strip() else (None, "empty file", [])
    sniff = data[:SNIFF_BYTES]
    if b"\x00" in sniff or len(CONTROL.findall(sniff.decode("latin-1"))) > len(sniff) // 20:
        return None, "binary file (not text)", []
    try:
        return data.decode("utf-8"), None, []
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, None, [f"invalid UTF-8 at byte {exc.start}; undecodable bytes replaced by U+FFFD"]


def capped(text: str) -> tuple[str, list[str]]:
    """(text cut at MAX_CHARS, the warning saying so) — reading time grows with a document's
    length, and no article is a third of a million characters long."""
    if len(text) <= MAX_CHARS:
        return text, []
    return text[:MAX_CHARS], [f"{len(text):,} characters: {CUT} {MAX_CHARS:,} read (TIMELINE_MAX_CHARS)"]


CUT = "only the first"


def _article(path: Path, suffix: str, text: str, warnings: list) -> Document:
    doc_id = path.stem
    if suffix in (".html", ".htm"):
        from timeline import htmltext

        page = htmltext.read(text)
        if not page.text.strip():
            raise InputError("HTML page has no main text")
        body, cut = capped(page.text)
        return Document(id=doc_id, text=body, title=page.title, path=str(path),
                        published=page.published, outlet=page.outlet,
                        published_how="metadata" if page.published else None,
                        published_evidence=page.published_evidence, warnings=tuple(warnings + cut))
    text, cut = capped(text)
    return Document(id=doc_id, text=text, title=_title(text, markdown=suffix == ".md"),
                    path=str(path), warnings=tuple(warnings + cut))


def _title(text: str, markdown: bool) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line.lstrip("#").strip() if markdown else line
    return ""


def _no_constant(name: str):
    raise InputError(f"{name} is not a number JSON allows")


def _events_file(text: str) -> dict:
    try:
        data = json.loads(text, parse_constant=_no_constant)  # NaN passes every schema bound
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON (line {exc.lineno}): {exc.msg}") from None
    if not isinstance(data, dict) or data.get("schema") != "timeline/1":
        raise InputError("not a timeline events file (expected \"schema\": \"timeline/1\")")
    data.setdefault("documents", [])  # a hand-made file may list events only
    data.setdefault("unresolved", [])
    problem = check_events_file(data)
    if problem:
        raise InputError(f"not a valid events file: {problem}")
    return data


FIRST_DAY, LAST_DAY = "0002-01-01", "9998-12-31"  # a day either side, and the calendar's end is never crossed


def check_events_file(data: dict) -> str | None:
    """The first way an events file breaks the contract (timeline/data/events.schema.json), naming
    the field ("events[3].order: 'first' is not of type 'integer', 'null'"), or a date the tool
    cannot draw, or a toll beyond belief; None when it is sound."""
    from timeline import tolls

    if not _sound(data):
        error = _first_error(data)
        if error is not None:
            return f"{_field(error.absolute_path)}: {error.message[:200]}"
    for k, event in enumerate(data["events"]):
        for name in ("date", "date_end"):
            day = event.get(name)
            if day and not FIRST_DAY <= day <= LAST_DAY:
                return f"events[{k}].{name}: {day} is outside the years 2-9998"
        for name in ("killed", "injured"):
            toll = event.get(name) or {}
            if any(v > tolls.MAX_TOLL() for v in toll.values() if isinstance(v, int)):
                return f"events[{k}].{name}: over {tolls.MAX_TOLL():,}, beyond belief"
    return None


def _sound(data: dict) -> bool:
    """True when the file surely keeps the schema: jsonschema-rs checks a file of 100,000 events
    in a blink (jsonschema took 9 s for FA-KES's 6.5 MB). What it doubts goes to jsonschema, which
    decides and names the field, so the verdicts and messages are jsonschema's."""
    import jsonschema_rs

    from timeline import lexicon

    return jsonschema_rs.Draft202012Validator(lexicon.load("events.schema.json"), validate_formats=False).is_valid(data)


def _first_error(data: dict):
    import jsonschema

    from timeline import lexicon

    validator = jsonschema.Draft202012Validator(lexicon.load("events.schema.json"))
    return next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))), None)


def _field(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the file)"


def _read_corpus(path: Path, suffix: str, opts: CorpusOptions, out: Inputs) -> None:
    """A corpus (one article per row) or an event table. A corpus is read once here, to check
    it and record each row's id and text digest, and again, row by row, as it is processed."""
    try:
        source = CorpusFile(path, suffix)
        header = source.header()
        from timeline import tables

        kind = tables.recognise(header)
        if kind and opts.text_column not in header:
            out.tables.append((str(path), kind, list(source.rows())))  # tables are small: read whole
            return
        _check_columns(header, opts)
        corpus = Corpus(source, opts)
        problems = corpus.survey()
    except OSError as exc:
        out.problems.append(InputProblem(str(path), f"cannot read: {exc.strerror or exc}"))
        return
    except InputError as exc:
        out.problems.append(InputProblem(str(path), str(exc)))
        return
    out.problems += problems
    out.documents.append(corpus)


def _check_columns(header: list, opts: CorpusOptions) -> None:
    if opts.text_column not in header:
        raise InputError(f"no column {opts.text_column!r} (columns: {', '.join(header) or 'none'});"
                         " name the text column with --text-column")
    for col in (opts.title_column, opts.id_column, opts.date_column, opts.outlet_column):
        if col and col not in header and col not in ("title", "id"):
            raise InputError(f"no column {col!r} (columns: {', '.join(header)})")


class CorpusFile:
    """The rows of a CSV, TSV or JSON-lines file, decoded as they are read (a byte-order mark
    says the encoding; else UTF-8, invalid bytes replaced); binary files and empty ones refused."""

    def __init__(self, path: Path, suffix: str):
        import stat

        if not stat.S_ISREG(os.stat(path).st_mode):  # never opened: opening a FIFO waits for a writer
            raise InputError("not a regular file (a device, a FIFO or a socket)")
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"larger than {MAX_FILE_BYTES:,} bytes (TIMELINE_MAX_FILE_BYTES); not read")
        self.path, self.suffix, self.size = path, suffix, size
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        self.encoding, self.skip = next(((enc, len(bom)) for bom, enc in BOMS if head.startswith(bom)), ("utf-8", 0))
        if not self.skip and (b"\x00" in head or len(CONTROL.findall(head.decode("latin-1"))) > len(head) // 20):
            raise InputError("binary file (not text)")
        if size <= len(head) and not head[self.skip:].decode(self.encoding, errors="replace").strip():
            raise InputError("empty file")

    def _text(self):
        fh = open(self.path, "rb")
        fh.seek(self.skip)
        return io.TextIOWrapper(fh, encoding=self.encoding, errors="replace", newline="")

    def header(self) -> list:
        if self.suffix == ".jsonl":  # every key any row has
            return list(dict.fromkeys(k for row in self.rows() for k in row))
        csv.field_size_limit(max(csv.field_size_limit(), MAX_CHARS * 4))  # a long article is one cell
        with self._text() as text:
            try:
                return list(csv.DictReader(text, delimiter=self._delimiter()).fieldnames or [])
            except csv.Error as exc:
                raise InputError(f"invalid CSV: {exc}") from None

    def _delimiter(self) -> str:
        return "\t" if self.suffix == ".tsv" else ","

    def rows(self):
        """Each row as a dict, in file order."""
        with self._text() as text:
            if self.suffix == ".jsonl":
                yield from _json_lines(text)
                return
            try:
                yield from csv.DictReader(text, delimiter=self._delimiter())
            except csv.Error as exc:
                raise InputError(f"invalid CSV: {exc}") from None


def _json_lines(text):
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON on line {number}: {exc.msg}") from None
        if not isinstance(row, dict):
            raise InputError(f"line {number} is not a JSON object")
        yield row


class Corpus:
    """A corpus as a source of documents: surveyed once (ids, digests, the date column's order,
    rows without text), then read row by row each time its documents are wanted."""

    def __init__(self, source: CorpusFile, opts: CorpusOptions):
        self.source, self.opts = source, opts
        self.signatures, self.cut, self.order, self.count = [], [], None, 0
        self.held = None  # the survey's rows, for a file of up to HELD_BYTES

    def survey(self) -> list:
        """The first pass: what iterating will give, and the rows it skips (as problems)."""
        problems, dates = [], []
        held = [] if self.source.size <= HELD_BYTES else None
        for number, row in enumerate(self.source.rows(), start=1):
            if held is not None:
                held.append(row)
            if self.opts.date_column:
                dates.append(_cell(row, self.opts.date_column))
            found = _row_text(self.source.path, number, row, self.opts)  # the survey keeps no Document
            if found is None:
                problems.append(InputProblem(f"{self.source.path}:{number}", "row has no text, skipped"))
                continue
            doc_id, text, where = found
            text, cut = capped(text)
            self.signatures.append((number, doc_id, digest(text), where))
            self.cut += [f"{where}: {w}" for w in cut]
        self.count = len(self.signatures)
        self.order = _date_column_order(dates, self.opts.date_column)
        self.held = held
        return problems

    def documents(self):
        """(row number, Document) of every row with text: from the rows the survey held, else read
        again from the file."""
        rows = self.held if self.held is not None else self.source.rows()
        for number, row in enumerate(rows, start=1):
            doc = _corpus_document(self.source.path, number, row, self.opts, self.order)
            if doc is not None:
                yield number, doc


def _cell(row: dict, column: str | None):
    value = row.get(column) if column else None
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _date_column_order(values: list, column: str | None) -> str | None:
    """DMY or MDY when the whole date column proves it (9/30/2016 is month first: so is its
    9/1/2016), else None: each date is then read as its document's own evidence says."""
    if not column:
        return None
    from timeline import tables

    return tables.column_order(values)


def _row_text(path: Path, number: int, row: dict, opts: CorpusOptions):
    """(id, text, path) of a row's document, or None for a row without text."""
    text = _cell(row, opts.text_column)
    if not text or not text.strip():
        return None
    return (_cell(row, opts.id_column) or "").strip() or f"{path.stem}-{number}", text, f"{path}:{number}"


def _corpus_document(path: Path, number: int, row: dict, opts: CorpusOptions, order: str | None = None):
    found = _row_text(path, number, row, opts)
    if found is None:
        return None
    doc_id, text, where = found
    given = (_cell(row, opts.date_column) or "").strip() or None
    published = given
    if order and given:  # a numeric day, in the order its column proves; any other form as given
        from timeline import tables

        published = tables.numeric_date(given, order) or given
    text, cut = capped(text)
    return Document(id=doc_id, text=text, title=(_cell(row, opts.title_column) or "").strip(),
                    path=where, outlet=(_cell(row, opts.outlet_column) or None),
                    published=published, published_how="metadata" if published else None,
                    published_evidence=f"column {opts.date_column}: {given}" if given else None,
                    warnings=tuple(cut))



def _dedupe_ids(out: Inputs) -> None:
    """Ids must be unique. A row that repeats a document exactly is read once (with a warning on
    the document); a different document under a taken id is kept under id-2, id-3, ... Settled
    from the documents' signatures (id, text digest), so no text is held for it."""
    docs = out.documents
    first_of = {}  # id -> (key, digest, path) of the document kept under it
    same, different = [], []  # the ids given twice: with the same text, with another
    for part, row, doc_id, text_digest, path in docs.signatures():
        first = first_of.get(doc_id)
        if first is None:
            first_of[doc_id] = ((part, row), text_digest, path)
        elif first[1] == text_digest:
            same.append(doc_id)
            docs.actions[(part, row)] = "skip"
            _add_warning(docs, first[0], f"{path} repeats this document; read once")
        else:
            different.append(doc_id)
            n = 2
            while f"{doc_id}-{n}" in first_of:
                n += 1
            renamed = f"{doc_id}-{n}"
            first_of[renamed] = ((part, row), text_digest, path)
            docs.actions[(part, row)] = (renamed, (f"id {doc_id!r} is also used by {first[2]}; renamed {renamed}",))
    if same or different:
        out.notices.append(_duplicates_notice(same, different))


def _add_warning(docs: Documents, key, warning: str) -> None:
    new_id, warnings = docs.actions.get(key) or (None, ())
    docs.actions[key] = (new_id, warnings + (warning,))


def _duplicates_notice(same: list, different: list) -> str:
    """'12 document ids given twice: 11 with the same text (read once: 123, ...), 1 with another
    text (kept as id-2: 456)'."""
    def listed(ids):
        shown = ", ".join(dict.fromkeys(ids[:8]))
        return shown + (", …" if len(ids) > 8 else "")

    parts = []
    if same:
        parts.append(f"{len(same)} with the same text (read once: {listed(same)})")
    if different:
        parts.append(f"{len(different)} with another text (both kept, the later as id-2: {listed(different)})")
    return f"{len(same) + len(different)} document ids given more than once: " + "; ".join(parts)
