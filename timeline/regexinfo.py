"""regexinfo: what every match of a regular expression must hold, read from its parse tree.

Python's re finds a pattern quickly only when it starts with a literal or a set of characters:
then it skips to the places where that occurs. A pattern that starts with \\b, a lookbehind, a
repeat or a group of named alternatives is tried at every position of the text, branch after
branch. Two facts read from the pattern let a caller skip most of that work with the same result:

- `factors`: strings one of which every match holds ("killed" or "wounded"): where none occurs
  in the searched span there is no match, and one quick scan for them says so;
- `prefixes`: the strings every match starts with (its first few characters): a match can only
  start where one occurs, so the pattern need only be tried there.

Both are worked out for case-sensitive patterns (lexicon.Caseless matches its lower-cased twin);
None means "nothing useful to say" and the caller runs the pattern as it is.
"""

from __future__ import annotations

import functools
import re
import string

try:  # Python 3.11 moved the parser
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse

LIMIT = 256  # the most strings a set may hold: beyond that it says too little to be worth a scan
CLASS_LIMIT = 8  # the most characters a [class] may stand for and still count as literals
PREFIX_CHARS = 4  # how many first characters a prefix set holds
STARTER_CHARS = 5  # those a starter reads: a longer prefix stops it less often in vain
PREFIX_LIMIT = 512  # the most prefixes a set may hold: a starter of more costs more to compile than it saves
ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT"}
REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def parse(source: str, flags: int = 0):
    """The parse tree of `source`, or None when it cannot be read or is case-insensitive."""
    try:
        tree = _sre_parse.parse(source, flags)
    except Exception:  # noqa: BLE001 - any pattern the parser rejects is simply not analysed
        return None
    if tree.state.flags & _sre_constants.SRE_FLAG_IGNORECASE:
        return None
    return tree


def _class_chars(items) -> set | None:
    """The characters of a [class] of a few literals (and small ranges), else None."""
    chars = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] < CLASS_LIMIT:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\w, \d: unicode-wide), a wide range
            return None
    return chars if len(chars) <= CLASS_LIMIT else None


def _product(left: set, right: set) -> set | None:
    if len(left) * len(right) > LIMIT:
        return None
    return {a + b for a in left for b in right}


def _score(strings: set):
    """Better sets first: their shortest string longer (up to 4 characters), then fewer strings."""
    return min(min(map(len, strings)), 4), -len(strings)


def _best(*sets):
    usable = [s for s in sets if s and "" not in s and len(s) <= LIMIT]
    return max(usable, key=_score) if usable else None


# ------------------------------------------------------------------ factors

def _item(op, av):
    """(exact, factors) of one parse item: every string it can match when that is a small
    finite set (else None), and a set one of which each of its matches holds (else None)."""
    name = str(op)
    if name == "LITERAL":
        return {chr(av)}, None
    if name == "IN":
        chars = _class_chars(av)
        return chars, None
    if name in ZERO_WIDTH:
        return {""}, None
    if name == "SUBPATTERN":
        if av[1] & _sre_constants.SRE_FLAG_IGNORECASE:
            return None, None  # (?i:...): each letter in either case
        return _sequence(av[3])
    if name == "ATOMIC_GROUP":
        return _sequence(av)
    if name == "BRANCH":
        return _branch(av[1])
    if name in REPEATS:
        return _repeat(*av)
    return None, None  # ANY, NOT_LITERAL, CATEGORY, GROUPREF ...


def _branch(alternatives):
    infos = [_sequence(p) for p in alternatives]
    exact = set()
    for e, _ in infos:
        exact = exact | e if exact is not None and e is not None else None
    each = [_best(e, f) for e, f in infos]
    factors = None if any(s is None for s in each) else set().union(*each)
    return (exact if exact is not None and len(exact) <= LIMIT else None), factors


def _repeat(low: int, high: int, sub):
    exact, factors = _sequence(sub)
    if low == 0:  # may be absent: it can only be part of a longer literal run
        return ({""} | exact if high == 1 and exact is not None else None), None
    whole = None
    if exact is not None and low == high:
        whole = {""}
        for _ in range(low):
            whole = _product(whole, exact) if whole is not None else None
    return whole, _best(exact, factors)


