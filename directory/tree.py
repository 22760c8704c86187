"""Arranging a flat list of agencies as the tree a citizen browses."""

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
