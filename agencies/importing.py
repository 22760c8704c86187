"""Importing an address list (DESIGN.md): every row checked, then everything written or nothing.

The list is read twice. The first pass gathers the agencies it names and creates or matches
them by electronic identifier, parents first, so that a unit may come before its parent in
the file. The second pass streams the rows in batches: it matches officials by agency and
name and mailboxes by address, and writes what changed with a few bulk statements per
batch, history included. Any error anywhere rolls the whole import back; a dry run rolls
back at the end whatever happens.

Bulk writes avoid Django's `bulk_update` (its CASE WHEN statements manage about 1,500 rows a
second): changed rows are written back by primary key with `INSERT … ON CONFLICT DO UPDATE`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from . import scope
from .bulk import BulkWriter
from .exporting import restore_formula
from .models import Agency, Mailbox, Official, Province
from .signals import directory_changed
from .text import clean, fold, free_slug, nfc, search_key
from .validators import is_government_address, validate_agency_code, validate_mailbox_address

BATCH_SIZE = 2000
MAX_ERRORS = 1000
KINDS = {
    "co quan": Mailbox.Kind.AGENCY,
    "agency": Mailbox.Kind.AGENCY,
    "ca nhan": Mailbox.Kind.PERSONAL,
    "personal": Mailbox.Kind.PERSONAL,
}
PUBLISHED = {
    **dict.fromkeys(["co", "yes", "1", "true", "x"], True),
    **dict.fromkeys(["khong", "no", "0", "false"], False),
}
UNKNOWN = object()


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as written in the file; empty for the whole row
    message: str


@dataclass
class RowOutcome:
    row: int
    outcome: str  # "new", "update" or "skip" (unchanged)
    address: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    agencies_created: int = 0
    agencies_updated: int = 0
    officials_created: int = 0
    rows: int = 0
    errors: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        """The counts, in the fixed English form scripts read from `import_directory`."""
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


class Entry(NamedTuple):
    """A row's mailbox, checked."""

    row: int
    agency: Agency
    kind: str
    address: str
    name: str
    position: str
    published: bool


class Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a failed import."""


@dataclass
class FileAgency:
    """An agency as the file names it, from its first row."""

    row: int
    code: str
    name: str
    parent_code: str
    province: Province
    agency: Agency | None = None


class DirectoryImport:
    """One import of one address list, by `user` (None: the command line, every province)."""

    def __init__(self, user=None, *, dry_run=False, keep_outcomes=0, on_progress=None):
        self.user = user
        self.dry_run = dry_run
        self.keep_outcomes = keep_outcomes
        self.on_progress = on_progress or (lambda done, total: None)
        self.result = ImportResult()
        self.columns = {}
        self.writer = BulkWriter(user, change_reason())
        self.changed_agencies = []  # (agency, new name, new parent), saved after the new ones

    def run(self, rows, columns):
        """Import `rows()` (a callable giving a fresh iterator of rows with `.number` and
        `.values`, keyed by the fields of agencies.tablefiles.FIELDS). `columns` maps each
        field to its header as written, for error messages."""
        self.columns = columns
        try:
            with transaction.atomic():
                agencies = self.load_agencies(rows())
                if self.result.ok:
                    self.load_mailboxes(rows(), agencies)
                if self.dry_run or not self.result.ok:
                    raise Rollback
        except Rollback:
            pass
        if self.result.ok and not self.dry_run:
            directory_changed.send(sender=DirectoryImport)
        return self.result

    # Reporting

    def error(self, number, field_name, message, /, **params):
        if len(self.result.errors) < MAX_ERRORS:
            column = self.columns.get(field_name, "") if field_name else ""
            text = message % params if params else message
            self.result.errors.append(RowError(number, column, text))

    COUNTERS = {"new": "created", "update": "updated", "skip": "unchanged"}

    def outcome(self, row, outcome, address):
        counter = self.COUNTERS[outcome]
        setattr(self.result, counter, getattr(self.result, counter) + 1)
        if len(self.result.outcomes) < self.keep_outcomes:
            self.result.outcomes.append(RowOutcome(row, outcome, address))

    # First pass: agencies

    def load_agencies(self, rows):
        """Create or match every agency the file names; return {code: Agency}."""
        provinces = ProvinceLookup()
        named = {}
        for row in rows:
            self.result.rows += 1
            values = row.values
            code = values.get("agency_code", "").strip().upper()
            if not self.valid_code(row.number, "agency_code", code):
                continue
            parent_code = values.get("parent_code", "").strip().upper()
            if parent_code and not self.valid_code(row.number, "parent_code", parent_code):
                continue
            province = provinces.find(values.get("province", ""))
            if province is None:
                self.error(
                    row.number,
                    "province",
                    _("Unknown province “%(value)s”."),
                    value=values.get("province", ""),
                )
                continue
            name = restore_formula(clean(values.get("agency_name", "")))
            if not name:
                self.error(row.number, "agency_name", _("The agency's name is missing."))
                continue
            seen = named.get(code)
            if seen is None:
                named[code] = FileAgency(row.number, code, name, parent_code, province)
            elif (seen.name, seen.parent_code, seen.province) != (name, parent_code, province):
                self.error(
                    row.number,
                    "agency_code",
                    _("Agency %(code)s is described differently on row %(row)s."),
                    code=code,
                    row=seen.row,
                )
        if self.result.ok:
            self.match_agencies(named)
        return {code: entry.agency for code, entry in named.items()}

    def valid_code(self, row, field_name, code):
        if not code:
            self.error(row, field_name, _("The electronic identifier is missing."))
            return False
        try:
            validate_agency_code(code)
        except ValidationError as error:
            self.error(row, field_name, error.messages[0])
            return False
        return True

    def match_agencies(self, named):
        codes = set(named) | {entry.parent_code for entry in named.values() if entry.parent_code}
        existing = {
            agency.code: agency
            for agency in Agency.objects.filter(code__in=codes).select_related("province")
        }
        visible = (
            set(
                scope.agencies_for(self.user)
                .filter(pk__in=[a.pk for a in existing.values()])
                .values_list("pk", flat=True)
            )
            if self.user
            else {agency.pk for agency in existing.values()}
        )
        for entry in self.in_tree_order(named, existing):
            agency = existing.get(entry.code)
            parent = existing.get(entry.parent_code) if entry.parent_code else None
            if agency is not None:
                self.update_agency(entry, agency, parent, visible)
            else:
                agency = self.new_agency(entry, parent, visible)
            if agency is not None:
                entry.agency = existing[entry.code] = agency
        self.create_agencies([e.agency for e in named.values() if e.agency and not e.agency.pk])
        if self.result.ok:
            self.save_changed_agencies()

    def in_tree_order(self, named, existing):
        """The file's agencies, each after its parent. A parent found neither in the
        directory nor in the file, or a cycle, is an error on the row."""
        ordered, state = [], {}

        def place(code):
            if code in state:
                if state[code] == "visiting":
                    self.error(
                        named[code].row,
                        "parent_code",
                        _("Agency %(code)s is placed under itself."),
                        code=code,
                    )
                return state[code] == "placed"
            state[code] = "visiting"
            entry, placeable = named[code], True
            if entry.parent_code in named:
                placeable = place(entry.parent_code)
            elif entry.parent_code and entry.parent_code not in existing:
                self.error(
                    entry.row,
                    "parent_code",
                    _("Parent agency %(code)s is neither in the directory nor in the file."),
                    code=entry.parent_code,
                )
                placeable = False
            state[code] = "placed" if placeable else "refused"
            if placeable:
                ordered.append(entry)
            return placeable

        for code in named:
            place(code)
        return ordered

    def update_agency(self, entry, agency, parent, visible):
        if agency.pk not in visible:
            self.error(
                entry.row,
                "agency_code",
                _("Agency %(code)s is outside the agencies you manage."),
                code=entry.code,
            )
            return
        if agency.province_id != entry.province.pk:
            self.error(
                entry.row,
                "province",
                _("Agency %(code)s belongs to %(province)s."),
                code=entry.code,
                province=agency.province.name,
            )
            return
        # An empty parent column keeps the agency where it is (an export of a unit whose
        # parent has no identifier writes it empty).
        moved = parent is not None and (parent.pk is None or parent.pk != agency.parent_id)
        if moved and not self.may_move(entry, agency, parent, visible):
            return
        if moved or agency.name != entry.name:
            self.changed_agencies.append((agency, entry.name, parent if moved else agency.parent))

    def may_move(self, entry, agency, parent, visible):
        """May the file put an agency of the directory under `parent`? Not outside the
        uploader's scope, not into another province, and not under one of its own units."""
        if parent.pk is not None and parent.pk not in visible:
            message = _("Parent agency %(code)s is outside the agencies you manage.")
        elif parent.province_id != agency.province_id:
            message = _("Parent agency %(code)s is in another province.")
        elif is_under(parent, agency):
            message = _("Agency %(code)s cannot be placed under one of its own units.")
        else:
            return True
        self.error(entry.row, "parent_code", message, code=entry.parent_code)
        return False

    def save_changed_agencies(self):
        """Rename and move the directory's agencies, now that their new parents exist."""
        for agency, name, parent in self.changed_agencies:
            agency.name, agency.parent = name, parent
            agency._history_user, agency._change_reason = self.user, change_reason()
            agency.save()
        self.result.agencies_updated += len(self.changed_agencies)

    def new_agency(self, entry, parent, visible):
        if parent is not None:
            allowed = parent.pk in visible or parent.pk is None
        else:
            allowed = self.user is None or scope.provinces_for(self.user).contains(entry.province)
        if not allowed:
            self.error(
                entry.row,
                "agency_code",
                _("You may not add agency %(code)s there: it is outside the agencies you manage."),
                code=entry.code,
            )
            return None
        if parent is not None and parent.province_id != entry.province.pk:
            self.error(
                entry.row,
                "parent_code",
                _("Parent agency %(code)s is in another province."),
                code=entry.parent_code,
            )
            return None
        agency = Agency(
            province=entry.province,
            parent=parent,
            name=entry.name,
            code=entry.code,
            kind=guess_kind(entry.name),
        )
        return agency

    def create_agencies(self, agencies):
        """Insert new agencies level by level, so that each level's parents have ids."""
        slugs = SiblingSlugs()
        by_depth = defaultdict(list)
        for agency in agencies:
            depth, parent = 0, agency.parent
            while parent is not None and parent.pk is None:
                depth, parent = depth + 1, parent.parent
            by_depth[depth].append(agency)
        for depth in sorted(by_depth):
            level = by_depth[depth]
            for agency in level:
                if agency.parent is not None:
                    agency.parent_id = agency.parent.pk  # saved with the level above
                agency.slug = slugs.take(agency)
                agency.place_in_tree()
                agency.set_search_keys()
            self.writer.create(Agency, level)
        self.result.agencies_created += len(agencies)

    # Second pass: officials and mailboxes

    def load_mailboxes(self, rows, agencies):
        lineage = Lineage(agencies.values())
        seen, done = {}, 0
        rows = iter(rows)
        while batch := list(islice(rows, BATCH_SIZE)):
            entries = [e for row in batch if (e := self.parse(row, agencies, seen))]
            if entries and self.result.ok:
                self.write(entries, lineage)
            done += len(batch)
            self.on_progress(done, self.result.rows)

    def parse(self, row, agencies, seen):
        """The row's mailbox as an Entry, or None after reporting what is wrong with it."""
        values = row.values
        agency = agencies.get(values.get("agency_code", "").strip().upper())
        address = nfc(values.get("email", "")).strip().lower()
        try:
            validate_mailbox_address(address)
        except ValidationError as error:
            self.error(row.number, "email", error.messages[0])
            return None
        if not is_government_address(address):
            self.error(
                row.number,
                "email",
                _(
                    "%(address)s is not a .gov.vn address. A temporary address outside "
                    ".gov.vn is recorded by the IT centre, not imported."
                ),
                address=address,
            )
            return None
        if address in seen:
            self.error(
                row.number,
                "email",
                _("%(address)s is also on row %(row)s."),
                address=address,
                row=seen[address],
            )
            return None
        seen[address] = row.number
        name = restore_formula(clean(values.get("full_name", "")))
        kind = self.word(
            row,
            "kind",
            KINDS,
            _("Write “cơ quan” (agency) or “cá nhân” (personal), not “%(value)s”."),
        )
        if kind is UNKNOWN:
            return None
        kind = kind or (Mailbox.Kind.PERSONAL if name else Mailbox.Kind.AGENCY)
        if kind == Mailbox.Kind.PERSONAL and not name:
            self.error(row.number, "full_name", _("A personal mailbox needs the official's name."))
            return None
        if kind == Mailbox.Kind.AGENCY and name:
            self.error(row.number, "full_name", _("An agency mailbox has no official's name."))
            return None
        published = self.word(
            row, "published", PUBLISHED, _("Write “có” or “không” (yes or no), not “%(value)s”.")
        )
        if published is UNKNOWN:
            return None
        if published is None:  # by default agencies are published, people are not
            published = kind == Mailbox.Kind.AGENCY
        if agency is None:
            return None  # its agency row was refused in the first pass
        position = restore_formula(clean(values.get("position", "")))
        return Entry(row.number, agency, kind, address, name, position, published)

    def word(self, row, field_name, words, message):
        """What a cell's word stands for (with or without diacritics), None for an empty
        cell, or UNKNOWN after reporting a word the list does not know."""
        written = row.values.get(field_name, "")
        if not written.strip():
            return None
        meaning = words.get(" ".join(fold(written).split()), UNKNOWN)
        if meaning is UNKNOWN:
            self.error(row.number, field_name, message, value=written)
        return meaning

    def write(self, entries, lineage):
        existing = Mailbox.objects.select_related("official").in_bulk(
            [entry.address for entry in entries], field_name="address"
        )
        officials = OfficialIndex([entry for entry in entries if entry.address not in existing])
        new_officials, changed_officials, new_mailboxes, changed_mailboxes = [], {}, [], []
        for row, agency, kind, address, name, position, published in entries:
            mailbox = existing.get(address)
            if mailbox is not None:
                if not self.same_owner(row, mailbox, agency, name):
                    continue
                mailbox.agency = agency  # the same agency, with its province at hand
            # "Công khai" says whether the address shows on the public pages: for a person,
            # the mailbox and the official (competent) together. It is compared with what
            # shows now, so that a list exported and imported back changes nothing.
            shown = mailbox is not None and mailbox.published
            official = None
            if kind == Mailbox.Kind.PERSONAL:
                official = mailbox.official if mailbox else officials.get(agency, name)
                if official is None:
                    official = Official(
                        agency=agency,
                        full_name=name,
                        position=position,
                        published=published,
                        search_key=search_key(name, position),
                    )
                    officials.add(official)
                    new_officials.append(official)
                else:
                    if mailbox is None:  # a new address for someone listed: back in post
                        changes = {"position": position, "published": published, "is_active": True}
                    else:
                        shown = shown and official.published
                        changes = {"position": position}
                        if shown != published:
                            changes["published"] = published
                    if any(getattr(official, key) != value for key, value in changes.items()):
                        for key, value in changes.items():
                            setattr(official, key, value)
                        official.search_key = search_key(official.full_name, official.position)
                        changed_officials[id(official)] = official
            if mailbox is None:
                mailbox = Mailbox(
                    address=address,
                    kind=kind,
                    agency=agency,
                    official=official,
                    published=published,
                )
                new_mailboxes.append(mailbox)
                self.outcome(row, "new", address)
            elif shown != published or id(official) in changed_officials:
                if shown != published:
                    mailbox.published = published
                changed_mailboxes.append(mailbox)
                self.outcome(row, "update", address)
            else:
                self.outcome(row, "skip", address)
        if not self.result.ok:
            return
        self.writer.create(Official, new_officials)
        self.result.officials_created += len(new_officials)
        self.writer.update(
            Official,
            list(changed_officials.values()),
            ["position", "published", "is_active", "search_key", "updated_at"],
        )
        for mailbox in new_mailboxes + changed_mailboxes:
            if mailbox.official is not None:
                mailbox.official = mailbox.official  # takes its id, now that it is saved
            mailbox.search_key = mailbox.build_search_key(lineage.ancestors(mailbox.agency))
            mailbox.is_public = mailbox.meets_publication_rule()
        self.writer.create(Mailbox, new_mailboxes)
        self.writer.update(
            Mailbox, changed_mailboxes, ["published", "search_key", "is_public", "updated_at"]
        )
        if changed_officials:  # their mailboxes that the file does not name follow them
            Mailbox.objects.filter(
                official__in=[official.pk for official in changed_officials.values()]
            ).refresh_public()

    def same_owner(self, row, mailbox, agency, name):
        """Is the mailbox in the directory the row's own? Otherwise it is a duplicate."""
        if mailbox.status == Mailbox.Status.RETIRED:
            self.error(
                row,
                "email",
                _(
                    "%(address)s was retired on %(date)s; a retired address comes back only "
                    "through a request to the IT centre."
                ),
                address=mailbox.address,
                date=mailbox.retired_on,
            )
            return False
        owner = mailbox.official.full_name if mailbox.official_id else ""
        if mailbox.agency_id != agency.pk or owner != name:
            self.error(
                row,
                "email",
                _("%(address)s belongs to %(owner)s already."),
                address=mailbox.address,
                owner=self.owner_label(mailbox),
            )
            return False
        return True

    def owner_label(self, mailbox):
        """Who holds an address, said only as far as the uploader may know it."""
        if self.user and not scope.mailboxes_for(self.user).filter(pk=mailbox.pk).exists():
            return _("an agency outside the ones you manage")
        return mailbox.official.full_name if mailbox.official_id else mailbox.agency.name


