"""HTML pages -> title, main text and the publication date their metadata states.

The main text comes from trafilatura (maintained boilerplate removal); the date is read only from
explicit metadata (article:published_time, JSON-LD datePublished, <time datetime>), never guessed
from the page's other dates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass
class Page:
    title: str
    text: str
    published: str | None
    published_evidence: str | None
    outlet: str | None


# Pages with more tags than this are read without boilerplate removal (news pages hold a few
# thousand): trafilatura's cost grows faster than the page.
MAX_TAGS = 20_000


def _plain(tree) -> str:
    """The page's words, script and style left out, one line per block."""
    if tree is None:
        return ""
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return "\n".join(" ".join(t.split()) for t in tree.itertext() if t.strip())


def read(html: str) -> Page:
    import lxml.html
    import trafilatura

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # lxml raises several types for unparsable markup
        tree = None
    if html.count("<") > MAX_TAGS:
        text = _plain(tree)  # trafilatura takes minutes on a million elements; keep the words
    else:
        text = trafilatura.extract(html, include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=False) or ""
    title = _title(tree)
    published, evidence = _published(tree) if tree is not None else (None, None)
    outlet = _meta(tree, "og:site_name") if tree is not None else None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}" if text else title
    return Page(title=title, text=text, published=published, published_evidence=evidence,
                outlet=outlet)


def _title(tree) -> str:
    if tree is None:
        return ""
    for value in (_meta(tree, "og:title"), _first_text(tree, "//h1"), _first_text(tree, "//title")):
        if value and value.strip():
            return " ".join(value.split())
    return ""


def _first_text(tree, xpath: str):
    found = tree.xpath(xpath)
    return found[0].text_content() if found else None


def _meta(tree, prop: str):
    found = tree.xpath(f'//meta[@property="{prop}" or @name="{prop}"]/@content')
    return found[0].strip() if found else None


def _published(tree):
    value = _meta(tree, "article:published_time")
    if value and ISO_DATE.search(value):
        return _iso(value), f'<meta property="article:published_time" content="{value}">'
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        value = _json_ld_date(script)
        if value:
            return _iso(value), f'JSON-LD "datePublished": "{value}"'
    for value in tree.xpath("//time/@datetime"):
        if ISO_DATE.search(value):
            return _iso(value), f'<time datetime="{value}">'
    return None, None


def _json_ld_date(script: str):
    try:
        data = json.loads(script)
    except (ValueError, TypeError, RecursionError):  # RecursionError: JSON-LD nested 100,000 deep
        return None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            value = item.get("datePublished")
            if isinstance(value, str) and ISO_DATE.search(value):
                return value
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _iso(value: str) -> str:
    return "-".join(ISO_DATE.search(value).groups())
