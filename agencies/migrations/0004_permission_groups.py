"""The permission group of each role (see Role.GROUP_NAMES): what each kind of user may do.

Nobody is given a delete permission: mailboxes, officials, agencies and requests are retired
or closed, never deleted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FOCAL = [
    "view_province",
    "view_commune",
    "view_maildomain",
    "view_agency",
    "view_official",
    "view_mailbox",
    "add_mailboxrequest",
    "view_mailboxrequest",
]
PROVINCE_IT = [
    *FOCAL,
    "change_province",
    "add_agency",
    "change_agency",
    "add_official",
    "change_official",
    "add_mailbox",
    "change_mailbox",
    "decide_mailboxrequest",
]
NATIONAL = [
    *PROVINCE_IT,
    "add_maildomain",
    "change_maildomain",
    "add_role",
    "change_role",
    "view_role",
]
GROUPS = {
    "Cán bộ đầu mối": FOCAL,
    "Trung tâm Tin học tỉnh": PROVINCE_IT,
    "Quản trị quốc gia": NATIONAL,
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="agencies", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_roles_and_requests"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
