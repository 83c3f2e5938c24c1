"""The reader's modules compiled by Cython (timeline/native.py): loaded only while they match their
source, and reading exactly as the Python they were compiled from."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline import native

ROOT = Path(__file__).resolve().parent.parent


def test_a_compiled_file_counts_only_for_the_source_it_was_built_from(tmp_path):
    (tmp_path / "lexicon.py").write_text("X = 1\n")
    assert native.compiled_path("lexicon", tmp_path) is None  # never compiled
    built = tmp_path / native.compiled_name("lexicon", native.source_hash(b"X = 1\n"))
    built.write_bytes(b"")
    assert native.compiled_path("lexicon", tmp_path) == built
    (tmp_path / "lexicon.py").write_text("X = 2\n")  # edited since: read as Python
    assert native.compiled_path("lexicon", tmp_path) is None
    (tmp_path / "lexicon.py").unlink()
    assert native.compiled_path("lexicon", tmp_path) is None


def test_python_never_picks_a_compiled_file_up_by_itself():
    name = native.compiled_name("lexicon", "0123456789abcdef")
    assert not any(name == "lexicon" + suffix for suffix in importlib.machinery.all_suffixes())
    assert name.endswith(native.SUFFIX) and name.startswith("lexicon.")


def test_the_finder_leaves_other_modules_to_python():
    finder = native.Finder()
    assert finder.find_spec("json") is None
    assert finder.find_spec("timeline.render") is None  # not one of the compiled modules
    assert finder.find_spec("other.lexicon") is None


def _run(code: str, pure: bool) -> str:
    env = dict(os.environ)
    env.pop("TIMELINE_PURE", None)
    if pure:
        env["TIMELINE_PURE"] = "1"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout


IMPORT_ALL = "import importlib\nfrom timeline import native\n" \
             "for m in native.MODULES: importlib.import_module('timeline.' + m)\n"


def test_timeline_pure_reads_everything_as_python():
    assert _run(IMPORT_ALL + "print(native.in_use())", pure=True).strip() == "[]"


def test_the_modules_the_install_compiled_are_the_ones_loaded():
    built = [m for m in native.MODULES if native.compiled_path(m)]
    if not built and not os.environ.get("CI"):
        pytest.skip("this install has no compiled modules (no Cython or C compiler at install)")
    # on CI the README's install must have compiled every one of them
    assert built == list(native.MODULES)
    assert _run(IMPORT_ALL + "print(' '.join(native.in_use()))", pure=False).split() == built


def test_the_gazetteer_index_key_is_the_same_compiled_or_not():
    # the index is cached under a hash of the normalisation's source: one cache for both
    code = "from timeline import places, gazetteer\n" \
           "print(gazetteer.code_version(places.key, places.loose, places.ARTICLE.pattern))"
    assert _run(code, pure=True) == _run(code, pure=False)


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["seeds/"],
    ["../shared/data/fakes/FA-KES-Dataset.csv", "--id-column", "unit_id", "--title-column", "article_title",
     "--text-column", "article_content", "--outlet-column", "source", "--date-column", "date"],
], ids=["seeds", "fakes"])
def test_compiled_and_pure_read_the_same(args):
    if args[0].startswith("../") and not (ROOT / args[0]).exists():
        pytest.skip("../shared/data is not beside this checkout")
    code = f"import sys; sys.argv = ['timeline', 'extract', *{args!r}, '-q']\nimport cli; cli.main()"
    compiled, pure = _run(code, pure=False), _run(code, pure=True)
    assert compiled.count('"id"') >= 10  # seeds: 2 documents, 8 events
    assert compiled == pure
