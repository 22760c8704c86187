from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, Commune, Mailbox, MailDomain, Official, Province
from .text import search_words


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
class ProvinceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "division_type", "domain_list"]
    search_fields = ["name", "slug", "code"]
    inlines = [MailDomainInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description=_("mail domains"))
    def domain_list(self, province):
        return ", ".join(domain.name for domain in province.domains.all())


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["division_type", "province"]
    search_fields = ["name", "code"]
    list_select_related = ["province"]


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
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
class OfficialAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "position", "agency", "published", "is_active"]
    list_filter = ["published", "is_active", "agency__province"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


@admin.register(Mailbox)
class MailboxAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
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

    @admin.display(description=_("owner"))
    def owner_name(self, mailbox):
        return mailbox.owner_name
