"""Regenerate tests/golden/ from the seeds. Run on purpose only, and review the diff."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

if __name__ == "__main__":
    report = subprocess.run([sys.executable, str(ROOT / "cli.py"), "report", "seeds/"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    (GOLDEN / "seeds_report.md").write_text(report, encoding="utf-8")
    print(f"wrote {GOLDEN / 'seeds_report.md'}: review it with git diff")
