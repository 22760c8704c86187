"""Administrative divisions since 1 July 2025: 34 provinces and 3,321 communes."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..addresses import NamingPattern


class ProvinceQuerySet(models.QuerySet):
    def find(self, code_or_slug):
        """The province with this official code (`80`) or slug (`tay-ninh`), or None."""
        return self.filter(Q(code=code_or_slug) | Q(slug=code_or_slug)).first()


class Province(models.Model):
    class DivisionType(models.TextChoices):
        PROVINCE = "tỉnh", _("province")
        CITY = "thành phố trung ương", _("centrally-run city")

    code = models.CharField(_("official code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    full_name = models.CharField(_("full name"), max_length=120)
    division_type = models.CharField(_("type"), max_length=30, choices=DivisionType.choices)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    naming_pattern = models.CharField(
        _("naming pattern"),
        max_length=30,
        choices=NamingPattern.choices,
        default=NamingPattern.GIVEN_INITIALS,
        help_text=_("How new personal addresses are proposed from an official's name."),
    )
    history = HistoricalRecords()

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:province", args=[self.slug])

    @property
    def primary_domain(self):
        """The domain new addresses are made on; `None` before one is configured."""
        return next((domain for domain in self.domains.all() if domain.is_primary), None)


class MailDomain(models.Model):
    """A mail domain of a province: the one in use, or one kept from a merged province."""

    province = models.ForeignKey(
        Province, models.PROTECT, related_name="domains", verbose_name=_("province")
    )
    name = models.CharField(_("domain"), max_length=100, unique=True)
    is_primary = models.BooleanField(
        _("primary"), default=False, help_text=_("New addresses are made on the primary domain.")
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For example: domain of Long An province before 1 July 2025."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["province", "-is_primary", "name"]
        verbose_name = _("mail domain")
        verbose_name_plural = _("mail domains")
        constraints = [
            models.UniqueConstraint(
                fields=["province"],
                condition=Q(is_primary=True),
                name="maildomain_one_primary_per_province",
            ),
            models.CheckConstraint(
                condition=Q(name=models.functions.Lower("name")), name="maildomain_name_lower"
            ),
        ]

    def __str__(self):
        return self.name


class Commune(models.Model):
    class DivisionType(models.TextChoices):
        COMMUNE = "xã", _("commune")
        WARD = "phường", _("ward")
        SPECIAL_ZONE = "đặc khu", _("special zone")

    code = models.CharField(_("official code"), max_length=5, unique=True)
    province = models.ForeignKey(
        Province, models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)
    division_type = models.CharField(_("type"), max_length=10, choices=DivisionType.choices)

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name
