"""What every API resource shares: the records from `visible_to`, cursor pages, `?modified_since=`,
an ETag from the record's version, `If-Match` on every change (428 without it, 412 on a lost update),
the screens' forms as validation, and `Idempotency-Key` on POST."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from api.forms import errors_of, form_serializer
from api.models import IdempotentRequest
from api.problems import field_errors, problem, validation_problem


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = gettext_lazy(
        "Send the record's ETag in an If-Match header: a change is only made to the version you read."
    )


class PreconditionFailed(APIException):
    status_code = 412
    default_detail = gettext_lazy(
        "Someone else changed this record since you read it. Your changes were not saved. Read the record "
        "again, then send your changes with its new ETag if they still apply."
    )


def etag_of(record) -> str:
    """The version of a record, as the screens' forms carry it (`updated_at`), as an HTTP entity tag."""
    return f'"{record.updated_at.isoformat()}"'


def modified_since(queryset, request):
    """`?modified_since=` (ISO 8601 date or date and time): only records changed from then on."""
    value = request.query_params.get("modified_since")
    if not value:
        return queryset
    moment = parse_datetime(value) if len(value) <= 40 else None
    if moment is None:
        try:
            day = parse_date(value) if len(value) <= 40 else None
        except ValueError:
            day = None
        moment = datetime.datetime.combine(day, datetime.time()) if day else None
    if moment is None:
        raise ValidationError({"modified_since": [_("Give a date and time in ISO 8601, e.g. 2026-01-31T08:00:00Z.")]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return queryset.filter(updated_at__gte=moment)


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(method):
    """Honour an `Idempotency-Key` on POST: a repeat of the same request by the same user within
    DOORSTROOM_API_IDEMPOTENCY_HOURS gets the first answer again (header Idempotent-Replayed) and
    changes nothing; the same key with another request is refused (422)."""

    @functools.wraps(method)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            return method(self, request, *args, **kwargs)
        if len(key) > 255:
            return problem(400, _("An Idempotency-Key has at most 255 characters."))
        fingerprint = _fingerprint(request)
        since = timezone.now() - datetime.timedelta(hours=settings.DOORSTROOM_API_IDEMPOTENCY_HOURS)
        stored = IdempotentRequest.objects.filter(user=request.user, key=key, created_at__gt=since).first()
        if stored is not None:
            if stored.fingerprint != fingerprint:
                return problem(422, _("This Idempotency-Key was used for another request. Use a new key."))
            headers = {"Idempotent-Replayed": "true", **({"Location": stored.location} if stored.location else {})}
            return Response(stored.body, status=stored.status_code, headers=headers)
        response = method(self, request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            try:
                with transaction.atomic():
                    # Stored answers may name a person: none is kept longer than its day.
                    IdempotentRequest.objects.filter(created_at__lte=since).delete()
                    IdempotentRequest.objects.create(
                        user=request.user,
                        key=key,
                        fingerprint=fingerprint,
                        status_code=response.status_code,
                        body=json.loads(json.dumps(response.data, default=str)),
                        location=response.get("Location", ""),
                    )
            except IntegrityError:
                transaction.set_rollback(True)
                return problem(409, _("A request with this Idempotency-Key is being handled. Try again shortly."))
        return response

    return wrapper


_DESCRIBED = {}


class Resource(GenericViewSet):
    """What every resource shares: the records from `visible_to`, the answer with its ETag, the writes
    through a form and a service, the lock of `If-Match`."""

    model = None
    capability = "read_persons"
    write_capability = None
    select_related: tuple = ()
    lookup_value_regex = r"[0-9]+"
    # For the schema: per action, the form (an unbound instance) whose fields the request body carries.
    input_forms: dict = {}
    input_extra: dict = {}

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def get_serializer_class(self):
        make_form = self.input_forms.get(self.action)
        if make_form is not None and getattr(self, "swagger_fake_view", False):
            name = f"{type(self).__name__.removesuffix('ViewSet')}{self.action.title().replace('_', '')}Request"
            if name not in _DESCRIBED:
                _DESCRIBED[name] = form_serializer(name, make_form(), self.input_extra.get(self.action))
            return _DESCRIBED[name]
        return self.serializer_class

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def answer(self, record, status: int = 200, **context) -> Response:
        serializer = self.serializer_class(record, context={**self.get_serializer_context(), **context})
        response = Response(serializer.data, status=status)
        response["ETag"] = etag_of(record)
        if status == 201:
            response["Location"] = reverse(f"api:{self.basename}-detail", args=[record.pk])
        return response

    # --- writes ----------------------------------------------------------------------------------

    def locked(self, record):
        """The record, locked until the transaction ends, if If-Match names its current version."""
        header = self.request.headers.get("If-Match", "").strip()
        if not header:
            raise PreconditionRequired()
        current = type(record)._default_manager.select_for_update().get(pk=record.pk)
        tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
        if "*" not in tags and etag_of(current) not in tags:
            raise PreconditionFailed()
        return current

    def perform(self, form, action) -> Response:
        """Validate the form; run `action(form)` (a service, in a savepoint) for the answer. The form's
        messages and the service's come back as a problem document with the messages by field."""
        if not form.is_valid():
            return validation_problem(field_errors(form.errors))
        try:
            with transaction.atomic():
                return action(form)
        except DjangoValidationError as error:
            return validation_problem(errors_of(error))

    def parent(self, model, field: str, **conditions):
        """The record a new one belongs to (`{"trajectory": 12}`), among those the caller may see: 404 for
        one that is not the caller's, as on the screens; an id missing or not a number is a field error."""
        value = self.request.data.get(field) if isinstance(self.request.data, dict) else None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**63:
            raise ValidationError({field: [_("Give the id of a record you may see.")]})
        found = model.objects.visible_to(self.request.user).filter(pk=value, **conditions).first()
        if found is None:
            raise Http404
        return found


class RecordViewSet(Resource):
    """Records of one model the caller may see (`visible_to`): list (cursor pages, `?modified_since=`)
    and one record (with its ETag). Subclasses add the writes, each through the screens' form and service."""

    def list(self, request, *args, **kwargs):
        queryset = modified_since(self.get_queryset(), request)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())
