"""Engines are pure: every `hofburg/<desk>/engine/` module imports only the standard library,
a short list of numeric/geometry/data libraries, its own engine package and the shared pure
modules (`hofburg.notes`: explanations as message templates), which import the standard
library alone.

import-linter (in `make test`) checks the Django side of this; this test also catches imports of
other hofburg packages and of libraries nobody agreed an engine may use.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ENGINE_DIRS = sorted(p for p in (SRC / "hofburg").glob("*/engine") if p.is_dir())
# pydantic: reference-data and ruleset files are validated by pydantic models (decision 0031).
ALLOWED_THIRD_PARTY = {"yaml", "numpy", "shapely", "pyproj", "h3", "pydantic", "pydantic_core"}
SHARED_PURE = {"hofburg.notes": SRC / "hofburg" / "notes.py"}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_there_is_at_least_one_engine() -> None:
    assert ENGINE_DIRS, "no engine packages found: the boundary test would check nothing"


@pytest.mark.parametrize("engine_dir", ENGINE_DIRS, ids=lambda p: p.parent.name)
def test_engine_imports_nothing_but_the_standard_library_and_itself(engine_dir: Path) -> None:
    own_package = f"hofburg.{engine_dir.parent.name}.engine"
    offences = []
    for path in sorted(engine_dir.rglob("*.py")):
        for line, module in _imports(path):
            top = module.split(".")[0]
            if module == own_package or module.startswith(own_package + ".") or (
                    module in SHARED_PURE):
                continue
            if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY or top == "__future__":
                continue
            offences.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    assert offences == []


@pytest.mark.parametrize("module", sorted(SHARED_PURE))
def test_a_shared_pure_module_imports_the_standard_library_alone(module: str) -> None:
    path = SHARED_PURE[module]
    offences = [f"{module}:{line} imports {name}" for line, name in _imports(path)
                if name.split(".")[0] not in sys.stdlib_module_names and name != "__future__"]
    assert offences == []


def test_the_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import django\nfrom hofburg.core import access\nimport json\n")
    assert [name for _line, name in _imports(module)] == ["django", "hofburg.core", "json"]
