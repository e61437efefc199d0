"""Write a deterministic Cargo workspace of synthetic but realistic Rust for speed measurements.

    python benches/make_corpus.py 400 --out /tmp/corpus [--seed 0]
    python benches/make_corpus.py --lines 100000 --out /tmp/corpus100k
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MARKER = "# rust-triage benchmark corpus (benches/make_corpus.py)"
NOUNS = ("buffer config session packet record index cache token route frame batch entry queue shard "
         "ledger report metric signal worker schema column cursor bucket segment header payload").split()
VERBS = ("load parse merge compute resolve flush encode decode collect validate build apply scan "
         "render fetch store split prune rank filter").split()
CRATE_WORDS = "core net storage cli engine model util proto sched audit".split()
FIELD_TYPES = ("u64", "String", "Vec<u64>", "bool", "Option<u64>", "HashMap<String, u64>")
PARAM_TYPES = ("u64", "usize", "&str", "bool", "&[u64]", "String", "Option<u64>")
RET_TYPES = ("()", "u64", "usize", "bool", "String", "Vec<u64>", "Option<u64>", "Result<u64, String>")
PLACEHOLDERS = ("// TODO: handle the error case properly", "// for now we just use the default value",
                "// in production this would come from the configuration", "// FIXME: avoid the copy here",
                "// TODO: remove once the new format is stable", "// this is a placeholder for now")
DOC_LINES = ("The result is cached by the caller, so this stays cheap to call twice.",
             "Inputs outside the supported range are clamped rather than rejected.",
             "This walks the whole collection once and allocates at most one buffer.",
             "Callers must hold the lock on the owning registry while calling this.",
             "Returns the default when nothing matches, which keeps the callers simple.",
             "The order of the output follows the order of the input entries.",
             "See the module documentation for how the pieces fit together.",
             "Errors are reported as strings because they end up in the log anyway.")
COMMENTS = ("// keep the order stable for callers", "// cheap check first", "// see the module docs",
            "// the common case is a short input", "// saturating to avoid overflow on large inputs")


@dataclass
class FnSig:
    name: str
    params: list[tuple[str, str]]
    ret: str
    is_async: bool = False


@dataclass
class StructSig:
    name: str
    fields: list[tuple[str, str]]
    methods: list[FnSig] = field(default_factory=list)


@dataclass
class Module:
    names: tuple[str, ...]  # () for the crate root
    file: str  # path relative to the crate directory
    children: list[str] = field(default_factory=list)
    fns: list[FnSig] = field(default_factory=list)
    structs: list[StructSig] = field(default_factory=list)

    @property
    def path(self) -> str:
        return "::".join(("crate", *self.names))


@dataclass
class Ctx:
    """What a function body being written can refer to."""

    locals: list[tuple[str, str]]
    ret: str
    is_async: bool = False
    in_test: bool = False

    def of(self, *types: str) -> list[str]:
        return [n for n, t in self.locals if t in types]


def arg_list(items: list[str]) -> str:
    """A parenthesized list with break marks: `layout` puts one item per line if the line gets long."""
    return "(" + ("\x01" + ",\x01".join(items) + ",\x02)" if items else ")")


def layout(line: str, width: int = 100) -> list[str]:
    """Break a line's outermost argument lists one item per line, as rustfmt does past `width`."""
    flat = line.replace("(\x01", "(").replace(",\x02)", ")").replace(",\x01", ", ")
    if len(flat) <= width:
        return [flat]
    pad, depth, text = line[: len(line) - len(line.lstrip())], 0, ""
    for tok in re.split("(\\(\x01|,\x01|,\x02\\))", line):
        if tok == "(\x01":
            depth += 1
            text += f"(\n{pad}    " if depth == 1 else "("
        elif tok == ",\x01":
            text += f",\n{pad}    " if depth == 1 else ", "
        elif tok == ",\x02)":
            text += f",\n{pad})" if depth == 1 else ")"
            depth -= 1
        else:
            text += tok
    return text.split("\n")


