"""No unpublished or retired record in any public answer.

Canary records, each with names and addresses found nowhere else, are hidden in every way the
directory hides things. Then every public URL reachable from "/" is crawled (links within the
site, in both languages), with the sitemap, robots.txt, the API and the embeds, and with
queries that would find the canaries, and no answer may contain a canary string.

To cover a new public endpoint (exports, feeds...), add its URLs to `probes()`.
"""

import io
import re
from collections import deque
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import openpyxl
import pytest
from django.utils import timezone

from agencies.text import fold, vietnamese_slug

from .factories import make_agency, make_mailbox, make_official

SITE = "http://testserver"
NOT_CRAWLED = ("/admin/", "/static/", "/i18n/")
LINK = re.compile(r"""(?:href|src)="([^"]+)"|(https?://testserver/[^\s"<]*)""")


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """The crawl makes many requests: rate limits would answer 429 long before its end."""
    settings.RATELIMIT_ENABLE = False


class Canaries:
    """The hidden records, and the strings that betray them."""

    def __init__(self, department, province):
        self.strings, self.addresses, self.agencies, self.names = set(), [], [], []

        # An unpublished official with a personal mailbox, in a public agency.
        self.person(department, "Lý Bí Mật Một", "bimat.mot@longan.gov.vn", published=False)
        # A departed official's retired mailbox, and a retired agency mailbox.
        self.person(
            department,
            "Lưu Đã Nghỉ Hai",
            "danghi.hai@longan.gov.vn",
            is_active=False,
            mailbox={"status": "retired", "retired_on": timezone.localdate()},
        )
        self.mailbox(
            department, "cu.sotttt@longan.gov.vn", status="retired", retired_on="2025-07-01"
        )
        # An unpublished mailbox, of the agency and of a published official.
        self.mailbox(department, "noibo.ba@longan.gov.vn", published=False)
        director = make_official(department, "Hoàng Văn Ví Dụ Phó", "Phó Giám đốc")
        self.mailbox(department, "rieng.ba@longan.gov.vn", official=director, published=False)
        # An unpublished agency with its mailbox, a published official, and a public unit.
        hidden = self.agency(province, "Ban Kín Đáo Bốn", published=False)
        self.mailbox(hidden, "kindao.bon@tayninh.gov.vn")
        self.person(hidden, "Trịnh Kín Bốn", "trinhkb.bon@tayninh.gov.vn")
        # A published unit of the unpublished agency: its page URL would name the parent.
        unit = make_agency(name="Phòng Con Kín Bốn", parent=hidden)
        self.agencies.append(unit)
        self.strings |= {unit.name, unit.path_slug}
        self.names.append(unit.name)
        self.mailbox(unit, "phongcon.bon@tayninh.gov.vn")
        # A dissolved agency, with its mailbox and official.
        dissolved = self.agency(province, "Ban Giải Thể Năm", is_active=False)
        self.mailbox(dissolved, "giaithe.nam@tayninh.gov.vn")
        self.person(dissolved, "Đỗ Giải Thể Năm", "dogt.nam@tayninh.gov.vn")

    def agency(self, province, name, **fields):
        agency = make_agency(province, name, **fields)
        self.agencies.append(agency)
        self.names.append(name)
        self.strings |= {name, agency.path_slug}
        return agency

    def person(self, agency, full_name, address, mailbox=None, **fields):
        official = make_official(agency, full_name, "Chuyên viên", **fields)
        self.names.append(full_name)
        self.strings.add(full_name)
        self.mailbox(agency, address, official=official, **(mailbox or {}))

    def mailbox(self, agency, address, **fields):
        make_mailbox(agency, address, **fields)
        self.addresses.append(address)
        self.strings.add(address)

    def queries(self):
        """What a harvester would type to find them: folded names (never the canary strings
        themselves, which the page echoes back), each word alone, and address local parts."""
        queries = {fold(name) for name in self.names}
        queries |= {word for name in self.names for word in fold(name).split()}
        queries |= {address.partition("@")[0] for address in self.addresses}
        return sorted(queries)


