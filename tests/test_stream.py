"""Streamed runs (issue 17): `timeline extract` spills each document's mentions to disk as it is
read, clusters them a partition at a time and writes the events file a day at a time. What it
writes must be exactly what the in-memory run gives, for any partitioning; its temporary files
must go away however the run ends."""

import csv
import json
import math
import os
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, fakes_csv_rows
from test_acled import write_export
from timeline import ingest, pipeline, reconcile, records, spill

CORPUS = ingest.CorpusOptions(text_column="article_content", title_column="article_title", id_column="unit_id",
                              outlet_column="source")


def streamed_text(paths, options, jobs=1) -> str:
    with pipeline.stream(paths, options, jobs=jobs) as run:
        pieces = []
        records.write_json(pieces.append, run.documents(), run.events(), run.unresolved)
        return "".join(pieces)


def in_memory_text(paths, options) -> str:
    result = pipeline.run(paths, options)
    return records.to_json(result.documents, result.events, result.unresolved)


@pytest.fixture(scope="module")
def fakes_rows(tmp_path_factory):
    """60 FA-KES articles, as a corpus file."""
    rows = fakes_csv_rows(60)
    path = tmp_path_factory.mktemp("stream") / "fakes60.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("part_size", [pytest.param(reconcile.PART_SIZE, marks=pytest.mark.slow),
                                       pytest.param(30, marks=pytest.mark.slow), 5])
def test_a_streamed_run_writes_what_the_in_memory_run_gives(fakes_rows, monkeypatch, part_size):
    """With the lanes cut into many periods (a size of 5 mentions cuts them at nearly every
    quiet day), both runs cluster the same partitions and must agree to the byte."""
    monkeypatch.setattr(reconcile, "PART_SIZE", part_size)
    options = pipeline.Options(corpus=CORPUS)
    streamed = streamed_text([str(fakes_rows)], options)
    assert streamed == in_memory_text([str(fakes_rows)], options)
    data = json.loads(streamed)
    assert len(data["documents"]) == 60 and len(data["events"]) > 40 and data["unresolved"]


def test_tables_and_events_files_stream_as_they_run(tmp_path):
    """Rows of an event table reconcile with the articles (their mentions spilled after the
    articles'); an events file given as input is merged in memory, as `run` merges it."""
    table = write_export(tmp_path / "acled.csv")
    options = pipeline.Options()
    assert streamed_text([str(SEEDS), str(table)], options) == in_memory_text([str(SEEDS), str(table)], options)
    events_file = tmp_path / "seeds.json"
    events_file.write_text(in_memory_text([str(SEEDS)], options), encoding="utf-8")
    both = [str(events_file), str(table)]
    assert streamed_text(both, options) == in_memory_text(both, options)


def test_the_spill_is_removed_when_the_run_ends_or_fails(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pipeline.stream([str(SEEDS)]) as run:
        assert [p.name for p in tmp_path.iterdir()][0].startswith("timeline-")
        next(run.events())
    assert not list(tmp_path.iterdir())
    with pytest.raises(OSError):  # a full disk while the events file is written
        with pipeline.stream([str(SEEDS)]) as run:
            for _ in run.events():
                raise OSError(28, "No space left on device")
    assert not list(tmp_path.iterdir())


def test_mentions_read_back_share_their_repeated_values():
    """A partition read back holds one object per repeated value (lane, outlet, place ...), not
    one per mention: what keeps a read-back partition as small as it was when read."""
    result = pipeline.run([str(SEEDS)])
    mentions = [m for e in result.events for m in e.mentions]
    with spill.Spill() as kept:
        kept.add_mentions(mentions)
        back = [m for part in kept.partitions() for m in part]
    assert sorted(back, key=lambda m: (m.document, m.start)) == sorted(mentions, key=lambda m: (m.document, m.start))
    places = [m.place for m in back if m.place]
    assert len(places) > len(set(places)) and len({id(p) for p in places}) == len(set(places))
    assert len({id(m.lane) for m in back if m.lane == "violence"}) == 1


class Record:
    def __init__(self, data):
        self.data = data

    def to_dict(self):
        return self.data


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=100, deadline=None)
@given(st.lists(JSON, max_size=4), st.lists(JSON, max_size=4), st.lists(st.text(), max_size=3))
def test_the_events_file_written_in_pieces_is_the_whole_dumped_at_once(documents, events, unresolved):
    whole = {"schema": records.SCHEMA, "documents": documents, "events": events, "unresolved": unresolved}
    pieces = []
    records.write_json(pieces.append, map(Record, documents), map(Record, events), unresolved)
    assert "".join(pieces) == records.dumps(whole, indent=2) + "\n"
    assert not any(isinstance(x, float) and not math.isfinite(x) for x in json.loads("".join(pieces))["events"])


def test_extract_streams_to_standard_output_and_to_a_file(tmp_path):
    from click.testing import CliRunner

    from cli import main

    out = tmp_path / "events.json"
    runner = CliRunner()
    to_file = runner.invoke(main, ["extract", str(SEEDS), "-q", "-o", str(out)])
    to_stdout = runner.invoke(main, ["extract", str(SEEDS), "-q"])
    assert to_file.exit_code == to_stdout.exit_code == 0
    assert out.read_text(encoding="utf-8") == to_stdout.output == in_memory_text([str(SEEDS)], pipeline.Options())
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