def is_under(parent, agency):
    """Is `parent` (perhaps new from the file, perhaps in the directory) `agency` itself or
    one of its units?"""
    while parent is not None:
        if parent is agency or (parent.pk is not None and parent.pk == agency.pk):
            return True
        if parent.pk is not None:  # in the directory: its path says the rest
            return parent.ancestor_path.startswith(agency.descendant_prefix)
        parent = parent.parent
    return False


def change_reason():
    """What the history of imported rows says, in the site's language whoever imports."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Address list import")


class ProvinceLookup:
    """A province by official code, name or full name, with or without diacritics."""

    def __init__(self):
        self.keys = {}
        for province in Province.objects.all():
            for key in (
                province.code,
                province.code.lstrip("0"),
                fold(province.name),
                fold(province.full_name),
                province.slug,
            ):
                self.keys[key] = province

    def find(self, value):
        value = " ".join(fold(value).split())
        return self.keys.get(value) or self.keys.get(value.lstrip("0"))


class SiblingSlugs:
    """Slugs already used under each parent, so that new agencies get free ones."""

    def __init__(self):
        self.taken = {}

    def take(self, agency):
        key = (agency.province_id, agency.parent.pk if agency.parent else None)
        if key not in self.taken:
            self.taken[key] = set(
                Agency.objects.filter(province_id=key[0], parent_id=key[1]).values_list(
                    "slug", flat=True
                )
            )
        return free_slug(agency.name, self.taken[key])


class Lineage:
    """The ancestors of the file's agencies, loaded once, for the mailboxes' search keys."""

    def __init__(self, agencies):
        agencies = [agency for agency in agencies if agency is not None]
        ids = {pk for agency in agencies for pk in agency.ancestor_ids}
        self.by_id = Agency.objects.in_bulk(ids)

    def ancestors(self, agency):
        return [self.by_id[pk] for pk in agency.ancestor_ids if pk in self.by_id]


class OfficialIndex:
    """The officials a batch names, by (agency, name): one query for the batch."""

    def __init__(self, entries):
        self.by_key = {}
        wanted = {(entry.agency.pk, entry.name) for entry in entries if entry.name}
        candidates = Official.objects.filter(
            agency__in={agency for agency, _name in wanted},
            full_name__in={name for _agency, name in wanted},
        )
        for official in candidates:
            self.by_key.setdefault((official.agency_id, official.full_name), official)

    def get(self, agency, name):
        return self.by_key.get((agency.pk, name))

    def add(self, official):
        self.by_key[(official.agency.pk, official.full_name)] = official


KIND_WORDS = [
    ("uy ban nhan dan tinh", Agency.Kind.PROVINCIAL_COMMITTEE),
    ("uy ban nhan dan thanh pho", Agency.Kind.PROVINCIAL_COMMITTEE),
    ("uy ban nhan dan", Agency.Kind.COMMUNE_COMMITTEE),
    ("so ", Agency.Kind.DEPARTMENT),
    ("ban ", Agency.Kind.DEPARTMENT),
    ("van phong", Agency.Kind.DEPARTMENT),
    ("thanh tra", Agency.Kind.DEPARTMENT),
    ("bo ", Agency.Kind.MINISTRY),
    ("trung tam", Agency.Kind.PUBLIC_SERVICE),
    ("benh vien", Agency.Kind.PUBLIC_SERVICE),
    ("truong ", Agency.Kind.PUBLIC_SERVICE),
    ("tinh uy", Agency.Kind.PARTY_MASS),
    ("dang uy", Agency.Kind.PARTY_MASS),
    ("mat tran", Agency.Kind.PARTY_MASS),
    ("hoi ", Agency.Kind.PARTY_MASS),
    ("doan ", Agency.Kind.PARTY_MASS),
    ("cong ty", Agency.Kind.ENTERPRISE),
]


def guess_kind(name):
    """The kind of a new agency, from the first words of its name; IT staff can correct it."""
    folded = fold(name)
    return next((kind for words, kind in KIND_WORDS if folded.startswith(words)), Agency.Kind.OTHER)
