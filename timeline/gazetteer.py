"""The world-wide gazetteer, as an SQLite index built once per machine.

timeline/data/gazetteer.tsv.gz (built by scripts/build_gazetteer.py from GeoNames) holds every
country and every town of 1,000 people or more, each with its spelling keys. Parsing it takes
seconds, so it is never parsed at start-up: the first place lookup turns it into an SQLite file
in the user's cache directory (``$TIMELINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/timeline``, else
``~/.cache/timeline``; a private folder in the temp directory when that is not writable; memory
as a last resort), and every later run opens that file and queries it.

The file is named by a hash of the data file, of the key-normalisation code (places.key and
places.loose) and of this module's schema, so a new data file or a new normalisation gets a new
index, never a stale one. The data file ships the loose keys, stamped with the version of the
places.loose that made them; when places.loose has changed since, the index computes them again. It is built in a temporary file and
moved into place with os.replace, so processes building at the same time cannot corrupt it; a
file that is truncated, corrupt or not ours is rebuilt.

Tables: places (id = rank: countries first, then by population, then GeoNames order, so rows come
out ranked), keys (key -> place) and loose_keys (loose key -> place), both clustered on the key,
and filters: a Bloom filter of each of the two key tables, which answers most lookups (nineteen in
twenty of a news corpus's capitalised words are no place's key) without a query.
Nothing is downloaded, ever.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import tempfile
import threading
import time
import zlib
from pathlib import Path

from timeline import cachedir, lexicon

DATA = lexicon.DATA / "gazetteer.tsv.gz"
COLUMNS = ("name", "kind", "country", "admin1", "lat", "lon", "population", "keys", "loose")
LOOSE_STAMP = "#loose-version"  # the data file's line naming the places.loose its loose keys came from
SCHEMA_VERSION = 3
STALE_TEMP_SECONDS = 3600
KEEP_INDEXES = 3  # per cache folder: other data or normalisations (two checkouts) keep theirs

# The Bloom filters: bits per key and bit positions per key. 12 and 4 let through 0.6% of the
# strings that are no key (each then costs the query it would have cost anyway).
FILTER_BITS, FILTER_PROBES = 12, 4
builds = 0  # indexes built by this process (the tests check that a second load reuses the file)

SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -65536;
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE places (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT NOT NULL,
                     admin1 TEXT, population INTEGER NOT NULL, lat REAL, lon REAL);
CREATE TABLE keys (key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE loose_keys (loose TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (loose, place)) WITHOUT ROWID;
CREATE TABLE filters (name TEXT PRIMARY KEY, bits BLOB NOT NULL) WITHOUT ROWID;
"""
PLACE_COLUMNS = "p.id, p.name, p.kind, p.country, p.admin1, p.population, p.lat, p.lon"
BY_KEY = f"SELECT {PLACE_COLUMNS} FROM keys k JOIN places p ON p.id = k.place WHERE k.key = ? ORDER BY k.place"
BY_LOOSE = (f"SELECT {PLACE_COLUMNS} FROM loose_keys k JOIN places p ON p.id = k.place WHERE k.loose = ? "
            "ORDER BY k.place")


