"""The demo directory that `make run` shows (`fixtures/demo.json`).

Loading is idempotent: agencies are matched by electronic identifier, officials by agency
and name, mailboxes by address; running it twice changes nothing.
"""

import datetime
import json

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Agency, Commune, Mailbox, Official, Province, Role


@transaction.atomic
def load_demo(path):
    data = json.loads(path.read_text("utf-8"))
    for entry in data["provinces"]:
        province = Province.objects.get(code=entry["code"])
        for agency in entry["agencies"]:
            load_agency(province, None, agency)
    return Agency.objects.count(), Mailbox.objects.count()


def load_agency(province, parent, entry):
    commune = entry.get("commune")
    agency, _ = Agency.objects.get_or_create(
        code=entry["code"],
        defaults={
            "province": province,
            "parent": parent,
            "name": entry["name"],
            "kind": entry["kind"],
            "website": entry.get("website", ""),
            "phone": entry.get("phone", ""),
            "postal_address": entry.get("postal_address", ""),
            "is_active": entry.get("is_active", True),
            "commune": Commune.objects.get(province=province, name=commune) if commune else None,
        },
    )
    for address in entry.get("mailboxes", []):
        Mailbox.objects.get_or_create(
            address=address, defaults={"agency": agency, "kind": Mailbox.Kind.AGENCY}
        )
    for person in entry.get("officials", []):
        load_official(agency, person)
    for unit in entry.get("units", []):
        load_agency(province, agency, unit)


def load_official(agency, entry):
    retired_on = entry.get("retired_on")
    official, _ = Official.objects.get_or_create(
        agency=agency,
        full_name=entry["full_name"],
        defaults={
            "position": entry["position"],
            "published": entry["published"],
            "is_active": retired_on is None,
        },
    )
    Mailbox.objects.get_or_create(
        address=entry["address"],
        defaults={
            "agency": agency,
            "official": official,
            "kind": Mailbox.Kind.PERSONAL,
            "published": entry["published"],
            "status": Mailbox.Status.RETIRED if retired_on else Mailbox.Status.ACTIVE,
            "retired_on": datetime.date.fromisoformat(retired_on) if retired_on else None,
        },
    )


DEMO_PASSWORD = "thu-nghiem-2026"
DEMO_STAFF = [
    ("quantri", Role.Kind.NATIONAL, None, None),
    ("tinhoc.tayninh", Role.Kind.PROVINCE_IT, "80", None),
    ("daumoi.sotttt", Role.Kind.FOCAL, None, "000.31.00.H37"),
]


@transaction.atomic
def load_demo_staff():
    """Demo accounts, one per role, all with DEMO_PASSWORD: for a development machine only."""
    User = get_user_model()
    for username, kind, province_code, agency_code in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.gov.vn"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            Role.objects.create(
                user=user,
                kind=kind,
                province=Province.objects.get(code=province_code) if province_code else None,
                agency=Agency.objects.get(code=agency_code) if agency_code else None,
            )
    return [username for username, *_ in DEMO_STAFF]
