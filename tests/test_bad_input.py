"""Bad inputs: one clear line each naming the file, the rest still processed, exit code 1."""

import json

import pytest

from conftest import SEED_000, run_cli


def _extract(*paths):
    proc = run_cli("extract", *paths)
    assert "Traceback" not in proc.stderr
    return proc


def _good_and_bad(tmp_path, name, content):
    bad = tmp_path / name
    bad.write_bytes(content) if isinstance(content, bytes) else bad.write_text(content)
    proc = _extract(SEED_000, bad)
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert SEED_000.stem in [d["id"] for d in out["documents"]], "the good input is still processed"
    lines = [line for line in proc.stderr.splitlines() if str(bad) in line]
    assert len(lines) == 1, proc.stderr
    return lines[0], out


def test_missing_path(tmp_path):
    missing = tmp_path / "nope.txt"
    proc = _extract(SEED_000, missing)
    assert proc.returncode == 1
    assert f"{missing}: no such file or folder" in proc.stderr


def test_empty_file(tmp_path):
    line, _ = _good_and_bad(tmp_path, "empty.txt", "")
    assert "empty file" in line


def test_binary_file(tmp_path):
    line, _ = _good_and_bad(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in line


def test_unsupported_extension(tmp_path):
    line, _ = _good_and_bad(tmp_path, "article.docx", "not really a docx")
    assert "unsupported file type '.docx'" in line


def test_csv_missing_the_named_column(tmp_path):
    line, _ = _good_and_bad(tmp_path, "corpus.csv", "id,body\n1,A car bomb killed 3 in Homs.\n")
    assert "no column 'text'" in line and "--text-column" in line


def test_invalid_json_events_file(tmp_path):
    line, _ = _good_and_bad(tmp_path, "events.json", "{not json")
    assert "invalid JSON" in line


def test_foreign_json(tmp_path):
    line, _ = _good_and_bad(tmp_path, "other.json", '{"hello": 1}')
    assert "not a timeline events file" in line


def test_empty_folder(tmp_path):
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "notes.docx").write_text("x")
    proc = _extract(SEED_000, folder)
    assert proc.returncode == 1
    assert f"{folder}: folder holds no readable articles" in proc.stderr


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path):
    article = tmp_path / "latin1.txt"
    article.write_bytes("Blast in Homs\n\nA car bomb killed 4 people in Homs on Monday, caf\xe9 owners said.\n"
                        .encode("latin-1"))
    proc = _extract(article, "--published", "2016-09-05")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert any("invalid UTF-8" in w for w in doc["warnings"])


def test_only_bad_inputs_still_writes_a_valid_file(tmp_path, schema):
    import jsonschema

    bad = tmp_path / "empty.md"
    bad.write_text("   \n")
    proc = _extract(bad)
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    jsonschema.Draft202012Validator(schema).validate(out)
    assert out["documents"] == [] and out["events"] == []


@pytest.mark.parametrize("command", ["dates", "report"])
def test_other_commands_report_bad_inputs_too(tmp_path, command):
    proc = run_cli(command, SEED_000, tmp_path / "missing.txt")
    assert proc.returncode == 1
    assert "no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr
