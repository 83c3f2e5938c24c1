import csv
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_000 = SEEDS / "000_0e2d6fac08845090.txt"
SEED_003 = SEEDS / "003_64b11752b0c503c2.txt"
SHARED = ROOT.parent / "shared" / "data"
FAKES = SHARED / "fakes" / "FA-KES-Dataset.csv"
FAKES_COLUMNS = ["--id-column", "unit_id", "--title-column", "article_title", "--text-column",
                 "article_content", "--outlet-column", "source"]


class CliResult:
    """What a CLI run gave: the attributes of subprocess.CompletedProcess that the tests use."""

    def __init__(self, args, returncode, stdout, stderr):
        self.args, self.returncode, self.stdout, self.stderr = args, returncode, stdout, stderr

    def __repr__(self):
        return f"CliResult(args={self.args!r}, returncode={self.returncode!r})"


def run_cli(*args, cwd=ROOT, check=None):
    """Run `timeline ARGS` in this process through click's CliRunner: as a user would, less the
    interpreter start-up. An uncaught exception gives a non-zero returncode with its traceback
    in stderr, as in a real process. Module caches persist between calls; use
    run_cli_subprocess when a fresh interpreter (imports, signals, TTYs, workers) is the point."""
    import traceback

    from click.testing import CliRunner

    import cli

    args = [str(a) for a in args]
    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli.main, args, prog_name="timeline", catch_exceptions=True)
    finally:
        os.chdir(here)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    proc = CliResult(["timeline", *args], result.exit_code, result.stdout, stderr)
    if check is not None:
        assert proc.returncode == check, proc.stderr
    return proc


def run_cli_subprocess(*args, cwd=ROOT, check=None):
    """Run `python cli.py ARGS` in a fresh subprocess, as a user would."""
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    if check is not None:
        assert proc.returncode == check, proc.stderr
    return proc


@pytest.fixture(scope="session")
def seeds_json():
    proc = run_cli("extract", SEEDS, check=0)
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def schema():
    return json.loads((ROOT / "timeline" / "data" / "events.schema.json").read_text())


@pytest.fixture(scope="session")
def fakes_events(tmp_path_factory):
    """All of FA-KES read once for the session: the events file `timeline extract` writes for it
    (6.5 MB). The tests that need FA-KES's events, not its reading, start from here; none may
    write to it."""
    need_fakes()
    path = tmp_path_factory.mktemp("fakes") / "fakes_events.json"
    run_cli("extract", FAKES, *FAKES_COLUMNS, "-q", "-o", path, check=0)
    path.chmod(0o444)
    return path


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium (tests/browser.py) for all of the session's browser tests: starting
    one takes seconds. A module that reads the console log reads away what earlier modules left
    in it first (browser.fresh_log)."""
    import browser

    driver = browser.start()
    yield driver
    browser.stop(driver)


@pytest.fixture(scope="session")
def _kaleido_kept():
    import kaleido

    stop = kaleido.stop_sync_server
    yield stop
    stop(silence_warnings=True)


@pytest.fixture
def kaleido_kept(_kaleido_kept, monkeypatch):
    """Tests that draw images: the product starts kaleido's Chromium for each image and stops it
    after (render.image); here the stop waits for the end of the session, so that the first image
    test starts it as the product does and the others find it running (its start is then a no-op)
    instead of paying seconds of Chromium start-up each. The images are drawn as they would be."""
    import kaleido

    monkeypatch.setattr(kaleido, "stop_sync_server", lambda **kwargs: None)


def need_fakes():
    if not FAKES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"FA-KES data missing at {FAKES}")
        pytest.skip("FA-KES data not beside the checkout")


def fakes_csv_rows(limit=None) -> list:
    """FA-KES's rows as dicts (the first `limit`); the test is skipped when the data is not beside
    the checkout (and fails on CI, where it must be)."""
    need_fakes()
    csv.field_size_limit(10**9)
    with FAKES.open(encoding="utf-8") as fh:
        return list(itertools.islice(csv.DictReader(fh), limit))

