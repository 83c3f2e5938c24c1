"""plans: the plans that lexicon.Skipping works out for its hot patterns (a screen, a starter: see
Skipping._describe), kept in the user's cache folder (timeline/cachedir.py), so that a process
reads them instead of working them out again. Planning the sixty-odd patterns that get hot costs
about 1.5% of reading 4,000 articles, most of it parsing them (regexinfo).

A plan is a few strings and flags, keyed by its pattern's source and flags. The file is named by
a hash of lexicon.py, regexinfo.py (the code that makes plans) and the Python version (whose re
parses patterns), so a change to any of them starts a new file and no stale plan is ever read.
A file that cannot be read, or holds anything but plans, is ignored: the plans are made again.
New plans are written when the process ends (atomically: a temporary file, then os.replace).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from timeline import cachedir

KEEP_FILES = 3  # per cache folder: the plans of other versions of the code (two checkouts) keep theirs
MAX_PLANS = 2000  # a file that grows past this (sources that differ between runs) keeps one run's plans
MISSING = object()  # get(): no plan known (None is a plan: "run the pattern as it is")
PLAN_KEYS = {"lead": bool, "kept": (str, type(None)), "screen": (str, type(None)),
             "starter": (str, type(None)), "fallback": bool}
_known: dict | None = None  # "flags:pattern" -> plan, read from the file at the first lookup
_added = False  # plans made by this process, not yet written
_used = set()  # the keys this process looked up


def get(pattern: str, flags: int):
    """The plan kept for the pattern, or MISSING."""
    _used.add(f"{flags}:{pattern}")
    return _plans().get(f"{flags}:{pattern}", MISSING)


def put(pattern: str, flags: int, plan: dict | None) -> None:
    """Keep a plan just made; it is written when the process ends."""
    global _added
    if not _added:
        atexit.register(save)
    _plans()[f"{flags}:{pattern}"] = plan
    _added = True


def _plans() -> dict:
    global _known
    if _known is None:
        file = path()
        _known = _read(file) if file else {}
    return _known


def path() -> Path | None:
    """The plans file: in the first cache folder this user may trust."""
    folder = next((f for f in cachedir.cache_dirs() if cachedir.trusted(f)), None)
    return folder / f"plans-{_version()[:20]}.json" if folder else None


@functools.lru_cache(maxsize=1)
def _version() -> str:
    here = Path(__file__).parent  # the sources, also when the modules run compiled (timeline/native.py)
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for name in ("lexicon.py", "regexinfo.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def _read(file: Path) -> dict:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if _sound(v)} if isinstance(data, dict) else {}


def _sound(plan) -> bool:
    return plan is None or (isinstance(plan, dict) and plan.keys() == PLAN_KEYS.keys()
                            and all(isinstance(plan[k], t) for k, t in PLAN_KEYS.items()))


def save() -> None:
    """Write the plans (those read and those made) if this process made any; never raises."""
    global _added
    file = path()
    if not _added or file is None:
        return
    tmp = None
    try:
        cachedir.private_folder(file.parent)
        fd, tmp = tempfile.mkstemp(prefix=file.stem + ".", suffix=".tmp", dir=file.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            known = _plans()
            json.dump(known if len(known) <= MAX_PLANS else {k: known[k] for k in _used if k in known}, fh)
        os.replace(tmp, file)
        _added = False
        cachedir.keep_newest(file, "plans-*.json", KEEP_FILES)  # those of older code go
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
