"""The `timeline` command line: a thin skin over the library.

Each command parses its options, calls one library function, writes the result and turns
library errors into one clear line. Heavy libraries (pandas, plotly, dateparser) are imported
inside the commands, so `timeline --help` starts fast.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from pathlib import Path
from typing import NamedTuple

import click

import timeline

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
BUG_REPORTS = "the maintainers of conflict-timeline"


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
                     help="dask: read and reconcile on a Dask cluster, local or --scheduler "
                     "(pip install 'conflict-timeline[dask]')."),
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
    """One line per skipped input and per notice; file names and cells come from the inputs, so
    no escape sequence or newline of theirs reaches the terminal."""
    if quiet:
        return
    from timeline.describe import terminal_text

    for problem in problems:
        click.echo(f"timeline: skipped {terminal_text(str(problem), fold=True)}", err=True)
    for notice in notices:
        click.echo(f"timeline: note: {terminal_text(str(notice), fold=True)}", err=True)


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


def _sources(inputs, db):
    """What a command reads, for the check that no output lands on it."""
    return (*inputs, db) if db else tuple(inputs)


def _from_store(path):
    import sqlite3

    from timeline import store

    try:
        db = store.connect(path, create=False)
        try:
            stale = store.staleness(db, path)
            result = store.load(db)
        finally:
            db.close()
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.DatabaseError as exc:  # a page damaged past the header
        raise click.ClickException(f"{path} cannot be read as a timeline store ({exc}); it may be damaged") from None
    if stale:
        result.notices.append(stale)
        click.echo(f"timeline: warning: {stale}", err=True)
    return result


def db_option(func):
    return click.option("--db", metavar="FILE", type=click.Path(dir_okay=False),
                        help="Read the events stored in this file by `timeline ingest`.")(func)


def _progress(total: int):
    """A progress bar on stderr for long runs, only when stderr is a terminal."""
    if total < 50 or not sys.stderr.isatty():
        return None
    return click.progressbar(length=total, label="reading", file=sys.stderr)


class Target(NamedTuple):
    """Where an output goes, decided before the inputs are read."""

    shown: str  # as the user typed it, for messages
    path: Path  # the file written: resolved, so a link given with --force is written through
    in_place: bool  # a device, FIFO or descriptor: written as it is, never renamed over


def _target(output: str | None, inputs, force: bool = False, default: bool = False) -> Target | None:
    """Check an output before any work is done; None means standard output."""
    if not output or output == "-":
        return None
    _check_not_input(output, inputs, default)
    path = Path(output)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None  # not there yet (or a dangling link, handled below)
    if mode is not None and stat.S_ISDIR(mode):
        raise click.UsageError(f"the output {output!r} is a folder; give a file name")
    if mode is not None and stat.S_ISBLK(mode) and not force:
        # a disk or partition: writing a timeline over it destroys a file system
        raise click.UsageError(f"the output {output!r} is a block device; pass --force to write to it")
    if (mode is not None and not stat.S_ISREG(mode)) or _names_a_descriptor(path):
        # renaming a temporary file over /dev/null or a FIFO would replace the node itself
        return Target(output, path, in_place=True)
    if path.is_symlink() and not force:
        raise click.UsageError(f"the output {output!r} is a symbolic link to {os.readlink(path)!r}; "
                               "pass --force to write through it")
    return Target(output, path.resolve(), in_place=False)


_DESCRIPTOR_FOLDER = re.compile(r"/proc/(self|\d+)/fd")


def _names_a_descriptor(path: Path) -> bool:
    """/dev/stdout, /dev/fd/3, /proc/self/fd/1: another name for an open descriptor, written in
    place even when it leads to a regular file (`-o /dev/stdout > out.json`)."""
    for _ in range(40):  # the kernel's own limit on links followed
        if _DESCRIPTOR_FOLDER.fullmatch(os.path.realpath(path.parent)):
            return True
        if not path.is_symlink():
            return False
        path = path.parent / os.readlink(path)
    return False


def _check_not_input(output: str, inputs, default: bool = False) -> None:
    """Refuse an output that is an input or lies in an input folder (a later run would read it
    back). Resolved paths only: no folder is walked, however large."""
    target = Path(output).resolve()
    existing = _identity(target)
    for item in inputs:
        source = Path(item).resolve()
        if target == source or (existing and existing == _identity(source)):  # or a hard link
            problem = f"refusing to overwrite the input {item!r} with the output"
        elif target.is_relative_to(source) and source.is_dir():
            problem = f"refusing to write the output {output!r} inside the input folder {item!r}"
        else:
            continue
        hint = f" (render writes {output} here by default): give -o FILE" if default else ""
        raise click.UsageError(problem + hint)


def _identity(path: Path):
    """(device, inode): what two names of one file share; None when there is no file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _write(text: str, target: Target | None) -> None:
    """Write to standard output, or to the target checked by `_target`."""
    if target is None:
        click.echo(text, nl=False)
        return
    _write_bytes(text.encode("utf-8"), target)


