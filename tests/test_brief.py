"""The brief (`timeline report --format html|docx`): key points, the timeline as a picture, the
chronology and the sources, built from the same events as the Markdown report; article text
never becomes markup. Quick tests give the brief a small PNG of their own; drawing the real
timeline starts Chromium (kaleido) and is marked slow."""

import base64
import json
import re
import struct
import zlib

import docx
import pytest

from conftest import SEEDS, run_cli
from timeline import brief, describe
from timeline.records import Document, Event, Mention, Place, Toll, replace

HOSTILE = "<img src=x onerror=alert(1)>"
CONTROLS = "\x00\x01\x08\x0b\x0c\x1f"


def tiny_png() -> bytes:
    """A valid 2x1 PNG, so python-docx can read its size without Chromium drawing anything."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


@pytest.fixture
def seeds(seeds_json):
    return ([Event.from_dict(e) for e in seeds_json["events"]],
            [Document.from_dict(d) for d in seeds_json["documents"]], seeds_json["unresolved"])


@pytest.fixture
def fake_image(monkeypatch):
    """The CLI's brief with a small PNG instead of the drawn timeline (no Chromium)."""
    monkeypatch.setattr(brief, "timeline_image", lambda events, documents, title: (tiny_png(), None))


def chronology_of(page: str) -> str:
    return page.split("<h2>Chronology</h2>", 1)[1].split("<h2>", 1)[0]


def paragraphs(path) -> list:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def section(paras, heading) -> list:
    """The paragraph texts under a level-1 heading, up to the next one."""
    start = paras.index(("Heading 1", heading)) + 1
    end = next((i for i in range(start, len(paras)) if paras[i][0] == "Heading 1"), len(paras))
    return paras[start:end]


# ------------------------------------------------------------------ key points

def test_key_points_of_the_seeds(seeds):
    events, documents, _ = seeds
    points = brief.key_points(events, documents)
    assert len(points) <= 11
    # the day's total is listed once, with its deadliest part; the parts are not listed again
    assert points[0] == ("2016-09-05 (Monday): Suicide bombing (total) in Syria, 40–53 killed; the deadliest of "
                         "them: Explosion / bombing in Tartus, 30–38 killed.")
    assert sum("Hasakah, 5–8 killed" in p for p in points) == 0
    assert ("2016-09-05 (Monday): Meeting / visit: Barack Obama, Vladimir Putin in Hangzhou, during the G20 summit, "
            "Hangzhou.") in points
    assert any("John Kerry, Sergey Lavrov" in p for p in points)
    assert ("Outlets disagree on the toll of the explosion / bombing in Tartus (2016-09-05): alaraby says 38, "
            "000 says 30.") in points


def _event(i, lane="violence", killed=None, part_of=None, aggregate=False, place="Homs", claims=()):
    mentions = tuple(Mention(document=doc, start=0, end=1, text="x", killed=k) for doc, k in claims)
    return Event(id=f"ev-{i}", lane=lane, type="meeting" if lane == "diplomacy" else "explosion",
                 date=f"2016-09-{1 + i % 28:02d}", precision="day", place=Place(name=place, country="Syria"),
                 killed=Toll(*killed) if killed else None, part_of=part_of, aggregate=aggregate, mentions=mentions)


def test_key_points_stay_few_and_say_how_many_more():
    diplomacy = [_event(i, "diplomacy", place="Geneva") for i in range(10)]
    violence = [_event(20 + i, killed=(i + 1, i + 1, i + 3), claims=(("a", i + 1), ("b", i + 3))) for i in range(8)]
    points = brief.key_points(diplomacy + violence, [])
    assert len(points) <= 11
    assert sum(" killed." in p and not p.startswith("Outlets") for p in points) == brief.MOST_TOLLS
    assert "7 more diplomatic events (see the chronology)." in points
    assert "Outlets also disagree on 5 more events (see the chronology)." in points
    assert points[0].endswith("Explosion / bombing in Homs, 8–10 killed."), "the deadliest first"
    assert ("Outlets disagree on the toll of the explosion / bombing in Homs (2016-09-28): b says 10, a says 8."
            in points)


def test_a_disagreement_stays_one_short_sentence():
    claims = (("a", 1), ("a", 90), ("b", 100), ("c", 5), ("d", 7), ("e", 3))
    many = _event(1, killed=(1, 7, 100), place="Ghouta", claims=claims)
    assert brief.key_points([many], [])[1] == ("Outlets disagree on the toll of the explosion / bombing in Ghouta "
                                               "(2016-09-02): b says 100, a says 1–90, d says 7 and 2 more outlets.")
    on_dates = _event(2, killed=(4, 4, 4), claims=(("a", 4), ("b", 4)))
    on_dates = replace(on_dates, mentions=tuple(replace(m, date=f"2016-09-0{i + 3}")
                                                      for i, m in enumerate(on_dates.mentions)))
    assert brief.key_points([on_dates], [])[1] == ("Outlets disagree on the date of the explosion / bombing in Homs "
                                                   "(2016-09-03): a says 2016-09-03, b says 2016-09-04.")


