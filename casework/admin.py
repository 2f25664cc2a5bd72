"""Admin parts shared by the models that carry a person's INSZ."""

from django.contrib import messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import insz_for_list
from common import insz_search
from common.crypto import insz_digest
from common.validators import contains_insz_like, split_insz_search


def insz_list_column(user, accessor: str = "insz"):
    """A change-list column with the INSZ whole or masked for this user (accounts.access)."""

    def insz(obj):
        target = obj
        for part in accessor.split("__"):
            target = getattr(target, part, None)
        return insz_for_list(user, target or "")

    insz.short_description = _("INSZ number")
    return insz


class INSZSearchAdminMixin:
    """The change list of a model with a person's INSZ: masked per role, searched by exact INSZ through
    the keyed hash, and never with the number in the address.

    The search box posts (templates/admin/<app>/<model>/search_form.html); an
    INSZ is swapped for a session token (common/insz_search.py). A GET whose
    search text is an INSZ finds nothing and says where to search.
    """

    insz_search_field = "insz_digest"  # the digest column, through the relation to the person
    insz_list_accessor = "insz"

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        if "insz" in display:
            display[display.index("insz")] = insz_list_column(request.user, self.insz_list_accessor)
        return display

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_insz_search" in request.POST:
            return insz_search.redirect_after_search(
                request, request.POST, drop=("csrfmiddlewaretoken", "_insz_search")
            )
        if insz_search.PARAM in request.GET:
            request.GET = request.GET.copy()
            request._insz_search_text = insz_search.recall(request, request.GET.pop(insz_search.PARAM)[0])
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        text = getattr(request, "_insz_search_text", None)
        if text:
            numbers, rest = split_insz_search(text)
            for number in numbers:
                queryset = queryset.filter(**{self.insz_search_field: insz_digest(number)})
            if not rest:
                return queryset, False
            return super().get_search_results(request, queryset, rest)
        if contains_insz_like(search_term):
            messages.warning(
                request, gettext("Search an INSZ number with the search box: it is then not sent in the address.")
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
