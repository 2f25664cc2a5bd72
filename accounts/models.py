"""Users of Doorstroom: VDAB evaluators, partner staff, administrators, analysts."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        from partners.constants import OrganisationKind

        if self.organisation_id and self.organisation.kind != OrganisationKind.PARTNER:
            raise ValidationError(
                {"organisation": _("Only a partner organisation can be linked to a user.")}
            )

    @property
    def role(self) -> str | None:
        return role_of(self)

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_evaluator(self) -> bool:
        return self.role == Role.EVALUATOR

    @property
    def is_partner_staff(self) -> bool:
        return self.role == Role.PARTNER_STAFF

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST
