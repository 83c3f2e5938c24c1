"""Reading accuracy on hand-made gold for real articles, scored by the shared scorer.

- the dev gold (FA-KES August 2013, ../shared/data/fakes/dev/), read while developing the rules;
- tests/gold/fakes_2016-11_gold.json (FA-KES November 2016), annotated from the text alone and
  kept as a check that the rules hold on articles they were not written for.

The floors are today's figures (rounded down): a change that reads worse fails here.
"""

import subprocess
import sys

import pytest

import timeline
from conftest import FAKES, ROOT, SHARED, need_fakes

TOOLS = SHARED.parent / "tools"
GOLDS = {
    "dev-2013-08": (SHARED / "fakes" / "dev" / "fakes_aug2013_dev_gold.json",
                    {"--min-recall": 0.85, "--min-killed": 0.9, "--min-dct": 1.0}),
    "heldout-2016-11": (ROOT / "tests" / "gold" / "fakes_2016-11_gold.json",
                        {"--min-recall": 0.55, "--min-killed": 0.5, "--min-dct": 1.0}),
}


@pytest.mark.parametrize("name", sorted(GOLDS))
def test_reading_holds_its_floor_on_gold(name, tmp_path):
    need_fakes()
    gold, floors = GOLDS[name]
    if not TOOLS.exists() or not gold.exists():
        pytest.skip("shared scorer or gold not beside the checkout")
    articles = tmp_path / "in"
    subprocess.run([sys.executable, str(TOOLS / "fakes_files.py"), str(FAKES), str(articles), "--gold", str(gold)],
                   check=True, capture_output=True)
    predicted = tmp_path / "p.json"
    predicted.write_text(timeline.load([articles]).to_json(), encoding="utf-8")
    args = [a for k, v in floors.items() for a in (k, str(v))]
    scored = subprocess.run([sys.executable, str(TOOLS / "score_events.py"), str(predicted), str(gold), *args],
                            capture_output=True, text=True)
    last = scored.stdout.strip().splitlines()[-1] if scored.stdout.strip() else scored.stderr
    assert scored.returncode == 0, f"{name}: {last} (floors {floors})"
