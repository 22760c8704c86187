"""Publication stored on the mailbox, and the folded agency name, for search without joins.

`Mailbox.is_public` holds the publication rule (`Mailbox.meets_publication_rule`): every
write keeps it; this migration computes it once for the rows already there, as
`MailboxQuerySet.refresh_public()` does. `Agency.name_key` is the agency's folded name, which
ranks an agency's own mailbox first when a query equals its name.

The partial index on (kind, address, …) WHERE is_public gives search results in their stable
order without sorting every hit. It is built after the back-fill, so that it is built once.
"""

from collections import defaultdict

from django.db import migrations, models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q

from agencies.text import search_words


def fill(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    Official = apps.get_model("agencies", "Official")
    Mailbox = apps.get_model("agencies", "Mailbox")
    by_key = defaultdict(list)  # many units share a name: one UPDATE per name
    for pk, name in Agency.objects.order_by().values_list("pk", "name").iterator():
        by_key[" ".join(search_words(name))].append(pk)
    for name_key, pks in by_key.items():
        Agency.objects.filter(pk__in=pks).update(name_key=name_key)
    rule = (
        Q(status="active", published=True)
        & Exists(Agency.objects.filter(pk=OuterRef("agency_id"), published=True, is_active=True))
        & (
            Q(official__isnull=True)
            | Exists(
                Official.objects.filter(pk=OuterRef("official_id"), published=True, is_active=True)
            )
        )
    )
    Mailbox.objects.update(is_public=ExpressionWrapper(rule, output_field=models.BooleanField()))


class Migration(migrations.Migration):
    dependencies = [("agencies", "0005_import_export_permissions")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="name_key",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="mailbox",
            name="is_public",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="agency",
            index=models.Index(fields=["name_key"], name="agency_name_key_idx"),
        ),
        migrations.AddIndex(
            model_name="mailbox",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=["kind", "address", "search_key", "agency"],
                name="mailbox_public_walk_idx",
            ),
        ),
    ]
