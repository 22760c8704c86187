import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agencies.exporting import export_to
from agencies.models import Agency, Mailbox, Province


class Command(BaseCommand):
    help = (
        "Export the directory as an address list (CSV, XLSX), vCard 4 or JSON. By default only "
        "what the public pages show; --include-unpublished adds every active mailbox."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx", "vcf", "json"], default="csv")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")
        parser.add_argument("--province", help="Official code or slug of one province.")
        parser.add_argument("--agency", help="Electronic identifier of one agency (and its units).")
        parser.add_argument(
            "--include-unpublished",
            action="store_true",
            help="Also unpublished mailboxes and officials (never for the public).",
        )

    def handle(self, *args, format, output, province, agency, include_unpublished, **options):
        mailboxes = Mailbox.objects.all() if include_unpublished else Mailbox.objects.public()
        if province:
            found = Province.objects.find(province)
            if found is None:
                raise CommandError(f"No province {province!r}.")
            mailboxes = mailboxes.filter(agency__province=found)
        if agency:
            found = Agency.objects.filter(code=agency.upper()).first()
            if found is None:
                raise CommandError(f"No agency with electronic identifier {agency!r}.")
            mailboxes = mailboxes.filter(agency__in=Agency.objects.subtree(found))
        if output is None:
            export_to(sys.stdout.buffer, mailboxes, format)
            return
        with output.open("wb") as stream:
            export_to(stream, mailboxes, format)
        self.stderr.write(f"{output}: written")
