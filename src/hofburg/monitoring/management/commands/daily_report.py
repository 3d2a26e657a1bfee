"""`manage.py daily_report`: write a reporting period's daily report as HTML and PDF files.

This is the scheduled task of the daily report: a cron entry or systemd timer runs it just after
the 19:30 cut-off (docs/monitoring.md). Without --date it writes the report of the period that
ended last. The files hold the published figures only, as a visitor would read them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hofburg.monitoring import mission, report


class Command(BaseCommand):
    help = "Write the daily report of a reporting period as HTML and PDF (published figures)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", dest="report_date", type=date.fromisoformat,
                            help="report date YYYY-MM-DD (default: the period that ended last)")
        parser.add_argument("--output", "-o", type=Path, default=Path("."),
                            help="directory for the files (created when missing)")
        parser.add_argument("--format", choices=["html", "pdf", "both"], default="both")

    def handle(self, *args: Any, **options: Any) -> None:
        report_date: date = options["report_date"] or self._last_ended()
        output: Path = options["output"]
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"cannot create {output}: {error.strerror}") from None
        daily = report.build_daily_report(AnonymousUser(), report_date)
        written = []
        if options["format"] in ("html", "both"):
            target = output / f"{daily.filename_stem}.html"
            target.write_text(report.render_report_html(daily, for_pdf=True), encoding="utf-8")
            written.append(target)
        if options["format"] in ("pdf", "both"):
            target = output / f"{daily.filename_stem}.pdf"
            target.write_bytes(report.render_report_pdf(daily))
            written.append(target)
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(f"{daily.period_label}: {daily.total} published violations"
                          + (" (EXERCISE DATA)" if daily.is_exercise else ""))

    @staticmethod
    def _last_ended() -> date:
        """The report date of the last period that has ended (today's after 19:30)."""
        current = mission.report_date_of(timezone.now())
        return date.fromordinal(current.toordinal() - 1)
