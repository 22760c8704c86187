"""Arranging a flat list of agencies as the tree a citizen browses."""

from agencies.models import Agency
from agencies.text import fold


def agency_tree(agencies):
    """Return the top-level agencies of `agencies`, each with `units`: its children found in
    the same list, recursively; everything sorted by name as a Vietnamese reader expects."""
    agencies = sorted(agencies, key=lambda agency: fold(agency.name))
    by_id = {agency.pk: agency for agency in agencies}
    roots = []
    for agency in agencies:
        agency.units = []
    for agency in agencies:
        parent = by_id.get(agency.parent_id)
        (parent.units if parent else roots).append(agency)
    return roots


def group_by_kind(agencies):
    """[(kind label, agencies of that kind)], in the order of `Agency.Kind`, none empty."""
    groups = {kind: [] for kind in Agency.Kind}
    for agency in agencies:
        groups[agency.kind].append(agency)
    return [(kind.label, members) for kind, members in groups.items() if members]
