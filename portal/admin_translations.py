"""Words of Django's admin and django-simple-history whose Vietnamese we correct or supply.

Django's own Vietnamese calls the history page "Bản ghi nhớ" (memo), and django-simple-
history has no Vietnamese at all. Marking the strings here keeps them in locale/vi through
`makemessages`; the project's translations take precedence over the packages' own.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN_STRINGS = [
    gettext_noop("History"),
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("None"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Change History"),
    gettext_noop("Revert"),
    gettext_noop("Close"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
]