class FileWriter:
    """Writes one module file; refers only to modules written before it, so any prefix of a crate resolves."""

    def __init__(self, rng: random.Random, crate: Crate, module: Module) -> None:
        self.rng, self.crate, self.mod = rng, crate, module
        self.imports: list[str] = []
        self.out: list[str] = []

    # -- names and expressions -------------------------------------------------------------------
    def pick(self, seq: Sequence[T]) -> T:
        return self.rng.choice(seq)

    def local_name(self, ctx: Ctx, stem: str | None = None) -> str:
        base = stem or f"{self.pick(NOUNS)}_{self.pick(('count', 'len', 'total', 'value', 'next', 'id'))}"
        name, n = base, 2
        while name in (x for x, _ in ctx.locals):
            name, n = f"{base}_{n}", n + 1
        return name

    def num(self, ctx: Ctx) -> str:
        nums = ctx.of("u64")
        return self.pick(nums) if nums and self.rng.random() < 0.7 else str(self.rng.randint(1, 512))

    def expr(self, ty: str, ctx: Ctx) -> str:
        r, n = self.rng, self.num(ctx)
        strs, vecs = ctx.of("String", "&str"), ctx.of("Vec<u64>")
        if ty == "u64":
            return self.pick([n, f"{n}.saturating_mul({r.randint(2, 9)})", f"{n} + {r.randint(1, 64)}",
                              f"{self.pick(strs)}.len() as u64" if strs else n])
        if ty == "usize":
            return f"{self.pick(vecs)}.len()" if vecs else f"{n} as usize"
        if ty == "bool":
            return self.pick([f"{n} > {r.randint(1, 100)}", f"{n} % 2 == 0",
                              f"{self.pick(strs)}.is_empty()" if strs else "true"])
        if ty in ("String", "&str"):
            word = self.pick(NOUNS)
            if ty == "&str":
                return f'"{word}"'
            return self.pick([f'format!("{word}-{{}}", {n})', f'String::from("{word}")',
                              f"{self.pick(strs)}.to_uppercase()" if strs else f"{n}.to_string()"])
        if ty == "Vec<u64>":
            if vecs:
                v = self.pick(vecs)
                return self.pick([f"{v}.iter().copied().filter(|x| *x % 2 == 0).collect()",
                                  f"{v}.iter().map(|x| x.wrapping_add({n})).collect()"])
            return self.pick([f"vec![{n}, {r.randint(1, 9)}, {r.randint(10, 99)}]",
                              f"(0..{r.randint(2, 40)}).map(|i| i as u64 * {r.randint(2, 7)}).collect()"])
        if ty == "&[u64]":
            return f"&{vecs[0]}" if vecs else f"&[{n}, {r.randint(1, 9)}]"
        if ty == "Option<u64>":
            return self.pick([f"Some({n})", f"{vecs[0]}.first().copied()" if vecs else "None"])
        if ty == "Result<u64, String>":
            return self.pick([f"Ok({n})", f"Ok({n})", f'Err(format!("invalid {self.pick(NOUNS)}: {{}}", {n}))'])
        if ty.startswith("HashMap"):
            return "HashMap::new()"
        return "Default::default()"

    def callables(self, ctx: Ctx, kind: str = "fns") -> list[tuple[Module | str, FnSig | StructSig]]:
        """(owner, item) written earlier: this file, earlier modules of the crate, the previous crate."""
        found: list[tuple[Module | str, FnSig | StructSig]] = [(self.mod, f) for f in getattr(self.mod, kind)]
        for other in self.crate.modules:
            if other is not self.mod:
                found += [(other, f) for f in getattr(other, kind)[:4]]
        if self.crate.dep is not None:
            for other in self.crate.dep.modules[1:4]:
                found += [(f"{self.crate.dep.name}::{'::'.join(other.names)}::", f) for f in getattr(other, kind)[:2]]
        return [(m, f) for m, f in found if ctx.is_async or not getattr(f, "is_async", False)]

    def path_to(self, other: Module | str, name: str) -> str:
        """How this file names `name` from `other`: plain (same module or imported), `super::` or a path."""
        if isinstance(other, str) or other is self.mod:
            return "" if other is self.mod else other
        if self.mod.names and other.names == self.mod.names[:-1]:
            return "super::"
        if self.rng.random() < 0.5:
            line = f"use {other.path}::{name};"
            if line not in self.imports:
                self.imports.append(line)
            return ""
        return f"{other.path}::"

    def call(self, ctx: Ctx) -> tuple[str, str] | None:
        options = self.callables(ctx)
        if not options:
            return None
        owner, f = self.pick(options)
        prefix = self.path_to(owner, f.name)
        args = arg_list([self.expr(t, ctx) for _, t in f.params])
        return f"{prefix}{f.name}{args}{'.await' if f.is_async else ''}", f.ret

    # -- statements ------------------------------------------------------------------------------
    def stmts(self, ctx: Ctx, depth: int, count: int) -> list[str]:
        out: list[str] = []
        for i in range(count):
            if i and self.rng.random() < 0.12:
                out.append("")
            out += self.stmt(ctx, depth)
        return out

    def doc(self, pad: str, first: str, most: int) -> list[str]:
        """A `///` comment: a summary line, then sometimes a blank doc line and more prose."""
        out = [f"{pad}/// {first}"]
        extra = self.rng.randint(0, most)
        if extra:
            out += [f"{pad}///", *(f"{pad}/// {self.pick(DOC_LINES)}" for _ in range(extra))]
        return out

    def stmt(self, ctx: Ctx, depth: int) -> list[str]:
        r, pad = self.rng, "    " * depth
        kind = r.choices(
            ["let_num", "let_call", "let_str", "print", "iter", "if", "for", "match", "if_let", "closure",
             "unwrap", "expect", "str_lit", "comment", "vec", "map", "while", "panic", "async", "try", "construct"],
            [10, 12, 6, 5, 6, 5 if depth < 4 else 0, 4 if depth < 4 else 0, 4, 3, 3,
             2, 2, 1, 9, 3, 2, 1, 1, 6 if ctx.is_async else 0, 4 if ctx.ret.startswith("Result") else 0, 4])[0]
        if kind == "let_num":
            v = self.local_name(ctx)
            line = f"{pad}let {v}: u64 = {self.expr('u64', ctx)};"
            ctx.locals.append((v, "u64"))
            return [line]
        if kind == "let_call":
            found = self.call(ctx)
            if found is None:
                return self.stmt(ctx, depth)
            text, ret = found
            if ret == "()":
                return [f"{pad}{text};"]
            v = self.local_name(ctx, f"{self.pick(NOUNS)}_result")
            ctx.locals.append((v, ret))
            return [f"{pad}let {v} = {text};"]
        if kind in ("let_str", "str_lit"):
            v = self.local_name(ctx, f"{self.pick(NOUNS)}_label")
            value = self.expr("String", ctx) if kind == "let_str" else self.pick(
                ['"call unwrap() only in tests"', '"never .expect(\\"x\\") here"', '"todo!() is a macro"'])
            ctx.locals.append((v, "String" if kind == "let_str" else "&str"))
            return [f"{pad}let {v} = {value};"]
        if kind == "print":
            found = self.call(ctx)
            arg = found[0] if found and found[1] != "()" else self.num(ctx)
            mac = self.pick(["println!", "eprintln!", "log::debug!"])
            return [f'{pad}{mac}("{self.pick(VERBS)} {{}} -> {{:?}}", {self.num(ctx)}, {arg});']
        if kind == "iter":
            v = self.local_name(ctx, f"{self.pick(NOUNS)}s")
            chain = re.sub(r"\.(?=(?:iter|copied|filter|map|collect)\()", f"\n{pad}    .", self.expr("Vec<u64>", ctx))
            ctx.locals.append((v, "Vec<u64>"))
            return f"{pad}let {v}: Vec<u64> = {chain};".split("\n")
        if kind == "if":
            inner = Ctx(list(ctx.locals), ctx.ret, ctx.is_async, ctx.in_test)
            out = [f"{pad}if {self.expr('bool', ctx)} {{", *self.stmts(inner, depth + 1, r.randint(1, 3))]
            if r.random() < 0.5:
                out += [f"{pad}}} else {{", *self.stmts(inner, depth + 1, r.randint(1, 2))]
            return [*out, f"{pad}}}"]
        if kind == "for":
            i = self.local_name(ctx, "idx")
            inner = Ctx([*ctx.locals, (i, "u64")], ctx.ret, ctx.is_async, ctx.in_test)
            return [f"{pad}for {i} in 0..{self.num(ctx)} {{", *self.stmts(inner, depth + 1, r.randint(1, 3)),
                    f"{pad}}}"]
        if kind == "match":
            v = self.local_name(ctx, f"{self.pick(NOUNS)}_kind")
            shape = r.randrange(3)
            if shape == 0:
                head = self.num(ctx)
                arms = ['0 => "empty"', f'1..={r.randint(2, 9)} => "small"', 'n if n % 2 == 0 => "even"',
                        '_ => "other"']
            elif shape == 1:
                head = self.expr("Option<u64>", ctx)
                arms = [f"Some(n) if n > {r.randint(5, 50)} => \"large\"", 'Some(_) => "some"', 'None => "none"']
            else:
                head = f"{self.pick(ctx.of('String') or ['String::new()'])}.as_str()"
                arms = [f'"{w}" => "{w[:3]}"' for w in r.sample(NOUNS, r.randint(1, 4))] + ['_ => "unknown"']
            ctx.locals.append((v, "&str"))
            return [f"{pad}let {v} = match {head} {{", *(f"{pad}    {a}," for a in arms), f"{pad}}};"]
        if kind == "if_let":
            x = self.local_name(ctx, "found")
            inner = Ctx([*ctx.locals, (x, "u64")], ctx.ret, ctx.is_async, ctx.in_test)
            return [f"{pad}if let Some({x}) = {self.expr('Option<u64>', ctx)} {{",
                    *self.stmts(inner, depth + 1, r.randint(1, 2)), f"{pad}}}"]
        if kind == "closure":
            v = self.local_name(ctx, f"{self.pick(VERBS)}_fn")
            w = self.local_name(ctx, f"{self.pick(NOUNS)}_out")
            ctx.locals.append((w, "u64"))
            return [f"{pad}let {v} = |a: u64, b: u64| -> u64 {{ a.saturating_add(b) * {r.randint(2, 5)} }};",
                    f"{pad}let {w} = {v}({self.num(ctx)}, {self.num(ctx)});"]
        if kind in ("unwrap", "expect"):
            v = self.local_name(ctx, f"parsed_{self.pick(NOUNS)}")
            tail = ".unwrap()" if kind == "unwrap" else f'.expect("{self.pick(NOUNS)} must be numeric")'
            ctx.locals.append((v, "u64"))
            return [f'{pad}let {v} = "{r.randint(1, 999)}".parse::<u64>(){tail};']
        if kind == "construct":
            structs = self.callables(ctx, "structs")
            if not structs:
                return self.stmt(ctx, depth)
            owner, st = self.pick(structs)
            v = self.local_name(ctx, re.sub(r"(?<!^)(?=[A-Z])", "_", st.name).lower())
            out = [f"{pad}let mut {v} = {self.path_to(owner, st.name)}{st.name}::new"
                   f"{arg_list([self.expr(t, ctx) for _, t in st.fields])};"]
            for m in st.methods[: self.rng.randint(1, 3)]:
                out.append(f"{pad}{'let _ = ' if m.ret != '()' else ''}{v}.{m.name}({self.num(ctx)});")
            return out
        if kind == "comment":
            lines = [pad + self.pick(PLACEHOLDERS if r.random() < 0.15 else COMMENTS)]
            return lines + ([f"{pad}// {self.pick(DOC_LINES).lower()}"] if r.random() < 0.4 else [])
        if kind == "vec":
            v = self.local_name(ctx, f"{self.pick(NOUNS)}_list")
            found = self.call(ctx)
            first = found[0] if found and found[1] == "u64" else self.num(ctx)
            ctx.locals.append((v, "Vec<u64>"))
            return [f"{pad}let {v} = vec![{first}, {self.num(ctx)}, {r.randint(0, 9)}];"]
        if kind == "map":
            m = self.local_name(ctx, f"by_{self.pick(NOUNS)}")
            return [f"{pad}let mut {m}: HashMap<String, u64> = HashMap::new();",
                    f'{pad}{m}.insert(format!("{self.pick(NOUNS)}-{{}}", {self.num(ctx)}), {self.num(ctx)});',
                    f"{pad}*{m}.entry(String::from(\"{self.pick(NOUNS)}\")).or_insert(0) += 1;"]
        if kind == "while":
            c = self.local_name(ctx, "remaining")
            return [f"{pad}let mut {c} = {self.num(ctx)};", f"{pad}while {c} > 0 {{",
                    f"{pad}    {c} /= 2;", f"{pad}}}"]
        if kind == "panic":
            mac = self.pick(['panic!("{} is out of range", ', 'unreachable!("checked above: {}", '])
            return [f"{pad}if {self.num(ctx)} > 100_000 {{", f"{pad}    {mac}{self.num(ctx)});", f"{pad}}}"]
        if kind == "async":
            return self.pick([
                [f"{pad}tokio::time::sleep(Duration::from_millis({r.randint(1, 50)})).await;"],
                [f"{pad}std::thread::sleep(Duration::from_millis({r.randint(1, 50)}));"],
                [f"{pad}let handle = tokio::spawn(async move {{ {self.num(ctx)} * 2 }});",
                 f"{pad}let _joined = futures::executor::block_on(handle);"],
            ])
        v = self.local_name(ctx, f"checked_{self.pick(NOUNS)}")
        ctx.locals.append((v, "u64"))
        return [f'{pad}let {v} = "{r.randint(1, 99)}".parse::<u64>().map_err(|e| e.to_string())?;']

    def body(self, ctx: Ctx, depth: int, count: int) -> list[str]:
        pad = "    " * depth
        if not ctx.in_test and self.rng.random() < 0.03:
            return [pad + self.pick(["todo!()", 'unimplemented!("not supported yet")'])]
        out = self.stmts(ctx, depth, count)
        if ctx.ret != "()":
            out.append(pad + self.expr(ctx.ret, ctx))
        return out

    # -- items -----------------------------------------------------------------------------------
    def fresh(self, kind: str) -> str:
        return self.crate.fresh(self.rng, kind)

    def free_fn(self, is_async: bool = False) -> list[str]:
        params = [(f"{self.pick(NOUNS)}_{i}", self.pick(PARAM_TYPES)) for i in range(self.rng.randint(0, 3))]
        sig = FnSig(self.fresh("fn"), params, self.pick(RET_TYPES), is_async)
        ctx = Ctx(list(params), sig.ret, is_async)
        ret = "" if sig.ret == "()" else f" -> {sig.ret}"
        head = f"pub {'async ' if is_async else ''}fn {sig.name}{arg_list([f'{n}: {t}' for n, t in params])}{ret}"
        doc = self.pick(["Returns the {} for the given input.", "Builds a {} from the arguments.",
                         "Checks the {} and reports what changed.", "Looks up the {} in the shared state."])
        out = [*self.doc("", doc.format(self.pick(NOUNS)), 4), head + " {",
               *self.body(ctx, 1, self.rng.randint(3, 22)), "}", ""]
        self.mod.fns.append(sig)
        return out

    def struct(self) -> list[str]:
        name = self.fresh("struct")
        fields = [(f"{self.pick(NOUNS)}_{i}", self.pick(FIELD_TYPES)) for i in range(self.rng.randint(2, 7))]
        derives = self.pick(["Debug, Clone", "Debug, Clone, PartialEq", "Debug, Default", "Clone"])
        out = [*self.doc("", f"A {self.pick(NOUNS)} tracked by the {self.crate.name} crate.", 3),
               f"#[derive({derives})]", f"pub struct {name} {{"]
        for n, t in fields:
            if self.rng.random() < 0.5:
                out.append(f"    /// The {n.split('_')[0]} this {self.pick(NOUNS)} refers to.")
            out.append(f"    pub {n}: {t},")
        out += ["}", "", f"impl {name} {{"]
        params = [(n, "&str" if t == "String" else t) for n, t in fields if not t.startswith("HashMap")]
        inits = [f"{n}: {n}.to_string()" if t == "String" else (f"{n}: HashMap::new()" if t.startswith("HashMap")
                 else n) for n, t in fields]
        out += [f"    /// Creates a `{name}` from its parts.",
                f"    pub fn new{arg_list([f'{n}: {t}' for n, t in params])} -> Self {{",
                "        Self {", *(f"            {i}," for i in inits), "        }", "    }", ""]
        sig = StructSig(name, params)
        for _ in range(self.rng.randint(1, 5)):
            m = FnSig(f"{self.pick(VERBS)}_{self.pick(NOUNS)}", [("input", "u64")], self.pick(RET_TYPES))
            if m.name in (x.name for x in sig.methods):
                continue
            recv = self.pick(["&self", "&mut self"])
            ctx = Ctx([("input", "u64"), *((f"self.{n}", t) for n, t in fields)], m.ret)
            ret = "" if m.ret == "()" else f" -> {m.ret}"
            if self.rng.random() < 0.6:
                out += self.doc("    ", f"Runs the {m.name.split('_')[0]} step for the {m.name.split('_')[1]}.", 2)
            out += [f"    pub fn {m.name}({recv}, input: u64){ret} {{", *self.body(ctx, 2, self.rng.randint(2, 12)),
                    "    }", ""]
            sig.methods.append(m)
        out[-1] = "}"
        self.mod.structs.append(sig)
        return [*out, ""]

    def enum(self) -> list[str]:
        name = self.fresh("enum")
        variants = list(dict.fromkeys(self.fresh("variant") for _ in range(self.rng.randint(2, 6))))
        shapes = [self.pick(["", "(u64)", " { code: u64, retry: bool }"]) for _ in variants]
        out = ["#[derive(Debug, Clone, PartialEq)]", f"pub enum {name} {{",
               *(f"    {v}{s}," for v, s in zip(variants, shapes, strict=True)), "}", "", f"impl {name} {{",
               "    pub fn describe(&self) -> String {", "        match self {"]
        for v, s in zip(variants, shapes, strict=True):
            pat = {"": v, "(u64)": f"{v}(n)"}.get(s, f"{v} {{ code, retry }}")
            val = {"": f'String::from("{v.lower()}")', "(u64)": f'format!("{v.lower()} {{}}", n)'}.get(
                s, f'format!("{v.lower()} {{}} {{}}", code, retry)')
            if self.rng.random() < 0.08:
                val = 'unreachable!("variant is filtered out earlier")'
            out.append(f"            {name}::{pat} => {val},")
        return [*out, "        }", "    }", "}", ""]

    def trait_impl(self) -> list[str]:
        if not self.mod.structs:
            return self.struct()
        target, name = self.pick(self.mod.structs).name, self.fresh("trait")
        out = [f"pub trait {name} {{", "    fn score(&self, weight: u64) -> u64;",
               "    fn label(&self) -> String {", f'        String::from("{name.lower()}")', "    }", "}", "",
               f"impl {name} for {target} {{", "    fn score(&self, weight: u64) -> u64 {"]
        out += self.body(Ctx([("weight", "u64")], "u64"), 2, self.rng.randint(2, 8))
        out += ["    }", "}", "", f"impl fmt::Display for {target} {{",
                "    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {",
                f'        write!(f, "{target}({{}})", self.score(1))', "    }", "}", ""]
        return out

    def generic_fn(self) -> list[str]:
        name = self.fresh("fn")
        return [f"pub fn {name}<T, F>(items: &[T], limit: usize, keep: F) -> Vec<T>", "where",
                "    T: Clone + fmt::Debug,", "    F: Fn(&T) -> bool,", "{",
                "    let mut out = Vec::with_capacity(limit);", "    for item in items.iter().filter(|i| keep(i)) {",
                "        if out.len() >= limit {", "            break;", "        }",
                "        out.push(item.clone());", "    }", "    out", "}", "",
                f"pub fn {name}_longest<'a>(a: &'a str, b: &'a str) -> &'a str {{",
                "    if a.len() >= b.len() { a } else { b }", "}", ""]

    def tests(self) -> list[str]:
        out = ["#[cfg(test)]", "mod tests {", "    use super::*;", ""]
        for f in [f for f in self.mod.fns if not f.is_async][: self.rng.randint(1, 5)]:
            ctx = Ctx([], "()", in_test=True)
            args = ", ".join(self.expr(t, ctx) for _, t in f.params)
            out += ["    #[test]", f"    fn {f.name}_works() {{", f"        let result = {f.name}({args});",
                    '        let expected = "7".parse::<u64>().unwrap();', "        assert!(expected > 0);",
                    f"        {'assert_eq!(result, result);' if f.ret != '()' else 'let _ = result;'}", "    }", ""]
        out[-1] = "}"
        return out

    def write(self, target_lines: int) -> list[str]:
        items: list[str] = []
        makers = [self.free_fn, self.free_fn, self.struct, self.struct, self.enum, self.trait_impl,
                  self.generic_fn, lambda: self.free_fn(is_async=True)]
        while len(items) < target_lines * 0.85:
            room = target_lines - len(items)
            items += self.pick(makers if room > 150 else [self.enum, self.generic_fn, self.free_fn])()
        if any(not f.is_async for f in self.mod.fns) and self.rng.random() < 0.7:
            items += ["", *self.tests()]
        # `pub mod` lines go after the first two lines once the crate's module tree is final.
        head = [f"//! {self.pick(VERBS).capitalize()} and {self.pick(VERBS)} {self.pick(NOUNS)}s.", "",
                "use std::collections::HashMap;", "use std::fmt;", "use std::time::Duration;", *self.imports, ""]
        lines = head + [part for line in items for part in layout(line)]
        lines = [x for i, x in enumerate(lines) if x or (i and lines[i - 1])]  # no double blank lines
        while lines[-1] == "":
            lines.pop()
        return lines