def probes(canaries):
    """Public URLs that no page links to: the API, embeds and verification, asked for the
    canaries. Exports go here too when they exist (e.g. f"/export.csv?q={query}")."""
    urls = ["/", "/sitemap.xml", "/robots.txt", "/search/", "/verify/"]
    for query in canaries.queries():
        q = quote(query)
        urls += [
            f"/search/?q={q}",
            f"/search/?q={q}&province=tay-ninh",
            f"/api/v1/search?q={q}",
            f"/api/v1/search?q={q}&province=80&page_size=50",
        ]
    for address in canaries.addresses:
        urls += [f"/verify/?address={quote(address)}", f"/api/v1/verify?address={quote(address)}"]
    for agency in canaries.agencies:
        route = f"{agency.province.slug}/{agency.path_slug}/"
        urls += [f"/tinh/{route}", f"/embed/{route}", f"/embed/{route}feed.json"]
    return urls


def links(url, text):
    """Same-site URLs named in `text`: href and src attributes, and absolute URLs anywhere
    (the sitemap, robots.txt, JSON)."""
    for match in LINK.finditer(text):
        target = urljoin(SITE + url, (match.group(1) or match.group(2)).replace("&amp;", "&"))
        parts = urlsplit(target)
        if f"{parts.scheme}://{parts.netloc}" != SITE:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(NOT_CRAWLED):
            yield path


def crawl(client, start):
    """(url, status, text) of every page reachable from `start`."""
    seen, queue = set(), deque(start)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        text = body_text(response)
        yield url, response.status_code, text
        queue.extend(links(url, text))


def body_text(response):
    """The text of an answer: a page, a streamed download, or the cells of a workbook."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        sheets = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets
        cells = (
            cell for sheet in sheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
        return "\n".join(str(cell) for cell in cells if cell is not None)
    return body.decode()


def echoes(url):
    """What an answer may repeat of its own request without leaking anything: its URL (the
    language switcher's `next`, a 404 page's) and the address a verification was asked."""
    path, _, query = url.partition("?")
    return [value for key, value in parse_qsl(query) if key == "address"] + [url, path]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_hidden_record_in_any_public_answer(client, department, tay_ninh, language):
    canaries = Canaries(department, tay_ninh)
    client.cookies["django_language"] = language
    answers = list(crawl(client, probes(canaries)))

    leaks = []
    for url, status, text in answers:
        assert status in (200, 404), (url, status)
        for echo in echoes(url):
            text = text.replace(echo, "")
        leaks += [(url, string) for string in canaries.strings if string in text]
    assert leaks == []

    # The crawl really went everywhere: pages, units, search results, pagination, embeds.
    crawled = {url for url, status, _text in answers if status == 200}
    assert department.get_absolute_url() in crawled
    assert f"/embed/tay-ninh/{department.path_slug}/feed.json" in crawled
    assert {
        f"{department.get_absolute_url()}tai-ve.{ext}" for ext in ("xlsx", "csv", "vcf", "json")
    } <= crawled
    assert {"/tai-ve/danh-ba.xlsx", "/tinh/tay-ninh/tai-ve.vcf"} <= crawled
    assert "/tinh/tay-ninh/" in crawled
    assert len(crawled) > 40


def test_the_canaries_are_findable_when_published(client, department, tay_ninh):
    """The same queries do find the records once they are public: the test above would
    otherwise prove nothing."""
    canaries = Canaries(department, tay_ninh)
    for agency in canaries.agencies:
        agency.published, agency.is_active = True, True
        agency.save()
    html = client.get("/search/", {"q": "kin bon"}).content.decode()
    assert "Trịnh Kín Bốn" in html
    assert vietnamese_slug("Ban Kín Đáo Bốn") in html
