"""RT312 use-after-move-needs-copy: a value used after a move, whose type could simply be Copy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.types.copy_bounds import needs_copy_elsewhere
from rust_triage.families.types.derive_checks import by_value_methods, field_types
from rust_triage.families.types.env_paths import Typed
from rust_triage.families.types.iter_items import iterated_item
from rust_triage.families.types.move_places import owner_takes_self_by_value, parameter_type
from rust_triage.families.types.moves_extractor import MoveThenUse
from rust_triage.families.types.resolve_types import visible_from
from rust_triage.families.types.tools import TypeTools, type_tools
from rust_triage.families.types.typeref import generic_param_names, parse_type
from rust_triage.graph.resolve import Def

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile


class UseAfterMoveNeedsCopy(Rule):
    meta = RuleMeta(
        id="RT312",
        name="use-after-move-needs-copy",
        category="types",
        severity="high",
        summary="value used after a move while its type lacks a Copy it could derive (E0382)",
        tests_in_scope=True,  # a break in test code breaks `cargo test`
        precision="high",
        tags=("types", "compile-error", "derive"),
        docs=RuleDocs(
            what="Finds a local bound to a workspace struct or enum (`let p = Point { .. }`, `Pixel(..)`, "
            "`Side::Left`, `let p: Point = ..`, a fn or closure parameter `p: Point` or `a: NodeIndex<Ix>`, `let p = "
            "self.pos()` typed through the callee's return type (also `g.add_node(..)` on a `g` built by a type alias's "
            "constructor such as `DiMatrix::new()`, a generic fn returning the type, `cmp::max(a, b)`, `mem::replace(&mut "
            "d, v)`), `let q = p;`, a name of a tuple pattern bound to a tuple (`let (s, t) = (s.into(), t.into());`), or a "
            "`for p`/`for &p` binding typed "
            "from what it iterates, a workspace iterator's `type Item` included; a local its value gives no type to is typed "
            "by the parameter the move or the use passes it to whole, when that is a workspace fn's by-value parameter of "
            "a named type) that is moved by value (`let q = "
            "p;`, `f(p)`, `v.push(p)`, an array, tuple or field "
            "initialiser, an index `g[p]`, a workspace method taking `self`, also inside `assert!`, `assert_eq!`, "
            "`vec!` or a format macro, or in an `if`/`match`/`for` head, a `move` closure using it) and then used "
            "again later in the same block (also inside a nested block: a branch of an `if` or `match`, or a loop "
            "body whose head does not name it; or after a block that moves it on a path reaching its end, `if c { "
            "take(p); } p.x`) (or in the one branch that names it after a move in an `if` or `match` "
            "head, or in the right operand of `&&` after a move in the left one), with no branch or non-`move` closure around the move and no "
            "reassignment in between (and each later use that moves it again, followed by the next use); or moved "
            "by one argument or field initialiser and used by a later one of the same call or literal "
            "(`Span::new(p, p)`); or moved in the body (also in a nested loop) or `while` condition of a later loop "
            "whose body can reach its end (every `break`, `return` or panic under an `if` without `else`), "
            "which moves it again in the next iteration (a use after a `for`/`while` loop is reported instead of a "
            "move in its body, as rustc does). It reports only when the struct or enum has neither a "
            "`Copy` derive nor impl (then no type arguments make it `Copy`) but could derive it: no `Drop` impl, "
            "and every field type is `Copy` (primitives, shared references, workspace types that are or can be "
            "`Copy`, or a type parameter, which the derive bounds). It says nothing in a fn that calls a "
            "`Copy`-bounded generic fn or repeats a value in an array (rustc then stops at E0277 and checks no "
            "moves there). In code behind a `#[cfg(..)]` other than `cfg(test)` (an item, or a module declared behind "
            "one) its confidence is medium: the cfg may be off, and then rustc checks nothing there.",
            why="rustc rejects the second use (E0382: use of moved value). For small value types the intended "
            "fix is usually `#[derive(Clone, Copy)]`; a crisis backlog often has one such type removed "
            "or never finished, breaking every place that copies it.",
            example="```rust\nstruct Point { x: i32, y: i32 }\nlet p = Point { x: 1, y: 2 };\nlet q = p;\n"
            "println!(\"{}\", p.x); // E0382\n```",
            fix="Add `#[derive(Clone, Copy)]` to the type (the finding links its definition), or `.clone()` "
            "the value at the move, or borrow it (`&p`) instead of moving it.",
            suppress="`// rust-triage: allow(RT312) -- reason` on the line of the second use.",
            clippy="none (rustc error E0382)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        tools: TypeTools | None = None
        by_value: frozenset[str] | None = None
        for src in ctx.files:
            moves = src.facts.extra.get("moves") or []
            for m in moves:
                if tools is None:
                    tools = type_tools(ctx)
                if m.method and by_value is None:
                    by_value = by_value_methods(ctx.files, tools)  # once (an empty set too)
                if m.method and by_value is not None and m.method not in by_value:
                    continue  # no workspace method of that name takes `self` by value
                owner = _moved_type(tools, src, m)
                if owner is None or not _could_be_copy(tools, owner):
                    continue
                if m.method and not owner_takes_self_by_value(tools, owner, m.method, place=True):
                    continue
                if needs_copy_elsewhere(ctx, src, m.item, tools.traits.status(owner, "Clone") != "yes"):
                    continue  # code that may need `Copy` fails to type-check, and then rustc checks no moves
                name = owner.item.name
                how = f" by `.{m.method}()`" if m.method else ""
                what = (f"`{m.name}` is moved here{how} in every iteration of the loop" if m.in_loop
                        else f"`{m.name}` is used after it was moved{how} at line {m.move_line}")
                yield ctx.finding(
                    self.meta, src, m.use_line, m.use_column,
                    f"{what}: `{name}` is not `Copy` (E0382), though every field of it is",
                    end_column=m.use_column + len(m.name),
                    item=m.item,
                    confidence="medium" if tools.cfg_gated(src, m.item) else "high",  # as RT310: a cfg may be off
                    fix_hint=f"add #[derive(Clone, Copy)] to `{name}`, or .clone() / borrow `{m.name}` at line "
                    f"{m.move_line}",
                    related=[
                        Location(src.rel, m.move_line, m.move_column, message=f"`{m.name}` moved here"),
                        Location(owner.file.rel, owner.item.line, owner.item.column, message=f"`{name}` defined here"),
                    ],
                    detail={"type": name, "moved_at": m.move_line, "derive": ["Clone", "Copy"]},
                )


def _moved_type(tools: TypeTools, src: SourceFile, m: MoveThenUse) -> Def | None:
    """The workspace type of the moved local: as written, or (`let x = self.pos();`) through the
    callee's return type or the field's declaration, else through the parameter the move or the use
    passes it to; a reference is Copy, so a moved type only."""
    found = _typed_local(tools, src, m)
    for callee, index in m.passed_to if found is None else ():
        found = parameter_type(tools, src, m.item, callee, index, m.byte)
        if found is not None:
            break
    return found


def _typed_local(tools: TypeTools, src: SourceFile, m: MoveThenUse) -> Def | None:
    if m.type_text == "_" and m.init is None:
        return None  # a name of a tuple pattern: typed by its parameter only
    if m.init is None:
        path = m.type_text.split("<", 1)[0].strip()
        found = _named_type(tools, src, m.item, path)
        if found is None and "::" not in path:  # `Left(2)` after `use Either::Left`
            variant = tools.resolver.resolve_variant(src, m.item, path)
            found = variant[0] if variant is not None and variant[1] is not None else None
        return found
    typed = tools.env.type_of(src, m.item, m.init, m.byte)
    if typed is None and m.init[0] == "call":  # `node_index(i)` returning `NodeIndex<Ix>` of its own `Ix`
        typed = tools.env.called_type_head(src, m.item, m.init[1])
    if typed is None and m.init[0] == "elem" and m.init[2] == "for" and m.init[1] is not None:
        found = iterated_item(tools, src, m.item, m.init[1], m.byte)  # `for n in g.node_indices()`
        if found is None:
            return None
        typed = Typed(found[1], found[0].file, found[0].item.index)
    if typed is None or typed.shape.kind != "path":
        return None
    return _named_type(tools, typed.src, typed.item, typed.shape.path)


def _named_type(tools: TypeTools, src: SourceFile, item: int, path: str) -> Def | None:
    """The struct or enum `path` names, also through a generic alias (`type NodeIndex<Ix = u32> =
    GraphNodeIndex<Ix>`): whether a type with neither a `Copy` derive nor impl is `Copy` does not
    depend on its arguments, so the alias's target is taken by name."""
    found = tools.resolver.resolve(src, item, path)
    if found is None and path.startswith("Self::") and path.count("::") == 1:
        return _associated_type(tools, src, item, path[len("Self::"):])
    if found is not None or path.split("::", 1)[0] == "Self" or path in tools.resolver.generic_params(src, item):
        return found
    aliases = {(d.file.rel, d.item.index): d for d in visible_from(src, item, tools.ctx.index.resolve(src, item, path))
               if d.item.kind == "type"}
    if len(aliases) != 1:
        return None
    alias = next(iter(aliases.values()))
    facts = tools.facts(alias.file)
    written = facts.type_aliases.get(alias.item.index) if facts is not None else None
    if written is None:
        return None
    params, target = written
    shape = parse_type(target)
    if shape.kind != "path" or shape.path in params:
        return None
    return tools.resolver.resolve(alias.file, alias.item.index, shape.path)


