"""Reports under /rapporten/."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("nieuw/", views.report_create, name="create"),
    path("parlementaire-vraag/", views.pack, name="pack"),
    path("parlementaire-vraag/export.xlsx", views.pack_export, name="pack_export"),
    path("parlementaire-vraag/op-de-achtergrond/", views.pack_background, name="pack_background"),
    path("<slug:slug>/", views.report_run, name="run"),
    path("<slug:slug>/cel/", views.report_cell, name="cell"),
    path("<slug:slug>/export.<str:fmt>", views.report_export, name="export"),
    path("<slug:slug>/bewerken/", views.report_update, name="update"),
    path("<slug:slug>/kopieren/", views.report_copy, name="copy"),
    path("<slug:slug>/verwijderen/", views.report_delete, name="delete"),
]
