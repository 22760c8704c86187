"""The word index search reads, and the choice of the way to count (directory/search.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from agencies.models import Mailbox
from directory import search
from directory.search import INDEX, INDEX_EXACT, WALK, Plan, Query, WordStatistics, plan_for

from .factories import make_agency, make_mailbox, make_official

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN")


def fts_is_in_step():
    """FTS5 compares its index with the mailbox table (rank 1): an error when they differ."""
    table = search.FTS_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    return True


@sqlite_only
class TestSqliteWordIndex:
    def test_triggers_exist(self, db):
        """A migration that makes SQLite rebuild agencies_mailbox drops them: see 0007."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                ["agencies_mailbox"],
            )
            triggers = {name for (name,) in cursor.fetchall()}
        assert triggers == {
            f"{search.FTS_TABLE}_{event}" for event in ("insert", "update", "delete")
        }

    def test_follows_saves_renames_and_bulk_writes(self, department, tay_ninh):
        unit = make_agency(name="Phòng Zết Cũ", parent=department)
        make_mailbox(unit, "tamnv@longan.gov.vn", official=make_official(unit, "Ngô Văn Tám"))
        unit.name = "Phòng Zết Mới"
        unit.save()  # the keys below it change through bulk_update
        call_command("load_divisions", stdout=io.StringIO())
        call_command(
            "generate_directory",
            "--officials=50",
            "--provinces=52",
            "--append",
            stdout=io.StringIO(),
        )
        assert fts_is_in_step()
        assert [m.address for m in search.search_mailboxes("zet moi")] == ["tamnv@longan.gov.vn"]
        assert list(search.search_mailboxes("zet cu")) == []
        Mailbox.objects.filter(address="tamnv@longan.gov.vn").delete()
        assert fts_is_in_step()


@postgres_only
class TestPostgresWordIndex:
    def test_the_query_uses_the_gin_index(self, department):
        """The query repeats the indexed expression word for word, or PostgreSQL could not use
        the index. (Here nothing else may serve it; the test's transaction undoes that.)"""
        hits = search.matching(Query.parse("thong tin"), INDEX, Mailbox.objects.public())
        sql, params = hits.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX mailbox_public_walk_idx")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        assert search.WORD_INDEX in plan

    def test_statistics_after_analyze(self, department):
        for number in range(30):
            agency = make_agency(name=f"Phòng Kế hoạch số {number}", parent=department)
            make_mailbox(agency, f"khso{number}@longan.gov.vn")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE agencies_mailbox")
        statistics = search.word_statistics(Query.parse("phong ke hoach so"))
        assert statistics.rows >= 30
        assert statistics.exact[0] > 0.5  # `phong` is in nearly every public mailbox
        assert statistics.prefix > 0.5


class TestPlan:
    def test_without_statistics_the_index_counts(self):
        assert plan_for(None) == Plan(INDEX, INDEX)

    def test_a_common_word_is_walked(self):
        plan = plan_for(WordStatistics(rows=2e6, exact=(), prefix=0.4))
        assert plan.count_way == WALK and plan.walk_budget > 10_000

    def test_a_rare_word_is_looked_up(self):
        assert plan_for(WordStatistics(rows=2e6, exact=(), prefix=0.0005)).count_way == INDEX

    def test_a_short_prefix_after_a_rare_word_is_checked_on_candidates(self):
        statistics = WordStatistics(rows=2e6, exact=(0.4, 0.02), prefix=0.7)
        assert plan_for(statistics).count_way == INDEX_EXACT

    def test_words_rare_together_are_looked_up(self):
        statistics = WordStatistics(rows=2e6, exact=(0.1, 0.35, 0.07), prefix=0.03)
        assert plan_for(statistics).count_way == INDEX

    def test_a_province_is_counted_through_the_index(self):
        """A walk would read every province to find the hits of one."""
        statistics = WordStatistics(rows=2e6, exact=(), prefix=0.4)
        assert plan_for(statistics, province=object()).count_way == INDEX
