"""Embeds for agencies' own websites: the agency's public list as an HTML fragment for an
iframe, and as a JSON feed any site may fetch (CORS). Both are cached public pages, so they
change the moment the directory does."""

from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from .api import json_response, mailbox_as_json
from .cache import public_page
from .views import public_agency_or_404, published_mailboxes


@public_page
@xframe_options_exempt
def agency_embed(request, province_slug, path):
    agency = public_agency_or_404(province_slug, path)
    agency_mailboxes, personal_mailboxes = published_mailboxes(agency)
    return render(
        request,
        "directory/embed.html",
        {
            "agency": agency,
            "agency_mailboxes": agency_mailboxes,
            "personal_mailboxes": personal_mailboxes,
        },
    )


@public_page
def agency_feed(request, province_slug, path):
    agency = public_agency_or_404(province_slug, path)
    agency_mailboxes, personal_mailboxes = published_mailboxes(agency)
    mailboxes = [*agency_mailboxes, *personal_mailboxes]
    for mailbox in mailboxes:
        mailbox.agency = agency  # already loaded, with its province
    response = json_response(
        {
            "agency": {
                "name": agency.name,
                "code": agency.code,
                "province": agency.province.name,
                "url": request.build_absolute_uri(agency.get_absolute_url()),
            },
            "count": len(mailboxes),
            "results": [mailbox_as_json(mailbox) for mailbox in mailboxes],
        }
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
