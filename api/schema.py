"""How the schema describes the API's key: an HTTP bearer token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API key (page API-sleutels)."}


PROBLEM = {
    "type": "object",
    "description": "An error (RFC 9457), in the caller's language; `errors` holds the messages per field.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["type", "title", "status", "detail"],
}
# Every operation may answer these; writes also 409 and 422 (Idempotency-Key), a change 412 and 428.
EVERY_OPERATION = ("400", "401", "403", "404", "405", "406", "415", "429")
WRITES = ("409", "422")
CHANGES = ("412", "428")


def add_problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: the problem documents each operation may answer with."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    answer = {
        "description": "A problem (application/problem+json).",
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = list(EVERY_OPERATION)
            if method in ("post", "patch", "put"):
                codes += WRITES
            if any(parameter.get("name") == "If-Match" for parameter in operation.get("parameters", [])):
                codes += CHANGES
            for code in codes:
                operation["responses"].setdefault(code, answer)
    return result
