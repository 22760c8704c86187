from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..forms import DecisionForm, MailboxRequestForm
from ..models import MailboxRequest
from .scoping import HistoryAdmin, ScopedAdminMixin


@admin.register(MailboxRequest)
class MailboxRequestAdmin(ScopedAdminMixin, HistoryAdmin):
    """The queue: oldest first, with its age. Nobody edits a request once it is filed;
    decisions are the buttons on its page (or the list's actions), which call the same
    transition methods as everything else."""

    form = MailboxRequestForm
    list_display = ["__str__", "kind", "agency", "status", "age", "requested_by", "created_at"]
    list_filter = ["status", "kind", "agency__province"]
    list_select_related = ["agency", "mailbox", "requested_by"]
    search_fields = ["address", "full_name", "mailbox__address", "letter_number"]
    ordering = ["created_at"]
    actions = ["approve_selected", "complete_selected"]
    change_form_template = "admin/agencies/mailboxrequest/change_form.html"
    fieldsets = [
        (
            _("Request"),
            {"fields": ["kind", "agency", "letter_number", "letter_date", "letter_scan", "reason"]},
        ),
        (
            _("New mailbox"),
            {
                "fields": [
                    "mailbox_kind",
                    "official",
                    "full_name",
                    "position",
                    "address",
                    "published",
                ]
            },
        ),
        (_("Change, reissue or retire"), {"fields": ["mailbox", "new_agency"]}),
    ]
    decision_fields = [
        "status",
        "requested_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
        "completed_by",
        "completed_at",
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        request_fields = ["kind", "agency", "letter_number", "letter_date", "letter", "reason"]
        return [
            (_("Request"), {"fields": request_fields}),
            *self.fieldsets[1:],
            (_("Decision"), {"fields": self.decision_fields}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["letter", *self.decision_fields] if obj else []

    def has_change_permission(self, request, obj=None):
        return False  # a filed request is never edited

    def save_model(self, request, obj, form, change):
        obj.requested_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("waiting for"))
    def age(self, obj):
        if obj.status in (obj.Status.SUBMITTED, obj.Status.APPROVED):
            return timesince(obj.created_at)
        return "—"

    @admin.display(description=_("scan of the letter"))
    def letter(self, obj):
        if not obj.letter_scan:
            return "—"
        url = reverse("admin:agencies_mailboxrequest_letter", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/decide/",
                view(require_POST(self.decide_view)),
                name="agencies_mailboxrequest_decide",
            ),
            path("<int:pk>/letter/", view(self.letter_view), name="agencies_mailboxrequest_letter"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "decision_form": DecisionForm(),
            "actions": obj.actions_for(request.user) if obj is not None else set(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            self.run(request, lambda: form.apply(obj, request.user), obj)
        return HttpResponseRedirect(reverse("admin:agencies_mailboxrequest_change", args=[pk]))

    def letter_view(self, request, pk):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        if not obj.letter_scan:
            raise Http404
        return FileResponse(obj.letter_scan.open("rb"), as_attachment=True)

    def run(self, request, transition, obj):
        """Run one transition and tell the user what happened, in their language."""
        try:
            done = transition()
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            self.message_user(request, f"{done}: {done.get_status_display()}", messages.SUCCESS)

    @admin.action(description=_("Approve the selected requests"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        for obj in queryset:
            self.run(request, lambda obj=obj: obj.approve(by=request.user), obj)

    @admin.action(
        description=_("Mark the selected requests done (mailbox created)"), permissions=["decide"]
    )
    def complete_selected(self, request, queryset):
        for obj in queryset:
            self.run(request, lambda obj=obj: obj.complete(by=request.user), obj)

    def has_decide_permission(self, request):
        return request.user.has_perm("agencies.decide_mailboxrequest")
