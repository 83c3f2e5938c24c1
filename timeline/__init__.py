"""timeline: news articles about a conflict -> a dated, sourced, two-lane record of events.

The package import is kept light (no pandas, plotly or dateparser) so that the CLI starts fast;
the public API below is loaded on first use.
"""

from timeline import native

__version__ = "0.1.0"

native.install()  # before any other module of the package is imported: see native.py

__all__ = ["load", "Timeline", "Document", "InputProblem", "SCHEMA", "__version__"]

_LAZY = {
    "load": "timeline.api",
    "Timeline": "timeline.api",
    "Document": "timeline.records",
    "InputProblem": "timeline.ingest",
    "SCHEMA": "timeline.records",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'timeline' has no attribute {name!r}")
