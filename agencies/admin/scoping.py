from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .. import scope


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, closed where it is too open for us.

    Its history view falls back to a record's last historical version when the record is
    not in the admin's queryset, which would show another agency's history; and its
    version view saves a posted form (a revert) whatever the user's rights. Here history
    is shown only for records the user can see, and never reverted: changes go through the
    change form or a request.
    """

    def history_view(self, request, object_id, extra_context=None):
        self.get_visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        self.get_visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def get_visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj


class ScopedAdminMixin:
    """Limit an admin's rows, and the choices of its forms, to the user's scope.

    Out-of-scope rows are absent from the queryset, so listing, opening or posting to them
    by URL finds nothing, as for a record that does not exist.
    """

    scope_prefix = "agency__"
    scoped_choices = {
        "agency": scope.agencies_for,
        "new_agency": scope.agencies_for,
        "parent": scope.agencies_for,
        "official": scope.officials_for,
        "mailbox": scope.active_mailboxes_for,
        "province": scope.provinces_for,
    }

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(scope.agency_filter(request.user, self.scope_prefix))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.scoped_choices:
            kwargs["queryset"] = self.scoped_choices[db_field.name](request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        """Records are retired, never deleted."""
        return False
