"""The records a staff user may see and act on, by role.

National administrators (and superusers) see everything; provincial IT staff their
province; a focal officer their agency and its units. Every admin queryset, every form's
choices, every object URL and every import goes through these functions.
"""

from django.db.models import Q

from .models import Agency, Mailbox, Official, Province, Role
from .models.roles import is_national, roles_of


def agency_filter(user, prefix=""):
    """A Q object selecting the agencies (through `prefix`, e.g. "agency__") in the scope."""
    if is_national(user):
        return Q()
    scope = Q(pk__in=[])
    for role in roles_of(user) if user.is_active else []:
        if role.kind == Role.Kind.PROVINCE_IT:
            scope |= Q(**{f"{prefix}province_id": role.province_id})
        elif role.kind == Role.Kind.FOCAL:
            scope |= Q(**{f"{prefix}pk": role.agency_id}) | Q(
                **{f"{prefix}ancestor_path__startswith": role.agency.descendant_prefix}
            )
    return scope


def agencies_for(user):
    return Agency.objects.filter(agency_filter(user))


def officials_for(user):
    return Official.objects.filter(agency_filter(user, "agency__"))


def mailboxes_for(user):
    return Mailbox.objects.filter(agency_filter(user, "agency__"))


def active_mailboxes_for(user):
    return mailboxes_for(user).filter(status=Mailbox.Status.ACTIVE)


def provinces_for(user):
    """Provinces the user may manage as IT staff (all, for a national administrator)."""
    if is_national(user):
        return Province.objects.all()
    return Province.objects.filter(
        pk__in=[role.province_id for role in roles_of(user) if role.kind == Role.Kind.PROVINCE_IT]
    )
