from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from agencies.models import Agency, Mailbox, Province

from .cache import public_page
from .forms import SearchForm, VerifyForm
from .ratelimit import rate_limit
from .search import search_mailboxes, with_agency_paths
from .tree import agency_tree, group_by_kind
from .verify import verify_address

PROVINCE_PAGE_DEPTH = 1  # deeper units are listed on their parent's own page


@public_page
def home(request):
    provinces = Province.objects.annotate(
        agency_count=Count("agencies", filter=Q(agencies__is_public=True))
    )
    return render(
        request,
        "directory/home.html",
        {"form": SearchForm(), "provinces": provinces, "downloads": download_links("download")},
    )


@rate_limit("search")
def search(request):
    form = SearchForm(request.GET or None)
    page, capped = None, False
    if form.is_valid():
        results = search_mailboxes(form.cleaned_data["q"], form.cleaned_data["province"])
        page = Paginator(results, settings.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_agency_paths(page.object_list)
        capped = results.capped
    return render(request, "directory/search.html", {"form": form, "page": page, "capped": capped})


@public_page
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
            "downloads": download_links("province-download", province.slug),
        },
    )


def download_links(name, *args):
    """{format: URL} of the page's downloadable list."""
    return {
        file_format: reverse(f"directory:{name}", args=[*args, file_format])
        for file_format in ("xlsx", "csv", "vcf", "json")
    }


def public_agency_or_404(province_slug, path):
    return get_object_or_404(
        Agency.objects.public().select_related("province"),
        province__slug=province_slug,
        path_slug=path,
    )


def published_mailboxes(agency):
    """The agency's public mailboxes: (its own, its competent officials'), in one query."""
    mailboxes = (
        agency.mailboxes.public()
        .select_related("official")
        .order_by("kind", "official__full_name", "address")
    )
    return (
        [mailbox for mailbox in mailboxes if mailbox.kind == Mailbox.Kind.AGENCY],
        [mailbox for mailbox in mailboxes if mailbox.kind == Mailbox.Kind.PERSONAL],
    )


@public_page
def agency_detail(request, province_slug, path):
    agency = public_agency_or_404(province_slug, path)
    agency_mailboxes, personal_mailboxes = published_mailboxes(agency)
    route = [agency.province.slug, agency.path_slug]
    return render(
        request,
        "directory/agency.html",
        {
            "agency": agency,
            "province": agency.province,
            "ancestors": agency.ancestors().public().select_related("province"),
            "units": agency_tree(agency.children.public().select_related("province")),
            "agency_mailboxes": agency_mailboxes,
            "personal_mailboxes": personal_mailboxes,
            "embed_url": request.build_absolute_uri(reverse("directory:embed", args=route)),
            "feed_url": request.build_absolute_uri(reverse("directory:embed-feed", args=route)),
            "downloads": download_links("agency-download", *route),
        },
    )


@rate_limit("search")
def verify(request):
    form = VerifyForm(request.GET or None)
    verdict = verify_address(form.cleaned_data["address"]) if form.is_valid() else None
    return render(request, "directory/verify.html", {"form": form, "verdict": verdict})


@public_page
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("directory:sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
