"""The store under faults: concurrent ingests, kills at many points of a run, damaged,
read-only and misplaced database files.

Ingests run in real processes forked from this one (the reader's data is loaded once, so a
process costs milliseconds, not the seconds of a fresh interpreter), killed with SIGKILL. Kill
points are SQLite statements: the child counts the statements it sends and kills itself at the
k-th, so the points cover every phase of a run (creating the store, each batch, the rebuild)
deterministically; a few more are killed after a random delay.
"""

import json
import os
import random
import signal
import sqlite3
import sys
import time

import pytest

from conftest import SEEDS, run_cli
from timeline import store

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

TOWNS = ["Homs", "Aleppo", "Idlib", "Hama", "Daraa", "Raqqa", "Latakia", "Tartus", "Palmyra", "Douma"]
BATCH = 2  # small batches: many commit points in a short run


def corpus(folder, numbers):
    """Small articles: each reports a car bomb in a town on a September day; articles n and n+10
    report the same one with another toll, so later ones revise earlier tolls."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        town, day, killed = TOWNS[n % 10], 1 + n % 10, 3 + n
        (folder / f"a{n:02d}.txt").write_text(
            f"Blast in {town}\n\nDate of publication {day} September 2016 A car bomb killed {killed} people "
            f"in {town} on Monday, activists said.\n", encoding="utf-8")
    return folder


def state(db):
    """What a store holds: its events and documents as JSON, and its toll history without
    the times (a re-run happens later than the run it completes)."""
    conn = store.connect(db, create=False)
    try:
        result = store.load(conn)
        history = [row[:1] + row[2:] for row in conn.execute("SELECT * FROM toll_history ORDER BY rowid")]
        stale = store.needs_rebuild(conn)
    finally:
        conn.close()
    events = json.dumps([e.to_dict() for e in result.events], sort_keys=True)
    documents = json.dumps([{**d.to_dict(), "path": os.path.basename(d.path)} for d in result.documents],
                           sort_keys=True)  # the folder a reference run read them from differs
    return {"events": events, "documents": documents, "history": history, "stale": stale}


def integrity(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def ingest(db, *paths, check=0):
    return run_cli("ingest", "--db", db, *paths, "--quiet", check=check)


def fork(job):
    """Run `job()` in a child process; its return value is the exit code."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 70
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            code = job()
        finally:
            os._exit(code)
    return pid


