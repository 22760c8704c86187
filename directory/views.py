from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from agencies.models import Agency, Province

from .forms import SearchForm
from .search import search_mailboxes, with_agency_paths
from .tree import agency_tree, group_by_kind

PROVINCE_PAGE_DEPTH = 1  # deeper units are listed on their parent's own page


def home(request):
    provinces = Province.objects.annotate(
        agency_count=Count("agencies", filter=Q(agencies__published=True, agencies__is_active=True))
    )
    return render(request, "directory/home.html", {"form": SearchForm(), "provinces": provinces})


def search(request):
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid():
        results = search_mailboxes(form.cleaned_data["q"], form.cleaned_data["province"])
        page = Paginator(results, settings.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_agency_paths(page.object_list)
    return render(request, "directory/search.html", {"form": form, "page": page})


def province_detail(request, slug):
    province = get_object_or_404(Province, slug=slug)
    agencies = (
        province.agencies.public().filter(depth__lte=PROVINCE_PAGE_DEPTH).select_related("province")
    )
    return render(
        request,
        "directory/province.html",
        {
            "province": province,
            "groups": group_by_kind(agency_tree(agencies)),
            "search_form": SearchForm(initial={"province": province.slug}),
        },
    )


def agency_detail(request, province_slug, path):
    agency = get_object_or_404(
        Agency.objects.public().select_related("province"),
        province__slug=province_slug,
        path_slug=path,
    )
    mailboxes = (
        agency.mailboxes.public()
        .select_related("official")
        .order_by("kind", "official__full_name", "address")
    )
    return render(
        request,
        "directory/agency.html",
        {
            "agency": agency,
            "province": agency.province,
            "ancestors": agency.ancestors().public().select_related("province"),
            "units": agency_tree(agency.children.public().select_related("province")),
            "agency_mailboxes": [m for m in mailboxes if m.kind == m.Kind.AGENCY],
            "personal_mailboxes": [m for m in mailboxes if m.kind == m.Kind.PERSONAL],
        },
    )
