import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from agencies.models import Agency, Commune, Province
from agencies.synthetic import generate_directory


class Command(BaseCommand):
    help = (
        "Build a synthetic national directory for demonstrations and benchmarks: in every "
        "province (or those of --provinces) the People's Committee and its Office, the "
        "departments with their units, a committee with units for every commune, and "
        "--officials officials with Vietnamese names and addresses on the province's primary "
        "domain. The same --seed gives the same directory. Needs load_divisions first. Refuses "
        "a directory that already has agencies unless --append is given; --append fills only "
        "the chosen provinces that have no agency yet, so a run that stopped half-way can be "
        "finished. Synthetic rows are written in bulk and have no change history. On PostgreSQL "
        "the tables are analysed at the end: search chooses its way from the word statistics. "
        "Never run it on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--officials", type=int, required=True, help="how many officials")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--provinces", help="official province codes separated by commas, e.g. 80,52"
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="add to a directory that has agencies, in the provinces that have none",
        )

    def handle(self, *args, officials, seed, provinces, append, **options):
        if officials < 0:
            raise CommandError("--officials cannot be negative.")
        if not Commune.objects.exists():
            raise CommandError("No provinces and communes yet: run `manage.py load_divisions`.")
        chosen = Province.objects.prefetch_related("domains").order_by("code")
        if provinces:
            codes = [code.strip() for code in provinces.split(",") if code.strip()]
            chosen = chosen.filter(code__in=codes)
            unknown = set(codes) - {province.code for province in chosen}
            if unknown:
                raise CommandError(f"Unknown province codes: {', '.join(sorted(unknown))}.")
        chosen = list(chosen)
        filled = set(Agency.objects.values_list("province__code", flat=True).distinct())
        if filled and not append:
            raise CommandError(
                f"The directory already has {Agency.objects.count()} agencies; "
                "give --append to fill only the provinces that have none."
            )
        for province in chosen:
            if province.code in filled:
                self.stdout.write(f"{province.code} {province.name}: has agencies, left alone")
            elif province.primary_domain is None:
                raise CommandError(f"{province.name} has no primary mail domain.")
        chosen = [province for province in chosen if province.code not in filled]
        if not chosen:
            raise CommandError("Every chosen province already has agencies.")

        started = time.perf_counter()

        def report(province, done):
            self.stdout.write(
                f"{province.code} {province.name}: {done.agencies} agencies, "
                f"{done.officials} officials, {done.mailboxes} mailboxes "
                f"({time.perf_counter() - started:.1f} s)"
            )

        totals = generate_directory(officials, chosen, seed=seed, report=report)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE agencies_agency, agencies_official, agencies_mailbox")
        elapsed = time.perf_counter() - started
        rows = totals.agencies + totals.officials + totals.mailboxes
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(chosen)} provinces: {totals.agencies} agencies, {totals.officials} "
                f"officials, {totals.mailboxes} mailboxes; {rows} rows in {elapsed:.1f} s "
                f"({rows / elapsed:,.0f} rows/s)"
            )
        )