class Crate:
    def __init__(self, name: str, dep: Crate | None) -> None:
        self.name, self.dep = name, dep
        self.modules: list[Module] = [Module((), "src/lib.rs")]
        self.used: set[str] = set()

    def fresh(self, rng: random.Random, kind: str) -> str:
        while True:
            a, b = rng.choice(VERBS), rng.choice(NOUNS)
            name = {"fn": f"{a}_{b}", "trait": f"{a.capitalize()}{b.capitalize()}"}.get(
                kind, f"{b.capitalize()}{rng.choice(NOUNS).capitalize()}")
            if kind == "variant" or name not in self.used:
                self.used.add(name)
                return name

    def add_module(self, rng: random.Random) -> Module:
        nested = [m for m in self.modules if 0 < len(m.names) < 3]
        parent = rng.choice(nested) if nested and rng.random() < 0.45 else self.modules[0]
        name = rng.choice(NOUNS)
        while name in parent.children:
            name = f"{rng.choice(NOUNS)}_{rng.choice(VERBS)}"
        names = (*parent.names, name)
        folder = "src/" + "".join(f"{n}/" for n in parent.names)
        mod = Module(names, f"{folder}{name}/mod.rs" if rng.random() < 0.25 else f"{folder}{name}.rs")
        parent.children.append(name)
        self.modules.append(mod)
        return mod