def _write_bytes(data: bytes, target: Target) -> None:
    """Write text or image bytes: in place for devices and FIFOs, else atomically."""
    _write_with(lambda fh: fh.write(data), target)


def _write_with(fill, target: Target) -> None:
    """Have `fill(binary file)` write the output: in place for devices and FIFOs, else atomically."""
    try:
        if target.in_place:
            _write_in_place(fill, target.path)
        else:
            _replace(fill, target.path)
    except OSError as exc:  # a full disk or a read-only folder is no bug of the tool
        raise click.ClickException(f"cannot write {target.shown}: {exc.strerror or exc}") from None


def _write_in_place(fill, path: Path) -> None:
    # no O_CREAT: the node must still be there; O_APPEND: a file behind /dev/stdout opened with >>
    # keeps what it holds
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND), "wb") as fh:
        fill(fh)


def _replace(fill, target: Path) -> None:
    """Write a hidden temporary file beside the target, then rename it over the target: readers
    see the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = _temporary(target)
    try:
        with os.fdopen(handle, "wb") as fh:
            fill(fh)
        _end_if_signalled()
        _pause_for_tests()
        _end_if_signalled()
        os.chmod(tmp, _mode_for(target))
        if not _replaceable(target):  # became a device or a FIFO since it was checked
            raise click.ClickException(f"{target} is no longer a regular file; nothing written")
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    finally:
        _TEMPORARIES.discard(tmp)


def _replaceable(target: Path) -> bool:
    """A rename replaces a missing name, a file or a link (not what it points to); never a node."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return True
    return stat.S_ISREG(mode) or stat.S_ISLNK(mode)


def _temporary(target: Path):
    """mkstemp beside the target, registered before a signal can land between the two."""
    with _signals_blocked():
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        _TEMPORARIES.add(tmp)
    return handle, tmp


def _pause_for_tests() -> None:
    """TIMELINE_TEST_SLOW_WRITE=SECONDS holds the temporary file that long before the rename, so
    tests/test_outputs.py can signal the process while the file exists (the window is
    otherwise a few milliseconds)."""
    seconds = os.environ.get("TIMELINE_TEST_SLOW_WRITE")
    if seconds:
        import time

        time.sleep(float(seconds))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 less umask)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# ------------------------------------------------------------------ signals and crashes

_TEMPORARIES: set = set()  # temporary files being written, removed if a signal ends the run
_SIGNALS = (signal.SIGTERM, signal.SIGINT)
_HANDLER_STATE: dict = {}  # the pid that installed the handlers, and the handlers they replaced


@contextlib.contextmanager
def _signals_blocked():
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _on_signal(signum, frame):
    """SIGTERM or SIGINT: remove the temporary files, then end with 128 + the signal's number,
    as a shell reports a process killed by it."""
    if os.getpid() != _HANDLER_STATE.get("pid"):  # a forked worker: behave as it did before
        previous = _HANDLER_STATE["previous"].get(signum)
        if callable(previous):
            return previous(signum, frame)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return None
    for tmp in list(_TEMPORARIES):
        _remove(tmp)
    # Kept as well as raised: a handler that runs inside a finaliser (a generator closed as it is
    # dropped) has its exception printed and ignored, and the run would go on to write its output.
    _HANDLER_STATE["ended_by"] = signum
    raise SystemExit(128 + signum)


def _end_if_signalled() -> None:
    """End as the handler would have, if a signal came and its exit was swallowed."""
    signum = _HANDLER_STATE.get("ended_by")
    if signum is not None and os.getpid() == _HANDLER_STATE.get("pid"):
        raise SystemExit(128 + signum)


