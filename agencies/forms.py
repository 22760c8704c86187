from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mailbox, MailboxRequest
from .models.mailbox import proposed_addresses

OTHER = "__other__"


class AddressProposalWidget(forms.TextInput):
    """A text box for the address, with the proposed addresses as radio buttons above it.

    Works without JavaScript: the form is sent once with the name, comes back with the
    proposals, and the chosen radio button wins over the text box unless "another" is
    chosen.
    """

    template_name = "agencies/widgets/address_proposals.html"
    proposals = ()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(proposals=self.proposals, other=OTHER, chosen=value)
        return context

    def value_from_datadict(self, data, files, name):
        choice = data.get(f"{name}_choice")
        return choice if choice and choice != OTHER else data.get(name)


class MailboxRequestForm(forms.ModelForm):
    class Meta:
        model = MailboxRequest
        fields = [
            "kind",
            "agency",
            "letter_number",
            "letter_date",
            "letter_scan",
            "reason",
            "mailbox_kind",
            "official",
            "full_name",
            "position",
            "address",
            "published",
            "mailbox",
            "new_agency",
        ]
        widgets = {
            "address": AddressProposalWidget,
            "published": forms.NullBooleanSelect,
            "letter_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            return  # a filed request is shown read-only: nothing to propose
        self.fields["agency"].required = False  # taken from the mailbox for a change or retire
        self.fields["address"].help_text = _(
            "Leave empty and save: the form comes back with short addresses made from the "
            "name, free and out of quarantine."
        )
        if self.is_bound:
            self.fields["address"].widget.proposals = self.proposals()

    def proposals(self):
        """Addresses to offer for a new mailbox, once the agency and the owner are known."""
        field = self.fields["agency"]
        try:
            agency = field.clean(field.widget.value_from_datadict(self.data, self.files, "agency"))
            official = self.fields["official"].clean(self.data.get("official"))
        except forms.ValidationError:
            return []
        if self.data.get("kind") != MailboxRequest.Kind.NEW or agency is None:
            return []
        return proposed_addresses(
            agency,
            official=official,
            full_name=self.data.get("full_name", ""),
            for_agency=self.data.get("mailbox_kind") == Mailbox.Kind.AGENCY,
        )

    def clean(self):
        cleaned = super().clean()
        mailbox = cleaned.get("mailbox")
        if mailbox is not None and cleaned.get("kind") in MailboxRequest.ON_A_MAILBOX:
            cleaned["agency"] = mailbox.agency
        elif cleaned.get("agency") is None and "agency" not in self.errors:
            self.add_error("agency", _("Choose the agency or unit."))
        return cleaned


class DecisionForm(forms.Form):
    """What IT staff, or the requester, do to a request: one of the transitions."""

    action = forms.ChoiceField(choices=[(action, action) for action in MailboxRequest.ACTIONS])
    reason = forms.CharField(
        label=_("Reason for rejection"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def apply(self, request, user):
        """Run the chosen transition; its errors are the domain's own."""
        action = self.cleaned_data["action"]
        if action == "reject":
            return request.reject(by=user, reason=self.cleaned_data["reason"])
        return getattr(request, action)(by=user)
