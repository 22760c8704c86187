"""Who may do what, and where: the roles of staff users."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .agency import Agency
from .divisions import Province


class Role(models.Model):
    """A staff user's role and its scope. A user may hold several roles; their scopes add up.

    Each kind of role has a permission group of the same name (created by a migration):
    the group says what the user may do, the role says on which records.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national administrator")
        PROVINCE_IT = "province_it", _("provincial IT staff")
        FOCAL = "focal", _("agency focal officer")

    GROUP_NAMES = {
        Kind.NATIONAL: "Quản trị quốc gia",
        Kind.PROVINCE_IT: "Trung tâm Tin học tỉnh",
        Kind.FOCAL: "Cán bộ đầu mối",
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="directory_roles",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("role"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        Province,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("province"),
        help_text=_("For provincial IT staff."),
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("agency"),
        help_text=_("For a focal officer: the agency and its units."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="national", province__isnull=True, agency__isnull=True)
                | Q(kind="province_it", province__isnull=False, agency__isnull=True)
                | Q(kind="focal", province__isnull=True, agency__isnull=False),
                name="role_scope_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.province or self.agency or _('all provinces')}"

    def save(self, *args, **kwargs):
        """Saving a role also gives the user admin access and the role's permission group."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            group, _created = Group.objects.get_or_create(name=self.GROUP_NAMES[self.kind])
            self.user.groups.add(group)
            if not self.user.is_staff:
                self.user.is_staff = True
                self.user.save(update_fields=["is_staff"])

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            if not self.user.directory_roles.filter(kind=self.kind).exists():
                self.user.groups.remove(*Group.objects.filter(name=self.GROUP_NAMES[self.kind]))
        return result


def roles_of(user):
    """The user's roles, read once per request object."""
    if not hasattr(user, "_directory_roles"):
        user._directory_roles = (
            list(user.directory_roles.select_related("agency")) if user.is_authenticated else []
        )
    return user._directory_roles


def is_national(user):
    return user.is_active and (
        user.is_superuser or any(role.kind == Role.Kind.NATIONAL for role in roles_of(user))
    )


def can_decide(user, agency):
    """May the user approve, reject and complete requests of this agency? Only the IT
    staff of its province, or a national administrator."""
    return user.is_active and (
        is_national(user)
        or any(
            role.kind == Role.Kind.PROVINCE_IT and role.province_id == agency.province_id
            for role in roles_of(user)
        )
    )