def _install_signal_handlers() -> dict | None:
    """For the length of one run (CliRunner runs many in one process: the caller restores)."""
    if threading.current_thread() is not threading.main_thread():
        return None  # only the main thread may set handlers
    # a signal ignored by whoever started us (SIGINT for `timeline ... &` in a script) stays ignored
    previous = {signum: signal.signal(signum, _on_signal) for signum in _SIGNALS
                if signal.getsignal(signum) is not signal.SIG_IGN}
    _HANDLER_STATE.update(pid=os.getpid(), previous=previous, ended_by=None)
    return previous


def _restore_signal_handlers(previous: dict | None) -> None:
    for signum, handler in (previous or {}).items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


# click's own ways of ending a run keep their exit codes (so does a closed pipe, `| head`)
_NOT_CRASHES = (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit, EOFError)


def _report_crash(exc: Exception) -> None:
    """One line for the user; the traceback only with TIMELINE_DEBUG=1."""
    if os.environ.get("TIMELINE_DEBUG") == "1":
        import traceback

        click.echo("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), err=True, nl=False)
    message = " ".join(str(exc).split())
    message = message if len(message) <= 300 else message[:299] + "…"
    click.echo(f"timeline: internal error ({type(exc).__name__}: {message}); please report it to "
               f"{BUG_REPORTS} with the command you ran", err=True)


class _Timeline(click.Group):
    """The command group: signal handlers for the run, and exit 3 when the tool itself fails."""

    def invoke(self, ctx):
        previous = _install_signal_handlers()
        try:
            return super().invoke(ctx)
        except Exception as exc:
            if isinstance(exc, _NOT_CRASHES) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE):
                raise
            _report_crash(exc)
            ctx.exit(EXIT_INTERNAL)
        finally:
            _restore_signal_handlers(previous)


def _finish(problems) -> None:
    """Exit 1 when some inputs were skipped (the others were processed)."""
    if problems:
        sys.exit(EXIT_SOME_FAILED)


def force_option(func):
    return click.option("--force", is_flag=True, help="Write through a symlinked output (the file it points "
                        "to is replaced atomically), or to a block device.")(func)


@click.group(cls=_Timeline, context_settings={"help_option_names": ["-h", "--help"]}, epilog="""\b
Exit codes:
  0  done
  1  some inputs were skipped (the others were processed), or an error the message explains
  2  usage error (a bad option, or an output that would land on an input)
  3  internal error of the tool itself: please report it (TIMELINE_DEBUG=1 shows the traceback)
  128+N  ended by signal N (SIGTERM 143, SIGINT 130); temporary files are removed""")
@click.version_option(timeline.__version__, prog_name="timeline")
def main():
    """Turn news articles about a conflict into a dated, sourced record of events, drawn as a
    two-lane timeline: violence above, diplomacy below.

    \b
    Example:
      timeline render seeds/ -o timeline.html && timeline report seeds/

    Outputs are written atomically and never over an input or inside an input folder.
    """


@main.command()
@corpus_options
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@click.option("--format", "format_", type=click.Choice(["json", "jsonl", "csv"]), default="json",
              show_default=True, help="json: the events contract; jsonl: one event a line; csv: a table.")
@force_option
def extract(inputs, output, format_, quiet, force, **kwargs):
    """Read articles and write their events (the events JSON contract).

    \b
    Examples:
      timeline extract seeds/ -o events.json
      timeline extract FA-KES-Dataset.csv --id-column unit_id --title-column article_title \\
          --text-column article_content --outlet-column source
    """
    from timeline import records, report

    target = _target(output, inputs, force)
    if format_ in ("json", "jsonl") and not kwargs.get("db") and kwargs.get("engine", "local") == "local":
        _extract_streamed(inputs, format_, target, quiet, **kwargs)
        return
    result = _run(inputs, quiet, **kwargs)
    if format_ == "json":
        text = records.to_json(result.documents, result.events, result.unresolved)
    elif format_ == "jsonl":
        text = records.to_jsonl(result.events)
    else:
        text = report.table(result.events)
    _write(text, target)
    _finish(result.problems)


