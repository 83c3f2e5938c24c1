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


def run_cli(*args, cwd=ROOT, check=None):
    """Run `python cli.py ARGS` in a subprocess, as a user would."""
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


def need_fakes():
    if not FAKES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"FA-KES data missing at {FAKES}")
        pytest.skip("FA-KES data not beside the checkout")
