"""Separate permissions for importing and exporting address lists, given to every role."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Cán bộ đầu mối", "Trung tâm Tin học tỉnh", "Quản trị quốc gia"]
CODENAMES = ["import_mailbox", "export_mailbox"]


def grant(apps, schema_editor):
    """Focal officers, IT staff and national administrators import and export lists."""
    app_config = apps.get_app_config("agencies")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="agencies", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="agencies", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0004_permission_groups'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='mailbox',
            options={'ordering': ['kind', 'address'], 'permissions': [('import_mailbox', 'Can import address lists'), ('export_mailbox', 'Can export address lists')], 'verbose_name': 'mailbox', 'verbose_name_plural': 'mailboxes'},
        ),
        migrations.RunPython(grant, revoke),
    ]
