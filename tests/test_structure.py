"""The shape of the code: no import circles, one place that knows the stage order, no event-type
id outside the lexicon, and every field written to the events JSON described by its schema."""

import ast
import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

import timeline
from conftest import ROOT, SEEDS
from timeline import lexicon

PACKAGE = ROOT / "timeline"
MODULES = {p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def imports_of(path: Path) -> set[str]:
    """Modules of the package that `path` imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "timeline":
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("timeline."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("timeline.")}
    return found & set(MODULES)


def test_no_import_circle():
    graph = {name: imports_of(path) - {name} for name, path in MODULES.items()}

    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    circles = sorted(name for name in graph if name in reach(name))
    assert circles == [], f"modules on an import circle: {circles}"


# A call to a stage's entry point outside pipeline.py would be a second copy of the stage order.
STAGE_CALLS = re.compile(r"\b(clean\.mask|dates\.read|extract\.mentions|reconcile\.reconcile|ingest\.read_inputs)\(")


def test_only_the_pipeline_knows_the_stage_order():
    outside = [f"{path.name}: {m.group(0)}" for name, path in MODULES.items() if name != "pipeline"
               for m in STAGE_CALLS.finditer(path.read_text(encoding="utf-8"))]
    outside += [f"cli.py: {m.group(0)}" for m in STAGE_CALLS.finditer((ROOT / "cli.py").read_text(encoding="utf-8"))]
    assert outside == []


def test_no_event_type_id_in_code_outside_the_lexicon():
    ids = "|".join(re.escape(i) for i in lexicon.type_ids())
    literal = re.compile(rf"""(['"])({ids})\1""")
    found = [f"{path.name}:{n}: {line.strip()}" for path in [*MODULES.values(), ROOT / "cli.py"]
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if literal.search(line)]
    assert found == []


def test_every_type_has_a_colour_a_label_and_known_flags():
    for t in lexicon.event_types():
        assert re.fullmatch(r"#[0-9a-f]{6}", t.colour), t.id
        assert t.label and t.lane in ("violence", "diplomacy")
        assert t.flags <= set(lexicon.FLAGS)
    colours = [t.colour for t in lexicon.event_types()]
    assert len(set(colours)) == len(colours), "two types share a colour"
    for lane in ("violence", "diplomacy"):
        assert lexicon.event_type(lexicon.default_type(lane)).lane == lane


# ------------------------------------------------------------------ the schema

def strict(schema: dict) -> dict:
    """The schema with additionalProperties false on every record: a field written but not
    described fails."""
    out = copy.deepcopy(schema)
    out["additionalProperties"] = False
    for name in ("document", "place", "mention", "event"):
        out["$defs"][name]["additionalProperties"] = False
    return out


@pytest.fixture(scope="module")
def strict_validator(schema):
    return jsonschema.Draft202012Validator(strict(schema))


def assert_valid(validator, data):
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_seeds_output_has_only_described_fields(strict_validator):
    assert_valid(strict_validator, json.loads(timeline.load([SEEDS]).to_json()))


def test_table_output_has_only_described_fields(strict_validator, tmp_path):
    table = tmp_path / "curated.csv"
    table.write_text("date,title,lane,place,killed,source\n"
                     "2016-09-05,A car bomb killed 30 people in Tartus,violence,Tartus,30,SANA\n"
                     "2016-09-05,Obama and Putin met at the G20 summit in Hangzhou,,,,\n", encoding="utf-8")
    data = json.loads(timeline.load([table, SEEDS]).to_json())
    assert any(m.get("origin") == "table" for e in data["events"] for m in e["mentions"])
    assert_valid(strict_validator, data)


def test_case_corpus_output_has_only_described_fields(strict_validator, tmp_path):
    import yaml

    cases = yaml.safe_load((ROOT / "tests" / "cases" / "extract.yaml").read_text(encoding="utf-8"))
    cases = cases["cases"] if isinstance(cases, dict) else cases
    for case in cases:
        path = tmp_path / f"{case['id']}.txt"
        path.write_text(case["text"], encoding="utf-8")
    assert_valid(strict_validator, json.loads(timeline.load([tmp_path], published="2016-09-05").to_json()))


@pytest.mark.slow
def test_fakes_output_has_only_described_fields(strict_validator, fakes_events):
    """All of FA-KES as `timeline extract` writes it (read once a session: conftest.fakes_events)."""
    assert_valid(strict_validator, json.loads(fakes_events.read_text(encoding="utf-8")))