def code_version(*parts) -> str:
    """A hash of functions' source (and of other values' repr): it changes when the normalisation
    changes, not when the file around it is edited, and is the same on every Python."""
    import inspect

    digest = hashlib.sha256()
    for part in parts:
        part = getattr(part, "__wrapped__", part)  # through functools.lru_cache
        if callable(part):
            try:
                text = _source(part).strip()
            except (OSError, TypeError):  # no source: its bytecode
                code = getattr(part, "__code__", None)
                text = repr((code.co_code, code.co_consts)) if code else repr(part)
        else:
            text = repr(part)
        digest.update(text.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _source(function) -> str:
    """A function's source. inspect cannot read a function compiled by Cython (timeline/native.py),
    which keeps its source's file name and first line: the same text comes from the .py beside it."""
    import inspect
    import sys

    try:
        return inspect.getsource(function)
    except TypeError:
        code = function.__code__
        source = Path(sys.modules[function.__module__].__file__).with_name(Path(code.co_filename).name)
        lines = source.read_text(encoding="utf-8").splitlines(True)
        return "".join(inspect.getblock(lines[code.co_firstlineno - 1:]))


class Gazetteer:
    """Places by key and by loose key, from the index of `data` (built on first use)."""

    def __init__(self, loose, version: str = "", data: Path = DATA, cache_dir: Path | None = None):
        self.loose = loose  # places.loose: the index stores loose(key) for every key
        self.version = version  # code_version of the normalisation
        self.data = Path(data)
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.path: Path | None = None  # the index file in use (None: in memory)
        self._lock = threading.RLock()
        self._con = None
        self._pid = None
        self._filters = {}  # table -> its Bloom filter's bits (bytes), read with the connection
        self._places = {}  # id -> place dict: one object per place, as callers compare with `is`
        self.by_key = functools.lru_cache(maxsize=65536)(self._by_key)
        self.by_loose = functools.lru_cache(maxsize=65536)(self._by_loose)

    # ------------------------------------------------------------------ queries

    def _by_key(self, k: str) -> tuple:
        """Places with key `k`, ranked: countries, then by population."""
        return self._query(BY_KEY, k) if self._may_hold("keys", k) else ()

    def _by_loose(self, loose_key: str) -> tuple:
        """Places with a key whose loose form is `loose_key`, ranked."""
        return self._query(BY_LOOSE, loose_key) if self._may_hold("loose_keys", loose_key) else ()

    def _may_hold(self, table: str, value: str) -> bool:
        """False when `value` is surely no key of `table` (its filter says so), else True."""
        if not self._filters:  # read with the connection (once: a forked worker's are the same)
            with self._lock:
                self._connection()
        bits = self._filters.get(table)
        return bits is None or all(bits[p >> 3] >> (p & 7) & 1 for p in _probes(value, len(bits) * 8))

    def countries(self) -> dict:
        """ISO code -> country name."""
        return dict(self._rows("SELECT country, name FROM places WHERE kind = 'country' ORDER BY id"))

    def stats(self) -> dict:
        return {name: int(value) for name, value in
                self._rows("SELECT name, value FROM meta WHERE name IN ('places', 'keys', 'loose_keys')")}

    def _query(self, sql: str, value: str) -> tuple:
        found = []
        for pid, name, kind, country, admin1, population, lat, lon in self._rows(sql, (value,)):
            place = self._places.get(pid)
            if place is None:
                place = self._places.setdefault(pid, {
                    "name": name, "kind": kind, "country_code": country, "admin1": admin1 or None,
                    "population": population, "lat": lat, "lon": lon})
            found.append(place)
        return tuple(found)

    def _rows(self, sql: str, args=()) -> list:
        import sqlite3

        with self._lock:
            try:
                return self._connection().execute(sql, args).fetchall()
            except sqlite3.DatabaseError:  # damaged after it was opened: build it again, once
                self._drop(rebuild=True)
                return self._connection().execute(sql, args).fetchall()

    # ------------------------------------------------------------------ the index file

    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.data.read_bytes())
        digest.update(f"|{self.version}|{SCHEMA_VERSION}".encode())
        return digest.hexdigest()

    def _connection(self):
        if self._con is not None and (self._pid == os.getpid() or self.path is None):
            return self._con
        # never use a file's connection across fork(): a worker opens its own
        import sqlite3

        fingerprint = self.fingerprint()
        name = f"gazetteer-{fingerprint[:20]}.sqlite"
        dirs = [self.cache_dir] if self.cache_dir else cachedir.cache_dirs()
        con = None
        for folder in dirs:
            con = _open_valid(folder / name, fingerprint) if cachedir.trusted(folder) else None
            if con is not None:
                self.path = folder / name
                break
        else:
            for folder in dirs:
                try:
                    cachedir.private_folder(folder)
                    build(self.data, folder / name, self.loose, fingerprint)
                    con = _open_valid(folder / name, fingerprint)
                except (OSError, sqlite3.Error):  # not writable, full disk: the next folder
                    continue
                if con is not None:
                    self.path = folder / name
                    break
        if con is None:  # nowhere to write: an index in memory, for this process only
            con = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(con, self.data, self.loose, fingerprint)
            self.path = None
        self._con, self._pid = con, os.getpid()
        self._filters = dict(con.execute("SELECT name, bits FROM filters"))
        return con

    def _drop(self, rebuild: bool = False) -> None:
        if self._con is not None and self._pid == os.getpid():
            self._con.close()
        if rebuild and self.path is not None:
            try:
                self.path.unlink()
            except OSError:
                pass
        self._con = self._pid = None


def _open_valid(path: Path, fingerprint: str):
    """A read-only connection to the index at `path` if it is whole and built from this data
    with this normalisation, else None."""
    import sqlite3

    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or size != page_size * pages:  # truncated or half-written
        return None
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except (sqlite3.Error, ValueError):
        return None
    try:
        meta = dict(con.execute("SELECT name, value FROM meta"))
        con.execute("SELECT count(*) FROM (SELECT 1 FROM keys LIMIT 1)").fetchone()
    except sqlite3.DatabaseError:
        con.close()
        return None
    if meta.get("fingerprint") != fingerprint or meta.get("complete") != "1":
        con.close()
        return None
    return con