def _sequence(items):
    """(exact, factors) of a sequence: runs of literal items multiply out into strings."""
    exact, run, candidates = {""}, {""}, []
    for e, f in _items(items):
        if f:
            candidates.append(f)
        if e is None:
            candidates.append(run)
            run, exact = {""}, None
            continue
        longer = _product(run, e)
        if longer is None:  # the run is long enough: keep it, start another here
            candidates.append(run)
            longer = e
        run = longer
        exact = _product(exact, e) if exact is not None else None
    candidates.append(run)
    return exact, _best(*candidates)


def _items(items):
    """(exact, factors) of each item, a run of literal characters as one string: multiplying by
    it is multiplying by each of its characters in turn, with one product for the run."""
    chars = []
    for op, av in items:
        if op == _sre_constants.LITERAL:
            chars.append(chr(av))
            continue
        if chars:
            yield {"".join(chars)}, None
            chars = []
        yield _item(op, av)
    if chars:
        yield {"".join(chars)}, None


def factors(tree) -> set | None:
    """Strings one of which every match of the parsed pattern holds, or None."""
    if tree is None:
        return None
    exact, found = _sequence(tree)
    return _best(exact, found)


# ------------------------------------------------------------------ prefixes
# A prefix is (atoms, done): atoms a tuple, each a character or the source of a class of them
# ("[0-3]", "\\d"); done when nothing after them is known (k atoms read, or an item that is no
# single character came next); else the match may go on with what follows.
STOP = frozenset({((), True)})
CATEGORIES = {"CATEGORY_DIGIT": "\\d", "CATEGORY_NOT_DIGIT": "\\D", "CATEGORY_SPACE": "\\s",
              "CATEGORY_NOT_SPACE": "\\S", "CATEGORY_WORD": "\\w", "CATEGORY_NOT_WORD": "\\W"}
WORD_ITEMS = {"CATEGORY_DIGIT", "CATEGORY_WORD"}
_word_classes = set()  # class sources whose every character is a word character
_broad_classes = set()  # class sources of letters, spaces or negations: found at nearly every position