def _extract_streamed(inputs, format_, target, quiet, **kwargs) -> None:
    """The events file written record by record as the run gives them: a corpus of any size is
    never held whole (pipeline.stream)."""
    from timeline import pipeline, records

    if not inputs:
        raise click.UsageError("no INPUT given (files, folders, corpora or events files)")
    with pipeline.stream(list(inputs), _options(**kwargs), progress=None if quiet else _progress,
                         jobs=kwargs.get("jobs", 1)) as run:
        _report_problems(run.problems, quiet, run.notices)

        def fill(write):
            if format_ == "json":
                records.write_json(write, run.documents(), run.events(), run.unresolved)
            else:
                for event in run.events():
                    write(records.to_jsonl([event]))

        _write_text(fill, target)
    _finish(run.problems)


def _write_text(fill, target: Target | None) -> None:
    """Have `fill(write)` write text, piece by piece, to standard output or the target."""
    if target is None:
        with _Buffered(lambda text: click.echo(text, nl=False)) as write:
            fill(write)
        return

    def into(fh):
        with _Buffered(lambda text: fh.write(text.encode("utf-8"))) as write:
            fill(write)

    _write_with(into, target)


class _Buffered:
    """Pieces of text joined into writes of about a megabyte (a write per record is slow)."""

    SIZE = 1 << 20

    def __init__(self, out):
        self.out, self.pieces, self.size = out, [], 0

    def __call__(self, text: str) -> None:
        self.pieces.append(text)
        self.size += len(text)
        if self.size >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        if self.pieces:
            self.out("".join(self.pieces))
        self.pieces, self.size = [], 0

    def __enter__(self):
        return self

    def __exit__(self, kind, *exc):
        if kind is None:
            self.flush()
        return False


@main.command()
@corpus_options
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@force_option
def dates(inputs, format_, output, quiet, force, **kwargs):
    """Audit the date reading: each document's publication date with its evidence, and every
    temporal expression with its span, value and reason.

    \b
    Examples:
      timeline dates seeds/003_64b11752b0c503c2.txt
      timeline dates seeds/ --format json
    """
    from timeline import audit, pipeline

    target = _target(output, inputs, force)
    readings, problems = pipeline.read_dates_of(list(inputs), _options(**kwargs))
    _report_problems(problems, quiet)
    _write(audit.render(readings, format_), target)
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
@force_option
def report(inputs, output, format_, window, start, end, lane, place, actor, type_, quiet, db, force, **kwargs):
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
    target = _target(output, _sources(inputs, db), force)  # before the reading and drawing, not after
    result = _run(inputs, quiet, db, **kwargs)
    filters = report_module.Filters(start=start, end=end, lane=lane, place=place, actor=actor, type=type_)
    if format_ in ("html", "docx"):
        from timeline import brief

        out = brief.render(result.events, result.documents, result.unresolved, format_, filters=filters)
    else:
        out = report_module.render(result.events, result.documents, result.unresolved, format=format_,
                                   window_hours=window, filters=filters, revisions=result.revisions)
    if isinstance(out, bytes):
        _write_bytes(out, target)
    else:
        _write(out, target)
    _finish(result.problems)


@main.command()
@db_option
@corpus_options
@click.option("--to", "to", type=click.Choice(["timelinejs", "acled", "geojson"]), required=True,
              help="timelinejs: TimelineJS3 JSON; acled: ACLED-style CSV; geojson: points.")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
@force_option
def export(inputs, to, output, quiet, db, force, **kwargs):
    """Export events for other tools: TimelineJS3, ACLED-style CSV (reads back in), GeoJSON.

    \b
    Examples:
      timeline export seeds/ --to timelinejs -o timeline.json
      timeline export seeds/ --to acled -o events.csv && timeline report events.csv
    """
    from timeline import export as export_module

    target = _target(output, _sources(inputs, db), force)
    result = _run(inputs, quiet, db, **kwargs)
    _write(export_module.render(result.events, result.documents, to), target)
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
@force_option
def render(inputs, output, embed, plotlyjs, image, link_hours, title, div_id, quiet, db, force, **kwargs):
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
    if output or not image:
        # the default name is checked like a typed one: `timeline render .` must not replace an article
        page_target = _target(output or "timeline.html", _sources(inputs, db), force, default=not output)
        output = output or "timeline.html"
    image_target = _target(image, _sources(inputs, db), force) if image else None
    result = _run(inputs, quiet, db, **kwargs)
    frame = describe.frame(result.events, result.documents)
    window = render_module.window_of(result.documents)
    title = title or describe.title(result.events, window)
    if output:
        page = render_module.page(frame, plotlyjs=plotlyjs, embed=embed, title=title, link_hours=link_hours,
                                  plot_id=div_id, salt=Path(output).name, window=window)
        _write(page, page_target)
        if not quiet:
            click.echo(f"timeline: wrote {output} ({len(result.events)} events)", err=True)
    if image:
        _write_bytes(_draw(render_module, frame, image, title, link_hours, window), image_target)
        if not quiet:
            click.echo(f"timeline: wrote {image}", err=True)
    _finish(result.problems)


