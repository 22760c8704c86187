"""A synthetic national directory: believable, deterministic, and as big as asked.

Each province gets its People's Committee and the Committee's Office, the departments and
boards a province has since 1 July 2025 with their units (`data/province_agencies.csv`), and
a committee with its units for every commune of the Commune table
(`data/commune_agencies.csv`). Officials get Vietnamese names drawn with rough real
frequencies (`data/*_names.csv`, after the commonly cited shares: Nguyễn 38 %, Trần 11 %,
Lê 9.5 %, …) and addresses made by the project's own rule
(`addresses.local_parts` with the province's naming pattern, and `propose`) on the
province's primary domain.

It is fast because it asks the database nothing that `save()` would: slugs, materialised
paths, depth and search keys are computed in memory; rows go in with `bulk_create`, agencies
level by level so that units know their parents' keys; officials and their mailboxes are
streamed in batches, so memory stays bounded whatever the size. `bulk_create` sends no
signals, so synthetic rows have no django-simple-history records.

What a test or a benchmark may rely on: every agency has an active, published mailbox;
heads and deputies are published, other staff with probability `PUBLISHED_STAFF`; a share
`LEFT` of officials have left their post and their mailbox is retired.
"""

import csv
import datetime
import functools
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import reset_queries, transaction

from .addresses import agency_local_part, local_parts, propose
from .models import Agency, Mailbox, Official
from .text import clean, free_slug, search_key, search_words

DATA = Path(__file__).parent / "data"
PUBLISHED_STAFF = 0.35
LEFT = 0.03
SECOND_MIDDLE_NAME = 0.3  # of those whose middle name is not the commonest
STAFF_JITTER = (0.6, 1.4)
BATCH_SIZE = 5000
FIRST_DAY = datetime.date(2009, 1, 1)  # Directive 34/2008/CT-TTg in force
LAST_DAY = datetime.date(2025, 12, 31)
RETIRED_FROM = datetime.date(2020, 1, 1)
OFFICE = {"Chuyên viên": 60, "Chuyên viên chính": 15, "Cán sự": 8, "Văn thư": 5, "Kế toán": 5}
INSPECTION = {"Thanh tra viên": 60, "Thanh tra viên chính": 20, "Văn thư": 5, "Kế toán": 5}
SCHOOL = {"Giáo viên": 85, "Nhân viên": 10, "Kế toán": 5}
HEALTH = {"Bác sĩ": 35, "Điều dưỡng": 40, "Dược sĩ": 10, "Kỹ thuật viên": 10, "Kế toán": 5}
# A unit's first words give the titles of its head and deputies and its staff positions.
ROLES = (
    ("Ủy ban nhân dân", "Chủ tịch", "Phó Chủ tịch", OFFICE),
    ("Văn phòng", "Chánh Văn phòng", "Phó Chánh Văn phòng", OFFICE),
    ("Phòng", "Trưởng phòng", "Phó Trưởng phòng", OFFICE),
    ("Chi cục", "Chi cục trưởng", "Phó Chi cục trưởng", OFFICE),
    ("Thanh tra", "Chánh Thanh tra", "Phó Chánh Thanh tra", INSPECTION),
    ("Ban", "Trưởng ban", "Phó Trưởng ban", OFFICE),
    ("Trường", "Hiệu trưởng", "Phó Hiệu trưởng", SCHOOL),
    ("Bệnh viện", "Giám đốc", "Phó Giám đốc", HEALTH),
    ("Trung tâm Y tế", "Giám đốc", "Phó Giám đốc", HEALTH),
    ("", "Giám đốc", "Phó Giám đốc", OFFICE),
)


@dataclass
class Totals:
    agencies: int = 0
    officials: int = 0
    mailboxes: int = 0

    def add(self, other):
        self.agencies += other.agencies
        self.officials += other.officials
        self.mailboxes += other.mailboxes


class Weighted:
    """Draws values with the given weights (a mapping of value → weight)."""

    def __init__(self, weights):
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.commonest = max(weights, key=weights.get)

    def draw(self, rng):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


@functools.cache
def read_csv(name):
    with (DATA / name).open(encoding="utf-8") as rows:
        return tuple(csv.DictReader(rows))


class NameBook:
    """Full names: a family name, one or two middle names and a given name, by sex."""

    def __init__(self):
        self.family = Weighted(
            {row["name"]: float(row["weight"]) for row in read_csv("family_names.csv")}
        )
        self.middle = self._by_sex("middle_names.csv")
        self.given = self._by_sex("given_names.csv")

    @staticmethod
    def _by_sex(name):
        rows = read_csv(name)
        return {
            sex: Weighted({row["name"]: float(row["weight"]) for row in rows if row["sex"] == sex})
            for sex in ("f", "m")
        }

    def full_name(self, rng):
        """Two middle names are the commonest one and another: `Thị Thu`, `Văn Minh`."""
        sex = rng.choice("fm")
        middles = [self.middle[sex].draw(rng)]
        common = self.middle[sex].commonest
        if middles[0] != common and rng.random() < SECOND_MIDDLE_NAME:
            middles.insert(0, common)
        return " ".join([self.family.draw(rng), *middles, self.given[sex].draw(rng)])


