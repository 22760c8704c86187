from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from agencies.text import nfc


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, agency or address"),
        max_length=200,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All provinces"),
    )


class VerifyForm(forms.Form):
    """One address, as a citizen pastes it: `mailto:`, angle brackets, capitals, a
    decomposed (NFD) Vietnamese keyboard's output and stray spaces are all accepted."""

    address = forms.CharField(
        label=_("E-mail address to check"),
        max_length=320,
        widget=forms.TextInput(
            # Not type="email": the browser would refuse a pasted "Name <address>" itself.
            attrs={"inputmode": "email", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_address(self):
        address = nfc(self.cleaned_data["address"]).strip().strip("<>").strip().lower()
        address = address.removeprefix("mailto:").strip()
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("This is not an e-mail address. Type it like ten@tayninh.gov.vn."),
                code="not_an_address",
            ) from None
        return address
