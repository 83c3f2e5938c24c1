"""lexicon's pattern wrappers hand the rest of re.Pattern's interface to the pattern they wrap,
without a __getattr__ (which would put a hook on every attribute read of them)."""

import re

import pytest

from timeline import lexicon

SOURCE = r"Ab(?P<x>c)"
TEXT = "xx ABC abc Abc"


@pytest.mark.parametrize("cls", [lexicon.Skipping, lexicon.Caseless, lexicon.FoldedMatch])
def test_no_attribute_hook(cls):
    assert not hasattr(cls, "__getattr__")


def test_skipping_is_its_pattern():
    plain = re.compile(SOURCE)
    wrapped = lexicon.Skipping(plain)
    assert (wrapped.pattern, wrapped.flags, wrapped.groups, wrapped.groupindex) == \
        (plain.pattern, plain.flags, plain.groups, plain.groupindex)
    assert wrapped.match("Abc").group("x") == "c" and wrapped.match(TEXT) is None
    assert wrapped.match(TEXT, 11).span() == plain.match(TEXT, 11).span()
    assert wrapped.fullmatch("Abc") and wrapped.findall(TEXT) == plain.findall(TEXT)
    assert wrapped.sub("-", TEXT) == plain.sub("-", TEXT) and wrapped.split(TEXT) == plain.split(TEXT)


def test_caseless_is_the_re_i_pattern():
    exact = re.compile(SOURCE, re.I)
    wrapped = lexicon.Caseless(SOURCE)
    assert wrapped.pattern == SOURCE  # the source it was given, not the folded twin's
    assert (wrapped.flags, wrapped.groups, wrapped.groupindex) == (exact.flags, exact.groups, exact.groupindex)
    assert wrapped.findall(TEXT) == exact.findall(TEXT) == ["C", "c", "c"]
    assert wrapped.sub("-", TEXT) == exact.sub("-", TEXT) and wrapped.subn("-", TEXT) == exact.subn("-", TEXT)


def test_a_folded_match_reads_like_the_re_i_match():
    exact = re.compile(SOURCE, re.I).search(TEXT, 1, 9)
    found = lexicon.Caseless(SOURCE).search(TEXT, 1, 9)
    assert isinstance(found, lexicon.FoldedMatch)
    assert (found.pos, found.endpos, found.regs, found.group("x")) == (exact.pos, exact.endpos, exact.regs, "C")
    assert found.re.groupindex == exact.re.groupindex
