"""Latency of the public search, measured on whatever database DATABASE_URL names.

    DATABASE_URL=postgres://… python bench/search_bench.py [--repeat 5] [--explain]

Each query runs as a results page runs it: `search_mailboxes(q)`, its `count()` (which stops
after COUNT_LIMIT) and the first page of 20 rows, with every query that takes (word
statistics, count, page). The time is taken around those calls only (server side, no HTTP).
A first untimed round warms the caches. Some queries are picked from the data itself (a real
address, a real full name, a real commune) so that the exact and rare ones have hits. It
prints the indexes search reads, the way each query was counted and paged, and figures; it
never judges them: compare runs, not thresholds.

Build a big directory first: `manage.py generate_directory --officials 2000000`.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from agencies.models import Agency, Commune, Mailbox, Official  # noqa: E402
from agencies.text import fold  # noqa: E402
from directory.search import WALK, Query, search_mailboxes  # noqa: E402

PAGE_SIZE = 20
FIXED = {
    "common word": ["nguyen", "so", "van", "thi", "phong", "nguyen van", "chuyen vien"],
    "agency": [
        "so tai ng",
        "uy ban nhan dan xa",
        "so noi vu ha noi",
        "van phong so",
        "truong trung hoc pho thong",
        "trung tam y te khu vuc",
    ],
    "person": ["nguyen van an", "tran thi", "le thi thu huong", "pham minh tuan"],
    "exact": ["snv@tayninh.gov.vn", "ubnd@hanoi.gov.vn", "annv"],
    "rare": ["khuc", "con dao", "kiem lam"],
    "no hit": ["zzqx", "nguyen zzqx", "so tai chinh zzqx"],
}


def queries_from_data():
    """A real address, full name and commune committee, the same ones on every run over the
    same data."""
    public = Mailbox.objects.public().filter(kind=Mailbox.Kind.PERSONAL)
    middle = (Mailbox.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) // 2
    mailbox = public.filter(pk__gte=middle).order_by("pk").select_related("official").first()
    communes = Commune.objects.order_by("code")
    commune = communes[communes.count() // 2] if communes.exists() else None
    picked = {}
    if mailbox:
        picked["exact"] = [mailbox.address, fold(mailbox.official.full_name)]
    if commune:
        picked["exact"] = [*picked.get("exact", []), f"ubnd {fold(commune.name)}"]
    return picked


def words(query):
    """How many words the search looks for: `snv@tayninh.gov.vn` is two (`gov`, `vn` go)."""
    return len(Query.parse(query).words)


def run_page(query):
    """(seconds, hits as the page says them, how it was done)."""
    started = time.perf_counter()
    results = search_mailboxes(query)
    count = results.count()
    list(results[:PAGE_SIZE])
    elapsed = time.perf_counter() - started
    plan = results.plan
    way = plan.count_way if plan.count_way != WALK else f"walk≤{plan.walk_budget or 'all'}"
    return elapsed, f"{count:,}{'+' if results.capped else ''}", f"{way}, {plan.index_way}"


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def milliseconds(samples, share):
    return f"{percentile(samples, share) * 1000:8.1f}"


def explain(query):
    """EXPLAIN ANALYZE the exact SQL the page ran (PostgreSQL only)."""
    with CaptureQueriesContext(connection) as captured:
        run_page(query)
    for executed in captured.captured_queries:
        print(f"\n-- {executed['sql']}")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {executed['sql']}")
            print("\n".join(line for (line,) in cursor.fetchall()))


def measure(plan, repeat):
    """{query: (hits, ways)} from an untimed warm-up round, and {query: [seconds, …]}."""
    hits = {query: run_page(query)[1:] for _, query in plan}
    samples = {query: [] for _, query in plan}
    for _ in range(repeat):
        for _, query in plan:
            samples[query].append(run_page(query)[0])
    return hits, samples


def print_queries(plan, hits, samples):
    print(
        f"\n{'category':<12} {'words':>5} {'hits':>9} {'p50 ms':>8} {'max ms':>8}  "
        f"{'counted by, sorted by':<32} query"
    )
    for category, query in plan:
        times = samples[query]
        count, ways = hits[query]
        print(
            f"{category:<12} {words(query):>5} {count:>9} "
            f"{milliseconds(times, 0.5)} {max(times) * 1000:8.1f}  {ways:<32} {query}"
        )


def print_indexes():
    """The index design: what search reads, as the database has it."""
    print("indexes search reads:")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, pg_size_pretty(pg_relation_size(indexname::regclass)), "
                "indexdef FROM pg_indexes WHERE tablename = 'agencies_mailbox' "
                "AND indexname IN ('mailbox_search_words_idx', 'mailbox_public_walk_idx', "
                "'agencies_mailbox_address_key')"
            )
        else:
            cursor.execute(
                "SELECT name, '', sql FROM sqlite_master WHERE name IN ('agencies_mailbox_words', "
                "'mailbox_public_walk_idx', 'sqlite_autoindex_agencies_mailbox_1')"
            )
        for name, size, definition in cursor.fetchall():
            definition = " ".join((definition or "(unique address)").split())
            print(f"  {name} {size}: {definition}")


def print_summary(plan, samples):
    groups = {"all": [query for _, query in plan]}
    for category, query in plan:
        groups.setdefault(category, []).append(query)
    for _, query in sorted(plan, key=lambda item: words(item[1])):
        groups.setdefault(f"{min(words(query), 4)}{'+' * (words(query) >= 4)} word(s)", []).append(
            query
        )
    print(f"\n{'':<18} {'samples':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, queries in groups.items():
        times = [seconds for query in queries for seconds in samples[query]]
        print(
            f"{name:<18} {len(times):>7} {milliseconds(times, 0.5)} "
            f"{milliseconds(times, 0.95)} {milliseconds(times, 0.99)}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest query")
    options = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"rows: {Agency.objects.count():,} agencies, {Official.objects.count():,} officials, "
        f"{Mailbox.objects.count():,} mailboxes, {Mailbox.objects.public().count():,} public"
    )
    print_indexes()
    categories = {category: list(queries) for category, queries in FIXED.items()}
    for category, queries in queries_from_data().items():
        categories.setdefault(category, []).extend(queries)
    plan = [(category, query) for category, queries in categories.items() for query in queries]
    hits, samples = measure(plan, options.repeat)
    print_queries(plan, hits, samples)
    print_summary(plan, samples)
    if options.explain and connection.vendor == "postgresql":
        slowest = max(samples, key=lambda query: statistics.median(samples[query]))
        print(f"\nslowest by median: {slowest!r}")
        explain(slowest)
    elif options.explain:
        print("\n--explain needs PostgreSQL.")


if __name__ == "__main__":
    main()
