from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from ..models import Role
from .scoping import HistoryAdmin

User = get_user_model()


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["agency"]

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("agencies.change_role")


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ["user", "kind", "province", "agency"]
    list_filter = ["kind", "province"]
    list_select_related = ["user", "province", "agency"]
    search_fields = ["user__username", "user__email", "agency__name"]
    autocomplete_fields = ["user", "agency"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Users with their directory roles on the same page."""

    inlines = [RoleInline]
