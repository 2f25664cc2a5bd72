from django.contrib import admin

from people.models import DataQualitySnapshot


@admin.register(DataQualitySnapshot)
class DataQualitySnapshotAdmin(admin.ModelAdmin):
    list_display = ["day", "organisation", "kind", "count"]
    list_filter = ["day", "kind"]
    search_fields = ["organisation__name", "kind"]
    list_select_related = ["organisation"]
