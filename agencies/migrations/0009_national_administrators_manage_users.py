"""National administrators create staff accounts and give them roles: they need the user
permissions too (the role form's user picker asks for them)."""

from django.db import migrations

CODENAMES = ["view_user", "add_user", "change_user"]


def grant(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Quản trị quốc gia").first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="auth", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="Quản trị quốc gia").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="auth", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0008_agency_public_with_ancestors")]

    operations = [migrations.RunPython(grant, revoke)]