def _associated_type(tools: TypeTools, src: SourceFile, item: int, name: str) -> Def | None:
    """`Self::NodeId` in a fn of an impl: the type that the one `type NodeId = NodeIndex<Ix>;` of the impls of
    the same type (`impl GraphBase for MatrixGraph<..>` beside `impl Build for MatrixGraph<..>`) names."""
    items = src.facts.items
    impl = items[item].parent if 0 <= item < len(items) else -1
    if impl < 0 or items[impl].kind != "impl":
        return None
    owner = tools.resolver.resolve(src, impl, items[impl].self_type or "")
    impls = tools.resolver.impls_of(owner) if owner is not None else []
    declared = [(d.file, it) for d in impls for it in d.file.facts.items
                if it.parent == d.item.index and it.kind == "type" and it.name == name]
    if len(declared) != 1 or not declared[0][1].self_type:
        return None
    at, alias = declared[0]
    shape = parse_type(alias.self_type or "")
    if shape.kind != "path" or shape.path.split("::", 1)[0] == "Self":
        return None
    return _named_type(tools, at, alias.parent, shape.path)


def _could_be_copy(tools: TypeTools, owner: Def) -> bool:
    item = owner.item
    if item.kind not in ("struct", "enum") or tools.traits.status(owner, "Copy") != "no":
        return False  # with neither a Copy derive nor impl, no type arguments make it Copy
    if any(impl.item.trait and impl.item.trait.rsplit("::", 1)[-1] == "Drop"
           for impl in tools.ctx.index.impls.get(item.name, [])):
        return False
    adding = {(owner.file.rel, item.index, "Copy"), (owner.file.rel, item.index, "Clone")}
    params = generic_param_names(item.generics)  # a derive makes `W<T>` Copy when `T` is
    return all(
        not gated and (ftype.strip() in params
                       or tools.traits.derivable(parse_type(ftype), "Copy", owner.file, item.index, adding))
        for _, ftype, _, gated in field_types(tools, owner.file, owner)
    )


RULES = [UseAfterMoveNeedsCopy()]
