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
    # django-import-export has no Vietnamese.
    gettext_noop("Import"),
    gettext_noop("File to import"),
    gettext_noop("Format"),
    gettext_noop("Submit"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, "
        "click 'Confirm import'"
    ),
    gettext_noop("Confirm import"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop(
        "Please correct these errors in your data where possible, then reupload it using the "
        "form above."
    ),
    gettext_noop("Non field specific"),
    gettext_noop("Preview"),
    gettext_noop("Row"),
    gettext_noop("New"),
    gettext_noop("Skipped"),
    gettext_noop("Update"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
]
