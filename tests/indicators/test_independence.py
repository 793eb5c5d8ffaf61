"""The indicator library is given its definitions: no module under ``indicators/`` imports the
rest of the product (``data``, ``dashboard``), not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "indicators"
FORBIDDEN = ("data", "dashboard")
IMPORTERS = ("import_module", "__import__")


def imported_modules(source: str, module: str) -> set[str]:
    """Every module ``source`` (the text of module ``module``) imports, anywhere in it:
    ``import``/``from … import`` statements (relative ones resolved) and
    ``importlib.import_module``/``__import__`` calls on a literal (or an f-string's literal
    start)."""
    package = module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, *([node.module] if node.module else [])]))
            else:
                found.add(node.module or "")
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            first = node.args[0]
            if isinstance(first, ast.JoinedStr) and first.values:
                first = first.values[0]
            if name in IMPORTERS and isinstance(first, ast.Constant):
                found.add(str(first.value))
    return found


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def test_the_import_finder_sees_every_kind_of_import() -> None:
    source = (
        "import os\n"
        "from .registry import indicator\n"
        "def f():\n"
        "    from data.config import get_config\n"
        "    import dashboard.state\n"
        "    importlib.import_module('data.fr')\n"
        "    importlib.import_module(f'dashboard.{name}')\n"
        "    return __import__('data')\n"
    )
    found = imported_modules(source, "indicators.prepare")
    assert found == {
        "os",
        "indicators.registry",
        "data.config",
        "dashboard.state",
        "data.fr",
        "dashboard.",
        "data",
    }


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_indicator_module_imports_data_or_dashboard(path: Path) -> None:
    module = ".".join(("indicators", *path.relative_to(PACKAGE).with_suffix("").parts))
    imports = imported_modules(path.read_text(encoding="utf-8"), module)
    assert not {m for m in imports if _top(m) in FORBIDDEN}, module
