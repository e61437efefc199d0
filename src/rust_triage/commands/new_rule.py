"""`rust-triage new-rule ID NAME --family F`: scaffold a rule file, its fixture crate and its docs page.

Run from the repository root. The rule goes to `src/rust_triage/families/<family>/rules/` (a TOML
query rule, or with `--python` a Python rule), its fixture to `fixtures/examples/<id>_<name>/` (a
crate whose lines carry `// expect:` markers, checked exactly by tests/test_fixture_expectations.py).
Once the query (or `check`) and the fixture are written, `rust-triage docs` generates the docs page,
refreshes the `rules/` mirror and regenerates the family's index of its Python rules' metadata
(`rules/_index.py` in the family, which runs read instead of importing every rule).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rust_triage.commands.rule_templates import FIXTURE_LIB, FIXTURE_MANIFEST, PYTHON_RULE, TOML_RULE
from rust_triage.engine.model import SEVERITIES
from rust_triage.engine.taxonomy import CATEGORIES
from rust_triage.errors import UsageError

_ID = re.compile(r"^RT\d{3,4}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("new-rule", help="scaffold a rule, its fixture and its docs page (in this repository)")
    p.add_argument("id", help="new rule id, e.g. RT007")
    p.add_argument("name", help="kebab-case name, e.g. process-exit")
    p.add_argument("--family", required=True, help="family package under src/rust_triage/families/")
    p.add_argument("--python", action="store_true", help="a Python rule instead of a TOML query rule")
    p.add_argument("--category", required=True, choices=CATEGORIES, help="rule category (a closed set)")
    p.add_argument("--severity", default="medium", choices=SEVERITIES)
    p.add_argument("--summary", default="", help="one line")
    p.add_argument("--root", type=Path, default=Path("."), help="repository root (default: current directory)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.engine.registry import load_registry

    root: Path = args.root.resolve()
    rule_id, name = args.id.upper(), args.name
    if not _ID.match(rule_id):
        raise UsageError(f"rule id must be RT followed by 3 or 4 digits, got {args.id!r}")
    if not _NAME.match(name):
        raise UsageError(f"rule name must be kebab-case, got {name!r}")
    family_dir = root / "src" / "rust_triage" / "families" / args.family
    if not (family_dir / "rules" / "__init__.py").is_file():
        raise UsageError(f"no family {args.family!r} under {family_dir.parent} (run from the repository root)")
    registry = load_registry(plugins=False)
    if registry.lookup(rule_id) or registry.lookup(name):
        raise UsageError(f"a rule {rule_id} or {name} already exists")
    values = {
        "id": rule_id, "name": name, "category": args.category, "severity": args.severity,
        "summary": args.summary or name.replace("-", " "),
        "cls": "".join(part.title() for part in name.split("-")),
        "crate": f"{rule_id.lower()}_{name.replace('-', '_')}",
    }
    if args.python:
        rule_file = family_dir / "rules" / f"{values['crate']}.py"
        text = PYTHON_RULE.format(**values)
    else:
        rule_file = family_dir / "rules" / f"{rule_id}-{name}.toml"
        text = TOML_RULE.format(**values)
    crate = root / "fixtures" / "examples" / values["crate"]
    created = [rule_file, crate / "Cargo.toml", crate / "src" / "lib.rs"]
    existing = [p for p in created if p.exists()]
    if existing:
        raise UsageError(f"{existing[0]} already exists")
    (crate / "src").mkdir(parents=True)
    rule_file.write_text(text, encoding="utf-8")
    (crate / "Cargo.toml").write_text(FIXTURE_MANIFEST.format(**values), encoding="utf-8")
    (crate / "src" / "lib.rs").write_text(FIXTURE_LIB.format(**values), encoding="utf-8")
    for path in created:
        print(f"created {path.relative_to(root)}")
    print("next: write the query (or check) and the fixture, then run `rust-triage docs` (docs page, rules/ "
          "mirror and, for a Python rule, the family's rule index rules/_index.py) and "
          "`python -m pytest tests/test_fixture_expectations.py tests/test_toml_rules.py`")
    if not args.python:
        print("the new TOML rule is picked up from its family's rules/ directory (no reinstall needed)")
    return 0
