"""The IATI codelists shipped under `data/projects/iati/codelists/` (README there gives their
versions): which codes exist, and their English names.

Read with the standard library's XML parser: codelist files are IATI's own, shipped unchanged.
A withdrawn code (`status="withdrawn"`) is not a valid code for new data.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

CODELIST_DIR = Path(__file__).resolve().parents[4] / "data" / "projects" / "iati" / "codelists"


class UnknownCode(ValueError):
    """A code that is not (or no longer) in its IATI codelist."""


@cache
def codelist(name: str, directory: Path = CODELIST_DIR) -> dict[str, str]:
    """{code: English name} of the active codes of codelist `name` (e.g. "Sector")."""
    path = directory / f"{name}.xml"
    root = ET.parse(path).getroot()  # noqa: S314 (IATI's own files, shipped in the repository)
    codes: dict[str, str] = {}
    for item in root.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = (item.findtext("code") or "").strip()
        names = item.find("name")
        english = ""
        if names is not None:
            for narrative in names.iter("narrative"):
                if narrative.get("{http://www.w3.org/XML/1998/namespace}lang") in (None, "en"):
                    english = (narrative.text or "").strip()
                    break
        if code:
            codes[code] = english
    return codes


def check_code(name: str, code: str) -> str:
    """`code` if it is an active code of codelist `name`; UnknownCode naming both otherwise."""
    if code not in codelist(name):
        raise UnknownCode(f"{code!r} is not a code of the IATI {name} codelist.")
    return code
