"""Item-level facts of the `types` extractor: struct and enum definitions (derive lines, tuple
variants, fields with attributes), type aliases, `macro_rules!` bodies and by-value `self` methods."""

from __future__ import annotations

import re

from tree_sitter import Node

from rust_triage.families.types.exprs import node_text
from rust_triage.families.types.facts import TypeFacts
from rust_triage.families.types.macro_args import macro_passes
from rust_triage.families.types.syntax import position_in
from rust_triage.parse.context import ContextResolver

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_INVOKED = re.compile(rb"\b([a-z_][a-z0-9_]*)\s*!\s*[({\[]")
_METAVAR_TRAIT = re.compile(rb"\bimpl\s*(<[^>]*>)?\s*\$[a-z_]+\s*(<[^>]*>)?\s+for\b")
_DERIVABLE_NAMES = frozenset({"Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default",
                              "Serialize", "Deserialize"})
# std macros a macro body may call without implementing traits through them
_STD_BODY_MACROS = frozenset({"write", "writeln", "format", "format_args", "panic", "assert", "assert_eq",
                              "assert_ne", "debug_assert", "debug_assert_eq", "debug_assert_ne", "unreachable",
                              "todo", "unimplemented", "vec", "concat", "stringify", "matches", "println",
                              "eprintln", "print", "eprint", "dbg", "line", "file", "column", "env", "cfg"})


class ItemFactsMixin:
    """Handlers of the scanner for item definitions (they never run on re-parsed macro arguments)."""

    out: TypeFacts
    resolver: ContextResolver

    def _src(self) -> bytes:
        """The text the scanned tree was parsed from (see `exprs.node_text`)."""
        raise NotImplementedError

    def _self_parameter(self, name: Node, param: Node) -> None:
        text = self._src()[param.start_byte:param.end_byte]
        if not text.startswith((b"&", b"mut &")) and b":" not in text:
            index = self.resolver.item_of(name)
            if index >= 0:
                self.out.by_value_self.add(index)

    # -- type definitions ---------------------------------------------------------------------
    def _adt(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        index = self.resolver.item_of(name) if name is not None else -1
        if index < 0:
            return
        if node.has_error:
            self.out.broken_items.add(index)
        src = self._src()
        sib = node.prev_named_sibling
        while sib is not None and sib.type in ("attribute_item", "line_comment", "block_comment"):
            if sib.type == "attribute_item" and node_text(sib, src).replace(" ", "").startswith("#[derive("):
                self.out.derive_lines[index] = sib.start_point[0] + 1
            sib = sib.prev_named_sibling
        body = node.child_by_field_name("body")
        if body is None:
            return
        if node.type == "struct_item":
            self._attributed_fields(index, body)
            return
        for variant in body.named_children:
            if variant.type != "enum_variant":
                continue
            vbody = variant.child_by_field_name("body")
            if vbody is None:
                continue
            if vbody.type == "ordered_field_declaration_list":
                types = [(node_text(c, src).strip(), c.start_point[0] + 1) for c in vbody.named_children
                         if c.type not in ("attribute_item", "visibility_modifier", "line_comment", "block_comment")]
                self.out.tuple_variants.setdefault(index, {})[node_text(variant.child_by_field_name("name"), src)] = types
            else:
                self._attributed_fields(index, vbody)

    def _macro_definition(self, node: Node, name: Node) -> None:
        body = node.text[name.end_byte - node.start_byte:]
        traits = sorted({m.decode() for m in _WORD.findall(body)} & _DERIVABLE_NAMES)
        macro = node_text(name, self._src())
        invoked = {m.decode() for m in _INVOKED.findall(body)} - _STD_BODY_MACROS - {macro}
        open_ = bool(invoked) or _METAVAR_TRAIT.search(body) is not None
        before = self.out.macro_bodies.get(macro)  # one name defined twice: what either body may implement
        if before is not None:
            traits, open_ = sorted({*traits, *before[0]}), open_ or before[1]
        self.out.macro_bodies[macro] = (traits, open_)
        passes, invoked = macro_passes(node)
        earlier = self.out.macro_passes.get(macro)  # one name defined twice: both must pass
        if earlier is not None:
            passes, invoked = passes and earlier[0], sorted({*invoked, *earlier[1]})
        self.out.macro_passes[macro] = (passes, invoked)

    def _alias(self, node: Node) -> None:
        name, target = node.child_by_field_name("name"), node.child_by_field_name("type")
        if name is None or target is None:
            return
        src = self._src()
        params: list[str] = []
        generics = node.child_by_field_name("type_parameters")
        for p in generics.named_children if generics is not None else []:
            if p.type in ("lifetime", "lifetime_parameter", "line_comment", "block_comment", "attribute_item"):
                continue
            ident = p if p.type == "type_identifier" else p.child_by_field_name("name") or p.child_by_field_name(
                "left") or (p.named_children[0] if p.named_child_count else None)
            if ident is None or ident.type != "type_identifier" or p.type == "const_parameter":
                return  # const parameters and the like: not followed
            params.append(node_text(ident, src))
        index = self.resolver.item_of(name)
        if index >= 0:
            self.out.type_aliases[index] = (params, " ".join(node_text(target, src).split()))

    def _attributed_fields(self, index: int, body: Node) -> None:
        src = self._src()
        pending = False
        for child in body.named_children:
            if child.type == "attribute_item":
                text = node_text(child, src)[2:].lstrip()
                pending = pending or not text.startswith(("doc", "cfg"))
            elif child.type == "field_declaration":
                if pending:
                    name = node_text(child.child_by_field_name("name"), src)
                    self.out.attributed_fields.setdefault(index, []).append(name)
                pending = False
            elif child.type not in ("line_comment", "block_comment", "visibility_modifier"):
                if pending:
                    self.out.attributed_fields.setdefault(index, []).append(str(position_in(body, child)))
                pending = False

