import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agencies.importing import DirectoryImport
from agencies.tablefiles import AddressListError, read_address_list


class Command(BaseCommand):
    help = (
        "Import an address list (CSV or XLSX, format in the README): every row is checked and "
        "either the whole file is imported or nothing is."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count everything, write nothing."
        )
        parser.add_argument(
            "--user",
            help="Import as this user, within their role's scope "
            "(default: no limit, as a national administrator).",
        )

    def handle(self, *args, file, dry_run, user, **options):
        try:
            data = file.read_bytes()
            table = read_address_list(data, file.name, uploaded=False)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except AddressListError as error:
            raise CommandError(f"{file}: {' '.join(error.messages)}") from None
        importer = DirectoryImport(
            self.staff_user(user), dry_run=dry_run, on_progress=self.progress
        )
        try:
            result = importer.run(table.reread, table.columns)
        except AddressListError as error:  # found while reading the rows: nothing was written
            raise CommandError(f"{file}: {' '.join(error.messages)}") from None
        sys.stderr.write("\n")
        for error in result.errors:
            column = f", {error.column}" if error.column else ""
            self.stderr.write(f"row {error.row}{column}: {error.message}")
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s): nothing was imported.")
        note = " (dry run: nothing was written)" if dry_run else ""
        self.stdout.write(f"{result.summary()}{note}")
        self.stdout.write(
            f"agencies: created {result.agencies_created}, renamed or moved "
            f"{result.agencies_updated}; officials created {result.officials_created}"
        )

    def staff_user(self, username):
        if username is None:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    def progress(self, done, total):
        """A one-line progress bar on standard error."""
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} rows")
        sys.stderr.flush()
