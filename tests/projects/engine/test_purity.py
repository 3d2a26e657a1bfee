"""The engine is pure: it imports the standard library, pydantic, PyYAML and itself, nothing
else (no Django, no settings, no other desk)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import hofburg.projects.engine

ENGINE = Path(hofburg.projects.engine.__file__).parent
ALLOWED = set(sys.stdlib_module_names) | {"yaml", "pydantic", "pydantic_core", "__future__"}


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
    assert {path.stem for path in modules} >= {
        "money", "workflow", "logframe", "contributions", "reference"}
    for path in modules:
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert (top in ALLOWED or module.startswith("hofburg.projects.engine")), \
                f"{path.name} imports {module}"
