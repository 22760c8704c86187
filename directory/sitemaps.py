from django.contrib.sitemaps import Sitemap

from agencies.models import Agency


class AgencySitemap(Sitemap):
    """Agency pages of public agencies, and nothing else: search results, the API and the
    verification page are for people, not for crawlers."""

    def items(self):
        return Agency.objects.public().select_related("province").order_by("pk")

    def lastmod(self, agency):
        return agency.updated_at


SITEMAPS = {"agencies": AgencySitemap}
