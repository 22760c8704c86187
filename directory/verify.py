"""Is this address official? The answer to a citizen holding a suspicious e-mail.

The directory knows every address it ever issued, published or not, so it can say whether an
address is active, retired or unknown. What it says about the owner goes through the public
door only: an address that is not public is confirmed with its agency's province alone, never
with the person or the agency behind it.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Mailbox
from agencies.validators import is_government_address


@dataclass(frozen=True)
class Verdict:
    ACTIVE, RETIRED, UNKNOWN = "active", "retired", "unknown"

    address: str
    status: str
    agency: Agency | None = None  # public agencies only
    province: str | None = None
    name: str | None = None  # the owner, when published
    retired_on: datetime.date | None = None
    write_to: str | None = None  # a public agency mailbox to write to instead
    temporary: bool = False  # an active, temporary non-government address

    @property
    def government(self):
        return is_government_address(self.address)

    @property
    def advice(self):
        """What to do about mail from this address, in plain words."""
        if self.status == self.ACTIVE and self.temporary:
            return _(
                "This is a temporary address that a state agency uses while it has no "
                "government mail system yet. Official mail normally comes from addresses "
                "ending in .gov.vn."
            )
        if self.status == self.ACTIVE:
            return _(
                "This is an official address. Mail from it still deserves care: a state agency "
                "never asks for your password or for money by e-mail, and the sender's address "
                "can be forged, so when in doubt answer by writing to the address yourself."
            )
        if self.status == self.RETIRED and self.write_to:
            return _(
                "This address no longer belongs to anyone in the agency. Treat new mail from it "
                "as suspicious, and write to %(write_to)s instead."
            ) % {"write_to": self.write_to}
        if self.status == self.RETIRED:
            return _(
                "This address no longer belongs to anyone in the agency. Treat new mail from it "
                "as suspicious."
            )
        if not self.government:
            return _(
                "This is not a government address. Official mail from state agencies comes from "
                "addresses ending in .gov.vn; do not trust mail that claims to come from an "
                "agency but is sent from another address."
            )
        return _(
            "This address is not in the directory. It may be mistyped or forged: do not open "
            "links or attachments in its mail, and check with the agency at its published "
            "address."
        )

    def as_json(self):
        """The answer of `GET /api/v1/verify` (documented in the README)."""
        return {
            "address": self.address,
            "status": self.status,
            "agency": self.agency.name if self.agency else None,
            "province": self.province,
            "name": self.name,
            "retired_on": self.retired_on.isoformat() if self.retired_on else None,
            "write_to": self.write_to,
        }


def verify_address(address):
    """The verdict on `address`, already normalised (NFC, trimmed, lower case)."""
    mailbox = (
        Mailbox.objects.filter(address=address)
        .select_related("agency__province", "official")
        .first()
    )
    if mailbox is None:
        return Verdict(address, Verdict.UNKNOWN)
    province = mailbox.agency.province.name
    if mailbox.status == Mailbox.Status.ACTIVE:
        if not mailbox.is_public:
            return Verdict(address, Verdict.ACTIVE, province=province)
        return Verdict(
            address,
            Verdict.ACTIVE,
            agency=mailbox.agency,
            province=province,
            name=mailbox.owner_name,
            temporary=mailbox.is_temporary,
        )
    if not (mailbox.published and (mailbox.official is None or mailbox.official.published)):
        # Never published: its agency would say whose it was.
        return Verdict(address, Verdict.RETIRED, province=province, retired_on=mailbox.retired_on)
    agency, write_to = nearest_agency_mailbox(mailbox.agency)
    return Verdict(
        address,
        Verdict.RETIRED,
        agency=agency,
        province=province,
        retired_on=mailbox.retired_on,
        write_to=write_to,
    )


def nearest_agency_mailbox(agency):
    """(`agency` when it is public, else None; the public agency mailbox of `agency` or of
    the nearest public agency above it, else None). Two queries."""
    lineage = [*agency.ancestor_ids, agency.pk]
    public_ids = set(Agency.objects.public().filter(pk__in=lineage).values_list("pk", flat=True))
    mailboxes = {}
    for agency_id, address in (
        Mailbox.objects.public()
        .filter(kind=Mailbox.Kind.AGENCY, agency__in=lineage)
        .order_by("is_temporary", "address")  # a .gov.vn address before a temporary one
        .values_list("agency_id", "address")
    ):
        mailboxes.setdefault(agency_id, address)
    write_to = next((mailboxes[pk] for pk in reversed(lineage) if pk in mailboxes), None)
    return (agency if agency.pk in public_ids else None), write_to
