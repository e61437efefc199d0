"""More text the workspace rules read, part of what their cached results are keyed by.

- The trait checks follow an open `macro_rules!` (one calling other macros) through the bodies it reaches and
  look at the calls of it: a body past 400 lines may do anything, a nested `macro_rules!` defines a macro and
  calls nothing, and a call naming the type and the trait together may implement it.
- RT510 reaches a panic in a `macro_rules!` body through the fn invoking the macro.
- RT510 ranks an unwrap by the text of the method chain it ends, over the lines above it.

Each edit is in a file, or on a line, that no finding quotes, keeps every position of a finding, and changes what
a cold run reports: a cached run that reused the workspace rules' findings would be stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EditCase, reports_around_an_edit


@dataclass(frozen=True)
class Case(EditCase):
    rule: str  # the rules compared (a prefix)
    before: list[tuple[str, str, int, str]]  # the findings (rule, file, line, confidence or risk class) of a cold run
    after: list[tuple[str, str, int, str]]  # and after the edit


_LIB = ("#[macro_use]\nmod macros;\nmod impls;\n\npub struct Place {\n    pub x: u32,\n}\n\npub fn show(p: Place) {\n"
        "    println!(\"{:?}\", p);\n}\n")
# `m!` calls `helper!`: the trait checks read both bodies to decide whether `m!(Place)` may implement `Debug`
_OPEN = "macro_rules! m {{\n    ($t:ident) => {{\n{pad}        helper!($t);\n    }};\n}}\n\n"
_HELPER = ("macro_rules! helper {{\n    ($t:ident) => {{\n{nested}        impl $t {{\n            pub fn id(&self) -> u32 {{\n"
           "                0\n            }}\n        }}\n    }};\n}}\n")
_MISSING = [("RT310", "src/lib.rs", 10, "high")]  # `Place` lacks `Debug`
_MAYBE: list[tuple[str, str, int, str]] = []  # a macro call may implement it: silent

# a body of 400 lines is read; one line more and it may implement anything
LONG_BODY = Case(
    files={"lib.rs": _LIB, "impls.rs": "m!(Place);\n",
           "macros.rs": _OPEN.format(pad="        // line\n" * 396) + _HELPER.format(nested="")},
    edited="macros.rs", old="        // line\n", new="        // line\n        // one more\n",
    rule="RT3", before=_MISSING, after=_MAYBE,
)
# `Debug` in a nested definition is no part of the body; a `macro_rulez!` call is not a definition
NESTED = Case(
    files={"lib.rs": _LIB, "impls.rs": "m!(Place);\n",
           "macros.rs": _OPEN.format(pad="") + _HELPER.format(nested="        macro_rules! inner { () => { Debug } }\n")},
    edited="macros.rs", old="macro_rules! inner", new="macro_rulez! inner",
    rule="RT3", before=_MISSING, after=_MAYBE,
)
# the trait named in the call that names the type (the same words in the file's calls of `m!`)
CALL_ARGS = Case(
    files={"lib.rs": _LIB, "impls.rs": "m!(Debug);\nm!(Place);\n",
           "macros.rs": _OPEN.format(pad="") + _HELPER.format(nested="")},
    edited="impls.rs", old="m!(Debug);\nm!(Place);\n", new="m!(Debug, Place);\nm!();\n",
    rule="RT3", before=_MISSING, after=_MAYBE,
)

_PYO3 = "use pyo3::prelude::*;\n\n"
# `run` reaches `S::work`, which invokes `boom!`: its panic is reached; `idle` is not
INVOKER = Case(
    files={"lib.rs": _PYO3 + "macro_rules! boom {\n    () => {\n        panic!(\"boom\")\n    };\n}\n\n"
           "macro_rules! bomb {\n    () => {\n        0\n    };\n}\n\npub struct S;\n\nimpl S {\n"
           "    fn work() -> u32 {\n        boom!()\n    }\n\n    fn idle() -> u32 {\n        bomb!()\n    }\n}\n\n"
           "#[pyfunction]\npub fn run() -> u32 {\n    S::work()\n}\n"},
    edited="lib.rs", old="        boom!()\n    }\n\n    fn idle() -> u32 {\n        bomb!()",
    new="        bomb!()\n    }\n\n    fn idle() -> u32 {\n        boom!()",
    rule="RT510", before=[("RT510", "src/lib.rs", 5, "internal-invariant")], after=[],
)
# `.unwrap()` ending a chain whose first line reads `.call1(` unwraps a Python callback's result
CHAIN = Case(
    files={"lib.rs": _PYO3 + "fn get() -> Option<u32> {\n    None\n}\n\n#[pyfunction]\npub fn total() -> u32 {\n"
           "    let a = 1;\n    let c = get() // from a .call1( of the callback\n        .unwrap();\n    a + c\n}\n"},
    edited="lib.rs", old=".call1(", new=".calx1(",
    rule="RT510", before=[("RT510", "src/lib.rs", 11, "python-callback")],
    after=[("RT510", "src/lib.rs", 11, "internal-invariant")],
)

def _findings(report: bytes, rule: str) -> list[tuple[str, str, int, str]]:
    return [(f["rule"], f["file"], f["line"], f["detail"].get("python_risk_class", f["confidence"]))
            for f in json.loads(report)["findings"] if f["rule"].startswith(rule)]


@pytest.mark.parametrize("case", [LONG_BODY, NESTED, CALL_ARGS, INVOKER, CHAIN],
                         ids=["long-body", "nested-definition", "call-arguments", "macro-invoker", "chain-lines"])
def test_text_read_by_workspace_rules_is_part_of_the_interface(case: Case, tmp_path: Path) -> None:
    first, cached, cold = reports_around_an_edit(tmp_path, case.files, f"src/{case.edited}", case.old, case.new)
    assert _findings(first, case.rule) == case.before
    assert _findings(cold, case.rule) == case.after
    assert cached == cold
