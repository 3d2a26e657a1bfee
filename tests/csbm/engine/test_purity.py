"""The engine is pure: it imports the standard library, PyYAML, itself and the shared pure
modules (tests/test_boundaries.py checks those import the standard library alone)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import hofburg.csbm.engine
from tests.test_boundaries import SHARED_PURE

ENGINE = Path(hofburg.csbm.engine.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"yaml", "__future__"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_engine_imports_no_django_no_settings_and_no_other_desk() -> None:
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) >= 7
    for path in modules:
        for module in imported_modules(path):
            if module.startswith("hofburg."):
                assert module.startswith("hofburg.csbm.engine.") or module in SHARED_PURE, (
                    path.name, module)
            else:
                assert module.split(".")[0] in ALLOWED, (path.name, module)