def build(data: Path, target: Path, loose, fingerprint: str) -> None:
    """Write the index of `data` to `target` atomically: a temporary file, then os.replace."""
    import sqlite3

    global builds
    folder = target.parent
    now = time.time()
    for old in folder.glob("gazetteer-*.tmp"):  # left by a build that was killed
        try:
            if now - old.stat().st_mtime > STALE_TEMP_SECONDS:
                old.unlink()
        except OSError:
            pass
    fd, tmp = tempfile.mkstemp(prefix=target.stem + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            _fill(con, data, loose, fingerprint)
        finally:
            con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    builds += 1
    cachedir.keep_newest(target, "gazetteer-*.sqlite", KEEP_INDEXES)  # the oldest indexes of other data go


def _probes(value: str, size: int):
    """The FILTER_PROBES bit positions of `value` in a filter of `size` bits (double hashing)."""
    data = value.encode("utf-8", "surrogatepass")
    # two CRC-32s (of the bytes and of them reversed): as good as a cryptographic hash here, and
    # a third of its cost (a lookup of a new name checks two filters)
    first, step = zlib.crc32(data), zlib.crc32(data[::-1]) | 1
    return [(first + i * step) % size for i in range(FILTER_PROBES)]


def _bloom(values: set) -> bytes:
    """A Bloom filter of `values`: FILTER_BITS bits per value, FILTER_PROBES of them set for each."""
    size = max(8, len(values) * FILTER_BITS // 8 * 8)
    bits = bytearray(size // 8)
    for value in values:
        for p in _probes(value, size):
            bits[p >> 3] |= 1 << (p & 7)
    return bytes(bits)


def _fill(con, data: Path, loose, fingerprint: str) -> None:
    """Create the tables in `con` and load `data` into them."""
    import gzip

    started = time.perf_counter()
    rows, stamp, header = [], None, None
    with gzip.open(data, "rt", encoding="utf-8", newline="\n") as fh:
        for line in fh:
            if line.startswith("#"):
                if line.startswith(LOOSE_STAMP + "\t"):
                    stamp = line.rstrip("\n").split("\t")[1]
                continue
            fields = line.rstrip("\n").split("\t")
            if header is None:
                header = fields
                if tuple(header) != COLUMNS:
                    raise ValueError(f"{data}: columns {header}, expected {list(COLUMNS)}")
                continue
            rows.append(fields)
    # the shipped loose keys hold only while places.loose is the one that made them
    shipped_loose = stamp is not None and stamp == code_version(loose)
    # id = rank: countries first, then the most populous, then the data file's order (the build
    # script writes the rows ranked already)
    ranks = [(fields[1] != "country", -int(fields[6] or 0)) for fields in rows]
    if any(ranks[i] > ranks[i + 1] for i in range(len(ranks) - 1)):
        rows = [rows[i] for i in sorted(range(len(rows)), key=ranks.__getitem__)]
    places, keys, loose_keys, loose_of = [], [], set(), {}
    for rank, (name, kind, country, admin1, lat, lon, population, names, loose_names) in enumerate(rows, start=1):
        places.append((rank, name, kind, country, admin1 or None, int(population or 0),
                       float(lat) if lat else None, float(lon) if lon else None))
        if not names:
            continue
        names = names.split("|")
        if shipped_loose:  # an empty loose key is the key without its spaces
            for k, lk in itertools.zip_longest(names, loose_names.split("|") if loose_names else ()):
                keys.append((k, rank))
                loose_keys.add((lk or k.replace(" ", ""), rank))
            continue
        for k in names:
            keys.append((k, rank))
            lk = loose_of.get(k)
            if lk is None:
                lk = loose_of[k] = loose(k)
            loose_keys.add((lk, rank))
    con.executescript(SCHEMA)
    with con:
        con.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", places)
        con.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", keys)
        con.executemany("INSERT OR IGNORE INTO loose_keys VALUES (?, ?)", loose_keys)
        con.executemany("INSERT INTO filters VALUES (?, ?)", [
            ("keys", _bloom({k for k, _ in keys})), ("loose_keys", _bloom({lk for lk, _ in loose_keys}))])
        con.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("fingerprint", fingerprint), ("places", str(len(places))), ("keys", str(len(keys))),
            ("loose_keys", str(len(loose_keys))), ("loose_shipped", str(int(shipped_loose))),
            ("build_seconds", f"{time.perf_counter() - started:.2f}"), ("complete", "1")])
