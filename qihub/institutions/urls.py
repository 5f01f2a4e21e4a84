from django.urls import path

from qihub.institutions import views

app_name = "institutions"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("institutions/lookup/<slug:kind>/", views.lookup, name="lookup"),
    path("institutions/<str:uscc>/", views.profile, name="profile"),
    path("institution/deregister/", views.deregister_self, name="deregister_self"),
    path("ops/institutions/", views.institution_list, name="ops_list"),
    path(
        "ops/institutions/<int:pk>/deregister/",
        views.deregister_by_platform,
        name="deregister_by_platform",
    ),
]
