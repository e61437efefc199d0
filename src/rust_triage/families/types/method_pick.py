"""Which of a type's same-named fns a call reaches, when a trait impl repeats an inherent fn's name.

`g.add_node(x)` on a `Graph` that has both `fn add_node(&mut self, ..)` and `impl Build for Graph { fn
add_node(&mut self, ..) }`: method lookup tries each receiver step (`T`, `&T`, `&mut T`) with inherent
methods before trait ones, so the inherent fn wins when every trait fn takes `self` the same way. A path
call `Graph::with_capacity(..)` resolves to an inherent associated fn before a trait's.
"""

from __future__ import annotations

from rust_triage.families.types.text_facts import text_facts_of
from rust_triage.graph.resolve import Def


def _receiver(d: Def) -> str | None:
    """`self`, `&` or `&mut` as `d`'s signature takes its receiver; None when unknown (a typed `self: ..`,
    or a signature longer than a few lines)."""
    return text_facts_of(d.file).receivers.get(d.item.index)


def inherent_first(fns: list[Def], method_call: bool) -> list[Def]:
    """`fns` (one name's fns of one type) narrowed to the one inherent fn a call reaches before the
    trait fns of that name; `fns` unchanged when that is not sure. A method call (`method_call`) needs
    every trait fn to take its receiver as the inherent one does (else a trait fn may match an earlier
    receiver step)."""
    if len(fns) < 2:
        return fns
    inherent = [d for d in fns if not d.file.facts.items[d.item.parent].trait]
    if len({(d.file.rel, d.item.index) for d in inherent}) != 1 or len(inherent) == len(fns):
        return fns
    if method_call:
        kind = _receiver(inherent[0])
        if kind is None or any(_receiver(d) != kind for d in fns if d is not inherent[0]):
            return fns
    return inherent[:1]
