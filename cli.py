"""The `timeline` command line: a thin skin over the library.

Each command parses its options, calls one library function, writes the result and turns
library errors into one clear line. Heavy libraries (pandas, plotly, dateparser) are imported
inside the commands, so `timeline --help` starts fast.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

import timeline

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def corpus_options(func):
    """INPUT arguments and the options that say how to read corpus files."""
    decorators = [
        click.argument("inputs", nargs=-1, type=click.Path()),
        click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for every input "
                     "article; overrides dates found in metadata or text."),
        click.option("--date-order", type=click.Choice(["auto", "DMY", "MDY"], case_sensitive=False),
                     default="auto", show_default=True, help="How to read numeric dates like 05/09/2016."),
        click.option("--text-column", default="text", show_default=True, help="Corpus column holding article text."),
        click.option("--title-column", default="title", show_default=True, help="Corpus column holding the title."),
        click.option("--id-column", default="id", show_default=True, help="Corpus column holding document ids."),
        click.option("--date-column", default=None, help="Corpus column holding publication dates (trusted)."),
        click.option("--outlet-column", default=None, help="Corpus column naming the outlet."),
        click.option("--quiet", "-q", is_flag=True, help="Do not report skipped inputs on stderr."),
        click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
                     help="Read articles in this many processes (the output is the same)."),
        click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="dask: read articles as Dask tasks (pip install 'conflict-timeline[dask]')."),
        click.option("--scheduler", metavar="ADDRESS", default=None,
                     help="With --engine dask: the address of a Dask scheduler (default: local processes)."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _options(published, date_order, text_column, title_column, id_column, date_column, outlet_column,
             jobs=1, engine="local", scheduler=None):
    from timeline import dates, ingest, pipeline

    day = None
    if published:
        day = dates.parse_date_value(published)
        if day is None:
            raise click.BadParameter(f"cannot read {published!r} as a date (use YYYY-MM-DD)",
                                     param_hint="--published")
    corpus = ingest.CorpusOptions(text_column=text_column, title_column=title_column, id_column=id_column,
                                  date_column=date_column, outlet_column=outlet_column)
    return pipeline.Options(published=day, date_order=date_order.upper(), corpus=corpus)


def _report_problems(problems, quiet: bool, notices=()) -> None:
    if not quiet:
        for problem in problems:
            click.echo(f"timeline: skipped {problem}", err=True)
        for notice in notices:
            click.echo(f"timeline: note: {notice}", err=True)


def _run(inputs, quiet, db=None, **kwargs):
    """Read the inputs, or the store given with --db."""
    from timeline import pipeline

    if db:
        if inputs:
            raise click.UsageError("give either INPUT files or --db, not both (ingest them first)")
        return _from_store(db)
    if not inputs:
        raise click.UsageError("no INPUT given (files, folders, corpora or events files)")
    jobs, engine, scheduler = kwargs.get("jobs", 1), kwargs.get("engine", "local"), kwargs.get("scheduler")
    if engine == "dask":
        import importlib.util

        if importlib.util.find_spec("dask") is None:
            raise click.UsageError("--engine dask needs Dask: pip install 'conflict-timeline[dask]'")
    result = pipeline.run(list(inputs), _options(**kwargs), progress=None if quiet else _progress, jobs=jobs,
                          engine=engine, scheduler=scheduler)
    _report_problems(result.problems, quiet, result.notices)
    return result


def _from_store(path):
    from timeline import store

    try:
        db = store.connect(path, create=False)
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        return store.load(db)
    finally:
        db.close()


def db_option(func):
    return click.option("--db", metavar="FILE", type=click.Path(dir_okay=False),
                        help="Read the events stored in this file by `timeline ingest`.")(func)


def _progress(total: int):
    """A progress bar on stderr for long runs, only when stderr is a terminal."""
    if total < 50 or not sys.stderr.isatty():
        return None
    return click.progressbar(length=total, label="reading", file=sys.stderr)


def _check_not_input(output: str, inputs) -> None:
    target = Path(output).resolve()
    for item in inputs:
        if Path(item).resolve() == target:
            raise click.UsageError(f"refusing to overwrite the input {item!r} with the output")


def _write(text: str, output: str | None, inputs=()) -> None:
    """Write to stdout, or atomically to a file that is not one of the inputs."""
    if not output or output == "-":
        click.echo(text, nl=False)
        return
    _write_bytes(text.encode("utf-8"), output, inputs)


def _write_bytes(data: bytes, output: str, inputs=()) -> None:
    """Write bytes atomically to a file that is not one of the inputs."""
    _check_not_input(output, inputs)
    target = Path(output).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less umask)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _finish(problems) -> None:
    """Exit 1 when some inputs were skipped (the others were processed)."""
    if problems:
        sys.exit(EXIT_SOME_FAILED)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(timeline.__version__, prog_name="timeline")
def main():
    """Turn news articles about a conflict into a dated, sourced record of events, drawn as a
    two-lane timeline: violence above, diplomacy below.

    \b
    Example:
      timeline render seeds/ -o timeline.html && timeline report seeds/
    """


@main.command()
@corpus_options
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@click.option("--format", "format_", type=click.Choice(["json", "jsonl", "csv"]), default="json",
              show_default=True, help="json: the events contract; jsonl: one event a line; csv: a table.")
def extract(inputs, output, format_, quiet, **kwargs):
    """Read articles and write their events (the events JSON contract).

    \b
    Examples:
      timeline extract seeds/ -o events.json
      timeline extract FA-KES-Dataset.csv --id-column unit_id --title-column article_title \\
          --text-column article_content --outlet-column source
    """
    from timeline import records, report

    result = _run(inputs, quiet, **kwargs)
    if format_ == "json":
        text = records.to_json(result.documents, result.events, result.unresolved)
    elif format_ == "jsonl":
        text = records.to_jsonl(result.events)
    else:
        text = report.table(result.events)
    _write(text, output, inputs)
    _finish(result.problems)


@main.command()
@corpus_options
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
def dates(inputs, format_, output, quiet, **kwargs):
    """Audit the date reading: each document's publication date with its evidence, and every
    temporal expression with its span, value and reason.

    \b
    Examples:
      timeline dates seeds/003_64b11752b0c503c2.txt
      timeline dates seeds/ --format json
    """
    from timeline import audit, pipeline

    readings, problems = pipeline.read_dates_of(list(inputs), _options(**kwargs))
    _report_problems(problems, quiet)
    _write(audit.render(readings, format_), output, inputs)
    _finish(problems)


def _window(ctx, param, value):
    from timeline.report import parse_window

    try:
        return parse_window(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class _TypeOption(click.Option):
    """--type lists the valid type ids in --help, read only when help is shown (start-up stays light)."""

    def get_help_record(self, ctx):
        from timeline import lexicon

        self.help = "Only events of this type: " + ", ".join(lexicon.type_ids()) + "."
        return super().get_help_record(ctx)


def _type_id(ctx, param, value):
    if value is None:
        return None
    from timeline import lexicon

    if value not in lexicon.type_ids():
        raise click.BadParameter(f"unknown type {value!r}; valid types: {', '.join(lexicon.type_ids())}")
    return value


def _day(ctx, param, value):
    if value is None:
        return None
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise click.BadParameter(f"{value!r} is not a date like 2016-09-05")
    return value


@main.command()
@db_option
@corpus_options
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@click.option("--format", "format_", type=click.Choice(["md", "txt", "csv", "json", "html", "docx"]), default="md",
              show_default=True, help="md, txt, csv, json: the report; html, docx: a brief for a web page or Word "
              "(key points, the timeline as a picture, the chronology, the sources).")
@click.option("--window", default="48h", show_default=True, callback=_window,
              help="How near violence must be to a diplomatic event to be listed under it (48h, 2d).")
@click.option("--from", "start", metavar="DATE", callback=_day, help="Only events on or after this date.")
@click.option("--to", "end", metavar="DATE", callback=_day, help="Only events on or before this date.")
@click.option("--lane", type=click.Choice(["violence", "diplomacy"]), help="Only this lane.")
@click.option("--place", help="Only events whose place, spot, province or country contains this.")
@click.option("--actor", help="Only events with an actor whose name contains this.")
@click.option("--type", "type_", metavar="TYPE", cls=_TypeOption, callback=_type_id,
              help="Only events of this type (an id of event_types.yaml).")
def report(inputs, output, format_, window, start, end, lane, place, actor, type_, quiet, db, **kwargs):
    """Print a report: the chronology (each day's violence counted once), what each outlet says,
    the violence around each diplomatic event, what could not be dated, and the evidence.
    --format html or docx writes a brief instead: the key points, the timeline as a picture (drawn
    through Chromium; left out, with a note, when it cannot be), the chronology and the sources.

    \b
    Examples:
      timeline report seeds/
      timeline report events.json --format txt --from 2016-09-05 --lane violence
      timeline report seeds/ --format docx -o brief.docx
      timeline report seeds/ --format html --lane diplomacy -o brief.html
    """
    from timeline import report as report_module

    if format_ == "docx" and (not output or output == "-"):
        raise click.UsageError("--format docx writes a Word file: give -o FILE.docx")
    if output and output != "-":
        _check_not_input(output, inputs)  # before the reading and drawing, not after
    result = _run(inputs, quiet, db, **kwargs)
    filters = report_module.Filters(start=start, end=end, lane=lane, place=place, actor=actor, type=type_)
    if format_ in ("html", "docx"):
        from timeline import brief

        out = brief.render(result.events, result.documents, result.unresolved, format_, filters=filters)
    else:
        out = report_module.render(result.events, result.documents, result.unresolved, format=format_,
                                   window_hours=window, filters=filters, revisions=result.revisions)
    if isinstance(out, bytes):
        _write_bytes(out, output, inputs)
    else:
        _write(out, output, inputs)
    _finish(result.problems)


@main.command()
@db_option
@corpus_options
@click.option("--to", "to", type=click.Choice(["timelinejs", "acled", "geojson"]), required=True,
              help="timelinejs: TimelineJS3 JSON; acled: ACLED-style CSV; geojson: points.")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
def export(inputs, to, output, quiet, db, **kwargs):
    """Export events for other tools: TimelineJS3, ACLED-style CSV (reads back in), GeoJSON.

    \b
    Examples:
      timeline export seeds/ --to timelinejs -o timeline.json
      timeline export seeds/ --to acled -o events.csv && timeline report events.csv
    """
    from timeline import export as export_module

    result = _run(inputs, quiet, db, **kwargs)
    _write(export_module.render(result.events, result.documents, to), output, inputs)
    _finish(result.problems)


@main.command()
@db_option
@corpus_options
@click.option("-o", "--output", metavar="FILE.html", default=None,
              help="Where to write the HTML [default: timeline.html, or none when only --image is asked for].")
@click.option("--embed", is_flag=True, help="Write an HTML fragment (no html/head/body, its own div id) for a "
              "host page that loads plotly.js once itself.")
@click.option("--plotlyjs", type=click.Choice(["inline", "cdn", "none"]), default="inline", show_default=True,
              help="inline: works offline (about 5 MB); cdn: small file, needs the network; none: the page "
              "loads plotly.js itself.")
@click.option("--image", metavar="FILE.png|svg|pdf", default=None,
              help="Also (or only) write a static image for documents (labelled, or numbered with a key), "
              "through Chromium.")
@click.option("--link-hours", type=float, default=None, metavar="N",
              help="Draw a dotted line from each diplomatic event to the violence within N hours of it.")
@click.option("--title", default=None, help="Title shown above the timeline.")
@click.option("--div-id", default=None, metavar="ID",
              help="The id of the plot's div [default: derived from the timeline and the output's name, so two "
              "fragments on one page differ].")
def render(inputs, output, embed, plotlyjs, image, link_hours, title, div_id, quiet, db, **kwargs):
    """Draw the two-lane interactive timeline as HTML (and, with --image, PNG or SVG).

    \b
    Examples:
      timeline render seeds/ -o timeline.html
      timeline render events.json --embed -o fragment.html
      timeline render seeds/ --image timeline.png
    """
    from timeline import describe
    from timeline import render as render_module

    if image and not image.lower().endswith((".png", ".svg", ".pdf")):
        raise click.BadParameter("the image must end in .png, .svg or .pdf", param_hint="--image")
    if output and output.lower().endswith((".png", ".svg", ".pdf")):
        if image:
            raise click.BadParameter("give the image either with -o or with --image", param_hint="-o")
        output, image = None, output  # -o timeline.png asks for an image, not HTML in a .png file
    if div_id is not None and not render_module.PLOT_ID.fullmatch(div_id):
        raise click.BadParameter(f"a div id is a letter then letters, digits, - or _ (at most 64), not {div_id!r}",
                                 param_hint="--div-id")
    result = _run(inputs, quiet, db, **kwargs)
    frame = describe.frame(result.events, result.documents)
    window = render_module.window_of(result.documents)
    title = title or describe.title(result.events, window)
    if output or not image:
        output = output or "timeline.html"
        page = render_module.page(frame, plotlyjs=plotlyjs, embed=embed, title=title, link_hours=link_hours,
                                  plot_id=div_id, salt=Path(output).name, window=window)
        _write(page, output, inputs)
        if not quiet:
            click.echo(f"timeline: wrote {output} ({len(result.events)} events)", err=True)
    if image:
        _check_not_input(image, inputs)
        fig = render_module.figure(frame, title=title, static=True, link_hours=link_hours, window=window)
        try:
            _write_bytes(render_module.image(fig, image.rsplit(".", 1)[-1].lower()), image, inputs)
        except Exception as exc:  # kaleido reports a missing or broken Chromium in many ways
            raise click.ClickException(f"could not draw the image ({type(exc).__name__}: {exc}); the image needs "
                                       "Chromium (Debian package 'chromium')") from None
        if not quiet:
            click.echo(f"timeline: wrote {image}", err=True)
    _finish(result.problems)


@main.command("ingest")
@corpus_options
@click.option("--db", metavar="FILE", required=True, type=click.Path(dir_okay=False),
              help="The store (an SQLite file; created if missing).")
def ingest_command(inputs, db, quiet, **kwargs):
    """Add articles to an event store: new documents are read, unchanged ones skipped, changed
    ones replaced; events are rebuilt and every change to a toll is kept.

    \b
    Examples:
      timeline ingest --db syria.db seeds/
      timeline ingest --db syria.db today/ && timeline report --db syria.db
    """
    from datetime import datetime, timezone

    from timeline import pipeline, store

    if not inputs:
        raise click.UsageError("no INPUT given")
    try:
        connection = store.connect(db)
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        result = pipeline.ingest_store(connection, list(inputs), _options(**kwargs), now, jobs=kwargs.get("jobs", 1))
    finally:
        connection.close()
    _report_problems(result.problems, quiet, result.notices)
    if not quiet:
        click.echo(f"timeline: {db}: {len(result.added)} added, {len(result.replaced)} replaced, "
                   f"{len(result.unchanged)} unchanged; {result.events} events", err=True)
    _finish(result.problems)


@main.command()
@click.argument("event_id")
@click.option("--db", metavar="FILE", required=True, type=click.Path(dir_okay=False, exists=True))
def history(event_id, db):
    """Show how an event's toll moved as reports came in.

    \b
    Example:
      timeline history ev-8da37285f7 --db syria.db
    """
    from timeline import store

    try:
        connection = store.connect(db, create=False)
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        rows = store.history(connection, event_id)
        known = connection.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
    finally:
        connection.close()
    if not known and not rows:
        raise click.ClickException(f"no event {event_id!r} in {db}")
    if not rows:
        click.echo(f"{event_id}: no toll reported")
    for row in rows:
        toll = "no toll" if row["low"] is None else (
            str(row["low"]) if row["low"] == row["high"] else f"{row['low']}–{row['high']}")
        click.echo(f"{row['ingested_at']}  {toll:>8}  after {', '.join(row['documents'])}")


if __name__ == "__main__":
    main()
