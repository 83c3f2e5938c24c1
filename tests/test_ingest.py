"""Reading every kind of input the CLI accepts."""

import json

from conftest import FAKES, FAKES_COLUMNS, SEEDS, need_fakes, run_cli
from timeline import ingest

HTML = """<!doctype html><html><head><title>Site | Blast</title>
<meta property="og:title" content="Car bomb kills four in Homs">
<meta property="article:published_time" content="2016-09-05T14:02:00+03:00">
<meta property="og:site_name" content="Example News">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2016-09-04"}</script>
</head><body><nav>Home | World | Sport</nav>
<article><h1>Car bomb kills four in Homs</h1>
<p>A car bomb exploded at an army checkpoint in the al-Zahraa neighbourhood of Homs on Monday,
killing four people, the governor said. The explosion was heard across the city.</p>
<p>Rescue workers searched the rubble for hours after the blast, and the governor said the toll
could rise as more of the wounded were taken to hospitals in the city.</p>
</article><footer>Copyright Example News. Share this article.</footer></body></html>"""


def test_txt_title_is_the_first_non_empty_line(tmp_path):
    (tmp_path / "a.txt").write_text("\n\n  Headline here  \n\nBody.\n")
    doc = ingest.read_inputs([tmp_path]).documents[0]
    assert doc.title == "Headline here" and doc.id == "a"


def test_markdown_title(tmp_path):
    (tmp_path / "a.md").write_text("# A heading\n\nBody text.\n")
    assert ingest.read_inputs([tmp_path / "a.md"]).documents[0].title == "A heading"


def test_html_main_text_title_and_metadata_date(tmp_path):
    (tmp_path / "page.html").write_text(HTML)
    doc = ingest.read_inputs([tmp_path / "page.html"]).documents[0]
    assert doc.title == "Car bomb kills four in Homs"
    assert "al-Zahraa neighbourhood" in doc.text
    assert "Home | World" not in doc.text
    assert doc.published == "2016-09-05" and doc.published_how == "metadata"
    assert "article:published_time" in doc.published_evidence
    assert doc.outlet == "Example News"


def test_html_json_ld_and_time_element(tmp_path):
    ld = HTML.replace('<meta property="article:published_time" content="2016-09-05T14:02:00+03:00">', "")
    (tmp_path / "ld.html").write_text(ld)
    assert ingest.read_inputs([tmp_path / "ld.html"]).documents[0].published == "2016-09-04"
    timed = ld.replace('"datePublished": "2016-09-04"', '"x": 1').replace(
        "<article>", '<article><time datetime="2016-09-03">3 Sept</time>')
    (tmp_path / "t.html").write_text(timed)
    assert ingest.read_inputs([tmp_path / "t.html"]).documents[0].published == "2016-09-03"


def test_html_events_use_the_metadata_date(tmp_path):
    (tmp_path / "page.html").write_text(HTML)
    out = json.loads(run_cli("extract", tmp_path / "page.html", check=0).stdout)
    assert out["documents"][0]["published"] == "2016-09-05"
    assert out["documents"][0]["published_how"] == "metadata"


def test_folders_are_read_recursively_in_a_stable_order(tmp_path):
    for name in ["b/2.txt", "a/1.txt", "c.md", "README.md", ".hidden.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Title {name}\n\nBody.\n")
    ids = [d.id for d in ingest.read_inputs([tmp_path]).documents]
    assert ids == ["c", "1", "2"]


def test_seeds_folder_skips_its_readme():
    ids = [d.id for d in ingest.read_inputs([SEEDS]).documents]
    assert ids == ["000_0e2d6fac08845090", "003_64b11752b0c503c2"]


def test_csv_and_jsonl_corpora(tmp_path):
    (tmp_path / "c.csv").write_text('doc,headline,body,when\nx1,Blast,"A car bomb killed 4 in Homs.",2016-09-05\n')
    (tmp_path / "c.jsonl").write_text(json.dumps({"doc": "x2", "headline": "Talks", "body": "Kerry met Lavrov.",
                                                 "when": "2016-09-04"}) + "\n\n")
    opts = ingest.CorpusOptions(text_column="body", title_column="headline", id_column="doc", date_column="when")
    docs = ingest.read_inputs([tmp_path / "c.csv", tmp_path / "c.jsonl"], opts).documents
    assert [(d.id, d.title, d.published) for d in docs] == [("x1", "Blast", "2016-09-05"), ("x2", "Talks", "2016-09-04")]
    assert docs[0].text == "A car bomb killed 4 in Homs."


def test_duplicate_ids_lose_no_document(tmp_path):
    (tmp_path / "c.csv").write_text("id,text\n1,First text.\n1,Second text.\n1,First text.\n")
    inputs = ingest.read_inputs([tmp_path / "c.csv"])
    assert [(d.id, d.text) for d in inputs.documents] == [("1", "First text."), ("1-2", "Second text.")]
    assert not inputs.problems
    assert "repeats this document" in inputs.documents[0].warnings[0]
    assert "renamed 1-2" in inputs.documents[1].warnings[0]


def test_fakes_loads_with_its_columns():
    need_fakes()
    opts = ingest.CorpusOptions(text_column="article_content", title_column="article_title",
                                id_column="unit_id", outlet_column="source")
    inputs = ingest.read_inputs([FAKES], opts)
    assert not inputs.problems
    repeats = sum(1 for d in inputs.documents for w in d.warnings if "repeats this document" in w)
    assert len(inputs.documents) + repeats == 804
    assert {d.outlet for d in inputs.documents} >= {"ahram", "alaraby", "sana", "reuters"}


def test_fakes_sample_extracts_without_a_traceback(tmp_path):
    need_fakes()
    import csv

    with FAKES.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[::20]
    sample = tmp_path / "sample.csv"
    with sample.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    proc = run_cli("extract", sample, *FAKES_COLUMNS)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert len(out["documents"]) == len(rows)
    assert "Traceback" not in proc.stderr


def _corpus_docs(path, monkeypatch, held_bytes):
    monkeypatch.setattr(ingest, "HELD_BYTES", held_bytes)
    parsed = []
    rows = ingest.CorpusFile.rows
    monkeypatch.setattr(ingest.CorpusFile, "rows", lambda self: parsed.append(1) or rows(self))
    opts = ingest.CorpusOptions(text_column="body", id_column="doc", date_column="when")
    inputs = ingest.read_inputs([path], opts)
    docs = list(inputs.documents) + list(inputs.documents)  # read twice (report and render do)
    return docs, inputs.problems, len(parsed)


def test_a_small_corpus_is_parsed_once_and_reads_as_a_streamed_one(tmp_path, monkeypatch):
    path = tmp_path / "c.csv"
    path.write_text("doc,body,when\n1,A car bomb killed 4 in Homs.,9/30/2016\n2,,9/1/2016\n"
                    "1,A car bomb killed 4 in Homs.,9/30/2016\n1,Talks in Geneva.,9/1/2016\n")
    held, held_problems, held_parses = _corpus_docs(path, monkeypatch, 1024)
    streamed, streamed_problems, streamed_parses = _corpus_docs(path, monkeypatch, 0)
    assert held == streamed and held_problems == streamed_problems
    assert [(d.id, d.published) for d in held[:2]] == [("1", "2016-09-30"), ("1-2", "2016-09-01")]
    assert (held_parses, streamed_parses) == (1, 3)  # the survey; the survey and each reading