def wait(pid):
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def counting_ingest(db, paths, kill_at=None, counter=None):
    """A job: ingest with small batches, counting SQLite statements; SIGKILL at the kill_at-th."""
    def job():
        seen = [0]
        connect = store.connect

        def trace(_statement):
            seen[0] += 1
            if seen[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        def traced(*args, **kwargs):
            conn = connect(*args, **kwargs)
            conn.set_trace_callback(trace)
            return conn

        store.connect, store.BATCH = traced, BATCH
        code = ingest(db, *paths, check=None).returncode
        if counter:
            counter.write_text(str(seen[0]))
        return code
    return job


@pytest.fixture(scope="module")
def warm():
    """Load the reader once in this process, so that forked children start warm."""
    run_cli("extract", SEEDS, check=0)


# ------------------------------------------------------------------ kills

@pytest.mark.slow  # dozens of forked ingests
def test_kills_at_every_phase_end_in_the_clean_state(tmp_path, warm):
    first, second = corpus(tmp_path / "first", range(0, 10)), corpus(tmp_path / "second", range(10, 20))
    # the clean runs: a new store from `first`; then `second` added to it
    clean_new, clean_more = tmp_path / "clean_new.db", tmp_path / "clean_more.db"
    counter = tmp_path / "count"
    assert wait(fork(counting_ingest(clean_new, [first], counter=counter))) == 0
    statements_new = int(counter.read_text())
    ingest(clean_more, first)
    assert wait(fork(counting_ingest(clean_more, [second], counter=counter))) == 0
    statements_more = int(counter.read_text())
    expected_new, expected_more = state(clean_new), state(clean_more)
    assert expected_more["history"] and any(row[-2] is not None for row in expected_more["history"]), \
        "the second ingest revises tolls: its history has previous figures"

    rng = random.Random(16)
    points = [("new", k) for k in sorted(set(range(1, statements_new, max(1, statements_new // 14)))
                                         | set(rng.sample(range(1, statements_new), 4)))]
    points += [("more", k) for k in sorted(set(range(1, statements_more, max(1, statements_more // 8))))]
    assert len(points) >= 20
    outcomes = {"killed": 0, "stale before re-run": 0}
    for n, (kind, k) in enumerate(points):
        db = tmp_path / f"kill{n}.db"
        if kind == "more":
            ingest(db, first)
        paths, expected = ([first], expected_new) if kind == "new" else ([second], expected_more)
        assert wait(fork(counting_ingest(db, paths, kill_at=k))) == -signal.SIGKILL, (kind, k)
        outcomes["killed"] += 1
        if db.exists() and db.stat().st_size:
            assert integrity(db) == "ok", (kind, k)
            if state(db)["stale"]:
                outcomes["stale before re-run"] += 1
                proc = run_cli("report", "--db", db, check=0)
                assert "out of date" in proc.stderr and "--repair" in proc.stderr
        ingest(db, *paths)  # the re-run completes it
        assert state(db) == expected, (kind, k)
    print(f"\n{len(points)} kill points ({statements_new} + {statements_more} statements in the clean runs): "
          f"{outcomes}")
    assert outcomes["stale before re-run"] >= 5


def test_repair_rebuilds_a_stale_store_without_inputs(tmp_path, warm):
    news = corpus(tmp_path / "news", range(0, 6))
    clean = tmp_path / "clean.db"
    ingest(clean, news)
    counter = tmp_path / "count"
    db = tmp_path / "s.db"
    assert wait(fork(counting_ingest(db, [news], counter=counter))) == 0
    total = int(counter.read_text())
    db.unlink()
    # kill just before the rebuild's transaction commits: documents stored, events not
    for k in range(total, 0, -1):
        for leftover in tmp_path.glob("s.db*"):
            leftover.unlink()
        assert wait(fork(counting_ingest(db, [news], kill_at=k))) == -signal.SIGKILL
        if state(db)["stale"] and state(db)["documents"] == state(clean)["documents"]:
            break
    assert json.loads(state(db)["events"]) == []
    history = run_cli("report", "--db", db, check=0)
    assert "out of date" in history.stderr
    proc = run_cli("ingest", "--db", db, "--repair", check=0)
    assert "0 added" in proc.stderr
    assert state(db) == state(clean)
    assert "out of date" not in run_cli("report", "--db", db, check=0).stderr


@pytest.mark.slow  # four forked ingests killed at random times, and their re-runs
def test_random_time_kills_of_a_real_run(tmp_path, warm):
    news = corpus(tmp_path / "news", range(0, 20))
    clean = tmp_path / "clean.db"
    ingest(clean, news)
    expected = state(clean)
    start = time.perf_counter()
    assert wait(fork(counting_ingest(tmp_path / "timed.db", [news]))) == 0
    took = time.perf_counter() - start
    rng = random.Random(1616)
    for n in range(4):
        db = tmp_path / f"r{n}.db"
        pid = fork(counting_ingest(db, [news]))
        time.sleep(rng.uniform(0, took))
        os.kill(pid, signal.SIGKILL)
        wait(pid)
        if db.exists() and db.stat().st_size:
            assert integrity(db) == "ok"
        ingest(db, news)
        assert state(db) == expected


# ------------------------------------------------------------------ concurrent ingests

@pytest.mark.slow  # 18 forked ingests and 12 reference ones
@pytest.mark.parametrize("existing", [False, True], ids=["new store", "existing store"])
@pytest.mark.parametrize("overlap", ["disjoint", "overlapping", "identical"])
def test_two_ingests_at_once_equal_one_of_their_union(tmp_path, warm, existing, overlap):
    parts = {"disjoint": (range(0, 8), range(8, 16)), "overlapping": (range(0, 10), range(5, 16)),
             "identical": (range(0, 12), range(0, 12))}[overlap]
    a, b = corpus(tmp_path / "a", parts[0]), corpus(tmp_path / "b", parts[1])
    union = corpus(tmp_path / "union", sorted(set(parts[0]) | set(parts[1])))
    base = corpus(tmp_path / "base", range(16, 20))
    # references: the union in one ingest, and the two in either order (history is per ingest)
    references = {}
    for name, runs in (("union", [union]), ("ab", [a, b]), ("ba", [b, a])):
        ref = tmp_path / f"{name}.db"
        if existing:
            ingest(ref, base)
        for run in runs:
            ingest(ref, run)
        references[name] = state(ref)
    for attempt in range(3):
        db = tmp_path / f"s{attempt}.db"
        if existing:
            ingest(db, base)
        pids = [fork(counting_ingest(db, [part])) for part in (a, b)]
        assert [wait(pid) for pid in pids] == [0, 0]
        got = state(db)
        assert got["events"] == references["union"]["events"]
        assert got["documents"] == references["union"]["documents"]
        assert got in (references["ab"], references["ba"]), "history: each entry once, as in one order"
        assert not got["stale"]


def test_two_processes_creating_one_store_both_succeed(tmp_path, warm):
    for attempt in range(10):
        db = tmp_path / f"s{attempt}.db"

        def job():
            conn = store.connect(db)  # no write lock: the schema's own transaction must suffice
            conn.close()
            return 0
        pids = [fork(job) for _ in range(2)]
        assert [wait(pid) for pid in pids] == [0, 0]
        conn = store.connect(db, create=False)
        assert store._version(conn) == store.SCHEMA_VERSION
        conn.close()


def test_a_waiting_ingest_says_so_and_goes_on_when_the_first_ends(tmp_path, warm):
    db, news = tmp_path / "s.db", corpus(tmp_path / "news", range(0, 4))
    holding, release, said = tmp_path / "holding", tmp_path / "release", tmp_path / "said"

    def holder():  # another ingest, in its own process (a lock taken here would be inherited)
        with store.writer(db):
            holding.touch()
            while not release.exists():
                time.sleep(0.02)
        return 0

    def second():
        proc = run_cli("ingest", "--db", db, news)
        said.write_text(proc.stderr)
        return proc.returncode

    first = fork(holder)
    while not holding.exists():
        time.sleep(0.02)
    waiter = fork(second)
    time.sleep(1.0)
    assert os.waitpid(waiter, os.WNOHANG) == (0, 0) and not said.exists(), "it did not wait"
    release.touch()
    assert wait(first) == 0 and wait(waiter) == 0
    assert "waiting for another ingest" in said.read_text() and "4 added" in said.read_text()


# ------------------------------------------------------------------ damaged and misplaced files

def test_a_truncated_store_is_refused_on_every_command_and_left_as_it_is(tmp_path, warm):
    db = tmp_path / "s.db"
    ingest(db, SEEDS)
    whole = db.read_bytes()
    for cut in (100, 4096, len(whole) // 2):
        damaged = tmp_path / f"cut{cut}.db"
        damaged.write_bytes(whole[:cut])
        for args in (["report", "--db", damaged], ["export", "--db", damaged, "--to", "acled"],
                     ["history", "ev-x", "--db", damaged], ["ingest", "--db", damaged, SEEDS],
                     ["render", "--db", damaged, "-o", tmp_path / "t.html"]):
            proc = run_cli(*args)
            assert proc.returncode == 1, (cut, args[0], proc.stderr)
            assert "Traceback" not in proc.stderr and "damaged" in proc.stderr, (cut, args[0], proc.stderr)
        assert damaged.read_bytes() == whole[:cut]


def test_a_store_in_a_missing_folder(tmp_path, warm):
    db = tmp_path / "nowhere" / "s.db"
    proc = run_cli("ingest", "--db", db, SEEDS)
    assert proc.returncode == 1 and "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    assert not db.parent.exists()
    proc = run_cli("report", "--db", db)
    assert proc.returncode != 0 and "no such store" in proc.stderr


def as_nobody(job):
    """A job run as an unprivileged user (root writes any file whatever its mode)."""
    def wrapped():
        if os.geteuid() == 0:
            os.setgid(65534)
            os.setuid(65534)
        return job()
    return wrapped


@pytest.mark.slow  # forked runs as an unprivileged user
def test_a_read_only_store_is_read_but_not_written_and_unreadable_inputs_are_skipped(tmp_path_factory, warm,
                                                                                       request):
    import shutil
    import tempfile
    here = tempfile.mkdtemp(prefix="timeline-ro-")  # not under pytest's 0700 folders: nobody must reach it
    request.addfinalizer(lambda: shutil.rmtree(here, ignore_errors=True))
    os.chmod(here, 0o777)
    db = os.path.join(here, "s.db")
    ingest(db, SEEDS)
    os.chmod(db, 0o444)
    before = open(db, "rb").read()
    run_cli("report", "--db", db, check=0)  # warm what report loads
    from pathlib import Path
    news = corpus(Path(here) / "news", range(0, 3))
    os.chmod(news, 0o755)
    locked = corpus(tmp_path_factory.mktemp("locked"), range(3, 5))
    os.chmod(locked, 0)  # (as root the run drops to nobody, who cannot enter pytest's folders anyway)
    out = os.path.join(here, "out.txt")
    cases = {"report": ["report", "--db", db], "ingest": ["ingest", "--db", db, str(news)],
             "unreadable input": ["extract", str(locked), SEEDS]}
    for name, args in cases.items():
        def job(args=args):
            proc = run_cli(*args)
            with open(out, "w") as fh:
                fh.write(f"{proc.returncode}\n{proc.stdout}\n{proc.stderr}")
            return 0
        assert wait(fork(as_nobody(job))) == 0
        code, _, text = open(out).read().partition("\n")
        if name == "report":
            assert code == "0" and "Kerry" in text, text
        elif name == "unreadable input":  # the folder is reported and skipped, the seeds still read
            assert code == "1" and "cannot read: Permission denied" in text and "Kerry" in text, text
        else:
            assert code == "1" and "read-only" in text and "Traceback" not in text, text
    os.chmod(locked, 0o755)
    assert open(db, "rb").read() == before
    assert integrity(db) == "ok"
