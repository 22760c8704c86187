"""Export speed and memory on the directory already in a database (it only reads).

    DATABASE_URL=postgres://postgres@127.0.0.1/danhba_bench python bench/export_bench.py

Fill the database first, e.g. `manage.py generate_directory --officials 2000000`. Prints rows
per second and the growth of the process's peak memory for: the baseline (the same
`values_list` rows written by `csv.writer`), then each export format as the command and the
downloads write it. Exports stream, so memory must not grow with the number of rows.

Figures only: nothing here asserts a speed.
"""

import argparse
import csv
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Discard(io.RawIOBase):
    """A binary sink that counts what it is given."""

    def __init__(self):
        self.size = 0

    def writable(self):
        return True

    def write(self, data):
        self.size += len(data)
        return len(data)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label, rows, run):
    before, started = peak_mb(), time.perf_counter()
    size = run()
    seconds = time.perf_counter() - started
    print(
        f"{label:<26} {rows / seconds:>12,.0f} rows/s  {seconds:7.1f} s  "
        f"{size / 1e6:8.1f} MB written  peak memory +{peak_mb() - before:5.0f} MB"
    )
    return rows / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default="csv,json,vcf,xlsx")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    import django

    django.setup()
    from django.db import connection

    from agencies.exporting import LOOKUPS, export_to, exported
    from agencies.models import Mailbox

    mailboxes = Mailbox.objects.all()
    rows = mailboxes.filter(status=Mailbox.Status.ACTIVE).count()
    print(f"{connection.vendor}, {rows:,} active mailboxes; columns: {', '.join(LOOKUPS)}")

    def baseline():
        sink = io.TextIOWrapper(Discard(), encoding="utf-8", newline="")
        csv.writer(sink).writerows(exported(mailboxes))
        sink.flush()
        return sink.buffer.size

    def export(file_format):
        def run():
            sink = Discard()
            export_to(sink, mailboxes, file_format)
            return sink.size

        return run

    base = measure("values_list → csv.writer", rows, baseline)
    for file_format in args.formats.split(","):
        rate = measure(f"export {file_format}", rows, export(file_format))
        print(f"{'':<26} {rate / base:12.2f} × the baseline")


if __name__ == "__main__":
    main()
