"""The schema (OpenAPI 3, drf-spectacular) and a reference page rendered from it on the server: no
script from elsewhere (the Content-Security-Policy allows none), readable by every signed-in user."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView

METHODS = ("get", "post", "put", "patch", "delete")


class SchemaView(SpectacularAPIView):
    """/api/v1/schema/: JSON by default, YAML with ?format=yaml; with any valid key."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]
    capability = None
    read_only_post = True


@functools.cache
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _properties(schema: dict, components: dict) -> list[dict]:
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    rows = []
    for name, spec in schema.get("properties", {}).items():
        if "$ref" in spec or "allOf" in spec:
            kind = (spec.get("$ref") or spec["allOf"][0].get("$ref", "")).rsplit("/", 1)[-1]
        else:
            kind = spec.get("type", "")
            if spec.get("format"):
                kind = f"{kind} ({spec['format']})"
        rows.append(
            {"name": name, "type": kind, "required": name in required, "description": spec.get("description", "")}
        )
    return rows


def operations() -> list[dict]:
    """Every operation of the schema: method, path, summary, parameters, body fields, answers."""
    schema = _schema()
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            answers = []
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                shape = next(iter(content.values()), {}).get("schema", {}) if content else {}
                answers.append({"status": status, "fields": _properties(shape, components)})
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation.get("operationId", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": _properties(body, components),
                    "answers": answers,
                }
            )
    return found


@login_required
def reference_page(request):
    return render(
        request,
        "api/reference.html",
        {"title": _("API reference"), "operations": operations(), "info": _schema()["info"]},
    )
