from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import scope
from ..models import Agency, Commune, Mailbox, MailDomain, Official, Province
from ..text import search_words
from .address_lists import AddressListAdminMixin
from .scoping import HistoryAdmin, ScopedAdminMixin


class FoldedSearchMixin:
    """Admin search over the stored `search_key`: with or without diacritics, any case,
    every word matching the beginning of a word, as on the public site."""

    search_fields = ["search_key"]

    def get_search_results(self, request, queryset, search_term):
        for word in search_words(search_term):
            queryset = queryset.filter(search_key__contains=f" {word}")
        return queryset, False


class MailDomainInline(admin.TabularInline):
    model = MailDomain
    extra = 0


@admin.register(Province)
class ProvinceAdmin(HistoryAdmin):
    list_display = ["code", "name", "division_type", "naming_pattern", "domain_list"]
    fields = ["code", "name", "full_name", "division_type", "slug", "naming_pattern"]
    readonly_fields = ["code", "name", "full_name", "division_type", "slug"]
    search_fields = ["name", "slug", "code"]
    inlines = [MailDomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or scope.provinces_for(request.user).contains(obj))

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("mail domains"))
    def domain_list(self, province):
        return ", ".join(domain.name for domain in province.domains.all())


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """Reference data from the vietnam-provinces package: read only."""

    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["division_type", "province"]
    search_fields = ["name", "code"]
    list_select_related = ["province"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    scope_prefix = ""
    list_display = ["tree_name", "code", "kind", "province", "published", "is_active"]
    list_filter = ["province", "kind", "published", "is_active"]
    list_select_related = ["province"]
    ordering = ["province", "path_slug"]
    autocomplete_fields = ["parent", "commune"]
    fieldsets = [
        (None, {"fields": ["province", "parent", "name", "slug", "code", "kind", "commune"]}),
        (_("Contact"), {"fields": ["website", "phone", "postal_address"]}),
        (_("Publication"), {"fields": ["published", "is_active"]}),
    ]

    @admin.display(description=_("name"), ordering="path_slug")
    def tree_name(self, agency):
        return f"{'— ' * agency.depth}{agency.name}"


@admin.register(Official)
class OfficialAdmin(ScopedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    list_display = ["full_name", "position", "agency", "published", "is_active"]
    list_filter = ["published", "is_active", "agency__province"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


@admin.register(Mailbox)
class MailboxAdmin(AddressListAdminMixin, ScopedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    list_display = [
        "address",
        "kind",
        "owner_name",
        "agency",
        "status",
        "published",
        "is_temporary",
    ]
    list_filter = ["status", "kind", "published", "is_temporary", "agency__province"]
    list_select_related = ["agency", "official"]
    autocomplete_fields = ["agency", "official"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["address", "kind", "agency", "official"]}),
        (_("Status"), {"fields": ["status", "published", "activated_on", "retired_on"]}),
        (_("Temporary non-government address"), {"fields": ["is_temporary", "temporary_reason"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        """An address is never renamed: the old one would be free at once, with no record
        of its retirement. Retire it and request a new one instead."""
        return ["address"] if obj is not None else []

    @admin.display(description=_("owner"))
    def owner_name(self, mailbox):
        return mailbox.owner_name
