"""Module tree: `mod` declarations resolved to files for every layout fixture."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tree_sitter import Node

from rust_triage.parse.attributes import is_cfg_test, outer_attributes, path_attr
from rust_triage.parse.extract import extract_file
from rust_triage.parse.language import parse_rust
from rust_triage.workspace import ModDecl, ModuleTree, Workspace, build_module_tree, discover

LAYOUTS = Path(__file__).resolve().parent.parent / "fixtures" / "layouts"


def mod_decls_of(source: bytes) -> list[ModDecl]:
    """The item-level `mod` declarations of a file, with their enclosing inline modules."""
    decls: list[ModDecl] = []

    def visit(container: Node, parents: tuple[tuple[str, str | None], ...], in_test: bool) -> None:
        for node in container.named_children:
            if node.type != "mod_item":
                continue
            attrs = outer_attributes(node)
            name_node = node.child_by_field_name("name")
            assert name_node is not None and name_node.text is not None
            name = name_node.text.decode()
            body = node.child_by_field_name("body")
            decl = ModDecl(
                name=name,
                line=node.start_point[0] + 1,
                column=node.start_point[1] + 1,
                inline=body is not None,
                path_attr=path_attr(attrs),
                cfg_test=in_test or is_cfg_test(attrs),
                parents=parents,
            )
            decls.append(decl)
            if body is not None:
                visit(body, (*parents, (name, decl.path_attr)), decl.cfg_test)

    visit(parse_rust(source).root_node, (), False)
    return decls


def tree_of(ws: Workspace) -> ModuleTree:
    return build_module_tree(ws, {f: mod_decls_of(f.read_bytes()) for f in ws.rust_files})


def modules_view(ws: Workspace, tree: ModuleTree) -> dict[str, set[tuple[str, str, bool]]]:
    """rel file -> {(target, module path, is_test)}"""
    return {
        ws.rel(f): {(m.target, m.module_path, m.is_test) for m in infos} for f, infos in tree.modules.items()
    }


@pytest.fixture(scope="module")
def trees() -> dict[str, tuple[Workspace, ModuleTree]]:
    out = {}
    for name in (
        "single_crate",
        "modules_2018",
        "legacy_2015",
        "overrides",
        "nested",
        "virtual_ws",
        "missing_mod",
    ):
        ws = discover(LAYOUTS / name)
        out[name] = (ws, tree_of(ws))
    return out


def test_helper_reads_declarations() -> None:
    src = b'#[cfg(test)]\n#[path = "t.rs"]\nmod t;\npub mod a {\n    #[path = "x"]\n    mod b { mod c; }\n}\nfn f() { mod hidden; }\n'
    decls = mod_decls_of(src)
    assert [(d.name, d.inline, d.path_attr, d.cfg_test, d.parents, d.line) for d in decls] == [
        ("t", False, "t.rs", True, (), 3),
        ("a", True, None, False, (), 4),
        ("b", True, "x", False, (("a", None),), 6),
        ("c", False, None, False, (("a", None), ("b", "x")), 6),
    ]


def test_single_crate(trees: dict[str, tuple[Workspace, ModuleTree]]) -> None:
    ws, tree = trees["single_crate"]
    assert modules_view(ws, tree) == {
        "src/lib.rs": {("single_crate", "crate", False)},
        "src/shapes.rs": {("single_crate", "crate::shapes", False), ("a", "crate::shapes", False)},
        "src/tests.rs": {("single_crate", "crate::tests", True)},
        "src/main.rs": {("single-crate", "crate", False)},
        "src/cli.rs": {("single-crate", "crate::cli", False)},
        "src/bin/a.rs": {("a", "crate", False)},
        "src/bin/b/main.rs": {("b", "crate", False)},
        "src/bin/b/helper.rs": {("b", "crate::helper", False)},
        "tests/it.rs": {("it", "crate", True)},
        "tests/common/mod.rs": {("it", "crate::common", True)},
        "tests/multi/main.rs": {("multi", "crate", True)},
        "tests/multi/part.rs": {("multi", "crate::part", True)},
        "benches/speed.rs": {("speed", "crate", True)},
        "benches/load/main.rs": {("load", "crate", True)},
        "examples/demo.rs": {("demo", "crate", False)},
        "examples/tour/main.rs": {("tour", "crate", False)},
        "build.rs": {("build-script-build", "crate", False)},
    }
    shapes = tree.modules[ws.root / "src" / "shapes.rs"]
    assert {(m.package, m.target_kind) for m in shapes} == {("single-crate", "lib"), ("single-crate", "bin")}
    assert [ws.rel(f) for f in tree.orphans] == ["src/orphan.rs"]
    assert tree.missing == []


def test_2018_non_mod_rs_nesting_inline_and_path_attrs(
    trees: dict[str, tuple[Workspace, ModuleTree]],
) -> None:
    ws, tree = trees["modules_2018"]
    paths = {rel: {mp for _, mp, _ in infos} for rel, infos in modules_view(ws, tree).items()}
    assert paths == {
        "src/lib.rs": {"crate"},
        "src/a.rs": {"crate::a"},
        "src/a/b.rs": {"crate::a::b"},  # a.rs owns a/
        "src/a/b/c.rs": {"crate::a::b::c"},
        "src/a/x/y.rs": {"crate::a::x::y"},  # inline `mod x` inside a.rs -> a/x/
        "src/a/x/w.rs": {"crate::a::x::w"},  # #[path] inside an inline module: relative to a/x/
        "src/sibling.rs": {"crate::a::s"},  # #[path] at file level: relative to a.rs's directory
        "src/inl/deep.rs": {"crate::inl::deep"},
        "src/inl/level/deeper.rs": {"crate::inl::level::deeper"},
        "src/other/p.rs": {"crate::p"},
        "src/other/q.rs": {"crate::p::q"},  # a #[path] file owns its directory like mod.rs
        "src/pdir/z.rs": {"crate::pm::z"},  # #[path] on an inline module names its directory
        "src/tests.rs": {"crate::tests"},
        "src/tests/helpers.rs": {"crate::tests::helpers"},
    }
    tests = {rel for rel, infos in modules_view(ws, tree).items() if any(t for _, _, t in infos)}
    assert tests == {"src/tests.rs", "src/tests/helpers.rs"}
    assert [ws.rel(f) for f in tree.orphans] == ["src/unreached.rs"]
    assert tree.missing == []


def test_2015_mod_rs_layout(trees: dict[str, tuple[Workspace, ModuleTree]]) -> None:
    ws, tree = trees["legacy_2015"]
    assert modules_view(ws, tree) == {
        "src/lib.rs": {("legacy", "crate", False)},
        "src/config.rs": {("legacy", "crate::config", False)},
        "src/net/mod.rs": {("legacy", "crate::net", False)},
        "src/net/tcp.rs": {("legacy", "crate::net::tcp", False)},
        "src/net/http/mod.rs": {("legacy", "crate::net::http", False)},
        "src/net/http/client.rs": {("legacy", "crate::net::http::client", False)},
    }
    assert tree.orphans == []


def test_overridden_target_paths(trees: dict[str, tuple[Workspace, ModuleTree]]) -> None:
    ws, tree = trees["overrides"]
    view = modules_view(ws, tree)
    assert view["lib/inner.rs"] == {("custom_name", "crate::inner", False)}
    assert view["checks/integration.rs"] == {("integration", "crate", True)}
    assert view["perf/perf.rs"] == {("perf", "crate", True)}
    assert view["tools/gen.rs"] == {("build-script-gen", "crate", False)}
    # Files that auto-discovery would have picked up, had it not been turned off.
    assert [ws.rel(f) for f in tree.orphans] == [
        "examples/unused.rs",
        "src/bin/ignored.rs",
        "tests/skipped.rs",
    ]


def test_nested_package_files_belong_to_the_nested_package(
    trees: dict[str, tuple[Workspace, ModuleTree]],
) -> None:
    ws, tree = trees["nested"]
    view = modules_view(ws, tree)
    assert view["inner/src/used.rs"] == {("inner", "crate::used", False)}
    assert {m.package for m in tree.modules[ws.root / "inner" / "src" / "lib.rs"]} == {"inner"}
    # vendor/standalone is another project: its unreached file is not an orphan of this workspace.
    assert [ws.rel(f) for f in tree.orphans] == ["inner/src/unused.rs"]


def test_files_outside_packages_are_not_orphans(trees: dict[str, tuple[Workspace, ModuleTree]]) -> None:
    ws, tree = trees["virtual_ws"]
    assert modules_view(ws, tree)["crates/alpha/src/util.rs"] == {("alpha_core", "crate::util", False)}
    assert ws.root / "scripts" / "gen.rs" in ws.rust_files
    # An excluded package is built on its own, not as part of this workspace: its files are left out.
    assert ws.root / "crates" / "excluded" / "src" / "lib.rs" not in ws.rust_files
    assert any("nested packages that are not workspace members: crates/excluded" in n for n in ws.notes)
    assert tree.orphans == []


def test_missing_modules_and_cycles(trees: dict[str, tuple[Workspace, ModuleTree]]) -> None:
    ws, tree = trees["missing_mod"]
    assert modules_view(ws, tree) == {
        "src/lib.rs": {("missing_mod", "crate", False)},
        "src/present.rs": {("missing_mod", "crate::present", False)},
    }
    missing = {(ws.rel(m.file), m.name, m.line, tuple(ws.rel(p) for p in m.tried)) for m in tree.missing}
    assert missing == {
        ("src/lib.rs", "gone", 2, ("src/gone.rs", "src/gone/mod.rs")),
        ("src/lib.rs", "vanished", 5, ("src/shell/vanished.rs", "src/shell/vanished/mod.rs")),
        ("src/present.rs", "lost", 5, ("src/nowhere/file.rs",)),
    }
    assert len(tree.missing) == 3
    assert tree.orphans == []


def test_cfg_test_inline_parent_and_shared_file(tmp_path: Path) -> None:
    files = {
        "Cargo.toml": '[package]\nname = "t"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n',
        "src/lib.rs": "#[cfg(test)]\nmod tests {\n    mod util;\n}\nmod both;\n",
        "src/tests/util.rs": "",
        "src/both.rs": '#[path = "../src/both.rs"]\nmod again;\n',
        "tests/it.rs": '#[path = "../src/both.rs"]\nmod both;\n',
        "target/debug/stray.rs": "",
        "src/target/stray.rs": "",
    }
    for rel, content in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content)
    ws = discover(tmp_path)
    tree = tree_of(ws)
    view = modules_view(ws, tree)
    assert view["src/tests/util.rs"] == {("t", "crate::tests::util", True)}
    assert view["src/both.rs"] == {("t", "crate::both", False), ("it", "crate::both", True)}
    assert len(tree.modules[tmp_path / "src" / "both.rs"]) == 2
    assert [ws.rel(f) for f in tree.orphans] == ["src/target/stray.rs"]


def test_cfg_test_of_inline_parents_reaches_deep_out_of_line_children(tmp_path: Path) -> None:
    """The extractor carries an enclosing #[cfg(test)] down to every `mod x;` inside, at any depth."""
    shutil.copytree(LAYOUTS / "modules_2018", tmp_path / "ws")
    ws = discover(tmp_path / "ws")
    decls = {f: mod_decls_of(f.read_bytes()) for f in ws.rust_files}
    lib = ws.root / "src" / "lib.rs"
    decls[lib] = extract_file(b"#[cfg(test)]\nmod gated {\n    mod inner {\n        mod deep;\n    }\n}\n").mods
    assert [(d.name, d.inline, d.cfg_test, d.parents) for d in decls[lib]] == [
        ("gated", True, True, ()), ("inner", True, True, ()),
        ("deep", False, True, (("gated", None), ("inner", None))),
    ]
    (ws.root / "src" / "gated" / "inner").mkdir(parents=True)
    (ws.root / "src" / "gated" / "inner" / "deep.rs").write_text("")
    tree = build_module_tree(ws, decls)
    infos = tree.modules[ws.root / "src" / "gated" / "inner" / "deep.rs"]
    assert [(i.module_path, i.is_test) for i in infos] == [("crate::gated::inner::deep", True)]


