"""Search of the public directory.

Matching. The query is folded like the stored search keys (agencies.text) into at most
MAX_QUERY_WORDS words; `gov` and `vn` are left out when other words remain, since every
.gov.vn address has them. A public mailbox matches when its search key (address, owner,
position, agency and the agencies above it, province) has every word, the last one only as
the beginning of a word, so that type-ahead works: `so tai ng` finds `Sở Tài nguyên…`.

Order. First the mailbox whose address is the query, then the agencies' own mailboxes whose
agency is named by the query, then every other hit by (kind, address): agencies before
people, and a stable order.

Three ways find the same hits (tests/test_search.py holds them to one Python rule):
- INDEX: the word index has every word (PostgreSQL: a GIN index over the words of the key;
  SQLite: an FTS5 table; agencies/migrations/0007_search_word_index.py);
- INDEX_EXACT: the word index has the whole words, and the prefix is checked on each
  candidate's key (PostgreSQL: a short prefix such as `ng` begins too many words to merge);
- WALK: public mailboxes are read in result order along `mailbox_public_walk_idx`, which
  holds their keys, and checked one by one.
Counting stops after COUNT_LIMIT hits. A page of a query with more hits is walked: the first
twenty hits of a common word are near the start. Fewer hits are found by the index and sorted.

On PostgreSQL the way to count is chosen from the word frequencies ANALYZE keeps for the
index (`pg_stats`), with a cost model measured on a directory of two million mailboxes
(bench/search_bench.py): a walk reads a row in about 0.25 µs and wins for common words; the
index reads a posting in about 0.12 µs and a candidate row in about 2 µs and wins for rare
ones. The model multiplies word frequencies as if words were independent, which they are not
(`uy ban nhan dan xa`, `nguyen tran`); so a walking count reads at most as many rows as the
index would have cost, then hands over to the index. SQLite, without such statistics, always
counts with the index; at the sizes it serves that is fast enough.
"""

import math
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from agencies.models import Agency, Mailbox
from agencies.text import nfc, search_words

COUNT_LIMIT = 1000
MAX_QUERY_WORDS = 8
NOISE_WORDS = frozenset({"gov", "vn"})
INDEX, INDEX_EXACT, WALK = "index", "index_exact", "walk"
WORD_INDEX = "mailbox_search_words_idx"  # PostgreSQL, from migration 0007
FTS_TABLE = "agencies_mailbox_words"  # SQLite, from migration 0007
# Microseconds, measured on PostgreSQL 15 at two million mailboxes (see the docstring).
POSTING_COST, ROW_COST, WALK_COST = 0.12, 2.0, 0.25
SHOWN = ("agency__province", "official")  # what a result shows besides the mailbox


@dataclass(frozen=True)
class Query:
    words: tuple  # folded; every one must match, the last one as a prefix
    address: str  # the query as an address, when it has an @
    name_key: str  # every folded word, as `Agency.name_key` holds an agency's name
    province: object = None  # the Province searched in, or None

    @classmethod
    def parse(cls, text, province=None):
        folded = search_words(text)
        words = [word for word in folded if word not in NOISE_WORDS] or folded
        address = nfc(text).strip().lower() if "@" in text else ""
        return cls(tuple(words[:MAX_QUERY_WORDS]), address, " ".join(folded), province)

    @property
    def exact(self):
        return self.words[:-1]

    @property
    def prefix(self):
        return self.words[-1]


class IndexedWords(Func):
    """True when the word index has every word of `whole`, and one beginning with `prefix`."""

    output_field = BooleanField()

    def __init__(self, whole, prefix=None):
        super().__init__(F("search_key"), F("pk"))
        self.whole, self.prefix = whole, prefix

    def as_postgresql(self, compiler, connection):
        key, params = compiler.compile(self.source_expressions[0])
        terms = [f"'{word}'" for word in self.whole]  # words are [a-z0-9]+
        terms += [f"'{self.prefix}':*"] if self.prefix else []
        words = f"array_to_tsvector(string_to_array(btrim({key}), ' '))"  # as indexed
        return f"{words} @@ %s::tsquery", (*params, " & ".join(terms))

    def as_sqlite(self, compiler, connection):
        pk, params = compiler.compile(self.source_expressions[1])
        terms = [f'"{word}"' for word in self.whole]
        terms += [f'"{self.prefix}"*'] if self.prefix else []
        match = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return f"{pk} IN ({match})", (*params, " ".join(terms))


