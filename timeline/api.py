"""The Python API for notebooks:

    >>> import timeline
    >>> t = timeline.load(["seeds/"])
    >>> t.events                # pandas DataFrame, one row per event (columns: records.COLUMNS)
    >>> t.figure().show()       # plotly Figure, two lanes
    >>> print(t.report("md"))
"""

from __future__ import annotations

from datetime import date

from timeline import describe, ingest, pipeline, records, render, report


class Timeline:
    """The result of reading some inputs: documents, events, and what could not be read."""

    def __init__(self, result: records.Result):
        self.result = result

    @property
    def documents(self) -> list[records.Document]:
        return self.result.documents

    @property
    def records(self) -> list[records.Event]:
        """Events as typed records (records.Event; `.to_dict()` gives the JSON shape)."""
        return self.result.events

    @property
    def events(self):
        return records.frame(self.result.events)

    @property
    def unresolved(self) -> list[str]:
        return self.result.unresolved

    @property
    def problems(self) -> list:
        return self.result.problems

    def to_json(self) -> str:
        return records.to_json(self.documents, self.records, self.unresolved)

    def figure(self, title: str | None = None):
        """The labelled timeline as a plotly Figure (what `render --image` draws; the HTML page's
        zooming and clustering need its script: `timeline render`)."""
        window = render.window_of(self.documents)
        return render.figure(describe.frame(self.records, self.documents), static=True, window=window,
                             title=title or describe.title(self.records, window))

    def report(self, format: str = "md") -> str:
        return report.render(self.records, self.documents, self.unresolved, format=format)


def load(paths, published: date | str | None = None, date_order: str = "auto", text_column: str = "text",
         title_column: str | None = "title", id_column: str | None = "id", date_column: str | None = None,
         outlet_column: str | None = None) -> Timeline:
    """Read articles, folders, corpora (.csv/.jsonl) and events files into a Timeline."""
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    if isinstance(published, str):
        published = date.fromisoformat(published)
    corpus = ingest.CorpusOptions(text_column=text_column, title_column=title_column, id_column=id_column,
                                  date_column=date_column, outlet_column=outlet_column)
    options = pipeline.Options(published=published, date_order=date_order, corpus=corpus)
    return Timeline(pipeline.run([str(p) for p in paths], options))
