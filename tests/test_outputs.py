"""Outputs never destroy anything: not an input, not a device, not a symlink's target, not a
half-written file left by a signal; and a crash of the tool is told apart from skipped inputs."""

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT, SEED_000, SEEDS, run_cli

ARTICLE = "000_0e2d6fac08845090.txt"


@pytest.fixture(autouse=True)
def dev_null():
    """Put /dev/null back at once if a failing run replaced it by a file (it serves the whole
    machine); every test here may write to it."""
    yield "/dev/null"
    if not stat.S_ISCHR(os.lstat("/dev/null").st_mode) and os.geteuid() == 0:
        os.unlink("/dev/null")
        os.mknod("/dev/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.chmod("/dev/null", 0o666)


@pytest.fixture
def folder(tmp_path):
    """A writable copy of the seeds, holding also an HTML article named like render's default output."""
    copy = tmp_path / "articles"
    shutil.copytree(SEEDS, copy)
    (copy / "timeline.html").write_text(
        "<html><head><title>Talks in Geneva</title></head><body><h1>Talks in Geneva</h1>"
        "<p>Delegations met in Geneva on Monday to discuss a ceasefire in Syria.</p></body></html>",
        encoding="utf-8")
    return copy


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------ no output lands on an input

@pytest.mark.parametrize("command", ["extract", "render"])
def test_output_inside_an_input_folder_is_refused(folder, command):
    before = snapshot(folder)
    for output in (folder / ARTICLE, folder / "timeline.html", folder / "new.html", folder / "sub" / "deep.html"):
        proc = run_cli(command, folder, "-o", output)
        assert proc.returncode == 2, proc.stderr
        assert "input folder" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(folder) == before, "nothing written, nothing created"


def test_relative_output_inside_the_input_folder_is_refused(folder):
    before = snapshot(folder)
    proc = run_cli("extract", ".", "-o", "events.json", cwd=folder)
    assert proc.returncode == 2 and "'.'" in proc.stderr
    assert snapshot(folder) == before


def test_render_default_output_in_the_input_folder_is_refused(folder, tmp_path):
    before = snapshot(folder)
    proc = run_cli("render", ".", cwd=folder)
    assert proc.returncode == 2
    assert "-o FILE" in proc.stderr and "timeline.html" in proc.stderr
    assert snapshot(folder) == before, "the article named timeline.html is untouched"
    inner = folder / "sub"
    inner.mkdir()
    assert run_cli("render", "..", cwd=inner).returncode == 2, "a parent folder as input"
    assert not (inner / "timeline.html").exists()


def test_render_default_output_elsewhere_still_works(folder, tmp_path):
    run_cli("render", folder, "-q", cwd=tmp_path, check=0)
    assert (tmp_path / "timeline.html").read_text(encoding="utf-8").lower().startswith("<!doctype html>")


def test_hard_link_to_an_input_is_refused(tmp_path):
    article = tmp_path / "a.txt"
    shutil.copy(SEED_000, article)
    os.link(article, tmp_path / "b.txt")
    before = article.read_bytes()
    assert run_cli("extract", article, "-o", tmp_path / "b.txt").returncode == 2
    assert article.read_bytes() == before


def test_store_is_not_an_input_and_not_overwritten(folder, tmp_path):
    before = snapshot(folder)
    assert run_cli("ingest", "--db", folder / ARTICLE, folder).returncode == 2
    assert run_cli("ingest", "--db", folder / "store.db", folder).returncode == 2
    assert snapshot(folder) == before
    db = tmp_path / "store.db"
    run_cli("ingest", "--db", db, SEED_000, "-q", check=0)
    stored = db.read_bytes()
    for command in ("report", "export --to geojson", "render"):
        proc = run_cli(*command.split(), "--db", db, "-o", db)
        assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr, command
    assert db.read_bytes() == stored


def test_store_must_be_a_regular_file():
    proc = run_cli("ingest", "--db", "/dev/null", SEED_000)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# ------------------------------------------------------------------ devices, FIFOs, descriptors



@pytest.mark.parametrize("command", ["extract", "report", "export --to acled", "dates"])
def test_dev_null_stays_a_character_device(dev_null, command):
    proc = run_cli(*command.split(), SEED_000, "-o", dev_null)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(os.stat(dev_null).st_mode)
    assert not [n for n in os.listdir("/dev") if n.startswith(".null.")], "no temporary file left in /dev"


def test_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run_cli("extract", SEED_000, "-o", fifo)
    reader.join(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "still a FIFO"
    expected = run_cli("extract", SEED_000, check=0).stdout.encode("utf-8")
    assert received == [expected]
    assert temporaries(tmp_path) == []


def test_dev_stdout_writes_to_where_stdout_goes(tmp_path):
    """/dev/stdout leads through /proc to the file the shell opened (>>): it is appended to,
    not refused as a symlink nor replaced."""
    log = tmp_path / "log.txt"
    log.write_text("previous\n")
    with open(log, "ab") as out:
        proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "extract", str(SEED_000), "-o", "/dev/stdout"],
                              stdout=out, stderr=subprocess.PIPE, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    expected = run_cli("extract", SEED_000, check=0).stdout
    assert log.read_text(encoding="utf-8") == "previous\n" + expected


def test_block_device_needs_force(tmp_path):
    node = tmp_path / "disk"
    try:  # major 240 is reserved for local use: no driver behind it, so a write could not land
        os.mknod(node, 0o600 | stat.S_IFBLK, os.makedev(240, 0))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a block device node here ({exc})")
    proc = run_cli("extract", SEED_000, "-o", node)
    assert proc.returncode == 2 and "block device" in proc.stderr
    assert stat.S_ISBLK(os.lstat(node).st_mode)


# ------------------------------------------------------------------ symlinks

def test_symlinked_output_needs_force(tmp_path):
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("old\n")
    link.symlink_to(real.name)
    proc = run_cli("extract", SEED_000, "-o", link)
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert real.read_text() == "old\n", "the target untouched"
    run_cli("extract", SEED_000, "-o", link, "--force", check=0)
    assert link.is_symlink() and os.readlink(link) == real.name, "the link is still a link"
    assert real.read_text(encoding="utf-8") == run_cli("extract", SEED_000, check=0).stdout
    assert temporaries(tmp_path) == []


def test_dangling_symlink_needs_force(tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    assert run_cli("extract", SEED_000, "-o", link).returncode == 2
    assert not (tmp_path / "made.json").exists()
    run_cli("extract", SEED_000, "-o", link, "--force", check=0)
    assert link.is_symlink() and (tmp_path / "made.json").read_text(encoding="utf-8").startswith("{")


def test_force_never_writes_through_a_link_to_an_input(folder, tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(folder / ARTICLE)
    before = snapshot(folder)
    proc = run_cli("extract", folder, "-o", link, "--force")
    assert proc.returncode == 2 and "input" in proc.stderr
    assert snapshot(folder) == before


# ------------------------------------------------------------------ images go through the same checks

@pytest.fixture
def fake_image(monkeypatch):
    """Image bytes without Chromium: what matters here is where they are written."""
    from timeline import render

    monkeypatch.setattr(render, "image", lambda fig, fmt, **kw: b"\x89PNG fake image")


def test_image_inside_an_input_folder_is_refused(folder, fake_image):
    before = snapshot(folder)
    for args in (["--image", folder / "t.png"], ["-o", folder / "t.png"]):
        proc = run_cli("render", folder, *args)
        assert proc.returncode == 2 and "input folder" in proc.stderr
    assert snapshot(folder) == before


def test_image_through_a_symlink_needs_force(tmp_path, fake_image):
    real, link = tmp_path / "real.png", tmp_path / "link.png"
    real.write_bytes(b"old")
    link.symlink_to(real.name)
    proc = run_cli("render", SEED_000, "--image", link, "-q")
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert real.read_bytes() == b"old"
    run_cli("render", SEED_000, "--image", link, "--force", "-q", check=0)
    assert link.is_symlink() and real.read_bytes() == b"\x89PNG fake image"
    assert temporaries(tmp_path) == []


def test_image_is_written_atomically(tmp_path, fake_image, monkeypatch):
    """The image goes through the temporary-file writer: a failed rename leaves the old image."""
    image = tmp_path / "t.png"
    image.write_bytes(b"old")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    proc = run_cli("render", SEED_000, "--image", image, "-q")
    assert proc.returncode == 1 and "cannot write" in proc.stderr and "No space left" in proc.stderr
    assert image.read_bytes() == b"old" and temporaries(tmp_path) == []


# ------------------------------------------------------------------ signals

def wait_for_temporary(folder, proc, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if folder.exists() and temporaries(folder):
            return True
        time.sleep(0.05)
    return False


def _signals_as_in_a_terminal():
    """The child starts with SIGINT and SIGTERM at their defaults, as a command typed in a terminal
    does: a suite started in the background (`cmd &` in a script) has SIGINT ignored, the CLI
    rightly keeps it ignored, and the signal would never land."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, (signal.SIGINT, signal.SIGTERM))


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_while_writing_leaves_no_temporary_file(tmp_path, signum, request):
    """FA-KES (6.5 MB of events) for SIGTERM, the seeds for SIGINT. TIMELINE_TEST_SLOW_WRITE holds
    the temporary file open: the signal lands while it exists, not by luck. FA-KES comes as its
    events file (conftest.fakes_events): the same 6.5 MB written, without reading 793 articles
    before the write begins."""
    if signum == signal.SIGTERM:
        inputs = [str(request.getfixturevalue("fakes_events"))]
    else:
        inputs = [str(SEEDS)]
    out = tmp_path / "out"
    env = {**os.environ, "TIMELINE_TEST_SLOW_WRITE": "120"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "extract", *inputs, "-q", "-o",
                             str(out / "events.json")], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                            preexec_fn=_signals_as_in_a_terminal)
    try:
        assert wait_for_temporary(out, proc), "the temporary file never appeared"
        proc.send_signal(signum)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum, proc.stderr.read()
    assert sorted(p.name for p in out.iterdir()) == [], "no temporary file, no half output"


def test_signal_handlers_are_restored_after_a_run():
    """CliRunner runs the CLI inside pytest: the handlers must not outlive the run."""
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    run_cli("extract", SEED_000, "-o", "/dev/null", check=0)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


# ------------------------------------------------------------------ exit codes

@pytest.fixture
def broken_report(monkeypatch):
    from timeline import report

    def boom(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(report, "render", boom)


def test_internal_error_exits_3_with_one_line(broken_report, monkeypatch):
    monkeypatch.delenv("TIMELINE_DEBUG", raising=False)
    proc = run_cli("report", SEED_000, "-q")
    assert proc.returncode == 3
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("timeline: internal error (RuntimeError: boom second line); please report it")
    assert "with the command you ran" in lines[0] and "Traceback" not in proc.stderr


def test_internal_error_shows_the_traceback_with_timeline_debug(broken_report, monkeypatch):
    monkeypatch.setenv("TIMELINE_DEBUG", "1")
    proc = run_cli("report", SEED_000, "-q")
    assert proc.returncode == 3
    assert "Traceback" in proc.stderr and "timeline: internal error (RuntimeError" in proc.stderr


def test_internal_error_exit_status_seen_by_a_shell():
    code = ("import sys, cli, timeline.report as r\n"
            "def boom(*a, **k): raise KeyError('x')\n"
            "r.render = boom\nsys.argv = ['timeline', 'report', sys.argv[1], '-q']\ncli.main()")
    proc = subprocess.run([sys.executable, "-c", code, str(SEED_000)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 3
    assert proc.stderr.strip().startswith("timeline: internal error (KeyError: 'x')")


def test_other_exit_codes_keep_their_meaning(tmp_path):
    assert run_cli("extract", SEED_000, tmp_path / "missing.txt", "-o", "/dev/null").returncode == 1
    assert run_cli("extract", SEED_000, "--format", "xml").returncode == 2
    assert run_cli("report", "--db", tmp_path / "missing.db").returncode == 1  # a ClickException
    assert run_cli("extract", SEED_000, "-o", "/dev/null", check=0).returncode == 0


def test_help_documents_the_exit_codes():
    text = run_cli("--help", check=0).stdout
    assert "Exit codes:" in text and "3  internal error" in text and "--force" in run_cli(
        "extract", "--help", check=0).stdout


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the ignored exit, on purpose
def test_a_signal_swallowed_by_a_finaliser_still_keeps_the_output_out(tmp_path, monkeypatch):
    """A handler that runs inside a finaliser (here a generator closed as it is dropped) has its
    SystemExit printed and ignored by Python; the write must still end as the signal asked, with
    no file in place and no temporary left."""
    import cli

    monkeypatch.setattr(cli, "_HANDLER_STATE", {"pid": os.getpid(), "previous": {}, "ended_by": None})

    def interrupted_in_a_finaliser():
        try:
            yield
        finally:
            cli._on_signal(signal.SIGINT, None)

    def fill(fh):
        fh.write(b"{}")
        gen = interrupted_in_a_finaliser()
        next(gen)
        del gen  # closed here: the SystemExit it raises is ignored ("Exception ignored in ...")

    target = tmp_path / "events.json"
    with pytest.raises(SystemExit) as ended:
        cli._replace(fill, target)
    assert ended.value.code == 128 + signal.SIGINT
    assert list(tmp_path.iterdir()) == []
