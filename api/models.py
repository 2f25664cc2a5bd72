"""The answers to POST requests sent with an `Idempotency-Key`, kept a day to be replayed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """One user's POST with a key: the first answer is stored and given again for a repeat of the same
    request within DOORSTROOM_API_IDEMPOTENCY_HOURS (a client that lost the answer may safely resend)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE)
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    body = models.JSONField(_("answer"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotentrequest_user_key_unique")]

    def __str__(self):
        return self.key
