"""An agency is public only when the agencies above it are too (`Agency.is_public`).

A unit of an unpublished or dissolved agency stayed on the public pages, with the hidden
agency's name in its URL, breadcrumb and search words. The flag is filled level by level
from the top, then every mailbox's `is_public` is recomputed from it.
"""

from django.db import migrations, models
from django.db.models import Exists, ExpressionWrapper, Max, OuterRef, Q


def fill(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    Mailbox = apps.get_model("agencies", "Mailbox")
    Official = apps.get_model("agencies", "Official")
    shown = Q(published=True, is_active=True)
    Agency.objects.filter(depth=0).update(is_public=ExpressionWrapper(shown, models.BooleanField()))
    deepest = Agency.objects.aggregate(deepest=Max("depth"))["deepest"] or 0
    for depth in range(1, deepest + 1):
        parent_shown = Exists(Agency.objects.filter(pk=OuterRef("parent_id"), is_public=True))
        Agency.objects.filter(depth=depth).update(
            is_public=ExpressionWrapper(shown & parent_shown, models.BooleanField())
        )
    rule = (
        Q(status="active", published=True)
        & Exists(Agency.objects.filter(pk=OuterRef("agency_id"), is_public=True))
        & (
            Q(official__isnull=True)
            | Exists(Official.objects.filter(pk=OuterRef("official_id"), published=True,
                                             is_active=True))
        )
    )
    Mailbox.objects.update(is_public=ExpressionWrapper(rule, models.BooleanField()))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0007_search_word_index")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="is_public",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
