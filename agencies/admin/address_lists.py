from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin

from ..exporting import download
from ..resources import AddressListFormat, AddressListResource


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("xlsx", _("Excel workbook (.xlsx)")),
            ("csv", _("CSV, UTF-8 (.csv)")),
            ("vcf", _("Contacts for phones and mail clients (vCard 4, .vcf)")),
            ("json", _("JSON (.json)")),
        ],
    )


class AddressListAdminMixin(ImportMixin):
    """Upload an address list (preview, then confirm) and download one, each with its own
    permission, within the user's scope (the admin's queryset)."""

    resource_classes = [AddressListResource]
    skip_admin_log = True  # django-simple-history records every imported row
    import_template_name = "admin/agencies/mailbox/import.html"
    import_export_change_list_template = "admin/agencies/mailbox/change_list.html"

    def get_import_formats(self):
        return [AddressListFormat]

    def add_data_read_fail_error_to_form(self, form, error):
        """Say what is wrong with the file, in words a clerk can act on."""
        if isinstance(error, ValidationError):
            form.add_error("import_file", error.messages)
        else:
            form.add_error("import_file", _("The file cannot be read as an address list."))

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="agencies_mailbox_export",
        )
        return [export, *super().get_urls()]

    def has_export_permission(self, request):
        return request.user.has_perm("agencies.export_mailbox")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_export_permission": self.has_export_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        """Every active mailbox in the user's scope, published or not."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET or None)
        if form.is_valid():
            return download(
                self.get_queryset(request), form.cleaned_data["file_format"], "danh-ba-thu-dien-tu"
            )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Download the address list"),
        }
        return TemplateResponse(request, "admin/agencies/mailbox/export.html", context)
