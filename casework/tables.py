"""The INSZ column every list of persons shows: whole or masked by the role of the user looking."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accounts.access import insz_shown_to, mask_insz
from common.tables import heading


class INSZColumn(tables.Column):
    """A person's INSZ, whole or masked as `accounts.access.insz_for_list` decides for the user looking
    (`insz_shown_to`).

    The number is stored encrypted, so the column cannot be sorted (an order of
    ciphertexts or digests means nothing). Exports read the same value.
    """

    def __init__(self, accessor="insz", **kwargs):
        kwargs.setdefault("verbose_name", heading(_("INSZ number")))
        kwargs.setdefault("orderable", False)
        super().__init__(accessor=accessor, **kwargs)

    def render(self, value, table):
        # What the user looking may see of a number, asked once per table (an export asks per row).
        show = getattr(table, "_insz_for_list", None)
        if show is None:
            user = getattr(getattr(table, "request", None), "user", None)
            show = table._insz_for_list = mask_insz if user is None else insz_shown_to(user)
        return show(value)

    def value(self, value, table):
        return self.render(value, table)
