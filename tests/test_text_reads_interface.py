"""What the rules read of the text is part of what their cached results are keyed by.

The type checks read a signature's receiver and `where` clause, a `const`'s written type and the calls written
in a fn's lines. Each case edits only such text in a file that no finding is located in or cites (same length,
so no position moves): `&self` -> `&mut self`, a `where` bound, a `const`'s type, a call in a comment. The edit
changes what a cold run reports, so a cached run that reused the workspace rules' findings would be stale.
RT210's split proposal reads the package's build script.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EditCase, reports_around_an_edit


@dataclass(frozen=True)
class Case(EditCase):
    before: tuple[str, str, int] | None  # the finding (rule, file, line) of a cold run before the edit
    after: tuple[str, str, int] | None  # and after it


# `g.make()` picks the inherent fn only while the trait's fn takes its receiver the same way (`&self`);
# with `&mut self` on a `&mut G` the trait's fn wins (rustc agrees: no error then).
RECEIVER = Case(
    files={
        "lib.rs": "mod g;\nmod h;\nuse g::G;\nuse h::Build;\n\npub fn show(g: &mut G) {\n    let a = g.make();\n"
                  "    println!(\"{:?}\", a);\n}\n",
        "g.rs": "pub struct Item {\n    pub id: u32,\n}\n\npub struct G;\n\nimpl G {\n"
                "    pub fn make(&self) -> Item {\n        Item { id: 1 }\n    }\n}\n",
        "h.rs": "use crate::g::G;\n\n#[derive(Debug)]\npub struct Other;\n\npub trait Build {\n    fn make(\n"
                "        &self,    \n    ) -> Other;\n}\n\nimpl Build for G {\n    fn make(\n        &self,    \n"
                "    ) -> Other {\n        Other\n    }\n}\n",
    },
    edited="h.rs", old="        &self,    \n", new="        &mut self,\n",
    before=("RT310", "src/lib.rs", 8), after=None,
)

# `Spread::new(b)` needs `Node: Copy` under the impl's `where N: Copy`: rustc stops at E0277 and reports no
# move in `run` (the checks stay silent); with `N: Send` it reports the use after move (E0382).
COPY_BOUND = Case(
    files={
        "lib.rs": "mod n;\nmod s;\nuse n::Node;\nuse s::Spread;\n\npub fn run(a: Node, b: Node) {\n    let x = a;\n"
                  "    let y = a;\n    let _ = Spread::new(b);\n    drop((x, y));\n}\n",
        "n.rs": "#[derive(Clone)]\npub struct Node {\n    pub id: u32,\n}\n",
        "s.rs": "pub struct Spread<N> {\n    pub start: N,\n}\n\nimpl<N> Spread<N>\nwhere\n    N: Copy,\n{\n"
                "    pub fn new(start: N) -> Self {\n        Spread { start }\n    }\n}\n",
    },
    edited="s.rs", old="N: Copy,", new="N: Send,",
    before=None, after=("RT312", "src/lib.rs", 8),
)

# `{:?}` of a `const` is checked through its written type.
CONST_TYPE = Case(
    files={
        "lib.rs": "mod k;\nmod p;\nuse k::ORIGIN;\n\npub fn show() {\n    println!(\"{:?}\", ORIGIN);\n}\n",
        "p.rs": "pub struct Point {\n    pub x: u32,\n}\n\n#[derive(Debug)]\npub struct Place {\n    pub x: u32,\n}\n",
        "k.rs": "pub const ORIGIN: Option<crate::p::Place> = None;\n",
    },
    edited="k.rs", old="Place>", new="Point>",
    before=None, after=("RT310", "src/lib.rs", 6),
)

# A workspace fn called in a macro expansion: its `where` clause's bounds are checked at the call.
WHERE_BOUND = Case(
    files={
        "lib.rs": "mod v;\nuse v::verify;\n\npub struct Item {\n    pub id: u32,\n}\n\nmacro_rules! check {\n"
                  "    ($x:expr) => {\n        verify($x)\n    };\n}\n\npub fn run() {\n    check!(Item { id: 1 });\n}\n",
        "v.rs": "pub fn verify<T>(value: T)\nwhere\n    T: Send,     \n{\n    let _ = value;\n}\n",
    },
    edited="v.rs", old="T: Send,     ", new="T: PartialEq,",
    before=None, after=("RT310", "src/lib.rs", 15),
)


# The moves are checked only in a fn whose lines call no `Copy`-bounded fn (nor repeat a value in an array):
# the lines are read as text, comments too, so an edit of a comment decides it as well.
_CALLER = ("mod n;\nmod s;\nuse n::Node;\n\npub fn run(a: Node) {\n    let x = a;\n    let y = a;\n    // {}\n"
           "    drop((x, y));\n}}\n")
COMMENT_CALL = Case(
    files={"lib.rs": _CALLER.replace("{}", "see s::Spread::new(a)").replace("}}", "}"), "n.rs": COPY_BOUND.files["n.rs"],
           "s.rs": COPY_BOUND.files["s.rs"]},
    edited="lib.rs", old="Spread::new(a)", new="Spread::neu(a)",
    before=None, after=("RT312", "src/lib.rs", 7),
)
COMMENT_REPEAT = Case(
    files={"lib.rs": _CALLER.replace("{}", "not [a; 2]").replace("}}", "}"), "n.rs": COPY_BOUND.files["n.rs"],
           "s.rs": COPY_BOUND.files["s.rs"]},
    edited="lib.rs", old="[a; 2]", new="[a, 2]",
    before=None, after=("RT312", "src/lib.rs", 7),
)

# A module declared inside a crate macro is compiled under the cfg the macro's transcriber writes: an edit of
# the definition alone (in a file without findings) decides whether the module's code is checked.
MACRO_CFG = Case(
    files={
        "lib.rs": "macro_rules! gate {\n    ($($item:item)*) => {\n        $(\n"
                  "            #[cfg(not(feature = \"zz\"))]\n            $item\n        )*\n    };\n}\n\n"
                  "gate! {\n    mod m;\n}\n",
        "m.rs": "pub struct Word(pub u64);\n\npub fn take(w: &Word) -> Word {\n    *w\n}\n",
    },
    edited="lib.rs", old='not(feature = "zz")', new='    feature = "zz" ',
    before=("RT310", "src/m.rs", 4), after=None,
)


def _type_findings(report: bytes) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["file"], f["line"]) for f in json.loads(report)["findings"] if f["rule"].startswith("RT3")]


@pytest.mark.parametrize("case", [RECEIVER, COPY_BOUND, CONST_TYPE, WHERE_BOUND, COMMENT_CALL, COMMENT_REPEAT, MACRO_CFG],
                         ids=["receiver", "copy-bound", "const-type", "where-bound", "comment-call", "comment-repeat",
                              "macro-cfg"])
def test_signature_text_read_by_type_checks_is_part_of_the_interface(case: Case, tmp_path: Path) -> None:
    assert len(case.old) == len(case.new)  # no position moves
    first, cached, cold = reports_around_an_edit(tmp_path, case.files, f"src/{case.edited}", case.old, case.new, count=-1)
    assert _type_findings(first) == ([case.before] if case.before else [])
    assert _type_findings(cold) == ([case.after] if case.after else [])
    assert cached == cold


def test_build_script_read_by_the_split_proposal_is_part_of_its_key(tmp_path: Path) -> None:
    """RT210 runs per file, but gives no split proposal for a file the package's build script writes: an edit
    of `build.rs` alone must not leave the cached proposal of the oversized file."""
    big = "".join(f"pub fn f{i}(x: u32) -> u32 {{\n    x + {i}\n}}\n\n" for i in range(120))
    first, cached, cold = reports_around_an_edit(
        tmp_path, {"lib.rs": "mod big;\n", "big.rs": big}, "build.rs", "}\n", '    let _ = "big.rs";\n}\n',
        manifest='build = "build.rs"\n',
        top={"build.rs": 'fn main() {\n    println!("cargo:rerun-if-changed=build.rs");\n}\n'})
    assert b"split into" in first
    assert b"no split proposal: the build script `build.rs` writes it" in cold
    assert cached == cold


def test_call_forms_are_the_calls_the_move_checks_look_for() -> None:
    """The forms a fn's lines are recorded with: a call not of a method by its name, a method call with a dot,
    a path call by its last owner; the array repeats outside `vec!` and anywhere."""
    from rust_triage.families.types.text_facts import _repeats, call_forms

    assert call_forms("let d = Dfs::<N, VM>::new(&g, a);") == {"new", "Dfs::new"}
    assert call_forms("graph::Dfs::new(g)") == {"new", "Dfs::new"}
    assert call_forms("v.iter().copied().collect::<Vec<_>>()") == {".iter", ".copied", ".collect"}
    assert call_forms("spread::<u8>(x)") == {"spread"}  # no owner form behind a turbofish after the name
    assert call_forms("Self::make(x)\n.build(y)") == {"make", "Self::make", ".build"}
    assert call_forms("x.\nf(y)") == {"f"}  # a line is read alone, as before
    assert _repeats("let a = [x; 2]; let b = vec![y; n]; let c = [None; 8];") == (["None", "x"], ["None", "x", "y"])
