"""``manage.py report SLUG --format json|pdf|csv|csv-fi|xlsx [--out FILE] [--shared]``: the pilot
report from the command line. A contract: the JSON has every figure the page shows, named; the
internal view unless --shared; JSON and CSV to standard output when no --out (docs/evaluation.md).
CSV and XLSX go through the guarded writers of the data exports (core/spreadsheets.py); csv-fi is
"Excel (suomi)": semicolons and decimal commas."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pilotti.evaluation import charts, pdf, selectors, services, tables
from pilotti.programmes.models import Programme

FORMATS = ("json", "pdf", "csv", "csv-fi", "xlsx")


class Command(BaseCommand):
    help = "Writes a programme's pilot report as JSON, PDF, CSV (long format; csv-fi for Finnish Excel) or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--out", help="File to write; JSON and CSV go to standard output without it.")
        parser.add_argument("--shared", action="store_true", help="The shared view: small numbers suppressed.")
        parser.add_argument("--since", type=date.fromisoformat, help="First day, YYYY-MM-DD.")
        parser.add_argument("--until", type=date.fromisoformat, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--unit", help="Only this unit (its UUID).")
        parser.add_argument("--dose", type=int, default=50, help="Dose threshold, per cent of meetings (default 50).")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(slug=options["slug"]).select_related("organisation").first()
        if programme is None:
            raise CommandError(f"No programme {options['slug']!r}.")
        unit = None
        if options["unit"]:
            unit = programme.units.filter(uuid=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit {options['unit']!r} in {programme.slug}.")
        filters = selectors.Filters(
            since=options["since"], until=options["until"], unit=unit, dose=max(1, min(100, options["dose"])) / 100
        )
        format, out = options["format"], options["out"]
        if not out and format in ("pdf", "xlsx"):
            raise CommandError("PDF and XLSX need --out FILE.")
        content = services.report_rendered(
            viewer=None,
            programme=programme,
            filters=filters,
            shared=options["shared"],
            format=format,
            render=lambda report: _render(report, format),
        )
        if out:
            Path(out).write_bytes(content)
        else:
            text = content.decode()
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")


def _render(report: selectors.Report, format: str) -> bytes:
    if format == "json":
        # Compact: only then does json use its C encoder; indenting a national programme's report
        # took longer than computing it (docs/benchmarks.md). ``python -m json.tool`` indents.
        return json.dumps(report, ensure_ascii=False).encode()
    if format in ("csv", "csv-fi"):
        # Byte-order mark included, so that standard output redirected to a file opens in Excel.
        return tables.as_csv(report, finnish=format == "csv-fi")
    if format == "xlsx":
        return tables.as_xlsx(report)
    return pdf.render_pdf(charts.with_charts(report))
