from django.core.management.base import BaseCommand

from agencies.divisions import load_divisions


class Command(BaseCommand):
    help = "Load or update the 34 provinces and 3,321 communes from the vietnam-provinces package."

    def handle(self, *args, **options):
        provinces, communes = load_divisions()
        self.stdout.write(f"provinces {provinces}, communes {communes}")
