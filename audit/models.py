"""The access log: who opened which person's page, exported which list, looked up which INSZ, and when.

It sits low in the layers (docs/architecture.md) so that the shared list views, the person pages, the
reports and the look-up all write it through `audit.services.record_access`.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import Role
from audit.constants import AccessAction
from common.insz import DIGEST_REGEX, INSZMixin, INSZQuerySet


class AccessEventQuerySet(ScopedQuerySet, INSZQuerySet):
    # Only administrators read the access log: it tells who looked at which person.
    scope = Scope()


class AccessEvent(INSZMixin, models.Model):
    """One opening of a person's page, one list export or one look-up by INSZ: who, what, when.

    Append-only: rows are written by `audit.services.record_access` and never changed or deleted
    through the application or the admin. An export is one event with the list, format, filters
    and row count, not one row per exported person (see docs/security.md).
    """

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("user"), on_delete=models.PROTECT, related_name="access_events"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_events",
        help_text=_("The user's organisation at the moment of access."),
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    # The number looked up, encrypted and hashed as a person's (INSZMixin): found or not, it names someone.
    insz_encrypted = models.TextField(_("INSZ number looked up (encrypted)"), null=True, blank=True, editable=False)
    insz_digest = models.CharField(
        _("INSZ number looked up (keyed hash)"), max_length=64, null=True, blank=True, editable=False
    )
    employee = models.ForeignKey(
        "employees.Employee",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_events",
    )
    list_name = models.CharField(_("list"), max_length=100, blank=True)
    export_format = models.CharField(_("format"), max_length=10, blank=True)
    filters = models.TextField(_("filters"), blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access log")
        ordering = ["-occurred_at", "-id"]
        # The table, its constraints and indexes keep the names they had in the employees app.
        db_table = "employees_accessevent"
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="person_viewed") | Q(employee__isnull=False),
                name="employees_accessevent_view_has_person",
            ),
            models.CheckConstraint(
                condition=Q(insz_digest__isnull=True, insz_encrypted__isnull=True)
                | Q(insz_digest__isnull=False, insz_digest__regex=DIGEST_REGEX, insz_encrypted__isnull=False),
                name="employees_accessevent_insz_digest_hex",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "-occurred_at"], name="employees_access_person_idx"),
            models.Index(fields=["-occurred_at"], name="employees_access_when_idx"),
            models.Index(fields=["insz_digest"], name="employees_access_digest_idx"),
            # The look-up limits and the administrators' list of look-ups count one user's events by action.
            models.Index(fields=["user", "action", "-occurred_at"], name="employees_access_user_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_action_display()} ({timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The access log is append-only.")

    @property
    def found(self) -> bool:
        """For a look-up: whether the number belonged to a registered person."""
        return self.employee_id is not None
