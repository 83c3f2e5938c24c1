"""The reader's modules compiled by Cython at install, and loaded only while they are current.

Why: most of the reader's time outside the regex engine is the interpreter running our Python
(a call, an attribute, a lookup at a time). Cython compiles the same .py files, unchanged, to C;
the readings are the same and a reading costs about 15% fewer instructions
(benchmarks/reading_instructions.py). There is no second source: the .py files are the code.

How a compiled module stays true to its source: setup.py names each compiled file after the hash
of the source it was compiled from (`lexicon.<hash>.cpython-311-x86_64-linux-gnu.so`). Python's
own import never picks such a name up, so without this finder everything is read as Python; the
finder loads a compiled module only when the .py beside it still has that hash. A source that was
edited, checked out or patched since the install is read as Python until the next install
compiles it again. An install without Cython or a C compiler is pure Python and reads the same.

TIMELINE_PURE=1 in the environment reads every module as Python (for a profiler or a debugger,
which see no frames inside compiled code).
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# What reading an article runs (ingest to reconcile); the render and report side is not hot.
MODULES = ("calendar", "clean", "dates", "extract", "gazetteer", "htmltext", "ingest", "lexicon", "pipeline",
           "places", "reconcile", "records", "regexinfo", "sentences", "timex", "tolls")
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]  # e.g. .cpython-311-x86_64-linux-gnu.so


def source_hash(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()[:16]


def compiled_name(module: str, digest: str, suffix: str = SUFFIX) -> str:
    return f"{module}.{digest}{suffix}"


def compiled_path(module: str, package: Path = PACKAGE) -> Path | None:
    """The compiled file of `module` built from its current source, if there is one."""
    try:
        source = (package / f"{module}.py").read_bytes()
    except OSError:
        return None
    built = package / compiled_name(module, source_hash(source))
    return built if built.is_file() else None


class Finder:
    """A meta path finder for timeline's compiled modules; anything else is left to Python."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, module = fullname.rpartition(".")
        if package != "timeline" or module not in MODULES:
            return None
        built = compiled_path(module)
        return importlib.util.spec_from_file_location(fullname, built) if built else None


def install() -> None:
    if os.environ.get("TIMELINE_PURE") or any(isinstance(f, Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, Finder())


def in_use() -> list[str]:
    """The modules that this process runs compiled."""
    return [m for m in MODULES if getattr(sys.modules.get(f"timeline.{m}"), "__file__", "").endswith(SUFFIX)]
