"""Two IT staff acting on the same request at the same moment: exactly one effect.

Needs PostgreSQL's row locks (SQLite serialises whole-database writes instead); CI runs it
against PostgreSQL.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from agencies.models import MailboxRequest, Official, Role

from .factories import file_request, make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def at_once(action, users):
    """Run `action(user)` in one thread per user, released together; collect the outcomes."""
    start = threading.Barrier(len(users))
    outcomes = []

    def run(user):
        start.wait()
        try:
            action(user)
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=[user]) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def staff(tay_ninh):
    return [
        make_staff(f"tin_hoc_{number}", Role.Kind.PROVINCE_IT, province=tay_ninh)
        for number in (1, 2)
    ]


@pytest.fixture
def request_(department, staff):
    focal = make_staff("dau_moi", Role.Kind.FOCAL, agency=department)
    return file_request(
        department,
        focal,
        mailbox_kind="personal",
        full_name="Nguyễn Minh Tân",
        address="tannm@longan.gov.vn",
        published=True,
    )


def test_two_approvals_at_once_approve_once(request_, staff):
    outcomes = at_once(
        lambda user: MailboxRequest.objects.get(pk=request_.pk).approve(by=user), staff
    )
    assert outcomes == ["done", "invalid_transition"]
    assert request_.history.filter(status="approved").count() == 1


def test_two_completions_at_once_create_one_mailbox(request_, staff):
    request_.approve(by=staff[0])
    outcomes = at_once(
        lambda user: MailboxRequest.objects.get(pk=request_.pk).complete(by=user), staff
    )
    assert outcomes == ["done", "invalid_transition"]
    assert Official.objects.filter(full_name="Nguyễn Minh Tân").count() == 1
