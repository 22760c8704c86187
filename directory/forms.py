from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Province


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
