"""Agencies (cơ quan, đơn vị): a tree per province, from the committee down to its units."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..text import clean, free_slug, search_key, search_words
from ..validators import validate_agency_code
from .divisions import Commune, Province

PATH_SEPARATOR = "/"


class WebsiteField(models.URLField):
    """A URL whose form field reads `tayninh.gov.vn` as `https://tayninh.gov.vn`."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class AgencyQuerySet(models.QuerySet):
    def public(self):
        """Agencies a citizen may see: published and not dissolved, and so is every agency
        above them (a unit of a hidden agency would show the hidden name in its page URL,
        its breadcrumb and its search words). Stored in `is_public` by `Agency.save`."""
        return self.filter(is_public=True)

    def refresh_public(self):
        """Recompute `is_public` of every agency from the top down, after writes that did
        not go through `Agency.save()`; then the mailboxes' flags need refreshing too."""
        shown = Q(published=True, is_active=True)
        deepest = self.aggregate(deepest=models.Max("depth"))["deepest"] or 0
        for depth in range(deepest + 1):
            rule = (
                shown & Q(parent__isnull=True)
                if depth == 0
                else shown
                & models.Exists(
                    Agency.objects.filter(pk=models.OuterRef("parent_id"), is_public=True)
                )
            )
            self.filter(depth=depth).update(
                is_public=models.ExpressionWrapper(rule, models.BooleanField())
            )

    def subtree(self, agency):
        """`agency` and every unit below it, at any depth."""
        return self.filter(Q(pk=agency.pk) | Q(ancestor_path__startswith=agency.descendant_prefix))


