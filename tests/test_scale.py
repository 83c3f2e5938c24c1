"""Parallel and distributed reading give the same output as the plain one.

The plain runs are in-process; the --jobs and --engine dask runs are real processes, so that
their worker processes fork or spawn from a plain `timeline` and not from pytest."""

import pytest

from conftest import FAKES, FAKES_COLUMNS, SEEDS, need_fakes, run_cli, run_cli_subprocess

pytestmark = pytest.mark.slow  # worker pools, a Dask cluster and all of FA-KES


def test_jobs_give_identical_output(tmp_path):
    one = run_cli("extract", SEEDS, check=0).stdout
    assert run_cli_subprocess("extract", SEEDS, "--jobs", "2", check=0).stdout == one


def test_jobs_on_fakes_give_identical_output():
    need_fakes()
    one = run_cli("extract", FAKES, *FAKES_COLUMNS, check=0).stdout
    assert run_cli_subprocess("extract", FAKES, *FAKES_COLUMNS, "--jobs", "2", check=0).stdout == one


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_dask_engine_on_a_local_cluster_is_identical(cluster):
    need_fakes()
    for inputs in ([SEEDS], [FAKES, *FAKES_COLUMNS]):
        local = run_cli("extract", *inputs, check=0).stdout
        dask = run_cli_subprocess("extract", *inputs, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                                  check=0)
        assert dask.stdout == local


def test_dask_engine_without_a_scheduler_uses_local_processes():
    pytest.importorskip("dask.bag")
    dask = run_cli_subprocess("extract", SEEDS, "--engine", "dask", check=0)
    assert dask.stdout == run_cli("extract", SEEDS, check=0).stdout


def test_dask_reconciles_synthetic_mentions_as_the_local_run_does():
    """40,000 synthetic mentions made on the workers of a local cluster, cut into periods of
    6,000 (the cuts are worked out on the client, from counts), clustered on the workers and
    finished on the client: the same events and unresolved mentions, byte for byte, as
    reconciling them in one process, and as the streamed local run (spilled, clustered one
    partition at a time, finished a day at a time). Run as a real process
    (benchmarks/reconcile_dask.py), as the other Dask runs here are."""
    import json
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.run([sys.executable, "benchmarks/reconcile_dask.py", "40000", "--local", "--gather",
                           "--streamed", "--part-size", "6000"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["identical"] is True and out["dask"]["events"] == out["local"]["events"] > 30_000
    assert out["streamed_identical"] is True and out["streamed"]["events"] == out["local"]["events"]