def test_fallback_every_file_is_a_root(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.rs").write_text("mod b;\n")
    (tmp_path / "sub" / "b.rs").write_text("")
    ws = discover(tmp_path)
    tree = tree_of(ws)
    assert ws.fallback
    assert {ws.rel(f): [(m.module_path, m.is_test) for m in infos] for f, infos in tree.modules.items()} == {
        "a.rs": [("crate", False)],
        "sub/b.rs": [("crate", False)],
    }
    assert tree.orphans == []
    assert tree.missing == []


def test_target_without_source_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "Cargo.toml").write_text(
        '[package]\nname = "p"\nversion = "0.1.0"\n\n[lib]\npath = "src/missing.rs"\n\n[workspace]\n'
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "other.rs").write_text("")
    ws = discover(tmp_path)
    assert [e.message for e in ws.errors] == ["lib target `p`: source file src/missing.rs does not exist"]
    tree = tree_of(ws)
    assert tree.modules == {}
    assert [ws.rel(f) for f in tree.orphans] == ["src/other.rs"]


def test_cfg_attr_path_files_are_the_module(tmp_path: Path) -> None:
    """`#[cfg_attr(pred, path = "x.rs")] mod m;`: each such file is the module (no default `m.rs` is
    missing, and neither file is an orphan); a plain `mod n;` with no file is still missing."""
    files = {
        "Cargo.toml": '[package]\nname = "t"\nversion = "0.1.0"\nedition = "2021"\n',
        "src/lib.rs": 'mod w;\nmod n;\n',
        "src/w/mod.rs": '#[cfg_attr(unix, path = "native.rs")]\n#[cfg_attr(not(unix), path = "shim.rs")]\nmod imp;\n',
        "src/w/native.rs": "",
        "src/w/shim.rs": "",
    }
    for rel, content in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content)
    ws = discover(tmp_path)
    tree = build_module_tree(ws, {f: extract_file(f.read_bytes()).mods for f in ws.rust_files})
    view = modules_view(ws, tree)
    assert view["src/w/native.rs"] == view["src/w/shim.rs"] == {("t", "crate::w::imp", False)}
    assert tree.orphans == []
    assert [(ws.rel(m.file), m.name) for m in tree.missing] == [("src/lib.rs", "n")]
