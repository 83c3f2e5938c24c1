"""cachedir: the user's cache folders, where what is worked out once per machine is kept (the
gazetteer's index, the plans of the reader's patterns): ``$TIMELINE_CACHE_DIR``, else
``$XDG_CACHE_HOME/timeline``, else ``~/.cache/timeline``; then a private folder in the temp directory.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CACHE_ENV = "TIMELINE_CACHE_DIR"


def cache_dirs() -> list[Path]:
    """The cache folders, in order of preference."""
    dirs = []
    own = os.environ.get(CACHE_ENV)
    if own:
        dirs.append(Path(own))
    else:
        base = os.environ.get("XDG_CACHE_HOME")
        try:
            dirs.append((Path(base) if base else Path.home() / ".cache") / "timeline")
        except RuntimeError:  # no home directory
            pass
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    dirs.append(Path(tempfile.gettempdir()) / f"timeline-{user}")
    return dirs


def trusted(folder: Path) -> bool:
    """False for a folder in the shared temp directory that another user owns."""
    if not hasattr(os, "getuid") or folder.parent != Path(tempfile.gettempdir()):
        return True
    try:
        return folder.stat().st_uid == os.getuid()
    except OSError:
        return False


def private_folder(folder: Path) -> None:
    """Create the cache folder; refuse a shared temp folder someone else owns."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not trusted(folder):
        raise PermissionError(f"{folder} belongs to another user")
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"{folder} is not writable")


def keep_newest(current: Path, pattern: str, keep: int) -> None:
    """Remove all but the `keep` newest files of `current`'s folder that match `pattern`,
    `current` always kept: those of other data or code (two checkouts) keep theirs a while. A
    process using a removed file keeps it open (POSIX removes it when it closes)."""
    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    others = sorted((p for p in current.parent.glob(pattern) if p != current), key=mtime, reverse=True)
    for old in others[keep - 1:]:
        try:
            old.unlink()
        except OSError:
            pass
