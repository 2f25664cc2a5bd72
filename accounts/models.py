"""Users of Doorstroom: VDAB evaluators, partner staff, administrators, analysts."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import Scope, ScopedQuerySet
from accounts.roles import Role, role_of


class User(AbstractUser):
    """A person who logs in. Partner staff are bound to one partner organisation."""

    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("For partner staff: the partner organisation whose records this user works on."),
    )
    office = models.CharField(
        _("office"),
        max_length=100,
        blank=True,
        help_text=_("For VDAB evaluators: the VDAB office they work from."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        # Also a default in the database: rows written by code that does not know the field yet
        # (an older migration state, as the migration tests use) are valid.
        db_default="",
        help_text=_("The language of the interface, chosen with the language switch. Empty: Dutch."),
    )
    # The fields __str__ reads (the full name, else the username): an export reads only these for
    # a related record's text (common/export.py).
    STR_FIELDS = ("first_name", "last_name", "username")

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if self.organisation_id and not self.organisation.is_partner:
            raise ValidationError({"organisation": _("Only a partner organisation can be linked to a user.")})

    @property
    def role(self) -> str | None:
        return role_of(self)

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_evaluator(self) -> bool:
        return self.role == Role.EVALUATOR


class OTPEnrolmentCode(models.Model):
    """A single-use code that lets an administrator link their first authenticator app.

    Without it, the password alone would be enough to enrol a device: whoever holds a new
    administrator's password could link their own app. Another administrator issues the code in
    the application, or the server's operator with `manage.py issue_otp_enrolment`. Only an HMAC of
    the code is kept; the clear code is shown once. Issuing a new code withdraws the earlier unused
    ones; so do five wrong tries (`accounts.otp.ENROLMENT_MAX_FAILURES`).
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="otp_enrolment_codes",
    )
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the code was issued on the command line."),
    )
    code_hash = models.CharField(_("code (HMAC-SHA256)"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        verbose_name = _("authenticator enrolment code")
        verbose_name_plural = _("authenticator enrolment codes")
        indexes = [models.Index(fields=["user", "code_hash"])]

    def __str__(self):
        return f"{self.user} {timezone.localtime(self.issued_at):%d/%m/%Y %H:%M}"


class APITokenScope(models.TextChoices):
    READ = "read", _("read only")
    READ_WRITE = "read_write", _("read and write")


class APITokenQuerySet(ScopedQuerySet):
    # Each user sees their own keys; administrators see everyone's (and may revoke them).
    scope = Scope(owner="user")


class APIToken(models.Model):
    """A personal key with which the user's own system calls the API (`Authorization: Bearer <key>`).

    Only a SHA-256 digest of the key is kept; the key itself is shown once, when it is made (on the page
    "API-sleutels" or by `manage.py create_api_token`). It acts as its user, with the user's role and
    organisation, and never more: a read-only key cannot write. It stops working at its expiry, when
    revoked (by its user or an administrator) or when its user is deactivated.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the key is for, e.g. the name of your system.")
    )
    key_digest = models.CharField(_("key (SHA-256)"), max_length=64, unique=True)
    prefix = models.CharField(_("start of the key"), max_length=12)
    scope = models.CharField(_("scope"), max_length=20, choices=APITokenScope.choices, default=APITokenScope.READ)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = APITokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == APITokenScope.READ_WRITE
