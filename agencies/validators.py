"""Shapes that identifiers must have, checked by forms, imports and the admin alike."""

import os
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

AGENCY_CODE_MAX_LENGTH = 35
AGENCY_CODE = re.compile(r"[0-9A-Z]+(\.[0-9A-Z]+)*")

# Official mailboxes are plain ASCII: letters, digits and . _ - + in the local part.
MAILBOX_ADDRESS = re.compile(
    r"[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}"
)
GOVERNMENT_DOMAIN_SUFFIX = ".gov.vn"


def validate_agency_code(value):
    """Electronic identifier (Decision 20/2020/QĐ-TTg): groups of 0-9A-Z joined by dots."""
    if len(value) > AGENCY_CODE_MAX_LENGTH or not AGENCY_CODE.fullmatch(value):
        raise ValidationError(
            _(
                "“%(value)s” is not an electronic identifier: use at most 35 characters, "
                "groups of digits and capital letters separated by dots, e.g. 000.00.31.H56."
            ),
            code="invalid_agency_code",
            params={"value": value},
        )


def validate_mailbox_address(value):
    if not MAILBOX_ADDRESS.fullmatch(value) or ".." in value or len(value) > 254:
        raise ValidationError(
            _("“%(value)s” is not a valid e-mail address."),
            code="invalid_address",
            params={"value": value},
        )


def is_government_address(address):
    return address.endswith(GOVERNMENT_DOMAIN_SUFFIX)


LETTER_SIGNATURES = {b"%PDF-": "PDF", b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
LETTER_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg"}


def validate_letter_scan(file):
    """A scan of a letter: PDF, PNG or JPEG by its content, not only its name; not too big."""
    if file.size > settings.LETTER_SCAN_MAX_BYTES:
        raise ValidationError(
            _("The scan is %(size)s MB; the limit is %(limit)s MB."),
            code="scan_too_large",
            params={
                "size": round(file.size / 1_048_576, 1),
                "limit": round(settings.LETTER_SCAN_MAX_BYTES / 1_048_576, 1),
            },
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    extension = os.path.splitext(file.name)[1].lower()
    if extension not in LETTER_EXTENSIONS or not any(map(head.startswith, LETTER_SIGNATURES)):
        raise ValidationError(
            _("Attach the letter as a PDF, PNG or JPEG file."), code="scan_wrong_type"
        )
