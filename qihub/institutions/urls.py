from django.urls import path

from qihub.institutions import synonym_views, views
from qihub.institutions.actions import ACTIONS

app_name = "institutions"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("institutions/lookup/<slug:kind>/", views.lookup, name="lookup"),
    path("institutions/<str:uscc>/", views.profile, name="profile"),
    path("institution/services/", views.my_services, name="my_services"),
    path("institution/services/<int:pk>/edit/", views.edit_service, name="edit_service"),
    path("institution/services/<int:pk>/toggle/", views.toggle_service, name="toggle_service"),
    path("institution/deregister/", views.deregister_self, name="deregister_self"),
    path("institution/closure/", views.report_closure, name="report_closure"),
    path("institution/qualifications/", views.my_qualifications, name="my_qualifications"),
    path(
        "institution/qualifications/<slug:kind>/",
        views.my_qualifications,
        name="submit_qualification_change",
    ),
    path(
        "qualification-changes/<str:number>/",
        views.qualification_change,
        name="qualification_change",
    ),
    *ACTIONS.urls("qualification-changes/"),
    path("ops/qualification-changes/", views.change_queue, name="change_queue"),
    path("ops/institutions/", views.institution_list, name="ops_list"),
    path("ops/institutions/import/", views.import_page, name="import"),
    path("ops/institutions/import/template.xlsx", views.import_template, name="import_template"),
    path("ops/institutions/import/<int:pk>/", views.import_job, name="import_job"),
    path("ops/search-misses/", views.search_misses, name="search_misses"),
    path("ops/synonyms/", synonym_views.synonyms, name="synonyms"),
    path("ops/synonyms/new/", synonym_views.add_synonym, name="add_synonym"),
    path("ops/synonyms/<int:pk>/delete/", synonym_views.delete_synonym, name="delete_synonym"),
    path(
        "ops/institutions/<int:pk>/deregister/",
        views.deregister_by_platform,
        name="deregister_by_platform",
    ),
    path("ops/institutions/<int:pk>/restore/", views.restore, name="restore"),
]
