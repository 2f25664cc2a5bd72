"""Saved reports in the Django admin, for administrators who prefer it to the report builder."""

from django.contrib import admin

from reports.models import SavedReport


@admin.register(SavedReport)
class SavedReportAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "measure", "in_pack", "pack_position", "suppress_small_cells"]
    list_filter = ["measure", "in_pack", "suppress_small_cells"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
