"""The staff side: IT staff and focal officers work in the Django admin, each within the
scope of their role (agencies.scope)."""

from . import directory, requests, roles  # noqa: F401  (registers the model admins)
