"""The desk's engine imports no Django (import-linter checks it too)."""

from __future__ import annotations

import subprocess
import sys


def test_the_engine_imports_without_django() -> None:
    code = ("import sys, hofburg.cases.engine.custody, hofburg.cases.engine.fields, "
            "hofburg.cases.engine.identifiers, hofburg.cases.engine.suppression, "
            "hofburg.cases.engine.surrogates, hofburg.cases.engine.workflow, "
            "hofburg.cases.engine.protection, hofburg.cases.engine.situations, "
            "hofburg.cases.engine.protection_publication; "
            "assert 'django' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
