"""Report pages."""

from django.http import HttpResponse


def report_list(request):
    return HttpResponse("")
