from django.conf import settings
from django.core.management.base import BaseCommand

from agencies.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo directory (fixtures/demo.json); run load_divisions first."

    def handle(self, *args, **options):
        agencies, mailboxes = load_demo(settings.BASE_DIR / "fixtures" / "demo.json")
        self.stdout.write(f"agencies {agencies}, mailboxes {mailboxes}")
