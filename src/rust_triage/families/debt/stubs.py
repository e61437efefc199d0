"""Stub-function shapes: bodies that only return a default value, panic, or do nothing."""

from __future__ import annotations

import bisect
import re

from rust_triage.families.debt.comments import CommentHit, comment_hits
from rust_triage.families.debt.common import item_start
from rust_triage.families.debt.model import DebtFacts
from rust_triage.families.debt.phrases import Phrase
from rust_triage.parse.facts import Comment, FileFacts, Item

_WRAPPER = re.compile(r"^(?:Ok|Some|Box::new|Arc::new|Rc::new|Cow::Borrowed|Cow::Owned)\((.*)\)$")
_CONVERSION = re.compile(r"\.(?:into|to_string|to_owned|clone|into_iter|collect(?:::<.*>)?)\(\)$")
_ERR_STRING = re.compile(
    r'^Err\((?:"[^"]*"|String::from\("[^"]*"\)|format!\("[^"]*"\))(?:\.(?:into|to_string|to_owned)\(\))?\)$'
)
_ATOM = re.compile(
    r"""^(?:
        \(\) | None | -?0+(?:\.0*)?(?:_?(?:[iu](?:8|16|32|64|128|size)|f32|f64))? | false | true | "" | ''
      | (?:[A-Za-z_]\w*(?:::<[^()]*>)?::)*(?:new|default|empty|none|zero)\(\)
      | vec!\[\] | vec!\(\) | \[\] | String::from\(""\) | Vec::with_capacity\(\d+\)
      | [A-Z]\w*::(?:None|Empty|Unknown|Default|Unit)
      | Self\{\} | [A-Z]\w*\{\.\.Default::default\(\)\}
    )$""",
    re.X,
)


def default_value(expr: str) -> bool:
    """True for `Ok(())`, `Vec::new()`, `0`, `None`, `Default::default()`, `"".to_string()`, `Err("...")`..."""
    e = expr.replace(" ", "")
    if _ERR_STRING.match(e):
        return True
    for _ in range(4):
        stripped = _CONVERSION.sub("", e)
        m = _WRAPPER.match(stripped)
        if m is None:
            e = stripped
            break
        e = m.group(1)
    return bool(_ATOM.match(e) or _ERR_STRING.match(e))


def promises_work(item: Item) -> bool:
    """A non-unit return type, or parameters (self included) to do something with."""
    return item.return_type not in ("", "()") or bool(item.params) or item.has_self


def placeholder_comment(facts: FileFacts, debt: DebtFacts, item: Item, phrases: tuple[Phrase, ...],
                        lines: list[int] | None = None) -> CommentHit | None:
    """The first placeholder phrase in a comment inside the fn or just above it (docs, attributes)."""
    comments = facts.comments
    keys = lines if lines is not None else [c.line for c in comments]
    lo = bisect.bisect_left(keys, item_start(item, debt))
    hi = bisect.bisect_right(keys, item.end_line)
    window: list[Comment] = comments[lo:hi]
    for hit in comment_hits(window, phrases):
        return hit
    return None
