"""Loading of the vocabulary files in timeline/data (cached: each file is parsed once)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


@functools.lru_cache(maxsize=None)
def load(name: str):
    """Parse timeline/data/NAME (.yaml or .json)."""
    path = DATA / name
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def pattern(name: str):
    """The compiled phrase pattern `name` of patterns.yaml."""
    import re

    return re.compile(load("patterns.yaml")["patterns"][name]["pattern"])
