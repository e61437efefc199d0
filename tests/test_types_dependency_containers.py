"""Derives through containers of well-known dependencies (indexmap, hashbrown, smallvec): their
`Debug`/`Clone` follow their type arguments like std's (checked against rustc on gimli, whose
`LocationListTable` derives `Debug` over an `IndexSet<LocationList>`); and `Cow<'a, B>` over a `B` with
its own `ToOwned` impl, which needs no `Clone` (rustc accepts all but the last struct)."""

from __future__ import annotations

from pathlib import Path

from rust_triage.pipeline import Options, analyse

SOURCE = """\
use indexmap::IndexSet;
use smallvec::SmallVec;

pub struct Loc { pub x: u32 }

#[derive(Debug)]
pub struct Table {
    pub locs: IndexSet<Loc>,
}

#[derive(Clone)]
pub struct Small {
    pub v: SmallVec<[Loc; 4]>,
}

#[derive(Debug)]
pub struct Mapped {
    pub m: indexmap::map::IndexMap<u32, Loc>,
}

#[derive(Default)]
pub struct Empty {
    pub locs: IndexSet<Loc>,
}

#[derive(Debug)]
pub struct Unknown {
    pub other: othercrate::IndexSet<Loc>,
}
"""


def test_derives_follow_the_arguments_of_dependency_containers(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n')
    (ws / "src" / "lib.rs").write_text(SOURCE)
    analysis = analyse(Options(paths=[ws], no_cache=True, jobs=1, select=["RT3"]))
    found = sorted((f.rule, f.line) for f in analysis.findings)
    # Table (Debug), Small (Clone of the array's item), Mapped (Debug of the value); Default needs only
    # the hasher's, and an unknown crate's IndexSet says nothing
    assert found == [("RT311", 8), ("RT311", 13), ("RT311", 18)]


def test_cow_of_a_type_with_its_own_to_owned_needs_no_clone(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text('[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n')
    (ws / "src" / "lib.rs").write_text("""\
use std::borrow::{Borrow, Cow};

pub struct Name { pub id: u32 }
pub struct OwnedName(Name);
impl Borrow<Name> for OwnedName { fn borrow(&self) -> &Name { &self.0 } }
impl ToOwned for Name { type Owned = OwnedName; fn to_owned(&self) -> OwnedName { OwnedName(Name { id: self.id }) } }

pub struct Label<'a> { pub name: Cow<'a, Name> }
#[derive(Clone)]
pub struct Tag<'a> { pub name: Cow<'a, Name> }

pub struct Plain { pub id: u32 }
pub struct Shown<'a> { pub plain: Cow<'a, Plain> }
""")
    analysis = analyse(Options(paths=[ws], no_cache=True, jobs=1, select=["RT3"]))
    assert sorted((f.rule, f.line) for f in analysis.findings) == [("RT310", 13)]
