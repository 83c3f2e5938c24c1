"""Fuzzing: mutated real articles through the reader, malformed events files and the hostile
fixtures through every command. Nothing may raise, nothing may stall.

    TIMELINE_FUZZ=N        documents of the bulk run (default 5,000; the quick tier reads 60)
    TIMELINE_FUZZ_SEED=N   repeat a bulk run
"""

import copy
import json
import os
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FAKES, FAKES_COLUMNS, SEEDS, SHARED, run_cli
from timeline import ingest, pipeline, reconcile

HOSTILE = SHARED / "hostile"
BUDGET_S = 5.0  # per mutated document: reading and reconciling it
COMMANDS = [["extract"], ["extract", "--format", "csv"], ["dates"], ["report"], ["report", "--format", "txt"],
            ["report", "--format", "csv"], ["report", "--format", "json"], ["export", "--to", "acled"],
            ["export", "--to", "timelinejs"], ["export", "--to", "geojson"]]


def real_articles() -> list[str]:
    """The seeds and the first 60 FA-KES articles: text written by real outlets."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(SEEDS).glob("*.txt"))]
    if FAKES.exists():
        import csv

        with open(FAKES, newline="", encoding="utf-8") as f:
            texts += [row["article_content"] for _, row in zip(range(60), csv.DictReader(f))]
    return texts


ARTICLES = real_articles()
DIGITS = st.text(alphabet="0123456789,. -", min_size=1, max_size=400)
DATES = st.one_of(
    st.sampled_from(["Monday", "on Sunday", "3000 years ago", "9999 years ago", "last week", "Mon, 05/09/2016",
                     "0000-00-00", "9999-12-31", "31/02/2016", "the 1990s", "in 1 BC", "year 10000"]),
    st.builds(lambda d, m, y: f"{d}/{m}/{y}", st.integers(-5, 99), st.integers(-5, 99), st.integers(-99999, 99999)),
    st.builds(lambda n, unit: f"{n} {unit} ago", st.integers(0, 10 ** 12),
              st.sampled_from(["days", "weeks", "months", "years", "decades"])))
UNICODE = st.text(max_size=30)
CONTROL = st.text(alphabet=st.characters(whitelist_categories=("Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=30)
# Sizes: mostly a few hundred, one in twenty up to 20,000 (a run of dots, a word pasted
# thousands of times): the big ones find quadratic patterns, the small ones keep 5,000 quick.
SIZES = st.one_of(*[st.integers(1, 300)] * 19, st.integers(2_000, 20_000))
LONG = st.builds(lambda ch, n: ch * n, st.sampled_from(["x", ".", "-", "!", "9", "é", " ", "\n", "…", "Al-"]), SIZES)
REPEATED = st.builds(lambda w, n: (w + " ") * max(1, n // 8),
                     st.sampled_from(["Monday", "killed", "car bomb", "in Aleppo", "at least", "Kerry met Lavrov",
                                      "Gov.", "U.S.", "dozens", "the", "(", "ago", "the town of"]), SIZES)
MUTATION = st.tuples(st.floats(0, 1), st.one_of(DIGITS, DATES, UNICODE, CONTROL, LONG, REPEATED))
TOLLS = st.builds(lambda n: f"{n} people were killed", st.integers(-10 ** 30, 10 ** 400))


def mutate(text: str, mutations) -> str:
    for where, piece in mutations:
        at = int(where * len(text))
        text = text[:at] + " " + piece + " " + text[at:]
    return text


def read_and_reconcile(text: str, published) -> float:
    started = time.perf_counter()
    text, _ = ingest.capped(text)  # as every input is read: at most MAX_CHARS
    doc = ingest.Document(id="fuzz", text=text, title=text.split("\n", 1)[0][:200])
    reading = pipeline.read_document(doc, pipeline.Options(published=published))
    for m in reading.mentions:
        assert text[m.start:m.end] == m.text
        assert m.killed is None or 0 <= m.killed <= 10_000_000
    reconcile.reconcile(list(reading.mentions))
    return time.perf_counter() - started


def fuzz_examples(default: int) -> int:
    return int(os.environ.get("TIMELINE_FUZZ", default))


def _mutated_articles_hold(article, mutations, toll, published):
    text = mutate(ARTICLES[article % len(ARTICLES)], mutations + [(0.5, toll)])
    took = read_and_reconcile(text, published)
    assert took < BUDGET_S, f"a document of {len(text):,} characters took {took:.1f} s"


DOCS = dict(article=st.integers(0, 10_000), mutations=st.lists(MUTATION, max_size=6), toll=TOLLS,
            published=st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(**DOCS)
def test_mutated_real_articles_quick(article, mutations, toll, published):
    _mutated_articles_hold(article, mutations, toll, published)


@pytest.mark.slow  # 400 documents, shrunk to a smallest failing one when one fails
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(**DOCS)
def test_mutated_real_articles_never_raise_nor_stall(article, mutations, toll, published):
    _mutated_articles_hold(article, mutations, toll, published)


# The bulk run: the same kinds of mutation drawn by a seeded generator, so that 5,000 documents
# can be read by two processes (hypothesis draws in one). A new seed every run, printed on failure;
# TIMELINE_FUZZ_SEED=N repeats a run.
PIECES = {
    "digits": lambda r: "".join(r.choice("0123456789,. -") for _ in range(r.randint(1, 400))),
    "date": lambda r: r.choice(["Monday", "3000 years ago", "0000-00-00", "9999-12-31", "31/02/2016",
                                f"{r.randint(-5, 99)}/{r.randint(-5, 99)}/{r.randint(-99999, 99999)}",
                                f"{r.randint(0, 10 ** 12)} {r.choice(['days', 'years', 'decades'])} ago"]),
    "unicode": lambda r: "".join(chr(r.choice([r.randint(32, 0x2FF), r.randint(0x600, 0x6FF),
                                               r.randint(0x2000, 0x206F), r.randint(0x1F300, 0x1F6FF)]))
                                 for _ in range(r.randint(1, 30))),
    "control": lambda r: "".join(chr(r.choice([*range(0, 32), 127, *range(0x80, 0xA0), 0x2028, 0x2029, 0x200B,
                                               0x202E, 0xFEFF])) for _ in range(r.randint(1, 30))),
    "long": lambda r: r.choice(["x", ".", "-", "!", "9", "é", " ", "\n", "…", "Al-"]) * _size(r),
    "repeated": lambda r: (r.choice(["Monday", "killed", "car bomb", "in Aleppo", "at least", "Kerry met Lavrov",
                                     "Gov.", "U.S.", "dozens", "the", "(", "ago", "the town of"]) + " ")
                          * max(1, _size(r) // 8),
    "toll": lambda r: f"{r.choice([r.randint(-10 ** 6, 10 ** 6), r.randint(0, 10 ** 400)])} people were killed",
}


def _size(r) -> int:
    return r.randint(2_000, 20_000) if r.random() < 0.05 else r.randint(1, 300)


def random_document(seed: int) -> tuple[str, date | None]:
    import random

    r = random.Random(seed)
    mutations = [(r.random(), PIECES[r.choice(list(PIECES))](r)) for _ in range(r.randint(0, 6))]
    published = None if r.random() < 0.2 else date(r.randint(1, 9999), r.randint(1, 12), r.randint(1, 28))
    return mutate(r.choice(ARTICLES), mutations), published


def read_seeded(seed: int):
    """(seed, None) when the document read well, else (seed, what went wrong)."""
    text, published = random_document(seed)
    try:
        took = read_and_reconcile(text, published)
    except Exception as exc:  # noqa: BLE001 - the point is to report any
        return seed, f"{type(exc).__name__}: {exc}"
    return seed, (f"{took:.1f} s for {len(text):,} characters" if took >= BUDGET_S else None)


@pytest.mark.slow  # 5,000 documents on two processes: about two minutes
def test_five_thousand_mutated_articles_never_raise_nor_stall():
    import multiprocessing
    import random

    n = fuzz_examples(5000)
    first = int(os.environ.get("TIMELINE_FUZZ_SEED", random.randrange(10 ** 9)))
    with multiprocessing.get_context("fork").Pool(2) as pool:
        bad = [(seed, why) for seed, why in pool.imap_unordered(read_seeded, range(first, first + n), chunksize=25)
               if why]
    assert bad == [], f"{len(bad)} of {n} documents failed (TIMELINE_FUZZ_SEED={first}): {bad[:5]}"


# ------------------------------------------------------------------ events files, malformed

def seeds_events() -> dict:
    return json.loads(run_cli("extract", SEEDS, check=0).stdout)


BAD_VALUES = [None, "x", -1, 10 ** 30, 1.5e308, [], {}, [[[[[]]]]], "<img src=x onerror=alert(1)>", True,
              "0000-00-00", "9999-12-31"]


def malformations(data: dict):
    """(name, events file) for every field of the first document, event, place, toll and
    mention: deleted, or set to each bad value; and whole-file breakages."""
    k = next(i for i, e in enumerate(data["events"]) if e["killed"] and e["place"])  # one with every part
    targets = [("documents", 0), ("events", k), ("events", k, "place"), ("events", k, "killed"),
               ("events", k, "mentions", 0)]
    for path in targets:
        node = data
        for key in path:
            node = node[key]
        for field in list(node):
            broken = copy.deepcopy(data)
            target = broken
            for key in path:
                target = target[key]
            del target[field]
            yield f"{'.'.join(map(str, path))}.{field}: deleted", broken
            for k, value in enumerate(BAD_VALUES):
                if k % 3 != hash(field) % 3:  # a third of the bad values per field keeps the matrix at ~200
                    continue
                broken = copy.deepcopy(data)
                target = broken
                for key in path:
                    target = target[key]
                target[field] = value
                yield f"{'.'.join(map(str, path))}.{field} = {value!r:.30}", broken
    for name, whole in [("events not a list", {**data, "events": {}}), ("no events", {"schema": "timeline/1"}),
                        ("a list", [data]), ("schema 2", {**data, "schema": "timeline/2"}),
                        ("event a string", {**data, "events": ["ev"]}),
                        ("deep", '{"schema": "timeline/1", "events": ' + "[" * 100_000 + "]" * 100_000 + "}"),
                        ("not JSON", '{"schema": "timeline/1", "events": [}'), ("NaN", json.dumps(data)[:-1] + ', "x": NaN}')]:
        yield name, whole


def crashes_of(case: tuple) -> list:
    """(name, command, exit status, stderr's end) of each command a malformed file crashed."""
    name, path = case
    crashes = []
    for command in COMMANDS:
        proc = run_cli(*command, path, "-q")
        if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
            crashes.append((name, command, proc.returncode, proc.stderr[-300:]))
    return crashes


@pytest.mark.slow  # ~200 files x 10 commands, in-process, on two processes
def test_malformed_events_files_through_every_command(tmp_path):
    import multiprocessing

    data = seeds_events()
    cases = list(malformations(data))
    assert len(cases) >= 150
    files = []
    for k, (name, broken) in enumerate(cases):
        path = tmp_path / f"case{k}.json"
        path.write_text(broken if isinstance(broken, str) else json.dumps(broken))
        files.append((name, str(path)))
    # the runs are independent: forked from this process (the reader loaded), two at a time
    with multiprocessing.get_context("fork").Pool(2) as pool:
        crashes = [crash for found in pool.imap(crashes_of, files, chunksize=4) for crash in found]
    assert crashes == [], f"{len(crashes)} of {len(cases) * len(COMMANDS)} runs crashed: {crashes[:3]}"


def test_a_malformed_events_file_is_refused_naming_the_field(tmp_path):
    data = seeds_events()
    data["events"][0]["order"] = "first"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    proc = run_cli("report", path, SEEDS)
    assert proc.returncode == 1
    assert "events[0].order" in proc.stderr and "'first'" in proc.stderr
    assert "Tartus" in proc.stdout, "the other inputs are still read"


# ------------------------------------------------------------------ the hostile fixtures

FIXTURES = sorted(p for p in HOSTILE.glob("*") if p.name != "README.md") if HOSTILE.exists() else []


@pytest.mark.slow  # 15 files x 11 commands
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_hostile_fixture_through_every_command(fixture, tmp_path):
    for command in COMMANDS + [["render", "-o", tmp_path / "t.html"]]:
        started = time.perf_counter()
        proc = run_cli(*command, fixture, "-q")
        took = time.perf_counter() - started
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, (command, proc.stderr[-500:])
        assert took < 10, (command, f"{took:.1f} s")


def need_hostile():
    if not HOSTILE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"hostile fixtures missing at {HOSTILE}")
        pytest.skip("the hostile fixtures are not beside the checkout")