@dataclass
class Unit:
    """An agency to create, with what generation needs besides its fields."""

    agency: Agency
    parent: "Unit | None"
    short_name: str  # the name without its province or commune, for titles and addresses
    rank: int  # 1 the provincial committee; 2 departments and commune committees; 3 units
    staff: int  # relative headcount
    address: str
    stem: str  # what the addresses of its units append to their local part
    units: int = 0  # units numbered so far, for their identifiers
    ancestors: list = field(init=False)  # agencies above, from the top down

    def __post_init__(self):
        self.ancestors = [*self.parent.ancestors, self.parent.agency] if self.parent else []


@dataclass
class Place:
    """Where a group of agencies sits: `tỉnh Tây Ninh`, or `xã Mỹ An` with stem `myan`."""

    title: str
    stem: str = ""
    commune: object = None


def commune_place(commune):
    """`Xã Mỹ An` as `("xã", "Mỹ An")`."""
    kind, name = commune.division_type, commune.name
    return kind, name[len(kind) + 1 :] if name.lower().startswith(f"{kind} ") else name


class ProvinceDirectory:
    """The synthetic directory of one province: planned in memory, then saved."""

    def __init__(self, province, domain, communes, seed, taken):
        self.province = province
        self.domain = domain
        self.taken = taken
        self.rng = random.Random(f"{seed}:{province.code}")
        self.units = []
        self._slugs = defaultdict(set)
        self._departments = itertools.count(1)
        title = province.full_name[0].lower() + province.full_name[1:]
        self._plan(read_csv("province_agencies.csv"), Place(title), communes)
        for commune in communes:
            kind, name = commune_place(commune)
            place = Place(f"{kind} {name}", "".join(search_words(name)), commune)
            rows = read_csv("commune_agencies.csv")
            self._plan([row for row in rows if kind in row["divisions"].split(";")], place)

    def _plan(self, rows, place, communes=()):
        """Add the agencies of `rows`, parents first; a row is left out of a province with
        probability 1 - `share`, and a `{commune}` row repeats every `per_communes` communes."""
        planned = {}
        for row in rows:
            parent = planned.get(row["parent"])
            if row["parent"] and parent is None:
                continue  # its parent was left out in this province
            if "{commune}" in row["name"]:
                for commune in communes[:: int(row["per_communes"])]:
                    self._add(
                        row, row["name"].format(commune=commune_place(commune)[1]), parent, place
                    )
            elif self.rng.random() < float(row.get("share") or 1):
                planned[row["name"]] = self._add(row, row["name"], parent, place)

    def _add(self, row, short_name, parent, place):
        """Plan one agency. The committees, the Office and the departments carry the place
        in their name and have short addresses (`snv`, `ubndmyan`); units append their
        parent's stem (`vps.snv`, `vphdndvubnd.myan`)."""
        kind = row["kind"]
        top = 1 if kind == Agency.Kind.PROVINCIAL_COMMITTEE else 2
        rank = parent.rank + 1 if parent else top
        name = clean(f"{short_name} {place.title}" if rank <= 2 else short_name)
        agency = Agency(
            province=self.province,
            name=name,
            slug=self._free_slug(name, parent),
            kind=kind,
            code=self._code(rank, parent),
            commune=place.commune if rank == 2 else None,
        )
        staff = round(float(row["staff"]) * self.rng.uniform(*STAFF_JITTER) * 100)
        initials = agency_local_part(short_name)
        local = f"{initials}.{parent.stem}" if rank == 3 else initials + place.stem
        address = self._take(propose([local], self.domain, self.taken, count=1))
        unit = Unit(agency, parent, short_name, rank, staff, address, place.stem or initials)
        self.units.append(unit)
        return unit

    def _free_slug(self, name, parent):
        """What `Agency.unique_slug` would give: numbered when a sibling has it already."""
        return free_slug(name, self._slugs[id(parent)])

    def _code(self, rank, parent):
        """An electronic identifier shaped like Decision 20/2020's `A1.A2.A3.A4`: A4 names
        the province, A3 the department or commune, A2 the unit; well-formed but invented."""
        province = f"H{self.province.code}"
        if rank == 1:
            return f"000.00.00.{province}"
        if rank == 2:
            return f"000.00.{next(self._departments):02d}.{province}"
        parent.units += 1
        return f"000.{parent.units:02d}.{parent.agency.code.split('.')[2]}.{province}"

    def save(self, officials, names, batch_size=BATCH_SIZE):
        """Insert the planned agencies and `officials[i]` officials in the i-th of them."""
        with transaction.atomic():
            self._save_agencies()
            rows = self._officials(officials, names)
            count = 0
            while batch := list(itertools.islice(rows, batch_size)):
                self._save_officials(batch)
                count += len(batch)
                reset_queries()  # with DEBUG on, Django keeps the SQL of the last 9,000 queries
        return Totals(len(self.units), count, len(self.units) + count)

    def _save_agencies(self):
        by_depth = defaultdict(list)
        for unit in self.units:
            by_depth[len(unit.ancestors)].append(unit)
        for depth in sorted(by_depth):
            agencies = []
            for unit in by_depth[depth]:
                agency = unit.agency
                agency.parent = unit.parent and unit.parent.agency
                agency.place_in_tree()
                agency.set_search_keys()
                agencies.append(agency)
            Agency.objects.bulk_create(agencies, batch_size=1000)
        mailboxes = [
            self._mailbox(unit, unit.address, official=None, retired_on=None) for unit in self.units
        ]
        Mailbox.objects.bulk_create(mailboxes, batch_size=1000)

    def _officials(self, counts, names):
        """(unit, official, address, retired_on) for every official, unit after unit."""
        rng = self.rng
        for unit, count in zip(self.units, counts, strict=True):
            _, head, deputy, staff = next(r for r in ROLES if unit.short_name.startswith(r[0]))
            positions = Weighted(staff)
            deputies = min(count - 1, 1 + count // 20, 4)
            for index in range(count):
                leader = index <= deputies
                position = head if index == 0 else deputy if leader else positions.draw(rng)
                full_name = names.full_name(rng)
                left = rng.random() < LEFT
                official = Official(
                    agency=unit.agency,
                    full_name=full_name,
                    position=position,
                    published=leader or rng.random() < PUBLISHED_STAFF,
                    is_active=not left,
                    search_key=search_key(full_name, position),
                )
                address = self._personal_address(full_name, unit)
                yield unit, official, address, self._day(first=RETIRED_FROM) if left else None

    def _personal_address(self, full_name, unit):
        """The first free address for the name; past `propose`'s hundred numbers, the same
        shapes followed by the agency's own local part (`annv.snv`)."""
        shapes = local_parts(full_name, self.province.naming_pattern)
        agency_local = unit.address.partition("@")[0]
        return self._take(
            propose(shapes, self.domain, self.taken, count=1)
            or propose([f"{shape}.{agency_local}" for shape in shapes], self.domain, self.taken, 1)
        )

    def _take(self, proposals):
        self.taken.add(proposals[0])
        return proposals[0]

    def _save_officials(self, batch):
        Official.objects.bulk_create([official for _, official, _, _ in batch], batch_size=1000)
        mailboxes = [
            self._mailbox(unit, address, official, retired_on)
            for unit, official, address, retired_on in batch
        ]
        Mailbox.objects.bulk_create(mailboxes, batch_size=1000)

    def _mailbox(self, unit, address, official, retired_on):
        mailbox = Mailbox(
            address=address,
            kind=Mailbox.Kind.PERSONAL if official else Mailbox.Kind.AGENCY,
            agency=unit.agency,
            official=official,
            status=Mailbox.Status.RETIRED if retired_on else Mailbox.Status.ACTIVE,
            activated_on=self._day(last=retired_on or LAST_DAY),
            retired_on=retired_on,
        )
        mailbox.search_key = mailbox.build_search_key(unit.ancestors)
        mailbox.is_public = mailbox.meets_publication_rule()
        return mailbox

    def _day(self, first=FIRST_DAY, last=LAST_DAY):
        return first + datetime.timedelta(days=self.rng.randrange((last - first).days))


def allocate(total, weights):
    """Split `total` in proportion to integer `weights`, exactly, keeping their order."""
    whole = sum(weights)
    bounds = [cumulative * total // whole for cumulative in itertools.accumulate(weights)]
    return [high - low for low, high in itertools.pairwise([0, *bounds])]


def generate_directory(officials, provinces, seed=1, batch_size=BATCH_SIZE, report=None):
    """Build the directories of `provinces` with `officials` officials spread over them in
    proportion to their agencies' sizes; `report(province, totals)` after each province."""
    names = NameBook()
    directories = []
    for province in provinces:
        domain = province.primary_domain.name
        taken = set(
            Mailbox.objects.filter(address__endswith=f"@{domain}").values_list("address", flat=True)
        )
        communes = list(province.communes.order_by("code"))
        directories.append(ProvinceDirectory(province, domain, communes, seed, taken))
    counts = iter(allocate(officials, [unit.staff for d in directories for unit in d.units]))
    totals = Totals()
    while directories:
        directory = directories.pop(0)  # its set of taken addresses goes once it is saved
        done = directory.save(
            list(itertools.islice(counts, len(directory.units))), names, batch_size
        )
        totals.add(done)
        if report:
            report(directory.province, done)
    return totals
