"""A form renderer that writes Django's select and input widgets in Python, as their templates would.

Every list page shows its filter form, whose selects (offices, employers, instruments, provinces ...)
Django renders through three templates per option (select.html includes select_option.html, which
includes attrs.html): the template engine's work for each option was about a tenth of a list
page's Python time (issue 17). `FastFormRenderer` writes the HTML of those templates in Python,
with the same escaping (`render_value_in_context`, as `{{ }}` does) and the same filters
(`stringformat:'s'`), so that labels, values and attributes (aria-*, required, ...) come out as
they did; any other template (and any widget context it does not recognise) goes to Django's
templates. tests/test_fast_rendering.py compares the two for every filter form.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

# Tests turn this off to render every widget through Django's templates and compare.
ENABLED = True

WIDGETS = "django/forms/widgets/"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
# The templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    )
)

# What the renderer's templates are rendered with: autoescape on, localisation and time zone as set.
TEMPLATE_CONTEXT = Context()


class NotPlain(Exception):
    """A value the template engine would treat specially (a callable): left to the templates."""


class FastFormRenderer(DjangoTemplates):
    """Django's default form renderer, with selects and inputs written in Python (see the module)."""

    def render(self, template_name, context, request=None):
        if ENABLED:
            try:
                html = render_widget(template_name, context)
            except (NotPlain, KeyError):  # left to the templates
                html = None
            if html is not None:
                return html
        return super().render(template_name, context, request=request)


def render_widget(template_name, context) -> str | None:
    """The widget's HTML, or None for a template this module does not write."""
    widget = context.get("widget")
    if not isinstance(widget, dict):
        return None
    if template_name == SELECT:
        return select_html(widget)
    if template_name in INPUTS:
        return input_html(widget)
    return None


def show(value) -> str:
    """`{{ value }}`."""
    if callable(value):  # the template engine would call it
        raise NotPlain
    return render_value_in_context(value, TEMPLATE_CONTEXT)


def show_as_string(value) -> str:
    """`{{ value|stringformat:'s' }}`: stringformat keeps a safe string safe (is_safe=True)."""
    if callable(value):
        raise NotPlain
    text = stringformat(value, "s")
    return show(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 - was safe already


def attrs_html(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {show(name)}" if value is True else f' {show(name)}="{show_as_string(value)}"')
    return "".join(parts)


def option_html(option) -> str:
    """django/forms/widgets/select_option.html (with the newline its file ends with)."""
    if option.get("template_name") != OPTION:
        raise NotPlain
    return f'<option value="{show_as_string(option["value"])}"{attrs_html(option["attrs"])}>{show(option["label"])}</option>\n'


def select_html(widget) -> str:
    """django/forms/widgets/select.html, stripped as the renderer strips a template's output."""
    parts = [f'<select name="{show(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _group_index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{show(group_name)}">')
        parts.extend(f"\n  {option_html(option)}" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped by show()


def input_html(widget) -> str:
    """django/forms/widgets/input.html, stripped."""
    value = widget.get("value")
    shown = f' value="{show_as_string(value)}"' if value is not None else ""
    return mark_safe(  # noqa: S308 - every value escaped by show()
        f'<input type="{show(widget["type"])}" name="{show(widget["name"])}"{shown}{attrs_html(widget["attrs"])}>'
    )
