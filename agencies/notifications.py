"""E-mail to the people a request concerns, through Django's configured e-mail backend."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def notify_requester(request):
    """Tell the person who filed `request` what was decided. Sent in Vietnamese."""
    recipient = request.requested_by.email
    if not recipient:
        return
    with translation.override("vi"):
        context = {"request": request}
        subject = render_to_string("agencies/email/request_subject.txt", context).strip()
        body = render_to_string("agencies/email/request_body.txt", context)
    send_mail(subject, body, None, [recipient])
