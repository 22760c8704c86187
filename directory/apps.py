from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Public directory")

    def ready(self):
        from agencies.models import Agency, Mailbox, MailDomain, Official, Province
        from agencies.signals import directory_changed

        from .cache import record_changed

        # Bulk writes (imports) announce themselves once, after their transaction.
        directory_changed.connect(record_changed, dispatch_uid="directory-cache:bulk")

        # Any saved or deleted record that a public page may show forgets every cached page.
        for model in (Province, MailDomain, Agency, Official, Mailbox):
            for signal, event in ((post_save, "saved"), (post_delete, "deleted")):
                signal.connect(
                    record_changed,
                    sender=model,
                    dispatch_uid=f"directory-cache:{model._meta.label}:{event}",
                )
