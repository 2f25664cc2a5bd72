"""Errors as `application/problem+json` (RFC 9457): type, title, status, detail and, for a refused
submission, `errors`: the messages per field (`non_field_errors` for the record as a whole), in the
user's language, the same messages as the screens' forms."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    428: "Precondition Required",
    429: "Too Many Requests",
}


def problem(status_code: int, detail: str, *, errors: dict | None = None, headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status_code, ""), "status": status_code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_TYPE
    return response


def field_errors(form_errors) -> dict:
    """A form's (or a ValidationError's) messages by field, as plain strings."""
    return {
        ("non_field_errors" if field == NON_FIELD_ERRORS else field): [str(message) for message in messages]
        for field, messages in form_errors.items()
    }


def validation_problem(errors: dict) -> Response:
    first = next((messages[0] for messages in errors.values() if messages), "")
    return problem(400, first or _("The submission is not valid."), errors=errors)


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def _own_words(exc):
    """DRF's refusals in the project's words and catalogue (DRF is not an installed app: its catalogue
    would override Django's Dutch form messages), so that they are Dutch, or English when chosen."""
    if isinstance(exc, (Http404, exceptions.NotFound)):
        return exceptions.NotFound(_("Not found, or not yours to see."))
    if isinstance(exc, PermissionDenied) or (
        isinstance(exc, exceptions.PermissionDenied) and exc.detail == exceptions.PermissionDenied.default_detail
    ):
        return exceptions.PermissionDenied(_("You may not do this."))
    if isinstance(exc, exceptions.Throttled):
        seconds = exc.wait if exc.wait is not None else 60
        answer = exceptions.Throttled(wait=exc.wait)
        answer.detail = _("Too many calls with this key. Try again in %(seconds)s seconds.") % {"seconds": int(seconds)}
        return answer
    words = {
        exceptions.NotAuthenticated: _("Send a personal API key: Authorization: Bearer <key>."),
        exceptions.MethodNotAllowed: _("This method is not allowed here."),
        exceptions.ParseError: _("The request body is not valid JSON."),
        exceptions.UnsupportedMediaType: _("Send the request body as application/json."),
        exceptions.NotAcceptable: _("The API answers in JSON only."),
    }
    for kind, detail in words.items():
        if isinstance(exc, kind):
            exc.detail = detail
    return exc


def problem_exception_handler(exc, context):
    """DRF's handler (which also rolls the transaction back), with the answer as a problem document."""
    exc = _own_words(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {key: value for key, value in response.items() if key in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        answer = validation_problem(_flatten(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
        answer = problem(response.status_code, detail if isinstance(detail, str) else str(detail), headers=headers)
    set_rollback()
    return answer