def needles(words):
    """What a key holds when it has `words`, the last one as a prefix: keys frame every word
    with spaces."""
    return [f" {word} " for word in words[:-1]] + [f" {words[-1]}"]


def scanned(words):
    """The test of IndexedWords, made on each row's key: not a LIKE, which PostgreSQL could
    serve with the trigram index (the admin's) and a bad guess of the number of hits."""
    return [GreaterThan(StrIndex("search_key", Value(needle)), 0) for needle in needles(words)]


def matching(query, way, mailboxes):
    if way == INDEX:
        return mailboxes.filter(IndexedWords(query.exact, query.prefix))
    if way == INDEX_EXACT:
        return mailboxes.filter(IndexedWords(query.exact), *scanned([query.prefix]))
    return mailboxes.filter(*scanned(query.words))


def first_of(query):
    """The hits that come before the others: the address, agencies named by the query."""
    named = Q(
        kind=Mailbox.Kind.AGENCY,
        agency__in=Agency.objects.filter(name_key=query.name_key).values("pk"),
    )
    return (Q(address=query.address) | named) if query.address else named


def in_result_order(mailboxes, query):
    ranks = {"is_first": ExpressionWrapper(first_of(query), BooleanField())}
    if query.address:
        ranks["is_address"] = ExpressionWrapper(Q(address=query.address), BooleanField())
    ordering = [f"-{rank}" for rank in reversed(ranks)]
    return mailboxes.alias(**ranks).order_by(*ordering, "kind", "address")


@dataclass(frozen=True)
class WordStatistics:
    rows: float  # public mailboxes
    exact: tuple  # the share of them that has each whole word
    prefix: float  # the summed shares of the words that begin with the prefix


def word_statistics(query):
    """What ANALYZE found about the query's words in the word index (PostgreSQL), or None
    before any ANALYZE. Words it did not list are rarer than any it did."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.word, u.share, c.reltuples
            FROM pg_class c
            JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = c.relname
            CROSS JOIN unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)
                WITH ORDINALITY AS u(word, share, position)
            WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace
              AND (u.word IS NULL OR u.word = ANY(%s) OR starts_with(u.word, %s))
            ORDER BY u.position
            """,
            [WORD_INDEX, list(query.exact), query.prefix],
        )
        rows = cursor.fetchall()
    if not rows or rows[0][2] <= 0:
        return None
    shares = {word: share for word, share, _ in rows if word is not None}
    rarest = next(share for word, share, _ in rows if word is None)  # the commonest follows
    prefix = sum(share for word, share in shares.items() if word.startswith(query.prefix))
    return WordStatistics(
        rows=rows[0][2],
        exact=tuple(shares.get(word, rarest) for word in query.exact),
        prefix=prefix or rarest,
    )


@dataclass(frozen=True)
class Plan:
    count_way: str  # INDEX, INDEX_EXACT or WALK
    index_way: str  # INDEX or INDEX_EXACT: to sort few hits, and to count after a walk
    walk_budget: int | None = None  # rows a walking count reads before it hands over; None: all


def plan_for(statistics, province=None):
    """The cheapest way to count by the cost model (module docstring); INDEX without
    statistics. A walk through one province reads every other one too: the index counts."""
    if statistics is None:
        return Plan(INDEX, INDEX)
    rows, exact = statistics.rows, statistics.exact
    prefix = min(1.0, statistics.prefix)  # a share of rows; the sum may count one row twice
    density = math.prod(exact) * prefix  # as if words were independent

    def through_index(postings, candidates, passing):
        """(to count, to find every hit): read `postings` (shares of the rows) in the index,
        then the `candidates` rows, of which the share `passing` are hits."""
        read = postings * rows * POSTING_COST
        return (
            read + min(candidates * rows, COUNT_LIMIT / passing) * ROW_COST,
            read + candidates * rows * ROW_COST,
        )

    costs = {INDEX: through_index(min(exact, default=0) + statistics.prefix, density, 1.0)}
    if exact:
        costs[INDEX_EXACT] = through_index(min(exact), math.prod(exact), prefix)
    count_way = min(costs, key=lambda way: costs[way][0])
    index_way = min(costs, key=lambda way: costs[way][1])
    index_cost = costs[count_way][0]
    if province is not None or min(rows, COUNT_LIMIT / density) * WALK_COST >= index_cost:
        return Plan(count_way, index_way)
    budget = int(index_cost / WALK_COST)
    return Plan(WALK, index_way, walk_budget=None if budget >= rows else budget)


