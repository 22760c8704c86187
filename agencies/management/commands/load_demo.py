from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.demo import DEMO_PASSWORD, load_demo, load_demo_staff


class Command(BaseCommand):
    help = "Load the demo directory (fixtures/demo.json); run load_divisions first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-staff",
            action="store_true",
            help="Also create one demo account per role (development only: needs DEBUG).",
        )

    def handle(self, *args, with_staff=False, **options):
        agencies, mailboxes = load_demo(settings.BASE_DIR / "fixtures" / "demo.json")
        self.stdout.write(f"agencies {agencies}, mailboxes {mailboxes}")
        if with_staff:
            if not settings.DEBUG:
                raise CommandError("Demo accounts have a published password: DEBUG only.")
            usernames = load_demo_staff()
            self.stdout.write(f"demo accounts (password {DEMO_PASSWORD}): {', '.join(usernames)}")
