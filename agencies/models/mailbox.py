"""Officials and their mailboxes, and the agencies' own mailboxes."""

from calendar import monthrange

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import agency_local_part, local_parts, propose
from ..text import clean, nfc, search_key
from ..validators import (
    GOVERNMENT_DOMAIN_SUFFIX,
    is_government_address,
    validate_mailbox_address,
)
from .agency import Agency


def quarantine_start(today=None):
    """Addresses retired after this day are still held for their former owner."""
    today = today or timezone.localdate()
    months_back = today.year * 12 + today.month - 1 - settings.MAILBOX_QUARANTINE_MONTHS
    year, month = divmod(months_back, 12)
    return today.replace(
        year=year, month=month + 1, day=min(today.day, monthrange(year, month + 1)[1])
    )


class UnavailableAddresses:
    """`address in UnavailableAddresses(...)` asks the database whether the address is
    taken or quarantined for this owner: the `unavailable` argument of `propose()`."""

    def __init__(self, official=None, agency=None):
        self.official, self.agency = official, agency

    def __contains__(self, address):
        return Mailbox.objects.blocking(address, self.official, self.agency).exists()


def proposed_addresses(agency, official=None, full_name="", for_agency=False):
    """Free, short addresses for a new mailbox of `agency`, on its province's primary
    domain: from the agency's name for its own mailbox, else from the official's name by
    the province's naming pattern; none taken, none in quarantine for this owner."""
    domain = agency.province.primary_domain
    if domain is None:
        return []
    if for_agency:
        candidates, owner = [agency_local_part(agency.name)], {"agency": agency}
    else:
        name = official.full_name if official else full_name
        candidates, owner = (
            local_parts(name, agency.province.naming_pattern),
            {"official": official},
        )
    return propose(candidates, domain.name, UnavailableAddresses(**owner)) if candidates else []


