"""Reading clauses asks each sentence once whether it is background (not once per clause, through
a cache made per sentence), and reads the violence a diplomatic clause is about only when the
clause gives a toll: the readings are those of asking every time and of reading every such clause."""

import csv
from datetime import date

import pytest

from conftest import FAKES, SEED_000, SEED_003
from timeline import extract, ingest, pipeline, sentences

OPTIONS = pipeline.Options(published=date(2016, 9, 5))
BACKGROUND = "Homs has seen repeated suicide attacks during the conflict."
NEWS = "A car bomb killed 5 people in Homs on Monday."
TOPICS = ["The Security Council met on Monday over reports that government forces killed 1300 people in Ghouta.",
          "Kerry and Lavrov held talks in Geneva on Monday about the air strikes that killed 40 people in Aleppo.",
          "Kerry and Lavrov held talks in Geneva on Monday about the air strikes on Aleppo."]


def texts(limit=60):
    found = [path.read_text(encoding="utf-8") for path in (SEED_000, SEED_003)] + TOPICS + [f"{BACKGROUND} {NEWS}"]
    if FAKES.exists():
        csv.field_size_limit(10**9)
        with open(FAKES, encoding="utf-8") as fh:
            found += [row["article_content"] for row, _ in zip(csv.DictReader(fh), range(limit))]
    return found


def read(text):
    return pipeline.read_document(ingest.Document(id="t", text=text, title=""), OPTIONS).mentions


@pytest.mark.parametrize("first", [BACKGROUND, NEWS])
def test_each_sentence_is_background_or_not_of_its_own(first):
    text = f"{first} {NEWS if first == BACKGROUND else BACKGROUND}"
    assert [(m.type, m.killed, text[m.start:m.end]) for m in read(text)] == [("car_bomb", 5, NEWS)]


def test_habitual_is_the_habitual_cue_searched_in_the_sentence():
    for text in texts():
        ctx = extract.DocContext(None, text, None, [], [])
        split = sentences.split(text)
        for sentence in split[::-1] + split:  # in any order, and asked again
            plain = bool(extract.cues()["habitual"].search(text, sentence.start, sentence.end))
            assert extract._habitual(ctx, sentence) is plain


def test_the_violence_a_diplomatic_clause_is_about_is_read_with_its_toll():
    assert [(m.lane, m.killed) for m in read(TOPICS[0])] == [("diplomacy", None), ("violence", 1300)]
    assert [(m.lane, m.killed) for m in read(TOPICS[1])] == [("diplomacy", None), ("violence", 40)]


def test_no_violence_with_a_toll_is_left_unread(monkeypatch):
    """Every diplomatic clause read, its violence read as well: each that has a toll is a mention."""
    wanted, found = [], []
    read_clause, mentions = extract._read_clause, extract.mentions

    def reading_every_topic(ctx, sentence, spans, i, only=None):
        m = read_clause(ctx, sentence, spans, i, only=only)
        if only is None and m is not None and m.lane == "diplomacy":
            topic = read_clause(ctx, sentence, spans, i, only="violence")
            if topic is not None and topic.killed is not None:
                wanted.append((ctx.doc.id, topic.start, topic.type, topic.killed))
        return m

    def kept(doc, *args, **kwargs):
        drafts = mentions(doc, *args, **kwargs)
        found.extend((m.document, m.start, m.type, m.killed) for m in drafts if m.lane == "violence")
        return drafts

    monkeypatch.setattr(extract, "_read_clause", reading_every_topic)
    monkeypatch.setattr(extract, "mentions", kept)
    for n, text in enumerate(texts()):
        pipeline.read_document(ingest.Document(id=str(n), text=text, title=""), OPTIONS)
    assert len(wanted) >= 2 and set(wanted) <= set(found)
