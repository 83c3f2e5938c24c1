"""Start-up cost: CPU time (user + sys) of `timeline --help` and `timeline report seeds/`, each the
median of 3 warm runs, and the one-time build of the gazetteer index (timeline/gazetteer.py).

    python benchmarks/startup.py [--runs 3]

Each command runs in its own process; its CPU is read with resource.getrusage(RUSAGE_CHILDREN).
"Warm" means the gazetteer index is already in the cache directory (the usual case: it is built
once per machine); the index build is measured in a fresh, empty TIMELINE_CACHE_DIR as the extra
CPU of the first `timeline report seeds/` there over a warm one.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timeline_command() -> list[str]:
    found = shutil.which("timeline")
    return [found] if found else [sys.executable, str(ROOT / "cli.py")]


def cpu(args: list[str], env: dict | None = None) -> float:
    """CPU seconds (user + sys) of one run of `args`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def warm(args: list[str], runs: int, env: dict | None = None) -> float:
    cpu(args, env)  # warm-up: file cache, and the gazetteer index if it is not built yet
    return statistics.median(cpu(args, env) for _ in range(runs))


def measure(runs: int = 3) -> dict:
    tl = timeline_command()
    report = tl + ["report", "seeds/"]
    result = {"help": warm(tl + ["--help"], runs), "report": warm(report, runs)}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TIMELINE_CACHE_DIR=tmp)
        cold = cpu(report, env)
        warm_here = statistics.median(cpu(report, env) for _ in range(runs))
        index = sorted(Path(tmp).glob("gazetteer-*.sqlite"))
        result["build"] = cold - warm_here
        result["index_mb"] = index[0].stat().st_size / 1e6 if index else float("nan")
    data = ROOT / "timeline" / "data" / "gazetteer.tsv.gz"
    result["data_mb"] = data.stat().st_size / 1e6
    return result


def main(argv):
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    r = measure(runs)
    print(f"timeline --help              {r['help']:.2f} s CPU (median of {runs} warm runs)")
    print(f"timeline report seeds/       {r['report']:.2f} s CPU (median of {runs} warm runs)")
    print(f"gazetteer index, first use   {r['build']:.2f} s CPU once; {r['index_mb']:.1f} MB in the cache "
          f"(from {r['data_mb']:.1f} MB shipped)")


if __name__ == "__main__":
    main(sys.argv[1:])