class SearchResults:
    """The hits of one search, in order, for a Paginator: `count()` stops at COUNT_LIMIT
    (`capped` says when there are more), a slice is a page, iterating gives every hit."""

    def __init__(self, query, plan=None):
        self.query, self._plan = query, plan
        self._count = None if query.words else 0

    @cached_property
    def public(self):
        mailboxes = Mailbox.objects.public()
        if self.query.province is None:
            return mailboxes
        agencies = Agency.objects.filter(province=self.query.province).values("pk")
        if connection.vendor == "postgresql":
            # A list: given a subquery, PostgreSQL may read the word index once per agency.
            agencies = list(agencies.values_list("pk", flat=True))
        return mailboxes.filter(agency__in=agencies)

    @property
    def plan(self):
        if self._plan is None:
            self._plan = plan_for(word_statistics(self.query), self.query.province)
        return self._plan

    def count(self):
        if self._count is None:
            self._count = self._count_hits()
        return min(self._count, COUNT_LIMIT)

    @property
    def capped(self):
        """Are there more hits than `count()` says?"""
        self.count()
        return self._count > COUNT_LIMIT

    def _count_hits(self):
        """The number of hits, up to COUNT_LIMIT + 1."""
        way = self.plan.count_way
        if way == WALK:
            hits = self._walking_count()
            if hits > COUNT_LIMIT or self.plan.walk_budget is None:
                return hits
            way = self.plan.index_way
        hits = matching(self.query, way, self.public).order_by().values("address")
        return hits[: COUNT_LIMIT + 1].count()

    def _walking_count(self):
        """Hits, up to COUNT_LIMIT + 1, among the first `walk_budget` rows from the end of
        the walk index, where people are. The index holds all that is read."""
        walk = self.public.order_by("-kind", "-address").values("search_key")
        if self.plan.walk_budget is not None:
            walk = walk[: self.plan.walk_budget]
        sql, params = walk.query.sql_with_params()
        found = needles(self.query.words)
        position = "STRPOS" if connection.vendor == "postgresql" else "INSTR"
        tests = " AND ".join([f"{position}(walked.search_key, %s) > 0"] * len(found))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) walked WHERE {tests} LIMIT %s) hits",
                [*params, *found, COUNT_LIMIT + 1],
            )
            return cursor.fetchone()[0]

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("Search results are read a page at a time.")
        start, stop = key.start or 0, key.stop
        if self.count() == 0 or (stop is not None and stop <= start):
            return []
        if self.capped:
            addresses = self._walked_addresses(start, stop)
            found = Mailbox.objects.public().filter(address__in=addresses).select_related(*SHOWN)
            by_address = {mailbox.address: mailbox for mailbox in found}
            # A mailbox retired between the two queries is left out, not shown.
            return [by_address[address] for address in addresses if address in by_address]
        hits = matching(self.query, self.plan.index_way, self.public)
        page = in_result_order(hits, self.query).values("address")[start:stop]
        # The page is cut before its rows are joined to what they show: joined first, a bad
        # guess of the number of hits can make PostgreSQL read every official.
        page = in_result_order(Mailbox.objects.filter(address__in=page), self.query)
        return list(page.select_related(*SHOWN))

    def _walked_addresses(self, start, stop):
        """The addresses of hits start…stop: those that come first, then a walk through the
        others."""
        first = in_result_order(self.public.filter(first_of(self.query)), self.query)
        first = list(first.values_list("address", flat=True)[:stop])
        page = first[start:stop]
        if stop is not None and len(page) == stop - start:
            return page
        skip = max(0, start - len(first))
        rest = matching(self.query, WALK, self.public).exclude(first_of(self.query))
        rest = rest.order_by("kind", "address").values_list("address", flat=True)
        return page + list(rest[skip : None if stop is None else skip + stop - start - len(page)])

    def __iter__(self):
        return iter(self[0:None])


def search_mailboxes(text, province=None):
    """Public mailboxes matching `text`, in result order (see the module docstring)."""
    return SearchResults(Query.parse(text, province))


def with_agency_paths(mailboxes):
    """Attach `agency_path` (the public agencies from the top down to the mailbox's own) to
    each mailbox, in one query for the whole page."""
    mailboxes = list(mailboxes)
    ancestor_ids = {pk for mailbox in mailboxes for pk in mailbox.agency.ancestor_ids}
    ancestors = Agency.objects.public().select_related("province").in_bulk(ancestor_ids)
    for mailbox in mailboxes:
        lineage = [ancestors[pk] for pk in mailbox.agency.ancestor_ids if pk in ancestors]
        mailbox.agency_path = [*lineage, mailbox.agency]
    return mailboxes
