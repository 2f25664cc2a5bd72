"""Querysets for persons and employment spells."""

import datetime

from django.db import models
from django.db.models import Q


class EmploymentQuerySet(models.QuerySet):
    def covering(self, on: datetime.date):
        """Spells that started on or before the date and had not ended before it."""
        return self.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))

    def regular(self):
        """Jobs in the regular economy (NEC): spells without a policy instrument."""
        return self.filter(instrument__isnull=True)

    def social_economy(self):
        """Jobs in the social economy: spells with a policy instrument."""
        return self.filter(instrument__isnull=False)
