"""`manage.py list_affiliations`: every affiliation, as a table or as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hofburg.core.models import Affiliation


class Command(BaseCommand):
    help = "List the affiliations users can belong to: code, kind and name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="A JSON array of objects.")

    def handle(self, *args: Any, as_json: bool = False, **options: Any) -> None:
        rows = [
            {"code": code, "kind": kind, "name": name}
            for code, kind, name in Affiliation.objects.order_by("code").values_list(
                "code", "kind", "name")
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No affiliations yet: run `hofburg init`.")
            return
        widths = {key: max(len(key), *(len(row[key]) for row in rows)) for key in ("code", "kind")}
        self.stdout.write(f"{'code':<{widths['code']}}  {'kind':<{widths['kind']}}  name")
        for row in rows:
            self.stdout.write(
                f"{row['code']:<{widths['code']}}  {row['kind']:<{widths['kind']}}  {row['name']}"
            )