@pytest.mark.parametrize("name", ["crash_00.txt", "crash_02.txt"])
def test_absurd_tolls_are_no_tolls(name):
    need_hostile()
    data = json.loads(run_cli("extract", HOSTILE / name, check=0).stdout)
    assert all((e["killed"] or {}).get("high", 0) <= 10_000_000 for e in data["events"])


def test_dates_past_the_calendar_are_not_read():
    from timeline import timex

    assert [t.value for t in timex.find("It began 3000 years ago and 9999 years ago.", date(2016, 9, 5))] == []
    assert timex.find("a war 20 years ago", date(2016, 9, 5))[0].value == "1996"


def test_runs_of_punctuation_and_repeated_words_stay_linear():
    from timeline import sentences, timex

    started = time.perf_counter()
    sentences.split("A car bomb killed 4 in Homs" + "." * 40_000 + " Then more.")
    timex.find("Monday " * 20_000, date(2016, 9, 5))
    assert time.perf_counter() - started < 5


def test_odd_files_are_read_or_refused_clearly(tmp_path):
    text = "On Monday a car bomb killed 4 people in Homs, Syria.\n"
    (tmp_path / "utf16.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (tmp_path / "utf32.txt").write_bytes(b"\xff\xfe\x00\x00" + text.encode("utf-32-le"))
    (tmp_path / "junk.txt").write_bytes(bytes(range(1, 32)) * 300)
    os.mkfifo(tmp_path / "fifo.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "long.csv").write_text("id,text\n1,\"" + "word " * 60_000 + "\"\n", encoding="utf-8")
    started = time.perf_counter()
    proc = run_cli("extract", tmp_path)
    assert time.perf_counter() - started < 20
    assert proc.returncode == 1
    docs = {d["id"] for d in json.loads(proc.stdout)["documents"]}
    assert {"utf16", "utf32", "1"} <= docs, "UTF-16/32 with a byte-order mark and a long CSV cell are read"
    assert "junk.txt: binary file" in proc.stderr
    assert "fifo.txt: not a regular file" in proc.stderr and "zero.txt: not a regular file" in proc.stderr
    titles = {d["id"]: d["title"] for d in json.loads(proc.stdout)["documents"]}
    assert titles["utf16"] == titles["utf32"] == text.strip(), "decoded, not read as binary or mojibake"


def test_a_document_over_the_cap_is_cut_with_a_notice(tmp_path):
    # some 276,000 characters of prose with nothing to read past the first sentence: the cut is
    # the same as in an article of car bombs, whose 200,000 characters take seconds to read (that
    # reading is test_properties.py::test_very_long_text_is_read's, in the slow tier)
    path = tmp_path / "huge.txt"
    path.write_text("On Monday a car bomb killed 4 people in Homs. "
                    + "The weather was mild and the markets were calm. " * 5750, encoding="utf-8")
    proc = run_cli("extract", path, check=0)
    doc = json.loads(proc.stdout)["documents"][0]
    assert any("only the first 200,000" in w for w in doc["warnings"])
    assert "note:" in proc.stderr and "only the first 200,000 read" in proc.stderr, "the user is told"


def test_a_bad_table_row_is_skipped_with_a_reason(tmp_path):
    path = tmp_path / "curated.csv"
    path.write_text("date,title,lane,killed,place\n"
                    "2016-09-05,Car bomb kills 4 in Homs,violence,4,Homs\n"
                    "2016-09-05,Short row\n"
                    "9999-12-31,Shelling in Aleppo,violence,1e400,Aleppo\n"
                    "2016-09-05,Shelling in Aleppo,violence,-3,Aleppo,extra,cells\n", encoding="utf-8")
    proc = run_cli("report", path, "--format", "json")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    assert "Homs" in run_cli("report", path).stdout


@pytest.mark.slow  # a page of 100,000 elements: about 5 s
def test_huge_and_deep_html_pages_are_read_in_time(tmp_path):
    many = tmp_path / "many.html"
    many.write_text("<html><head><title>Car bomb kills 4 in Homs</title></head><body><article>"
                    + "<div><p>On Monday a car bomb killed 4 people in Homs.</p></div>" * 100_000
                    + "</article></body></html>", encoding="utf-8")
    deep = tmp_path / "deep.html"
    deep.write_text('<html><head><script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000
                    + "</script><title>Shelling in Aleppo</title></head><body><p>Shelling hit Aleppo on "
                    "Monday, killing 3 people.</p></body></html>", encoding="utf-8")
    started = time.perf_counter()
    proc = run_cli("extract", many, deep, "--published", "2016-09-05")
    assert time.perf_counter() - started < 20
    assert proc.returncode == 0, proc.stderr
    titles = {d["title"] for d in json.loads(proc.stdout)["documents"]}
    assert titles == {"Car bomb kills 4 in Homs", "Shelling in Aleppo"}