class AddressField(models.CharField):
    """An e-mail address, kept and compared in lower-case NFC: `STT@LongAn.gov.vn` is
    `stt@longan.gov.vn` for forms, lookups, uniqueness checks and the database alike."""

    def to_python(self, value):
        value = super().to_python(value)
        return nfc(value).strip().lower() if value else value

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class Official(models.Model):
    """A cán bộ, công chức, viên chức holding a position in an agency."""

    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="officials", verbose_name=_("agency or unit")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    published = models.BooleanField(
        _("competent (published)"),
        default=False,
        help_text=_("Competent officials are listed on the public pages with their address."),
    )
    is_active = models.BooleanField(
        _("in post"), default=True, help_text=_("Untick when the official has left the agency.")
    )
    search_key = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        ordering = ["agency", "full_name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        indexes = [models.Index(fields=["agency", "full_name"], name="official_agency_name_idx")]

    def __str__(self):
        return f"{self.full_name} ({self.position})" if self.position else self.full_name

    def save(self, *args, **kwargs):
        self.full_name = clean(self.full_name)
        self.position = clean(self.position)
        self.search_key = search_key(self.full_name, self.position)
        super().save(*args, **kwargs)
        for mailbox in self.mailboxes.exclude(agency=self.agency_id):
            mailbox.agency = self.agency  # a personal mailbox follows its owner's moves
            mailbox.save()
        self.mailboxes.refresh_search_keys()
        self.mailboxes.refresh_public()


class MailboxQuerySet(models.QuerySet):
    def public(self):
        """The one door to what citizens may see: active, published mailboxes of public
        agencies, and for a personal mailbox a competent official still in post.

        The rule (`Mailbox.meets_publication_rule`) is stored in `is_public` by every write,
        so that the public side reads one column of one table, without joins."""
        return self.filter(is_public=True)

    def refresh_public(self):
        """Recompute `is_public` of these mailboxes in one UPDATE, after a change to what the
        rule reads that was not made through `Mailbox.save()` (an agency or official saved,
        a bulk write)."""
        return self.update(is_public=ExpressionWrapper(PUBLICATION_RULE, models.BooleanField()))

    def blocking(self, address, official=None, agency=None):
        """The mailboxes that stop `address` from going to a new owner: an active one, or
        one retired within the quarantine from somebody else. The owner is `official` for a
        personal mailbox (None for a person not yet in the directory), else `agency`."""
        if official is not None:
            same_owner = Q(official=official)
        elif agency is not None:
            same_owner = Q(official__isnull=True, agency=agency)
        else:
            same_owner = Q(pk__in=[])
        return self.filter(address=address).filter(
            Q(status=Mailbox.Status.ACTIVE) | (Q(retired_on__gt=quarantine_start()) & ~same_owner)
        )

    def refresh_search_keys(self, batch_size=1000):
        """Recompute the stored search keys, e.g. after an agency was renamed or moved."""
        mailboxes = list(self.select_related("agency__province", "official"))
        lineage = Agency.objects.in_bulk(
            {pk for mailbox in mailboxes for pk in mailbox.agency.ancestor_ids}
        )
        for mailbox in mailboxes:
            ancestors = [lineage[pk] for pk in mailbox.agency.ancestor_ids if pk in lineage]
            mailbox.search_key = mailbox.build_search_key(ancestors)
        Mailbox.objects.bulk_update(mailboxes, ["search_key"], batch_size=batch_size)


class Mailbox(models.Model):
    class Kind(models.TextChoices):
        AGENCY = "agency", _("agency mailbox")
        PERSONAL = "personal", _("personal mailbox")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    address = AddressField(
        _("address"),
        max_length=254,
        unique=True,
        validators=[validate_mailbox_address],
        help_text=_("Stored in lower case; unique whatever the case, retired addresses included."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AGENCY)
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="mailboxes", verbose_name=_("agency or unit")
    )
    official = models.ForeignKey(
        Official,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="mailboxes",
        verbose_name=_("official"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    published = models.BooleanField(_("published"), default=True)
    is_temporary = models.BooleanField(
        _("temporary non-government address"),
        default=False,
        help_text=_(
            "Directive 34/2008/CT-TTg allows an address outside .gov.vn only for a while, "
            "where there is no infrastructure yet."
        ),
    )
    temporary_reason = models.CharField(
        _("reason for the temporary address"), max_length=255, blank=True
    )
    activated_on = models.DateField(_("active since"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    search_key = models.TextField(editable=False, blank=True)
    # Written by every save and bulk write from `meets_publication_rule`; hidden by default,
    # even for a row some script inserts by hand.
    is_public = models.BooleanField(editable=False, default=False, db_default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_key", "is_public"])

    objects = MailboxQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "address"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        permissions = [
            ("import_mailbox", _("Can import address lists")),
            ("export_mailbox", _("Can export address lists")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(address=Lower("address")), name="mailbox_address_lower_case"
            ),
            models.CheckConstraint(
                condition=Q(kind="personal", official__isnull=False)
                | Q(kind="agency", official__isnull=True),
                name="mailbox_owner_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(address__endswith=GOVERNMENT_DOMAIN_SUFFIX) | Q(is_temporary=True),
                name="mailbox_gov_domain_unless_temporary",
            ),
            models.CheckConstraint(
                condition=Q(is_temporary=False) | ~Q(temporary_reason=""),
                name="mailbox_temporary_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(retired_on__isnull=False),
                name="mailbox_retired_has_date",
            ),
        ]
        indexes = [
            # Public mailboxes in the order of search results, walked when a query has many
            # hits. The search key and agency are key columns (SQLite has no INCLUDE) so that
            # a walk reads the index alone.
            models.Index(
                fields=["kind", "address", "search_key", "agency"],
                condition=Q(is_public=True),
                name="mailbox_public_walk_idx",
            ),
        ]

    def __str__(self):
        return self.address

    def save(self, *args, **kwargs):
        self.temporary_reason = clean(self.temporary_reason)
        ancestors = list(self.agency.ancestors()) if self.agency.ancestor_ids else []
        self.search_key = self.build_search_key(ancestors)
        self.is_public = self.meets_publication_rule()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.agency.get_absolute_url()

    def clean(self):
        errors = {}
        if self.kind == self.Kind.PERSONAL and not self.official_id:
            errors["official"] = ValidationError(
                _("A personal mailbox belongs to an official."), code="personal_needs_official"
            )
        if self.kind == self.Kind.AGENCY and self.official_id:
            errors["official"] = ValidationError(
                _("An agency mailbox belongs to the agency, not to an official."),
                code="agency_has_official",
            )
        if self.official_id and self.agency_id and self.official.agency_id != self.agency_id:
            errors["agency"] = ValidationError(
                _("A personal mailbox belongs to the agency where its official works."),
                code="agency_mismatch",
            )
        if self.address and not is_government_address(self.address) and not self.is_temporary:
            errors["address"] = ValidationError(
                _(
                    "Official addresses end in .gov.vn; mark the address as temporary and give "
                    "the reason if there is no government mail system yet."
                ),
                code="not_government_domain",
            )
        if self.is_temporary and not self.temporary_reason.strip():
            errors["temporary_reason"] = ValidationError(
                _("Give the reason for a temporary non-government address."),
                code="temporary_without_reason",
            )
        if self.status == self.Status.RETIRED and not self.retired_on:
            errors["retired_on"] = ValidationError(
                _("Give the date the mailbox was retired."), code="retired_without_date"
            )
        errors.update(self.owner_change_errors())
        if errors:
            raise ValidationError(errors)

    def owner_change_errors(self):
        """An address in use passes to nobody else, and a retired one only after the
        quarantine: mail for a departed official must never reach a newcomer."""
        before = (
            type(self)
            .objects.filter(pk=self.pk)
            .values("status", "official_id", "agency_id", "retired_on")
            .first()
        )
        if before is None or self.status != self.Status.ACTIVE:
            return {}
        new_owner = before["official_id"] != self.official_id or (
            self.official_id is None and before["agency_id"] != self.agency_id
        )
        if new_owner and before["status"] == self.Status.ACTIVE:
            message = _(
                "An address in use does not pass to someone else: retire it, then request a "
                "new mailbox."
            )
        elif new_owner and before["retired_on"] > quarantine_start():
            message = _(
                "This address was retired on %(date)s and stays with its former owner for "
                "%(months)s months."
            ) % {"date": before["retired_on"], "months": settings.MAILBOX_QUARANTINE_MONTHS}
        else:
            return {}
        return {"official": ValidationError(message, code="owner_change")}

    def meets_publication_rule(self):
        """May citizens see this mailbox? Active and published, its agency public (published
        and not dissolved, and so are the agencies above it), and for a personal mailbox an
        official marked competent and still in post. `PUBLICATION_RULE` says the same in SQL."""
        official = self.official
        return (
            self.status == self.Status.ACTIVE
            and self.published
            and self.agency.is_public
            and (official is None or (official.published and official.is_active))
        )

    @property
    def owner_name(self):
        return self.official.full_name if self.official_id else self.agency.name

    def build_search_key(self, ancestors):
        """Words a citizen may type to find this mailbox: address, owner, position, the
        agency and the agencies above it, the province."""
        official = self.official if self.official_id else None
        return search_key(
            self.address,
            official and official.full_name,
            official and official.position,
            self.agency.name,
            *(ancestor.name for ancestor in ancestors),
            self.agency.province.name,
        )


PUBLICATION_RULE = (
    Q(status=Mailbox.Status.ACTIVE, published=True)
    & Exists(Agency.objects.public().filter(pk=OuterRef("agency_id")))
    & (
        Q(official__isnull=True)
        | Exists(
            Official.objects.filter(published=True, is_active=True, pk=OuterRef("official_id"))
        )
    )
)
"""`Mailbox.meets_publication_rule` as an SQL condition without joins, for an `UPDATE`."""
