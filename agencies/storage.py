"""Private files: scans of agencies' letters. They have no URL; staff download them through a
view that checks the request is in their scope."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
