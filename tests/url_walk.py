"""Every named URL of the project, for the tests that walk them all (access matrix, hostile input)."""

from django.urls import URLPattern, URLResolver, get_resolver


def named_patterns(resolver=None, namespace=""):
    """(namespaced name, pattern) of every named URL pattern under `resolver` (the project's by default)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def project_app_labels() -> list[str]:
    """The labels of the project's own apps (those whose code lies in this repository), in settings order."""
    from pathlib import Path

    from django.apps import apps as registry

    root = Path(__file__).resolve().parents[1]
    return [config.label for config in registry.get_app_configs() if Path(config.path).resolve().parent == root]