def _draw(render_module, frame, image, title, link_hours, window) -> bytes:
    fig = render_module.figure(frame, title=title, static=True, link_hours=link_hours, window=window)
    try:
        return render_module.image(fig, image.rsplit(".", 1)[-1].lower())
    except Exception as exc:  # kaleido reports a missing or broken Chromium in many ways
        raise click.ClickException(f"could not draw the image ({type(exc).__name__}: {exc}); the image needs "
                                   "Chromium (Debian package 'chromium')") from None


@main.command("ingest")
@corpus_options
@click.option("--db", metavar="FILE", required=True, type=click.Path(dir_okay=False),
              help="The store (an SQLite file; created if missing).")
@click.option("--repair", is_flag=True, help="Rebuild the store's events from its documents (after an "
              "interrupted ingest); INPUT may then be omitted.")
def ingest_command(inputs, db, quiet, repair, **kwargs):
    """Add articles to an event store: new documents are read, unchanged ones skipped, changed
    ones replaced; events are rebuilt and every change to a toll is kept. One ingest writes at a
    time: a second one waits for the first (it says so) and then adds what is new to it.

    \b
    Examples:
      timeline ingest --db syria.db seeds/
      timeline ingest --db syria.db today/ && timeline report --db syria.db
      timeline ingest --db syria.db --repair
    """
    import sqlite3
    from datetime import datetime, timezone

    from timeline import pipeline, store

    if not inputs and not repair:
        raise click.UsageError("no INPUT given (or --repair to rebuild the store's events)")
    _check_store_path(db, inputs)

    def waiting():
        if not quiet:
            click.echo(f"timeline: {db}: waiting for another ingest into it to finish…", err=True)

    try:
        with store.writer(db, waiting):
            connection = store.connect(db)
            try:
                now = datetime.now(timezone.utc).isoformat(timespec="seconds")
                result = pipeline.ingest_store(connection, list(inputs), _options(**kwargs), now,
                                               jobs=kwargs.get("jobs", 1), repair=repair)
            finally:
                connection.close()
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.OperationalError as exc:  # the disk filled, the file became read-only mid-run
        raise click.ClickException(store._operational(db, exc) + "; what was committed is kept") from None
    _report_problems(result.problems, quiet, result.notices)
    if not quiet:
        click.echo(f"timeline: {db}: {len(result.added)} added, {len(result.replaced)} replaced, "
                   f"{len(result.unchanged)} unchanged; {result.events} events", err=True)
    _finish(result.problems)


def _check_store_path(db: str, inputs) -> None:
    """The store is written in place by SQLite: it must be a regular file, and not an input."""
    _check_not_input(db, inputs)
    if os.path.exists(db) and not stat.S_ISREG(os.stat(db).st_mode):
        raise click.UsageError(f"the store {db!r} is not a regular file")


@main.command()
@click.argument("event_id")
@click.option("--db", metavar="FILE", required=True, type=click.Path(dir_okay=False, exists=True))
def history(event_id, db):
    """Show how an event's toll moved as reports came in.

    \b
    Example:
      timeline history ev-8da37285f7 --db syria.db
    """
    import sqlite3

    from timeline import store

    try:
        connection = store.connect(db, create=False)
        try:
            stale = store.staleness(connection, db)
            rows = store.history(connection, event_id)
            known = connection.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone()
        finally:
            connection.close()
    except store.StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{db} cannot be read as a timeline store ({exc}); it may be damaged") from None
    if stale:
        click.echo(f"timeline: warning: {stale}", err=True)
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
