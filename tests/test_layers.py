"""The packages' import rules (each package's docstring states its own), and the access
policy's monopoly on roles: checked on the source, imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("indicators", "data", "dashboard")
# What each package may import from the product, most specific prefix first. Third-party
# libraries are free, except those a layer must not depend on (FORBIDDEN_LIBRARIES).
_BASE = ("data.access", "data.config", "data.fr", "data.labels", "data.domain", "indicators")
ALLOWED: dict[str, tuple[str, ...]] = {
    "indicators": ("indicators",),
    "data.access": ("data.access",),
    "data.fr": ("data.fr",),
    "data.config": ("data.config", "indicators"),
    "data.labels": ("data.labels", "data.access", "data.domain.vocabulary"),
    "data.domain": _BASE,
    "data.store": (*_BASE, "data.store"),
    # The spreadsheet writer is a leaf (no product import): templates are written with it.
    "data.importer": (*_BASE, "data.store", "data.importer", "data.exports.spreadsheet"),
    "data.exports": (*_BASE, "data.store", "data.exports"),
    "data.services": (*_BASE, "data.store", "data.importer", "data.services"),
    "data.demo": (*_BASE, "data.store", "data.services", "data.demo"),
    "data.cli": ("data", "indicators"),
    "dashboard.views": (*_BASE, "data.services", "data.importer", "data.exports", "dashboard"),
    "dashboard": ("data", "indicators", "dashboard"),
}
FORBIDDEN_LIBRARIES: dict[str, tuple[str, ...]] = {
    "indicators": ("sqlalchemy", "streamlit", "plotly"),
    "data": ("streamlit", "plotly"),
    "data.domain": ("sqlalchemy",),
    "dashboard.views": ("sqlalchemy",),
}
ROLE_NAMES = {"lead", "binome", "funder"}
POLICY_MODULES = {"data/access.py"}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).with_suffix("")
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            found.append((".".join(parts), path))
    return found


IMPORTERS = ("import_module", "__import__")


def _imports(path: Path, module: str = "") -> set[str]:
    """Every module or module attribute the file (module ``module``) imports, anywhere in its
    code: ``import a.b`` gives ``a.b``; ``from a import b`` gives ``a.b`` (a submodule or a
    name), relative imports resolved against ``module``; ``importlib.import_module`` and
    ``__import__`` calls on a literal (or an f-string's literal start) give that literal."""
    package = module.rsplit(".", 1)[0] if module else ""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            first = node.args[0]
            if isinstance(first, ast.JoinedStr) and first.values:
                first = first.values[0]
            if name in IMPORTERS and isinstance(first, ast.Constant):
                names.add(str(first.value))
    return names


def _rule(table: dict[str, tuple[str, ...]], module: str) -> tuple[str, ...]:
    for prefix in sorted(table, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return table[prefix]
    return ()


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_each_module_imports_only_what_its_layer_allows(module: str, path: Path) -> None:
    allowed = _rule(ALLOWED, module)
    forbidden = tuple(
        library
        for prefix, libraries in FORBIDDEN_LIBRARIES.items()
        if module == prefix or module.startswith(prefix + ".")
        for library in libraries
    )
    wrong = sorted(
        name
        for name in _imports(path, module)
        if (name.split(".")[0] in PRODUCT and not _within(name, allowed))
        or _within(name, forbidden)
    )
    assert not wrong, f"{module} imports {wrong}; its layer allows {allowed}"


def test_the_import_finder_sees_every_kind_of_import(tmp_path: Path) -> None:
    source = tmp_path / "prepare.py"
    source.write_text(
        "import os\n"
        "from .registry import indicator\n"
        "def f():\n"
        "    from data.config import get_config\n"
        "    import dashboard.reads\n"
        "    importlib.import_module('data.fr')\n"
        "    importlib.import_module(f'dashboard.{name}')\n"
        "    return __import__('data')\n"
    )
    assert _imports(source, "indicators.prepare") == {
        "os",
        "indicators.registry.indicator",
        "data.config.get_config",
        "dashboard.reads",
        "data.fr",
        "dashboard.",
        "data",
    }


def test_the_rules_catch_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself: a domain module importing SQLAlchemy or the store is caught."""
    source = tmp_path / "bad.py"
    source.write_text("import sqlalchemy\n\ndef f():\n    from data.store import queries\n")
    names = _imports(source)
    assert names == {"sqlalchemy", "data.store.queries"}
    assert not _within("data.store.queries", _rule(ALLOWED, "data.domain.alerts"))
    assert _within("sqlalchemy", FORBIDDEN_LIBRARIES["data.domain"])


def _role_comparisons(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for operand in operands:
                values = (
                    operand.elts
                    if isinstance(operand, ast.Tuple | ast.List | ast.Set)
                    else [operand]
                )
                if any(isinstance(v, ast.Constant) and v.value in ROLE_NAMES for v in values):
                    lines.append(node.lineno)
    return lines


def test_no_module_outside_the_policy_compares_a_role_with_a_string() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for _, path in MODULES
        if str(path.relative_to(ROOT)) not in POLICY_MODULES and (lines := _role_comparisons(path))
    }
    assert found == {}, f"role names compared outside data/access.py: {found}"


def test_the_role_check_catches_a_comparison(tmp_path: Path) -> None:
    source = tmp_path / "page.py"
    source.write_text('if scope.role == "funder":\n    pass\nok = role in ("lead", "x")\n')
    assert _role_comparisons(source) == [1, 3]
