"""Import speed and memory, against the plain bulk_create and upsert it is measured by.

    python bench/import_bench.py --rows 100000                      # a throw-away SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1/danhba_bench_import \\
        python bench/import_bench.py --rows 100000                  # PostgreSQL

On one set of rows it prints rows per second for: a first import of the file (full
validation, history, all or nothing), a re-import with 10 % of the rows changed, a plain
`bulk_create` of as many mailboxes, and `bulk_create(update_conflicts=True)` of as many; then
the process's peak memory. It empties and fills the directory tables of the database it is
given, so it refuses a database whose name does not contain "bench".

Figures only: nothing here asserts a speed.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_django():
    scratch = None
    if "DATABASE_URL" not in os.environ:
        handle, scratch = tempfile.mkstemp(suffix="-bench.sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["DEBUG"] = "0"  # with DEBUG on, Django keeps every query in memory
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    import django

    django.setup()
    from django.db import connection

    if "bench" not in str(connection.settings_dict["NAME"]):
        sys.exit("Refusing to empty a database whose name does not contain 'bench'.")
    return scratch


FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Ngọc", "Quốc", "Thu", "Hoàng"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tuấn",
    "Vân",
    "Yến",
]
POSITIONS = ["Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", "Văn thư", "Kế toán"]
HEADER = (
    "Tỉnh,Mã cơ quan,Tên cơ quan,Mã cơ quan cấp trên,Họ và tên,Chức vụ,Thư điện tử,Loại,Công khai"
)


def address_list(rows, changed_every=None):
    """A CSV of `rows` personal mailboxes in 200 agencies of Tây Ninh; every
    `changed_every`-th row gets another position."""
    lines = [HEADER]
    for number in range(rows):
        agency = number % 200
        name = (
            f"{FAMILY[number % 16]} {MIDDLE[number // 16 % 10]} "
            f"{GIVEN[number // 160 % 31]} {number}"
        )
        position = POSITIONS[number % 5]
        if changed_every and number % changed_every == 0:
            position = "Phó Giám đốc"
        lines.append(
            f"Tây Ninh,000.{agency // 100:02d}.{agency % 100:02d}.H60,Phòng số {agency},,{name},"
            f"{position},canbo{number}@tayninh.gov.vn,cá nhân,có"
        )
    return "\n".join(lines).encode("utf-8")


def rate(rows, seconds):
    return f"{rows / seconds:>10,.0f} rows/s  ({seconds:6.2f} s)"


def import_file(data):
    from agencies.importing import DirectoryImport
    from agencies.tablefiles import read_address_list

    table = read_address_list(data, "bench.csv", uploaded=False)
    started = time.perf_counter()
    result = DirectoryImport().run(table.reread, table.columns)
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    return result, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    scratch = setup_django()

    from django.core.management import call_command
    from django.db import connection

    from agencies.models import Agency, Mailbox, Official

    call_command("migrate", verbosity=0)
    call_command("load_divisions", verbosity=0)
    for model in (Mailbox.history.model, Official.history.model, Agency.history.model):
        model.objects.all().delete()
    Mailbox.objects.all().delete()
    Official.objects.all().delete()
    Agency.objects.all().delete()

    rows = args.rows
    print(f"{connection.vendor}, {rows:,} rows of 9 columns")

    result, seconds = import_file(address_list(rows))
    print(f"first import             {rate(rows, seconds)}   created {result.created:,}")

    result, seconds = import_file(address_list(rows, changed_every=10))
    print(
        f"re-import, 10 % changed  {rate(rows, seconds)}   updated {result.updated:,}, "
        f"unchanged {result.unchanged:,}"
    )

    agency = Agency.objects.first()
    mailboxes = [
        Mailbox(
            address=f"plain{n}@tayninh.gov.vn",
            kind="agency",
            agency=agency,
            search_key=f" plain{n} tayninh gov vn ",
        )
        for n in range(rows)
    ]
    started = time.perf_counter()
    Mailbox.objects.bulk_create(mailboxes, batch_size=1000)
    print(f"plain bulk_create        {rate(rows, time.perf_counter() - started)}")

    for mailbox in mailboxes:
        mailbox.pk, mailbox.published = None, False
    started = time.perf_counter()
    Mailbox.objects.bulk_create(
        mailboxes,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["address"],
        update_fields=["published"],
    )
    print(f"bulk_create upsert       {rate(rows, time.perf_counter() - started)}")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS)    {peak:10,.0f} MB")
    if scratch:
        os.unlink(scratch)


if __name__ == "__main__":
    main()
