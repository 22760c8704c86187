"""Loading the 34 provinces and 3,321 communes from the `vietnam-provinces` package.

Loading is idempotent: codes are the keys, names are updated, and mail domains an operator
has set are never overwritten. Provinces merged on 1 July 2025 keep their former domains as
secondary domains of the province they joined (`data/former_provinces.csv`).
"""

import csv
import json
from pathlib import Path

import vietnam_provinces
from django.db import transaction

from .models import Commune, MailDomain, Province
from .text import clean, vietnamese_slug

FORMER_PROVINCES = Path(__file__).parent / "data" / "former_provinces.csv"
PRIMARY_DOMAIN_EXCEPTIONS = {"79": "hochiminhcity.gov.vn"}
CITY_PREFIX = "Thành phố "


def primary_domain_for(code, codename):
    return PRIMARY_DOMAIN_EXCEPTIONS.get(code, f"{codename.replace('_', '')}.gov.vn")


@transaction.atomic
def load_divisions():
    """Create or update every province and commune; return (provinces, communes) counts."""
    divisions = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text("utf-8"))
    communes = 0
    for entry in divisions:
        code = f"{entry['code']:02d}"
        full_name = clean(entry["name"])
        name = full_name.removeprefix(CITY_PREFIX)
        province = save_if_changed(
            Province.objects.filter(code=code).first() or Province(code=code),
            name=name,
            full_name=full_name if full_name != name else f"Tỉnh {name}",
            division_type=entry["division_type"],
            slug=vietnamese_slug(name),
        )
        if not province.domains.filter(is_primary=True).exists():
            MailDomain.objects.get_or_create(
                name=primary_domain_for(code, entry["codename"]),
                defaults={"province": province, "is_primary": True},
            )
        communes += load_communes(province, entry["wards"])
    load_former_domains()
    return len(divisions), communes


def save_if_changed(instance, **values):
    """Save only what differs, so a re-run writes no history rows."""
    if instance.pk is None or any(getattr(instance, k) != v for k, v in values.items()):
        for field, value in values.items():
            setattr(instance, field, value)
        instance.save()
    return instance


def load_communes(province, wards):
    existing = {commune.code: commune for commune in province.communes.all()}
    new, changed = [], []
    for ward in wards:
        code, name = f"{ward['code']:05d}", clean(ward["name"])
        commune = existing.get(code)
        if commune is None:
            new.append(
                Commune(
                    code=code, province=province, name=name, division_type=ward["division_type"]
                )
            )
        elif (commune.name, commune.division_type) != (name, ward["division_type"]):
            commune.name, commune.division_type = name, ward["division_type"]
            changed.append(commune)
    Commune.objects.bulk_create(new)
    Commune.objects.bulk_update(changed, ["name", "division_type"])
    return len(wards)


def load_former_domains():
    provinces = {province.code: province for province in Province.objects.all()}
    with FORMER_PROVINCES.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            MailDomain.objects.get_or_create(
                name=row["domain"],
                defaults={
                    "province": provinces[row["province_code"]],
                    "note": f"Tỉnh {row['former_province']} trước ngày 01/7/2025",
                },
            )