def _atom_of_class(items):
    """The source of a [class] (for a starter), or None for one it would not reproduce."""
    parts, negate, word, broad = [], False, True, False
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            parts.append(re.escape(chr(av)))
            word = word and is_word(chr(av))
        elif name == "RANGE":
            parts.append(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
            word = word and any(a <= chr(av[0]) <= chr(av[1]) <= b for a, b in ("09", "az", "AZ"))
        elif name == "CATEGORY" and str(av) in CATEGORIES:
            parts.append(CATEGORIES[str(av)])
            word = word and str(av) in WORD_ITEMS
            broad = broad or str(av) != "CATEGORY_DIGIT"
        elif name == "NEGATE":
            negate, word, broad = True, False, True
        else:
            return None
    source = "[" + ("^" if negate else "") + "".join(parts) + "]"
    if word:
        _word_classes.add(source)
    if broad:
        _broad_classes.add(source)
    return source


def is_word(atom: str) -> bool:
    """Is every character an atom stands for a word character (what \\w and \\b see)?"""
    return atom.isalnum() or atom == "_" if len(atom) == 1 else atom in _word_classes


def _join(heads, tails, k: int):
    out = set()
    for h, done in heads:
        if done:
            out.add((h, True))
            continue
        for t, t_done in tails:
            joined = h + t
            out.add((joined[:k], t_done or len(joined) >= k))
        if len(out) > PREFIX_LIMIT:  # too many already: the rest need not be joined
            return STOP
    return frozenset(out) if len(out) <= PREFIX_LIMIT else STOP


def _one(atom: str, k: int):
    return frozenset({((atom,), k <= 1)})


# The characters outside ASCII that re.I matches to an ASCII letter (İ ı to i, ſ to s, the Kelvin
# sign to k): lexicon.FOLD_UNSAFE (tests check the list against every character).
FOLD_UNSAFE = ("\u0130", "\u0131", "\u017f", "\u212a")


@functools.lru_cache(maxsize=None)
def _either_case(c: str) -> str:
    """A class holding every character re.I may match to `c`: its two cases and those of
    FOLD_UNSAFE that re.I matches to it. (A class of every non-ASCII character would do as well,
    but re compiles a class of a range that wide slowly: a second per process, over the patterns.)"""
    if not c.isascii():
        return STOP
    others = "".join(x for x in FOLD_UNSAFE if re.fullmatch(re.escape(c), x, re.I))
    source = "[" + "".join(re.escape(x) for x in dict.fromkeys(c.lower() + c.upper() + others)) + "]"
    if c.isalnum():
        _word_classes.add(source)  # its characters are letters (or digits): \b sees them as such
    return source


def _prefix_item(op, av, k: int, icase: bool = False):
    name = str(op)
    if name == "LITERAL":
        if icase:
            atom = _either_case(chr(av))
            return STOP if atom is STOP else _one(atom, k)
        return _one(chr(av), k)
    if name == "IN":
        source = _atom_of_class(av) if not icase else None
        return _one(source, k) if source else STOP
    if name == "NOT_LITERAL":
        source = "[^" + re.escape(chr(av)) + "]"
        _broad_classes.add(source)
        return _one(source, k)
    if name in ZERO_WIDTH:
        return frozenset({((), False)})
    if name == "SUBPATTERN":  # (?i:...): each letter in either case; (?-i:...) as written
        ignore = _sre_constants.SRE_FLAG_IGNORECASE
        return _prefix_sequence(av[3], k, (icase or bool(av[1] & ignore)) and not av[2] & ignore)
    if name == "ATOMIC_GROUP":
        return _prefix_sequence(av, k, icase)
    if name == "BRANCH":
        out = set()
        for p in av[1]:
            out |= _prefix_sequence(p, k, icase)
            if len(out) > PREFIX_LIMIT:  # too many already: the rest need not be read
                return STOP
        return frozenset(out)
    if name in REPEATS:
        return _prefix_repeat(*av, k, icase)
    return STOP


def _prefix_repeat(low: int, high: int, sub, k: int, icase: bool = False):
    one = _prefix_sequence(sub, k, icase)
    if low > 2 * k:
        return STOP
    out, current = ({((), False)} if low == 0 else set()), frozenset({((), False)})
    # past k copies (or low, if more) each prefix is done or repeats a shorter count
    for count in range(1, min(high, max(low, k)) + 1):
        current = _join(current, one, k)
        if count >= low:
            out |= current
    return frozenset(out) if len(out) <= PREFIX_LIMIT else STOP


def _prefix_sequence(items, k: int, icase: bool = False):
    out = frozenset({((), False)})
    for tails in _prefix_items(items, k, icase):
        if all(done for _, done in out):
            break
        out = _join(out, tails, k)
    return out


def _prefix_items(items, k: int, icase: bool):
    """The prefix sets of each item, a run of literal characters as one: joining it is joining
    each of its characters in turn."""
    chars = []
    for op, av in items:
        if op == _sre_constants.LITERAL and not icase:
            chars.append(chr(av))
            continue
        if chars:
            yield frozenset({(tuple(chars), False)})
            chars = []
        yield _prefix_item(op, av, k, icase)
    if chars:
        yield frozenset({(tuple(chars), False)})


def prefixes(tree, k: int = PREFIX_CHARS) -> set | None:
    """Atom tuples one of which every match starts with (its first `k` characters, fewer where
    what follows is too varied to list), or None when some match may start with anything
    (or be empty)."""
    if tree is None:
        return None
    found = {atoms for atoms, _ in _prefix_sequence(tree, k)}
    return found if () not in found else None


WORD_ASCII = "A-Za-z0-9_"  # the word characters a class of bytes can tell without the Unicode tables


def lead(tree, starts: set) -> str | None:
    """The class of the character that must stand before every start, when the pattern says
    ("(?<![\\w-])", "(?<![A-Za-z])", or \\b before a word character): a class of characters
    outside an ASCII part of what may not stand there (so it holds every one that may). None when
    the pattern says nothing of it."""
    return _lead(list(tree) if tree is not None else [], starts)


def _lead(items, starts: set) -> str | None:
    while items and str(items[0][0]) == "SUBPATTERN":  # "(?i:\\b...)": its first item comes first
        items = list(items[0][1][3])
    if not items:
        return None
    op, av = items[0]
    name = str(op)
    if name == "BRANCH":  # "\\b(?:...)|\\b(?:...)": alternatives that say the same
        leads = {_lead(list(alternative), starts) for alternative in av[1]}
        return leads.pop() if len(leads) == 1 else None
    if name == "AT" and str(av) == "AT_BOUNDARY" and all(is_word(s[0]) for s in starts):
        return "[^" + WORD_ASCII + "]"
    if name != "ASSERT_NOT" or av[0] != -1 or len(av[1]) != 1:
        return None
    op2, av2 = list(av[1])[0]
    if str(op2) == "LITERAL":
        return "[^" + re.escape(chr(av2)) + "]"
    if str(op2) != "IN":
        return None
    parts = []
    for o, a in av2:
        kind = str(o)
        if kind == "NEGATE":
            return None
        if kind == "LITERAL":
            parts.append(re.escape(chr(a)))
        elif kind == "RANGE":
            parts.append(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
        elif kind == "CATEGORY" and str(a) == "CATEGORY_WORD":
            parts.append(WORD_ASCII)
        elif kind == "CATEGORY" and str(a) == "CATEGORY_DIGIT":
            parts.append("0-9")
        # another category (\\s): left out, so the class only grows
    return "[^" + "".join(parts) + "]" if parts else None


def fast_start(tree) -> bool:
    """Does re already skip ahead to where a match may start (a literal or a class first)?"""
    items = list(tree) if tree is not None else []
    while items and str(items[0][0]) == "SUBPATTERN":
        items = list(items[0][1][3])
    if not items:
        return False
    op, av = items[0]
    name = str(op)
    if name in ("LITERAL", "IN"):
        return True
    return name == "BRANCH" and all(p and str(p[0][0]) == "LITERAL" for p in av[1])


# ------------------------------------------------------------------ alternations

def _trie(sequences) -> dict:
    trie = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}
    return trie


def _source(atom: str) -> str:
    return re.escape(atom) if len(atom) == 1 else atom


def _trie_source(node: dict) -> str:
    ends = "" in node
    branches = [_source(a) + _trie_source(child) for a, child in sorted(node.items()) if a != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if ends else body


def alternation(strings) -> str:
    """One regex that matches any of `strings` (or atom tuples), as a tree of their letters: re
    tries one branch per first letter, not every string at every position."""
    return "(?s:" + _trie_source(_trie(strings)) + ")"


def finds_before(starts, before: str | None) -> bool:
    """Does starter(starts, before) find the character before a start (a match is then tried one
    character after it)? Only when `before` is known and the first characters are common ones:
    re scans for a class one character at a time, much more slowly than for a literal, and
    stops less often at spaces and punctuation than at lower-case letters. When every start
    begins with one character, or with capitals and digits only, those are rarer still: the
    starter finds them, and looks behind them for `before`."""
    if not before:
        return False
    firsts = {s[0] for s in starts}
    if len(firsts) == 1 and len(next(iter(firsts))) == 1:
        return False
    return any(a.startswith("[^") or re.search(_source(a), string.ascii_lowercase) for a in firsts)


def starter(starts, before: str | None = None) -> str | None:
    """A regex that finds where one of `starts` (prefixes) may begin, and re can skip ahead to: its
    first item is one character or one class, or a literal when every start begins alike. Given
    `before` (lead: the class of the character before a start) it checks that character too:
    when finds_before, by finding it first (re then stops only at spaces and punctuation, say,
    not at every letter; the caller tries a start at the very beginning itself), else by
    looking behind the start. None when the first characters make no class, or one found
    nearly everywhere."""
    trie = _trie(_spelled(starts))
    if any(a in _broad_classes for a in trie):
        return None  # a match may start at nearly any letter: a starter would stop at each
    if finds_before(starts, before):
        branches = [_source(a) + _trie_source(child) for a, child in sorted(trie.items())]
        return "(?s:" + before + "(?:" + "|".join(branches) + "))"
    head, node = _head(trie)
    if head:  # re finds a literal fastest of all
        return "(?s:" + re.escape(head) + _behind(before, len(head)) + _trie_source(node) + ")"
    behind = _behind(before, 1)
    if all(len(a) == 1 for a in trie):  # all characters: one branch each, re dispatches on them
        return "(?s:" + "|".join(re.escape(a) + behind + _trie_source(child) for a, child in sorted(trie.items())) + ")"
    members = []
    for a in sorted(trie):
        if len(a) == 1:
            members.append(re.escape(a))
        elif a.startswith("[") and not a.startswith("[^"):
            members.append(a[1:-1])
        else:  # a negated class joins no class
            return None
    branches = ["(?<=" + _source(a) + ")" + _trie_source(child) for a, child in sorted(trie.items())]
    return "(?s:[" + "".join(members) + "]" + behind + "(?:" + "|".join(branches) + "))"


def outside(before: str | None, kept: str) -> bool:
    """Is every character of the class `before` (lead: a negated class) outside `kept`? Its
    complement then names them all ("[^A-Za-z0-9_]" for the ASCII letters, digits and _)."""
    if not before:
        return False
    complement = re.compile("[" + before[2:])
    return all(complement.match(c) for c in kept)


def spaced_starter(starts, kept: str) -> str | None:
    """A starter for a text read as a skeleton (every character but those in `kept`, which are
    ASCII, a space), for starts that stand after such a character: it finds a space, then one
    of the starts read the same way (a superset of the starts: the caller tries the pattern at
    each). re scans for one literal character many times faster than for a class of them."""
    if any(s[0] in _broad_classes for s in starts):
        return None  # a match may start at nearly any letter: a starter would stop at each
    trie = _trie(tuple(_spaced(a, kept) for a in s) for s in _spelled(starts))
    return "(?s: (?:" + "|".join(_source(a) + _trie_source(child) for a, child in sorted(trie.items())) + "))"


def _spaced(atom: str, kept: str) -> str:
    """What an atom may read as in a skeleton: itself, or a space for what may be another
    character there."""
    if len(atom) == 1:
        return atom if atom in kept else " "
    if atom.startswith("[^"):
        return "[\\s\\S]"  # any character
    chars = _members(atom)
    if chars is not None and all(c in kept for c in chars):
        return atom  # "[tT]": each character reads as itself
    return atom[:-1] + " ]"


def _spelled(starts) -> set:
    """The starts, one for each character of a first class of a few ("[iIİı]" four starts): at a
    branch re passes over one that begins with another character at once, but calls a function
    for one that begins with a class."""
    out = set()
    for s in starts:
        chars = _members(s[0])
        if chars:
            out.update((c,) + s[1:] for c in chars)
        else:
            out.add(s)
    return out


@functools.lru_cache(maxsize=None)
def _members(atom: str) -> set | None:
    """The characters of a class atom of listed characters and small ranges, else None."""
    if len(atom) == 1:
        return None
    try:
        (op, items), = _sre_parse.parse(atom)
    except (re.error, ValueError):  # not one item: nothing to spell out
        return None
    return _class_chars(items) if str(op) == "IN" else None


def _head(trie: dict) -> tuple:
    """(the characters every sequence in the trie begins with, the node after them)."""
    head, node = "", trie
    while len(node) == 1 and "" not in node and len(next(iter(node))) == 1:
        atom = next(iter(node))
        head, node = head + atom, node[atom]
    return head, node


def _behind(before: str | None, width: int) -> str:
    """A lookbehind, placed `width` characters into a start, that the character before the start
    is one of `before` (a negated class: it is none of the others), or that there is none."""
    if not before:
        return ""
    return "(?<![" + before[2:] + (".{%d})" % width if width > 1 else ".)")


def starts_lines(source: str, flags: int = 0) -> bool:
    """line_start for a source of any case-sensitivity (parse() declines re.I ones: their
    strings say little, but where a match starts does not depend on case)."""
    try:
        return line_start(_sre_parse.parse(source, flags))
    except Exception:  # noqa: BLE001 - a pattern the parser rejects is simply not analysed
        return False


def line_start(tree) -> bool:
    """Does every match start where a line starts (the pattern opens with ^ or \\A) and hold
    a character? Then a match can only start at the start of a search or after a line break:
    re itself would try ^ at every position of a text."""
    items = list(tree) if tree is not None else []
    if not items or str(items[0][0]) != "AT" or str(items[0][1]) not in ("AT_BEGINNING", "AT_BEGINNING_STRING"):
        return False
    return tree.getwidth()[0] > 0