def test_a_part_is_listed_when_its_total_is_not():
    total = _event(1, killed=(40, 40, 53), aggregate=True, place="Syria")
    part = _event(2, killed=(30, 30, 38), part_of="ev-1", place="Tartus")
    with_total = brief.key_points([total, part], [])
    assert [p for p in with_total if "killed" in p and "Tartus" in p and "Syria" not in p] == []
    alone = brief.key_points([part], [])  # the total filtered away: the part stands for itself
    assert alone == ["2016-09-03 (Saturday): Explosion / bombing in Tartus, 30–38 killed."]


# ------------------------------------------------------------------ HTML

def test_html_brief_of_the_seeds(seeds):
    events, documents, unresolved = seeds
    png = tiny_png()
    page = brief.html(events, documents, unresolved, png, describe.title(events))
    assert re.search(r"<h1>Syria, 4–5 Sep 2016: [^<]*</h1>", page)
    points = page.split("<h2>Key points</h2>", 1)[1].split("</ul>", 1)[0]
    assert "Tartus, 30–38 killed" in points and "G20 summit" in points and "Barack Obama, Vladimir Putin" in points
    assert "alaraby says 38, 000 says 30" in points
    assert f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="' in page
    chronology = chronology_of(page)
    assert chronology.count('<li><span class="lane') == len(events) == 8
    for e in events:
        assert describe.html_text(e.summary) in chronology
    assert "Killed, by outlet: 000: 30 · alaraby: 38 (Syrian Observatory for Human Rights)." in chronology
    assert "— actors: Islamic State, Kurdish security forces" in chronology
    sources = page.split("<h2>Sources</h2>", 1)[1]
    assert "000_0e2d6fac08845090" in sources and "alaraby — “53 killed in Islamic State attacks" in sources
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*(?!["']?data:)""", page), "nothing is fetched"


def test_html_brief_without_the_image_says_so(seeds):
    events, documents, unresolved = seeds
    page = brief.html(events, documents, unresolved, None, "T", image_note="RuntimeError: no Chromium")
    assert "<img" not in page
    assert "(timeline image unavailable: RuntimeError: no Chromium)" in page


def test_a_failed_drawing_gives_a_brief_with_a_note(seeds, monkeypatch):
    from timeline import render

    def no_chromium(fig, fmt, **size):
        raise RuntimeError("Chromium not found")

    monkeypatch.setattr(render, "figure", lambda frame, **kw: object())
    monkeypatch.setattr(render, "image", no_chromium)
    events, documents, unresolved = seeds
    page = brief.render(events, documents, unresolved, "html")
    assert "(timeline image unavailable: RuntimeError: Chromium not found)" in page
    assert chronology_of(page).count("<li>") == 8


def test_cli_html_brief_applies_the_filters(tmp_path, fake_image):
    out = tmp_path / "brief.html"
    run_cli("report", SEEDS, "--format", "html", "--lane", "diplomacy", "-o", out, "-q", check=0)
    page = out.read_text(encoding="utf-8")
    assert chronology_of(page).count('<span class="lane diplomacy">') == 2
    assert 'class="lane violence"' not in page and "Tartus" not in page and "killed" not in chronology_of(page)
    assert "data:image/png;base64," in page
    everything = tmp_path / "all.html"
    run_cli("report", SEEDS, "--format", "html", "-o", everything, "-q", check=0)
    assert chronology_of(everything.read_text(encoding="utf-8")).count('<span class="lane violence">') == 6


def test_cli_html_brief_goes_to_standard_output(fake_image):
    proc = run_cli("report", SEEDS, "--format", "html", "--place", "Tartus", "-q", check=0)
    assert proc.stdout.startswith("<!DOCTYPE html>")
    assert chronology_of(proc.stdout).count("<li>") == 1


# ------------------------------------------------------------------ Word

def test_docx_needs_an_output_file():
    for extra in ((), ("-o", "-")):
        proc = run_cli("report", SEEDS, "--format", "docx", *extra)
        assert proc.returncode == 2
        assert "--format docx writes a Word file: give -o FILE.docx" in proc.stderr


def test_docx_brief_of_the_seeds(tmp_path, fake_image):
    out = tmp_path / "brief.docx"
    run_cli("report", SEEDS, "--format", "docx", "-o", out, "-q", check=0)
    document = docx.Document(str(out))
    assert len(document.inline_shapes) == 1
    paras = paragraphs(out)
    assert paras[0][0] == "Title" and paras[0][1].startswith("Syria, 4–5 Sep 2016")
    points = [text for style, text in section(paras, "Key points") if style == "List Bullet"]
    assert points[0].endswith("the deadliest of them: Explosion / bombing in Tartus, 30–38 killed.")
    assert any("alaraby says 38, 000 says 30" in p for p in points)
    chronology = section(paras, "Chronology")
    assert [t for s, t in chronology if s == "Heading 2"] == ["2016-09-04 (Sunday)",
                                                               "2016-09-05 (Monday) — violence killed 40–53"]
    lines = [t for s, t in chronology if s == "List Bullet"]
    assert len(lines) == 8
    assert any(t.startswith("violence · Explosion / bombing in Tartus, 30–38 killed (part of the day's total)")
               and "000: 30 · alaraby: 38" in t for t in lines)
    sources = [t for _, t in section(paras, "Sources")]
    assert any(t.startswith("alaraby — “53 killed in Islamic State attacks") for t in sources)


def test_docx_brief_applies_the_filters(tmp_path, fake_image):
    out = tmp_path / "brief.docx"
    run_cli("report", SEEDS, "--format", "docx", "--lane", "diplomacy", "-o", out, "-q", check=0)
    lines = [t for s, t in section(paragraphs(out), "Chronology") if s == "List Bullet"]
    assert len(lines) == 2 and all(t.startswith("diplomacy · ") for t in lines)


def test_docx_is_not_written_over_an_input(tmp_path, fake_image):
    target = tmp_path / "article.txt"
    target.write_text((SEEDS / "000_0e2d6fac08845090.txt").read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_cli("report", target, "--format", "docx", "-o", target)
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr
    assert target.read_text(encoding="utf-8").startswith("Dozens killed")


# ------------------------------------------------------------------ hostile text

@pytest.fixture
def hostile_events(seeds_json, tmp_path):
    """The seeds' events file with markup and control characters in a title, an outlet, a place,
    actors, a summary and a quoted sentence."""
    data = json.loads(json.dumps(seeds_json))
    data["documents"][0].update(title=f"Title {HOSTILE}{CONTROLS}", outlet=f"Outlet {HOSTILE}\x07")
    event = next(e for e in data["events"] if e["killed"] and not e["aggregate"])
    event["place"]["name"] = f"Place {HOSTILE}\x0b"
    event["actors"] = [f"Actor {HOSTILE}\x00"]
    event["summary"] = f"Summary {HOSTILE}\x1f"
    event["mentions"][0]["text"] = f"Said {HOSTILE}\x01"
    data["unresolved"].append(f"Unresolved {HOSTILE}\x02")
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_hostile_text_stays_text_in_the_html_brief(hostile_events, tmp_path, fake_image):
    out = tmp_path / "brief.html"
    run_cli("report", hostile_events, "--format", "html", "-o", out, "-q", check=0)
    page = out.read_text(encoding="utf-8")
    assert "<img src=x" not in page.lower() and "onerror=alert(1)>" not in page
    for word in ("Title", "Outlet", "Place", "Actor", "Summary"):
        assert f"{word} &lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", page)
    assert "<script" not in page.lower()


def test_hostile_text_stays_text_in_the_docx_brief(hostile_events, tmp_path, fake_image):
    out = tmp_path / "brief.docx"
    run_cli("report", hostile_events, "--format", "docx", "-o", out, "-q", check=0)
    text = "\n".join(t for _, t in paragraphs(out))
    for word in ("Title", "Outlet", "Place", "Actor", "Summary", "Unresolved"):
        assert f"{word} {HOSTILE}" in text, word
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)


