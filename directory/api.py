"""The public JSON API (`/api/v1/…`), documented in the README."""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from agencies.models import Province

from .forms import VerifyForm
from .ratelimit import rate_limit
from .search import search_mailboxes
from .verify import verify_address


class ApiSearchForm(forms.Form):
    q = forms.CharField(max_length=200)
    province = forms.CharField(max_length=100, required=False)
    page = forms.IntegerField(min_value=1, required=False)
    page_size = forms.IntegerField(min_value=1, required=False)

    def clean_province(self):
        """Accept a province's official code or its slug."""
        value = self.cleaned_data["province"]
        if not value:
            return None
        province = Province.objects.find(value)
        if province is None:
            raise forms.ValidationError(_("Unknown province: %(value)s"), params={"value": value})
        return province

    def clean_page_size(self):
        size = self.cleaned_data["page_size"] or settings.DIRECTORY_PAGE_SIZE
        return min(size, settings.DIRECTORY_API_MAX_PAGE_SIZE)


def json_response(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def mailbox_as_json(mailbox):
    official = mailbox.official
    return {
        "address": mailbox.address,
        "name": official.full_name if official else mailbox.agency.name,
        "position": official.position if official else None,
        "agency": mailbox.agency.name,
        "agency_code": mailbox.agency.code,
        "province": mailbox.agency.province.name,
        "kind": mailbox.kind,
    }


@require_GET
@rate_limit("api", as_json=True)
def search(request):
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        return json_response({"errors": form.errors}, status=400)
    results = search_mailboxes(form.cleaned_data["q"], form.cleaned_data["province"])
    page = Paginator(results, form.cleaned_data["page_size"]).get_page(form.cleaned_data["page"])
    return json_response(
        {
            "count": page.paginator.count,
            "count_capped": results.capped,  # more hits than `count`
            "page": page.number,
            "results": [mailbox_as_json(mailbox) for mailbox in page],
        }
    )


@require_GET
@rate_limit("api", as_json=True)
def verify(request):
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return json_response({"errors": form.errors}, status=400)
    return json_response(verify_address(form.cleaned_data["address"]).as_json())
