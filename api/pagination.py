"""Cursor pagination by id: a page stays right while records are added (a synchronisation's loop)."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = 200