def test_control_characters_never_reach_python_docx():
    doc = Document(id=f"d{CONTROLS}", title=f"T{CONTROLS}\ud800", outlet=f"O{CONTROLS}")
    event = Event(id="ev-1", lane="violence", type="explosion", date="2016-09-05", precision="day",
                  place=Place(name=f"P{CONTROLS}"), actors=(f"A{CONTROLS}",), killed=Toll(3, 3, 4),
                  summary=f"S{CONTROLS}", mentions=(Mention(document=doc.id, start=0, end=1, text="x", killed=3),
                                                    Mention(document="other", start=0, end=1, text="y", killed=4)))
    data = brief.docx([event], [doc], [f"U{CONTROLS}"], tiny_png(), f"Title{CONTROLS}")
    assert data[:2] == b"PK"
    assert brief.plain(f"a{CONTROLS}\tb\nc\ud800") == "a\tb\nc"


# ------------------------------------------------------------------ the drawn timeline (Chromium)

@pytest.mark.slow
def test_seeds_html_brief_holds_the_drawn_timeline(tmp_path, kaleido_kept):
    out = tmp_path / "brief.html"
    run_cli("report", SEEDS, "--format", "html", "-o", out, "-q", check=0)
    page = out.read_text(encoding="utf-8")
    found = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', page)
    assert found, re.findall(r"timeline image unavailable[^<]*", page)
    png = base64.b64decode(found.group(1))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert "violence above, diplomacy below" in found.group(2)
    assert "<script" not in page.lower()


@pytest.mark.slow
def test_seeds_docx_brief_holds_the_drawn_timeline(tmp_path, kaleido_kept):
    out = tmp_path / "brief.docx"
    run_cli("report", SEEDS, "--format", "docx", "-o", out, "-q", check=0)
    document = docx.Document(str(out))
    assert len(document.inline_shapes) >= 1, [p.text for p in document.paragraphs if "unavailable" in p.text]
    assert abs(document.inline_shapes[0].width.cm - brief.IMAGE_WIDTH_CM) < 0.01
