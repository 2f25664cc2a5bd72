"""Organisations proposed by partners: added at once, then confirmed or merged by an administrator."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from audit.models import AccessEvent
from common.history import is_tracked
from partners.constants import OrganisationKind, OrganisationStatus
from partners.models import Organisation

# What a partner may propose: employers (hosts of internships, the next job); never a partner.
PROPOSABLE_KINDS = [OrganisationKind.REGULAR_EMPLOYER, OrganisationKind.SE_EMPLOYER]


def organisation_propose(*, name: str, kbo_number: str, postcode, kind: str, by) -> Organisation:
    """Add an organisation not found in the register: usable at once, marked proposed, listed for
    the administrators (`Organisation.objects.proposed()`)."""
    if kind not in PROPOSABLE_KINDS:
        raise ValidationError({"kind": _("Propose an employer; partners are added by administrators.")})
    organisation = Organisation(
        name=name.strip(),
        kbo_number=kbo_number,
        postcode=postcode,
        kind=kind,
        status=OrganisationStatus.PROPOSED,
        proposed_by=by,
    )
    with transaction.atomic():
        organisation.full_clean()
        organisation.save()
    return organisation


def organisation_confirm(*, organisation: Organisation) -> bool:
    """An administrator confirms a proposed organisation (with history); False when it was not proposed."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.status != OrganisationStatus.PROPOSED:
            return False
        locked.status = OrganisationStatus.CONFIRMED
        locked.save()
    organisation.status = locked.status
    return True


def _references(organisation: Organisation):
    """Every (model, foreign key) that points at organisations, with the records pointing at this one."""
    for relation in Organisation._meta.related_objects:
        if relation.many_to_many or relation.field.model is AccessEvent:
            continue  # pilots are moved one by one; the access log is append-only (a merge then refuses)
        field = relation.field
        yield field.model, field, field.model._default_manager.filter(**{field.name: organisation})


def organisation_merge(*, proposed: Organisation, into: Organisation, by=None) -> dict[str, int]:
    """Merge a proposed organisation into an existing one, in one transaction: every record pointing
    at it (employments, internships, trajectories, evaluations, referrals, grants, users, pilots...) is
    moved with a history row, then the proposed organisation is deleted (its history keeps it).
    Returns the number of records moved per model."""
    if proposed.pk == into.pk:
        raise ValidationError({"into": _("Choose another organisation than the proposed one.")})
    if proposed.status != OrganisationStatus.PROPOSED:
        raise ValidationError(_("Only a proposed organisation can be merged."))
    reason = _("merged %(proposed)s (%(kbo)s) into %(into)s") % {
        "proposed": proposed.name,
        "kbo": proposed.kbo_number,
        "into": into.name,
    }
    moved = {}
    try:
        with transaction.atomic():
            for model, field, records in _references(proposed):
                if is_tracked(model):
                    count = records.update_with_history(reason=reason, user=by, **{field.name: into})
                else:  # users: no history kept of them
                    count = records.update(**{field.name: into})
                if count:
                    moved[str(model._meta.verbose_name_plural)] = count
            for pilot in proposed.pilots.all():
                pilot.organisations.add(into)
                pilot.organisations.remove(proposed)
                moved[str(pilot._meta.verbose_name_plural)] = moved.get(str(pilot._meta.verbose_name_plural), 0) + 1
            proposed._change_reason = reason
            proposed.delete()
    except models.ProtectedError:
        raise ValidationError(_("Records still point at the proposed organisation: nothing was merged.")) from None
    except IntegrityError:
        raise ValidationError(
            _(
                "Merging would make two identical records (the same internship, grant or trajectory with both "
                "organisations). Correct one of them first."
            )
        ) from None
    return moved
