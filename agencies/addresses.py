"""Proposing short, easy-to-remember addresses from a Vietnamese name.

The provincial directives ask for names that are short and easy to remember. A Vietnamese
full name is family name, middle name(s), given name: `Nguyễn Minh Tân`. Each province
chooses one naming pattern; proposals start with that pattern and go on with the others, so
that a collision still leaves short choices before numbered ones (`tannm2`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import search_words


class NamingPattern(models.TextChoices):
    GIVEN_INITIALS = "given_initials", _("given name + initials: tannm")
    MIDDLE_GIVEN = "middle_given", _("last middle name + given name: minhtan")
    GIVEN_DOT_FAMILY = "given_dot_family", _("given name . family name: tan.nguyen")
    INITIALS_GIVEN = "initials_given", _("initials + given name: nmtan")


def local_parts(full_name, pattern=NamingPattern.GIVEN_INITIALS):
    """The local parts a name gives, the province's pattern first, without duplicates."""
    words = search_words(full_name)
    if not words:
        return []
    given, family, middles = words[-1], words[0], words[1:-1]
    if len(words) == 1:
        return [given]
    initials = "".join(word[0] for word in words[:-1])
    shapes = {
        NamingPattern.GIVEN_INITIALS: f"{given}{initials}",
        NamingPattern.MIDDLE_GIVEN: f"{middles[-1] if middles else family}{given}",
        NamingPattern.GIVEN_DOT_FAMILY: f"{given}.{family}",
        NamingPattern.INITIALS_GIVEN: f"{initials}{given}",
    }
    ordered = [shapes[pattern], *(shape for key, shape in shapes.items() if key != pattern)]
    return list(dict.fromkeys(ordered))


def agency_local_part(agency_name):
    """Initials of an agency's name: `Sở Nội vụ` gives `snv`."""
    return "".join(word[0] for word in search_words(agency_name))


def propose(local_candidates, domain, unavailable, count=4):
    """Up to `count` free addresses on `domain`: each candidate as it is, then numbered.

    `unavailable` is anything supporting `in`: a set of addresses for bulk work, or
    `agencies.models.mailbox.UnavailableAddresses`, which asks the database.
    """
    proposals = []
    for number in range(1, 100):
        for local in local_candidates:
            address = f"{local}{number if number > 1 else ''}@{domain}"
            if address not in unavailable and address not in proposals:
                proposals.append(address)
                if len(proposals) == count:
                    return proposals
    return proposals
