"""The official IATI 2.03 activity schema, loaded once from the shipped files, and validation
that names each fault with its line."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_DIR = (Path(__file__).resolve().parents[4] / "data" / "projects" / "iati" / "schema")


@cache
def activity_schema(directory: Path = SCHEMA_DIR) -> etree.XMLSchema:
    """The XSD, read from disk with no network access (its imports are the files beside it)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    tree = etree.parse(str(directory / "iati-activities-schema.xsd"), parser)
    return etree.XMLSchema(tree)


def schema_errors(root: etree._Element) -> list[str]:
    """The schema's complaints about `root`, each with the path of the element it concerns
    (`/iati-activities/iati-activity[2]/budget`), none when it is valid."""
    schema = activity_schema()
    if schema.validate(root):
        return []
    return [f"{error.path}: {error.message}" for error in schema.error_log]