class Agency(models.Model):
    """An agency or one of its units.

    The tree is kept as a materialised path of ancestor ids (`/12/45/`) and of slugs
    (`ubnd-tinh/so-noi-vu`), so that a whole subtree, a breadcrumb or a page URL is one
    indexed query, and so that bulk imports can write agencies without a tree library's
    per-node bookkeeping.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry or central agency")
        PROVINCIAL_COMMITTEE = "provincial_committee", _("provincial People's Committee")
        DEPARTMENT = "department", _("department, board or sector")
        COMMUNE_COMMITTEE = "commune_committee", _("commune People's Committee")
        PARTY_MASS = "party_mass", _("party or mass organisation")
        CENTRAL_UNIT = "central_unit", _("central unit located in the province")
        ENTERPRISE = "enterprise", _("state-owned enterprise")
        PUBLIC_SERVICE = "public_service", _("public service unit")
        OTHER = "other", _("other")

    province = models.ForeignKey(
        Province, models.PROTECT, related_name="agencies", verbose_name=_("province")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    code = models.CharField(
        _("electronic identifier"),
        max_length=35,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_agency_code],
        help_text=_("Mã định danh điện tử (Decision 20/2020/QĐ-TTg), e.g. 000.00.31.H56."),
    )
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        blank=True,
        help_text=_("Part of the page address; made from the name when left empty."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    commune = models.ForeignKey(
        Commune,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("commune"),
    )
    website = WebsiteField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=255, blank=True)
    published = models.BooleanField(_("published"), default=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when the unit is dissolved or merged.")
    )
    is_public = models.BooleanField(editable=False, default=False, db_default=False)
    ancestor_path = models.CharField(max_length=255, editable=False, default=PATH_SEPARATOR)
    path_slug = models.CharField(max_length=1000, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    search_key = models.TextField(editable=False, blank=True)
    name_key = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=[
            "search_key",
            "name_key",
            "ancestor_path",
            "path_slug",
            "depth",
            "is_public",
        ]
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["province", "ancestor_path", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["province", "path_slug"], name="agency_unique_path"),
        ]
        indexes = [
            models.Index(fields=["province", "ancestor_path"], name="agency_tree_idx"),
            models.Index(fields=["name_key"], name="agency_name_key_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = clean(self.name)
        if self.parent_id:
            self.province_id = self.parent.province_id
        if not self.slug or self.slug_taken():
            self.slug = self.unique_slug()  # also when a move puts it beside a namesake
        tracked = ["province_id", "ancestor_path", "path_slug", "name"]
        old = type(self).objects.filter(pk=self.pk).values(*tracked, "is_public").first()
        self.place_in_tree()
        self.set_search_keys()
        with transaction.atomic():
            super().save(*args, **kwargs)
            moved = old and any(old[field] != getattr(self, field) for field in tracked)
            if moved or (old and old["is_public"] != self.is_public):
                old_prefix = f"{old['ancestor_path']}{self.pk}{PATH_SEPARATOR}"
                self.refresh_subtree(old_prefix, search_keys=moved)

    def get_absolute_url(self):
        return reverse("directory:agency", args=[self.province.slug, self.path_slug])

    def clean(self):
        if (
            self.parent_id
            and self.pk
            and (
                self.parent_id == self.pk
                or self.parent.descendant_prefix.startswith(self.descendant_prefix)
            )
        ):
            raise ValidationError(
                {
                    "parent": ValidationError(
                        _("An agency cannot be placed under itself or one of its units."),
                        code="tree_cycle",
                    )
                }
            )

    def set_search_keys(self):
        """The folded words search reads: name and identifier, and the name alone (a query
        equal to it ranks the agency's own mailbox first)."""
        self.search_key = search_key(self.name, self.code)
        self.name_key = " ".join(search_words(self.name))

    @property
    def descendant_prefix(self):
        return f"{self.ancestor_path}{self.pk}{PATH_SEPARATOR}"

    @property
    def ancestor_ids(self):
        return [int(part) for part in self.ancestor_path.split(PATH_SEPARATOR) if part]

    def place_in_tree(self):
        """Derive the province, materialised paths, depth and publication from the parent."""
        self.is_public = self.published and self.is_active
        if self.parent_id:
            parent = self.parent
            self.province_id = parent.province_id
            self.ancestor_path = parent.descendant_prefix
            self.path_slug = f"{parent.path_slug}{PATH_SEPARATOR}{self.slug}"
            self.depth = parent.depth + 1
            self.is_public = self.is_public and parent.is_public
        else:
            self.ancestor_path = PATH_SEPARATOR
            self.path_slug = self.slug
            self.depth = 0

    def unique_slug(self):
        """A slug from the name, numbered when a sibling already has it."""
        siblings = type(self).objects.filter(province_id=self.province_id, parent_id=self.parent_id)
        return free_slug(
            self.name, set(siblings.exclude(pk=self.pk).values_list("slug", flat=True))
        )

    def slug_taken(self):
        siblings = type(self).objects.filter(province_id=self.province_id, parent_id=self.parent_id)
        return siblings.filter(slug=self.slug).exclude(pk=self.pk).exists()

    def ancestors(self):
        """The agencies above this one, from the top down."""
        return type(self).objects.filter(pk__in=self.ancestor_ids).order_by("depth")

    def refresh_subtree(self, old_prefix, search_keys=True):
        """After a move, a rename or a change of publication: re-derive the units below
        (found by their `old_prefix`), whether their mailboxes are public, and, unless only
        the publication changed, every search key that names this agency."""
        from .mailbox import Mailbox

        below = list(
            type(self).objects.filter(ancestor_path__startswith=old_prefix).order_by("depth")
        )
        by_id = {self.pk: self}
        for agency in below:
            agency.parent = by_id[agency.parent_id]
            agency.place_in_tree()
            by_id[agency.pk] = agency
        type(self).objects.bulk_update(
            below,
            ["province", "ancestor_path", "path_slug", "depth", "is_public"],
            batch_size=500,
        )
        mailboxes = Mailbox.objects.filter(agency__in=list(by_id))
        if search_keys:
            mailboxes.refresh_search_keys()
        mailboxes.refresh_public()
