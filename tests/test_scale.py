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
