"""Mailbox requests (văn bản đề nghị): the life of every official mailbox.

An agency files a request; the provincial IT centre approves or rejects it; once the mailbox
exists on the mail system, IT staff mark the request done, and only then does the directory
change. Every transition is one method, one transaction, with the request's row locked, so
two people acting on the same request at the same moment produce exactly one effect.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..storage import private_storage
from ..validators import validate_letter_scan
from .agency import Agency
from .mailbox import AddressField, Mailbox, Official
from .roles import can_decide


class MailboxRequest(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("new mailbox")
        CHANGE = "change", _("change")
        REISSUE = "reissue", _("reissue")
        RETIRE = "retire", _("retire")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("cancelled")
        DONE = "done", _("done")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED, Status.CANCELLED},
        # Approved but not done yet: the mailbox may still turn out impossible to create.
        Status.APPROVED: {Status.DONE, Status.REJECTED, Status.CANCELLED},
    }
    ON_A_MAILBOX = (Kind.CHANGE, Kind.REISSUE, Kind.RETIRE)

    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="mailbox_requests", verbose_name=_("agency or unit")
    )
    mailbox = models.ForeignKey(
        Mailbox,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("mailbox"),
        help_text=_("The mailbox to change, reissue or retire."),
    )
    mailbox_kind = models.CharField(
        _("mailbox for"), max_length=10, choices=Mailbox.Kind.choices, blank=True
    )
    official = models.ForeignKey(
        Official,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("official already listed"),
        help_text=_("For a new mailbox of an official already in the directory, or returning."),
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    new_agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_requests",
        verbose_name=_("moves to"),
        help_text=_("For a change: the agency or unit moved to."),
    )
    address = AddressField(_("address"), max_length=254, blank=True)
    published = models.BooleanField(
        _("publish"),
        null=True,
        blank=True,
        help_text=_("Publish the address on the public directory (competent official)."),
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("E.g. newly hired, moved, forgot the password, left, retired, unit dissolved."),
    )
    letter_number = models.CharField(_("letter number"), max_length=50)
    letter_date = models.DateField(_("letter date"))
    letter_scan = models.FileField(
        _("scan of the letter"),
        storage=private_storage,
        upload_to="letters/%Y/%m/",
        blank=True,
        validators=[validate_letter_scan],
        help_text=_("PDF, PNG or JPEG, at most 5 MB. Never published."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="mailbox_requests",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason for rejection"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("mailbox request")
        verbose_name_plural = _("mailbox requests")
        permissions = [("decide_mailboxrequest", _("Can approve, reject and complete requests"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new") | Q(mailbox__isnull=False),
                name="request_on_a_mailbox_names_it",
            ),
            models.CheckConstraint(
                condition=~Q(kind="new") | ~Q(address=""), name="request_new_has_address"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_note=""),
                name="request_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="request_queue_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self):
        """What the request is about, in a few words."""
        if self.mailbox_id:
            return self.mailbox.address
        return self.address or self.full_name

    def clean(self):
        errors = {}
        if self.kind in self.ON_A_MAILBOX:
            if not self.mailbox_id:
                errors["mailbox"] = _("Choose the mailbox this request is about.")
            elif self.mailbox.status != Mailbox.Status.ACTIVE:
                errors["mailbox"] = _("This mailbox is retired already.")
            else:
                self.agency = self.mailbox.agency
        if self.kind in (self.Kind.REISSUE, self.Kind.RETIRE) and not self.reason.strip():
            errors["reason"] = _("Say why: the request records it.")
        if self.kind == self.Kind.NEW:
            errors.update(self.new_mailbox_errors())
        if self.kind == self.Kind.CHANGE and not (
            self.full_name or self.position or self.new_agency_id or self.published is not None
        ):
            errors["__all__"] = _("Say what changes: name, position, unit or publication.")
        if errors:
            raise ValidationError(errors)

    def new_mailbox_errors(self):
        errors = {}
        if not self.mailbox_kind:
            errors["mailbox_kind"] = _("Say whether the mailbox is the agency's or an official's.")
        elif self.mailbox_kind == Mailbox.Kind.PERSONAL and not (
            self.official_id or self.full_name
        ):
            errors["full_name"] = _("Give the official's full name.")
        elif self.mailbox_kind == Mailbox.Kind.AGENCY and (self.official_id or self.full_name):
            errors["full_name"] = _("An agency mailbox has no official.")
        if self.official_id and self.official.agency_id != self.agency_id:
            errors["official"] = _("This official works in another agency.")
        if not self.address:
            errors["address"] = _("Choose one of the proposed addresses or type one.")
        elif (
            self.agency_id
            and not self.agency.province.domains.filter(
                name=self.address.partition("@")[2]
            ).exists()
        ):
            errors["address"] = _("Use a mail domain of the province, e.g. %(domain)s.") % {
                "domain": self.agency.province.primary_domain
            }
        return errors

    # The transitions. Each locks the request's row, checks, changes, and notifies.

    def approve(self, by):
        def decide(request):
            if request.kind == self.Kind.NEW:
                request.check_address_is_free()
                request.check_address_not_promised()
            request.decided_by, request.decided_at = by, timezone.now()

        return self.move_to(self.Status.APPROVED, by, decide)

    def reject(self, by, reason):
        if not reason or not reason.strip():
            raise ValidationError(_("Give the reason for rejecting the request."), code="no_reason")

        def decide(request):
            request.decided_by, request.decided_at = by, timezone.now()
            request.decision_note = reason.strip()

        return self.move_to(self.Status.REJECTED, by, decide)

    def cancel(self, by):
        if by.pk != self.requested_by_id:
            raise PermissionDenied(_("Only the person who filed a request may cancel it."))
        return self.move_to(self.Status.CANCELLED, by, lambda request: None)

    def complete(self, by):
        """The mailbox now exists on the mail system: make the directory say so."""

        def apply(request):
            {
                self.Kind.NEW: request.apply_new,
                self.Kind.CHANGE: request.apply_change,
                self.Kind.REISSUE: lambda: None,  # the request itself is the record
                self.Kind.RETIRE: request.apply_retire,
            }[request.kind]()
            request.completed_by, request.completed_at = by, timezone.now()

        return self.move_to(self.Status.DONE, by, apply)

    def move_to(self, status, by, change):
        from ..notifications import notify_requester

        with transaction.atomic():
            request = type(self).objects.select_for_update().get(pk=self.pk)
            if status not in self.TRANSITIONS.get(request.status, ()):
                raise ValidationError(
                    _("This request is %(status)s already: it cannot become %(new)s."),
                    code="invalid_transition",
                    params={"status": request.get_status_display(), "new": status.label},
                )
            if status != self.Status.CANCELLED:
                request.check_decider(by)
            request.status, request.actor = status, by
            change(request)
            request._change_reason, request._history_user = status.label, by
            request.save()
            # A mail server that is down must not undo, nor hide, a committed decision.
            transaction.on_commit(lambda: notify_requester(request), robust=True)
        self.refresh_from_db()
        return request

    ACTIONS = {
        "approve": Status.APPROVED,
        "complete": Status.DONE,
        "reject": Status.REJECTED,
        "cancel": Status.CANCELLED,
    }

    def actions_for(self, user):
        """The transitions (by ACTIONS name) that `user` may take now: the requester
        cancels, the province's IT staff decide, each as TRANSITIONS allows."""
        deciding = (
            can_decide(user, self.agency)
            and user.has_perm("agencies.decide_mailboxrequest")
            and user.pk != self.requested_by_id
        )
        possible = self.TRANSITIONS.get(self.status, ())
        return {
            action
            for action, status in self.ACTIONS.items()
            if status in possible
            and (user.pk == self.requested_by_id if action == "cancel" else deciding)
        }

    def check_decider(self, user):
        if not (can_decide(user, self.agency) and user.has_perm("agencies.decide_mailboxrequest")):
            raise PermissionDenied(_("Only the IT staff of the province decide on its requests."))
        if user.pk == self.requested_by_id:
            raise PermissionDenied(_("Nobody may decide on a request they filed themselves."))

    def check_address_is_free(self):
        agency = self.agency if self.mailbox_kind == Mailbox.Kind.AGENCY else None
        blocking = Mailbox.objects.blocking(self.address, self.official, agency).first()
        if blocking is None:
            return
        if blocking.status == Mailbox.Status.ACTIVE:
            message = _("%(address)s is in use already.")
        else:
            message = _(
                "%(address)s was retired on %(date)s and stays with its former owner for "
                "%(months)s months."
            )
        raise ValidationError(
            message,
            code="address_unavailable",
            params={
                "address": self.address,
                "date": blocking.retired_on,
                "months": settings.MAILBOX_QUARANTINE_MONTHS,
            },
        )

    def check_address_not_promised(self):
        """Two approved requests must not wait for the same new address."""
        promised = (
            type(self)
            .objects.filter(kind=self.Kind.NEW, status=self.Status.APPROVED, address=self.address)
            .exclude(pk=self.pk)
            .first()
        )
        if promised is not None:
            raise ValidationError(
                _("%(address)s is promised already to request no. %(number)s."),
                code="address_promised",
                params={"address": self.address, "number": promised.pk},
            )

    def check_mailbox_is_active(self):
        if self.mailbox.status != Mailbox.Status.ACTIVE:
            raise ValidationError(
                _("%(address)s was retired after this request was filed."),
                code="mailbox_retired",
                params={"address": self.mailbox.address},
            )

    # The effects on the directory, applied when a request is done.

    def record(self, obj):
        """Stamp `obj`'s next history row with who did it and which request it serves."""
        obj._history_user = self.actor
        with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
            obj._change_reason = _("Request no. %(number)s, letter %(letter)s") % {
                "number": self.pk,
                "letter": self.letter_number,
            }
        return obj

    def apply_new(self):
        self.check_address_is_free()
        official = self.official
        if self.mailbox_kind == Mailbox.Kind.PERSONAL:
            official = official or Official(agency=self.agency, full_name=self.full_name)
            official.position = self.position or official.position
            official.published, official.is_active = bool(self.published), True
            self.record(official).save()
        mailbox = Mailbox.objects.filter(address=self.address).first() or Mailbox(
            address=self.address
        )
        mailbox.kind, mailbox.agency, mailbox.official = self.mailbox_kind, self.agency, official
        mailbox.status, mailbox.retired_on = Mailbox.Status.ACTIVE, None
        mailbox.published = bool(self.published) or mailbox.kind == Mailbox.Kind.AGENCY
        mailbox.activated_on = timezone.localdate()
        self.record(mailbox).save()
        self.mailbox = mailbox

    def apply_change(self):
        self.check_mailbox_is_active()
        mailbox, official = self.mailbox, self.mailbox.official
        if official is not None:
            official.full_name = self.full_name or official.full_name
            official.position = self.position or official.position
            official.agency = self.new_agency or official.agency
            if self.published is not None:
                official.published = self.published
            self.record(official).save()
            mailbox.refresh_from_db()
        elif self.new_agency_id:
            mailbox.agency = self.new_agency
        if self.published is not None:
            mailbox.published = self.published
        self.record(mailbox).save()

    def apply_retire(self):
        self.check_mailbox_is_active()
        mailbox = self.mailbox
        mailbox.status, mailbox.retired_on = Mailbox.Status.RETIRED, timezone.localdate()
        self.record(mailbox).save()
        official = mailbox.official
        if official and not official.mailboxes.filter(status=Mailbox.Status.ACTIVE).exists():
            official.is_active = False
            self.record(official).save()
