"""The event store: idempotent ingest, toll history, safety."""

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import FAKES, FAKES_COLUMNS, ROOT, SEED_000, SEED_003, SEEDS, need_fakes, run_cli, run_cli_subprocess
from test_reconcile import trt_row
from timeline import store


def ingest(db, *paths, extra=(), run=run_cli):
    return run("ingest", "--db", db, *paths, *extra)


def _export_json(db):
    conn = store.connect(db, create=False)
    try:
        result = store.load(conn)
    finally:
        conn.close()
    return json.dumps({"events": [e.to_dict() for e in result.events]}, sort_keys=True)


def test_ingesting_one_by_one_equals_extracting_all_at_once(tmp_path):
    db, trt = tmp_path / "s.db", trt_row(tmp_path)
    assert ingest(db, SEED_000).returncode == 0
    assert ingest(db, SEED_003).returncode == 0
    assert ingest(db, trt, extra=FAKES_COLUMNS).returncode == 0
    at_once = json.loads(run_cli("extract", SEED_000, SEED_003, trt, *FAKES_COLUMNS, check=0).stdout)["events"]
    stored = json.loads(_export_json(db))["events"]
    assert json.dumps(stored, sort_keys=True) == json.dumps(at_once, sort_keys=True)


def test_tartus_toll_history(tmp_path):
    db, trt = tmp_path / "s.db", trt_row(tmp_path)
    for path, extra in ((SEED_000, ()), (SEED_003, ()), (trt, FAKES_COLUMNS)):
        assert ingest(db, path, extra=extra).returncode == 0
    tartus = [e for e in json.loads(_export_json(db))["events"] if (e["place"] or {}).get("name") == "Tartus"][0]
    out = run_cli("history", tartus["id"], "--db", db, check=0).stdout.splitlines()
    assert [line.split()[1] for line in out] == ["30", "30–38", "30–38"]
    assert [line.split("after ")[1] for line in out] == ["000_0e2d6fac08845090", "003_64b11752b0c503c2", "1924058093"]
    report = run_cli("report", "--db", db, check=0).stdout
    assert "toll revised from 30 to 30–38 after alaraby" in report


def counts(db):
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "mentions", "events", "toll_history")}
    finally:
        conn.close()


@pytest.mark.slow  # worker processes, in a real `timeline` process
def test_ingest_with_jobs_stores_the_same(tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    ingest(one, SEEDS)
    ingest(two, SEEDS, extra=("--jobs", "2"), run=run_cli_subprocess)  # its workers fork from `timeline`, not pytest
    assert _export_json(one) == _export_json(two)


def test_ingesting_twice_changes_nothing(tmp_path):
    db = tmp_path / "s.db"
    ingest(db, SEEDS)
    before, first = counts(db), run_cli("export", "--db", db, "--to", "acled", check=0).stdout
    proc = ingest(db, SEEDS)
    assert "0 added, 0 replaced, 2 unchanged" in proc.stderr
    assert counts(db) == before
    second = run_cli("export", "--db", db, "--to", "acled", check=0).stdout
    assert hashlib.sha256(first.encode()).hexdigest() == hashlib.sha256(second.encode()).hexdigest()


def test_a_new_version_of_a_document_replaces_its_mentions(tmp_path):
    db, folder = tmp_path / "s.db", tmp_path / "news"
    folder.mkdir()
    article = folder / "a.txt"
    article.write_text("Blast\n\nDate of publication 5 September 2016 A car bomb killed 4 people in Homs.\n")
    ingest(db, folder)
    article.write_text("Blast\n\nDate of publication 5 September 2016 A car bomb killed 7 people in Homs.\n")
    assert "0 added, 1 replaced" in ingest(db, folder).stderr
    events = json.loads(_export_json(db))["events"]
    assert [e["killed"] for e in events] == [{"low": 7, "best": 7, "high": 7}]
    assert counts(db)["mentions"] == 1


def test_foreign_and_corrupt_files_are_refused_and_untouched(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("my precious notes")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    for path in (text, other):
        before = path.read_bytes()
        proc = ingest(path, SEED_000)
        assert proc.returncode != 0 and "not a timeline store" in proc.stderr and "Traceback" not in proc.stderr
        assert path.read_bytes() == before
    proc = run_cli("report", "--db", tmp_path / "missing.db")
    assert proc.returncode != 0 and "no such store" in proc.stderr


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "s.db"
    ingest(db, SEED_000)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    proc = run_cli("report", "--db", db)
    assert proc.returncode != 0 and "newer timeline" in proc.stderr


def test_store_uses_wal(tmp_path):
    db = tmp_path / "s.db"
    ingest(db, SEED_000)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


@pytest.mark.slow  # all of FA-KES, twice: in a real process that is killed, then resumed (in-process)
def test_killed_ingest_keeps_whole_transactions_and_resumes(tmp_path):
    need_fakes()
    db = tmp_path / "fakes.db"
    cmd = [sys.executable, str(ROOT / "cli.py"), "ingest", "--db", str(db), str(FAKES), *FAKES_COLUMNS, "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and stored < store.BATCH:
        time.sleep(0.05)
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            stored = 0
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    orphans = conn.execute("SELECT count(*) FROM mentions WHERE document NOT IN (SELECT id FROM documents)").fetchone()[0]
    conn.close()
    assert documents % store.BATCH == 0 and 0 < documents < 793, "only whole batches were committed"
    assert orphans == 0
    finished = ingest(db, FAKES, extra=(*FAKES_COLUMNS, "--quiet"))  # resumed here: what matters is what the kill left
    assert finished.returncode == 0, finished.stderr
    assert counts(db)["documents"] == 793
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'dirty'").fetchone()[0] == "0"
    conn.close()
