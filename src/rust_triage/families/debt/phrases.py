"""Placeholder language in comments and string literals: phrase patterns, masking, matching.

Kept free of heavy imports: the parse workers import it for the string-literal prefilter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import msgspec

from rust_triage.engine.model import RuleOption


class Phrase(msgspec.Struct, frozen=True):
    """A phrase's regexes are kept as source and compiled on first use: a run tests few of them (the
    anchors reject most comments first), and compiling them all cost a one-file run milliseconds."""

    name: str  # what findings report, e.g. "for now"
    source: str
    flags: int = 0
    before_source: str | None = None  # tested on the text just before the match
    after_source: str | None = None  # tested on the text just after the match
    anchors: tuple[str, ...] = ()  # lower-case substrings one of which a match must contain (fast reject)

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.source, self.flags)

    @property
    def unless_before(self) -> re.Pattern[str] | None:
        return None if self.before_source is None else _compile(self.before_source, _I)

    @property
    def unless_after(self) -> re.Pattern[str] | None:
        return None if self.after_source is None else _compile(self.after_source, _I)


@cache
def _compile(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


class PhraseHit(msgspec.Struct, frozen=True):
    phrase: str
    start: int
    end: int


_I = re.IGNORECASE


def _p(name: str, pattern: str, before: str | None = None, after: str | None = None, flags: int = _I,
       anchors: tuple[str, ...] = ()) -> Phrase:
    return Phrase(
        name,
        pattern,
        flags,
        before + r"\s*$" if before else None,
        r"^\s*" + after if after else None,
        anchors or (name.lower(),),
    )


_CODE_NOUNS = (
    r"implementation|impl\b|version for now|logic|approach|solution|handling|check|checks|parsing|parser|"
    r"model|calculation|algorithm|code|body|value|values|data|result|response|function|fn\b|method|stub|"
    r"placeholder|hack|workaround|fix|patch|shim|stopgap|kludge|measure"
)
_STOPGAP_NOUNS = (
    r"fix|hack|workaround|solution|implementation|impl\b|measure|code|patch|shim|stopgap|approach|kludge|stub|"
    r"placeholder|logic|hard-?cod\w*|version|change|hook"
)
# "this is (only / just) a ..." / "for now, a ..." in front of the phrase
_IT_IS = r"(?:\b(?:this|it|that|which|here|currently|still)(?:'s|\s+is|\s+was|\s+are)?|\bis|\bfor now,?)"
_MARKER = r"(?:^|[/*!#]\s*)"  # the phrase opens the comment, as a marker: "Placeholder: ..."

# RT201: placeholder language. Word boundaries, case-insensitive (XXX excepted). Words that are also
# ordinary vocabulary (placeholder, simplified, temporary) only count when they describe the code.
DEFAULT_COMMENT_PHRASES: tuple[Phrase, ...] = (
    _p("for now", r"\bfor now\b"),
    _p(
        "in a real implementation",
        r"\b(?:in|for|with) an? (?:real|proper|full|production)(?:[- ]world)? "
        r"(?:implementation|system|app|application|scenario|setup|world)\b"
        r"|\ban? (?:real|proper|full|complete) implementation (?:would|should|will|must|needs?|could)\b"
        r"|\bin real code\b",
        anchors=("implementation", "real", "proper", "production"),
    ),
    _p(
        "in production",
        r"\bin (?:a )?production\b",
        before=r"\b(?:used|run|runs|running|deployed|tested|seen|happens|occurs|works|safe|fine|ok|okay|enabled|"
        r"live|crash\w*|fail\w*|panic\w*|users?|customers?)(?:\s+\w+)?",
    ),
    _p(
        "placeholder",
        _IT_IS + r"\s+(?:only\s+|just\s+|simply\s+)?(?:an?\s+)?(?:temporary\s+|simple\s+|dummy\s+)?place-?holder\b"
        r"|\bplace-?holder\s+(?:" + _CODE_NOUNS + r"|for now|until|while)\b"
        r"|" + _MARKER + r"place-?holder(?=\s*[:.!]|\s+-)"
        r"|\b(?:temporary|dummy|simple)\s+place-?holder\b",
        anchors=("holder",),
    ),
    _p("stub", r"\bstub(?:bed)?\b"),
    _p(
        "simplified",
        _IT_IS + r"\s+(?:heavily\s+|very\s+|overly\s+|greatly\s+|just\s+|only\s+)?(?:over)?simplified\b"
        r"|\b(?:over)?simplified\s+(?:" + _CODE_NOUNS + r"|for now|for (?:the )?(?:demo|tests?|example|mvp|prototype))\b"
        r"|" + _MARKER + r"(?:over)?simplified(?=\s*[:.!(]|\s+-)"
        r"|\b(?:overly|too)\s+simplistic\b|\boversimplified\b",
        anchors=("simpli",),
    ),
    _p("hack", r"\bhack(?:y|ish)?\b", before=r"\bcargo[- ]?"),
    _p(
        "temporary",
        r"\btemporary\s+(?:" + _STOPGAP_NOUNS + r"|until|while|for now)\b"
        r"|\btemporarily\s+(?:disabled|removed|skipped|commented|ignored|hard-?cod\w*|stubbed|allow\w*|us(?:e|ing)|"
        r"return\w*|turn\w* off|bypass\w*|left)\b"
        r"|" + _IT_IS + r"\s+(?:only\s+|just\s+)?temporar(?:y|ily)\b"
        r"|" + _MARKER + r"temporar(?:y|ily)(?=\s*[:.!]|\s+-)",
        anchors=("temporar",),
    ),
    _p("not implemented", r"\bnot (?:yet )?(?:been )?implemented\b",
       after=r"(?:for|by|on|in terms of|automatically|directly|natively|in hardware)\b", anchors=("implemented",)),
    _p("XXX", r"\bXXX\b", flags=0),
)

# RT202: TODO / FIXME markers. Upper case anywhere; other cases only as a marker (`todo:`, `fixme(bob)`).
TODO_PHRASES: tuple[Phrase, ...] = (
    _p("TODO", r"\bTODO\b|(?i:\btodo\b)(?=\s*(?:[:(\-]|$))", before="[\"'\u201c]", flags=0),
    _p("FIXME", r"\bFIXME\b|(?i:\bfixme\b)(?=\s*(?:[:(\-]|$))", before="[\"'\u201c]", flags=0),
)

_COMPOUND_AFTER = re.compile(r"-[^\W\d_]")
_COMPOUND_BEFORE = re.compile(r"[^\W\d_]-$")

# URLs and `code spans` never count: `https://example.com/stub-api`, `` `hack_mode` ``.
_MASK = re.compile(r"\b[a-z][a-z0-9+.\-]*://\S+|\bwww\.\S+|`[^`\n]*`", _I)


def mask(text: str) -> str:
    """`text` with URLs and code spans blanked out (same length, so offsets stay valid).

    The blank is NUL, not a space: a masked span is neither a word nor the start of the comment.
    """
    if "`" not in text and "://" not in text and "www." not in text:
        return text
    return _MASK.sub(lambda m: "\0" * (m.end() - m.start()), text)


def find_phrases(text: str, phrases: Iterable[Phrase], lower: str | None = None) -> list[PhraseHit]:
    """Every phrase occurrence in `text` (already masked), in text order."""
    hits: list[PhraseHit] = []
    low = text.lower() if lower is None else lower
    for ph in phrases:
        if ph.anchors and not any(a in low for a in ph.anchors):
            continue
        for m in ph.pattern.finditer(text):
            if ph.unless_before is not None and ph.unless_before.search(text[max(0, m.start() - 40): m.start()]):
                continue
            if ph.unless_after is not None and ph.unless_after.match(text[m.end(): m.end() + 40]):
                continue
            if _COMPOUND_AFTER.match(text, m.end()) or _COMPOUND_BEFORE.search(text[max(0, m.start() - 2): m.start()]):
                continue  # part of a hyphenated word: "placeholder-based", "non-stub"
            hits.append(PhraseHit(ph.name, m.start(), m.end()))
    hits.sort(key=lambda h: (h.start, h.phrase))
    return hits


def user_phrase(word: str) -> Phrase:
    """A configured phrase: literal text, word boundaries at its ends, case-insensitive."""
    escaped = r"\s+".join(re.escape(part) for part in word.split())
    left = r"\b" if word[:1].isalnum() or word[:1] == "_" else ""
    right = r"\b" if word[-1:].isalnum() or word[-1:] == "_" else ""
    return Phrase(word, left + escaped + right, _I, anchors=(word.split()[0].lower(),))


# The options of the rules that take their phrases from this list (RT201, RT504), as `[rules.<id>]` keys.
PHRASE_OPTIONS = (
    RuleOption("phrases", "string-list", None, "replaces the phrase list (default names keep their tuned "
               "patterns, other words match literally); default: the built-in list"),
    RuleOption("extra-phrases", "string-list", [], "words or phrases added to the list"),
    RuleOption("ignore-phrases", "string-list", [], "phrases dropped from the list"),
)


def configured_phrases(options: dict[str, Any], defaults: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    """Phrases after `phrases` (replace the defaults), `extra_phrases` and `ignore_phrases` options."""
    base: tuple[Phrase, ...] = defaults
    replace = _option(options, "phrases")
    if replace is not None:
        base = tuple(_by_name(defaults).get(str(w).lower()) or user_phrase(str(w)) for w in _strings(replace, "phrases"))
    extra = tuple(user_phrase(w) for w in _strings(_option(options, "extra_phrases") or [], "extra_phrases"))
    ignored = {w.lower() for w in _strings(_option(options, "ignore_phrases") or [], "ignore_phrases")}
    return tuple(p for p in base + extra if p.name.lower() not in ignored)


def _option(options: dict[str, Any], name: str) -> object:
    """An option written `extra_phrases` or `extra-phrases`."""
    value = options.get(name)
    return options.get(name.replace("_", "-")) if value is None else value


def _by_name(phrases: tuple[Phrase, ...]) -> dict[str, Phrase]:
    return {p.name.lower(): p for p in phrases}


def _strings(value: object, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        from rust_triage.errors import UsageError

        raise UsageError(f"rule option {key!r} must be a list of non-empty strings")
    return [v.strip() for v in value]


# RT203: string literals whose whole or dominant content is a placeholder.
# Lower-case words a literal must contain to be looked at (the extractor searches for them with bytes.find).
STRING_WORDS: tuple[bytes, ...] = (
    b"todo", b"fixme", b"tbd", b"dummy", b"placeholder", b"place-holder", b"lorem", b"implement", b"changeme",
    b"change-me", b"change_me",
    b"xxx", b"stub",
)
STRING_PHRASES: tuple[Phrase, ...] = (
    _p("not implemented", r"\b(?:not (?:yet )?(?:been )?implemented|unimplemented|implement me)\b",
       anchors=("implement",)),
    _p("TODO", r"\b(?:TODO|FIXME|TBD)\b|(?i:\b(?:todo|fixme)\b)(?=\s*:)", flags=0, anchors=("todo", "fixme", "tbd")),
    _p("dummy", r"\bdummy\b"),
    _p("placeholder", r"\bplace-?holder\b", anchors=("holder",)),
    _p("stub", r"\bstub(?:bed)?\b"),
    _p("changeme", r"\bchange[-_]?me\b", anchors=("change",)),
    _p("XXX", r"\bXXX\b", flags=0),
    _p("lorem ipsum", r"\blorem ipsum\b"),
)
_TEMPLATE = re.compile(r"[{<$%]\s*\w*\s*$")
_LETTERS = re.compile(r"[^\W\d_]+")


def string_placeholder(content: str) -> str | None:
    """The phrase when a literal is a placeholder: the whole text, its marker prefix, or lorem ipsum."""
    hits = find_phrases(content, STRING_PHRASES)
    if not hits:
        return None
    for hit in hits:
        if hit.phrase == "lorem ipsum":
            return hit.phrase
    hits = [  # template syntax: `{placeholder}`, `<dummy>`, `placeholder:{name}`
        h for h in hits
        if not _TEMPLATE.search(content[: h.start]) and not content[h.end:].startswith(("}", ">", ":{", "={"))
    ]
    if not hits:
        return None
    letters = sum(len(w) for w in _LETTERS.findall(content))
    covered = sum(len(w) for h in hits for w in _LETTERS.findall(content[h.start: h.end]))
    first = hits[0]
    starts_with_marker = not content[: first.start].strip(" \t:-_[(!.") and first.phrase in ("TODO", "not implemented")
    if starts_with_marker or (letters and covered * 2 >= letters):
        return first.phrase
    return None
