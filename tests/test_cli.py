"""The command line as a user meets it: help, exit codes, outputs, bad inputs."""

import json
import re
import subprocess
import sys

import jsonschema
import pytest

from conftest import ROOT, SEED_000, SEED_003, SEEDS, run_cli, run_cli_subprocess

COMMANDS = ["extract", "dates", "report", "render"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    proc = run_cli(command, "--help", check=0)
    assert "Example" in proc.stdout
    assert f"timeline {command}" in proc.stdout


def test_version():
    import timeline

    expected = f"timeline, version {timeline.__version__}"
    assert run_cli("--version", check=0).stdout.strip() == expected
    assert run_cli_subprocess("--version", check=0).stdout.strip() == expected, "cli.py runs as a program"


def test_help_does_not_import_heavy_libraries():
    code = ("import sys, runpy; sys.argv=['timeline','--help']\n"
            "try:\n    runpy.run_path('cli.py', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "heavy=[m for m in ('pandas','plotly','dateparser') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout
    assert "HEAVY []" in out
    out = subprocess.run([sys.executable, "-c", "import sys, cli; print([m for m in ('pandas','plotly',"
                          "'dateparser') if m in sys.modules])"], cwd=ROOT, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_extract_seeds_validates_against_the_schema(seeds_json, schema):
    jsonschema.Draft202012Validator(schema).validate(seeds_json)
    assert seeds_json["schema"] == "timeline/1"
    assert [d["id"] for d in seeds_json["documents"]] == [SEED_000.stem, SEED_003.stem]
    assert seeds_json["events"], "the seeds report events"
    lanes = {e["lane"] for e in seeds_json["events"]}
    assert lanes == {"violence", "diplomacy"}


def test_mention_offsets_point_into_the_document(seeds_json):
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (SEED_000, SEED_003)}
    for event in seeds_json["events"]:
        for m in event["mentions"]:
            assert texts[m["document"]][m["start"]:m["end"]] == m["text"]


def test_output_is_deterministic(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run_cli("extract", SEEDS, "-o", a, check=0)
    run_cli("extract", SEEDS, "-o", b, check=0)
    assert a.read_bytes() == b.read_bytes()
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    h1, h2 = tmp_path / "1" / "t.html", tmp_path / "2" / "t.html"  # the div id follows the file's name
    run_cli("render", SEEDS, "-o", h1, check=0)
    run_cli("render", SEEDS, "-o", h2, check=0)
    assert h1.read_bytes() == h2.read_bytes()


@pytest.mark.slow  # two fresh interpreters: about 10 s
def test_output_is_the_same_in_a_fresh_process(tmp_path):
    """Another interpreter has another hash seed (set and dict order): the output must not move."""
    for command, name in (("extract", "events.json"), ("render", "timeline.html")):
        here, fresh = tmp_path / "here" / name, tmp_path / "fresh" / name
        run_cli(command, SEEDS, "-o", here, check=0)
        run_cli_subprocess(command, SEEDS, "-o", fresh, check=0)
        assert here.read_bytes() == fresh.read_bytes(), command


def test_report_and_render_accept_an_events_file(tmp_path):
    events = tmp_path / "events.json"
    run_cli("extract", SEEDS, "-o", events, check=0)
    from_events = run_cli("report", events, check=0).stdout
    from_articles = run_cli("report", SEEDS, check=0).stdout
    assert from_events == from_articles
    html = tmp_path / "t.html"
    run_cli("render", events, "-o", html, check=0)
    assert html.stat().st_size > 100_000


def test_jsonl_and_csv_formats(seeds_json):
    lines = run_cli("extract", SEEDS, "--format", "jsonl", check=0).stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e["id"] for e in seeds_json["events"]]
    csv_text = run_cli("extract", SEEDS, "--format", "csv", check=0).stdout
    assert csv_text.splitlines()[0].startswith("id,date,")
    assert len(csv_text.splitlines()) == len(seeds_json["events"]) + 1


def test_published_option_overrides(tmp_path):
    out = json.loads(run_cli("extract", SEED_000, "--published", "2016-09-06", check=0).stdout)
    assert out["documents"][0]["published"] == "2016-09-06"
    assert out["documents"][0]["published_how"] == "option"


def test_usage_errors_exit_2():
    assert run_cli("extract").returncode == 2
    assert run_cli("extract", SEEDS, "--published", "not a date").returncode == 2
    assert run_cli("extract", SEEDS, "--format", "xml").returncode == 2
    assert run_cli("nonsense").returncode == 2
    assert run_cli_subprocess("nonsense").returncode == 2, "the status a shell sees"


def test_refuses_to_overwrite_an_input(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nA car bomb killed 3 people in Homs on Monday.\n")
    before = article.read_bytes()
    proc = run_cli("extract", article, "-o", article)
    assert proc.returncode == 2
    assert article.read_bytes() == before
    assert "Traceback" not in proc.stderr


def test_two_fragments_of_one_timeline_get_different_div_ids(tmp_path):
    ids = []
    for name in ("a.html", "b.html"):
        run_cli("render", SEEDS, "--embed", "-o", tmp_path / name, check=0)
        ids.append(re.search(r'<div id="(timeline-[0-9a-f]+)"', (tmp_path / name).read_text()).group(1))
    assert ids[0] != ids[1]
    run_cli("render", SEEDS, "--embed", "-o", tmp_path / "a.html", check=0)
    assert ids[0] in (tmp_path / "a.html").read_text(), "the same output gets the same id"
    run_cli("render", SEEDS, "--embed", "--div-id", "brief-1", "-o", tmp_path / "c.html", check=0)
    assert '<div id="brief-1"' in (tmp_path / "c.html").read_text()
    assert run_cli("render", SEEDS, "--div-id", 'x"><script>', "-o", tmp_path / "d.html").returncode == 2


@pytest.mark.slow  # kaleido draws with a Chromium (started once a session: conftest.kaleido_kept)
def test_output_named_png_or_svg_is_an_image(tmp_path, kaleido_kept):
    run_cli("render", SEEDS, "-o", tmp_path / "t.svg", check=0)
    assert b"<svg" in (tmp_path / "t.svg").read_bytes()[:400]
    assert not (tmp_path / "timeline.html").exists()
