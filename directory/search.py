"""Search of the public directory.

A record matches when every word of the query begins a word of its stored search key
(address, owner, position, agency and the agencies above it, province), in any order.
Query and key are folded by the same function, so the answer is the same on SQLite and
PostgreSQL; on PostgreSQL a trigram GIN index serves the `LIKE '% word%'` filters.
"""

from agencies.models import Agency, Mailbox
from agencies.text import search_words

MAX_QUERY_WORDS = 8


def search_mailboxes(query, province=None):
    """Public mailboxes matching `query`, agencies' own mailboxes first."""
    words = search_words(query)[:MAX_QUERY_WORDS]
    if not words:
        return Mailbox.objects.none()
    mailboxes = Mailbox.objects.public()
    for word in words:
        mailboxes = mailboxes.filter(search_key__contains=f" {word}")
    if province is not None:
        mailboxes = mailboxes.filter(agency__province=province)
    return mailboxes.select_related("agency__province", "official").order_by("kind", "address")


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
