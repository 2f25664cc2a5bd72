"""The one place that writes the access log: person pages opened, lists exported, look-ups by INSZ."""

from __future__ import annotations

from accounts.roles import role_of
from audit.constants import AccessAction
from audit.models import AccessEvent


def record_access(*, user, action: AccessAction, employee=None, **details) -> AccessEvent:
    """Write one access event with the user's role and organisation as they are at this moment.

    `details` are the export's list_name, export_format, filters and row_count, or a look-up's insz.
    """
    return AccessEvent.objects.create(
        user=user,
        role=role_of(user) or "",
        organisation_id=getattr(user, "organisation_id", None),
        action=action,
        employee=employee,
        **details,
    )


def filters_as_text(query) -> str:
    """The filters of a list request as readable text ("gender=f&q=Peeters"), without paging or export keys."""
    query = query.copy()
    for key in ("page", "_export"):
        query.pop(key, None)
    return query.urlencode()