def file_target(rng: random.Random) -> int:
    roll = rng.random()
    return rng.randint(50, 180) if roll < 0.6 else rng.randint(180, 330) if roll < 0.85 else rng.randint(330, 520)


def generate(out: Path, files: int | None, lines: int | None, seed: int, per_crate: int) -> tuple[int, int]:
    """Write the workspace; stop after `files` files or once `lines` lines are written."""
    rng = random.Random(seed)
    crates: list[Crate] = []
    written: list[tuple[Crate, Module, list[str]]] = []
    total_lines = 0

    def done() -> bool:
        return (files is not None and len(written) >= files) or (lines is not None and total_lines >= lines)

    while not done():
        crate = Crate(f"{CRATE_WORDS[len(crates) % len(CRATE_WORDS)]}_{len(crates)}", crates[-1] if crates else None)
        crates.append(crate)
        count = per_crate if files is None else min(per_crate, files - len(written))
        for i in range(count):
            if done():
                break
            mod = crate.modules[0] if i == 0 else crate.add_module(rng)
            body = FileWriter(rng, crate, mod).write(file_target(rng))
            written.append((crate, mod, body))
            total_lines += len(body)  # `pub mod` lines added later only add to this
        declared = {m.names for _, m, _ in written}
        for m in crate.modules:
            m.children = [c for c in m.children if (*m.names, c) in declared]
    return write_workspace(out, crates, written)


