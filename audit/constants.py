"""What the access log records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    PERSON_VIEWED = "person_viewed", _("person page opened")
    LIST_EXPORTED = "list_exported", _("list exported")
    INSZ_LOOKUP = "insz_lookup", _("looked up by INSZ")
    INSZ_LOOKUP_REFUSED = "insz_lookup_refused", _("look-up by INSZ refused (limit reached)")
    HISTORY_VIEWED = "history_viewed", _("change history of the person opened")
    REPORT_CELL_OPENED = "report_cell_opened", _("report cell opened (records behind it)")