def write_workspace(out: Path, crates: list[Crate], written: list[tuple[Crate, Module, list[str]]]) -> tuple[int, int]:
    members = ", ".join(f'"crates/{c.name}"' for c in crates)
    (out / "Cargo.toml").write_text(f'{MARKER}\n[workspace]\nmembers = [{members}]\nresolver = "2"\n')
    for c in crates:
        dep = f'{c.dep.name} = {{ path = "../{c.dep.name}" }}\n' if c.dep else ""
        (out / "crates" / c.name).mkdir(parents=True, exist_ok=True)
        (out / "crates" / c.name / "Cargo.toml").write_text(
            f'[package]\nname = "{c.name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{dep}')
    total = 0
    for crate, mod, body in written:
        mods = [f"pub mod {c};" for c in mod.children]
        text = "\n".join([body[0], "", *mods, *([""] if mods else []), *body[2:]]) + "\n"
        path = out / "crates" / crate.name / mod.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        total += text.count("\n")
    return len(written), total


def prepare_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        manifest = out / "Cargo.toml"
        if not (manifest.is_file() and manifest.read_text(errors="replace").startswith(MARKER)):
            raise SystemExit(f"error: {out} exists, is not empty and is not a corpus written by this script")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="?", type=int, help="number of .rs files to write")
    ap.add_argument("--lines", type=int, help="instead of a file count: write files until at least this many lines")
    ap.add_argument("--out", type=Path, default=Path("bench-corpus"), help="output directory (default: bench-corpus)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--files-per-crate", type=int, default=50, help="files per member crate (default: 50)")
    args = ap.parse_args(argv)
    if (args.files is None) == (args.lines is None):
        ap.error("give either a file count N or --lines L")
    if (args.files is not None and args.files < 1) or (args.lines is not None and args.lines < 1) \
            or args.files_per_crate < 1:
        ap.error("counts must be positive")
    prepare_out(args.out)
    n_files, n_lines = generate(args.out, args.files, args.lines, args.seed, args.files_per_crate)
    print(f"wrote {n_files} files, {n_lines} lines to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
