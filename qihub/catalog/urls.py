from django.urls import path

from qihub.catalog import views
from qihub.catalog.actions import ACTIONS

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("info/", views.public_info, name="public_info"),
    path("services/", views.services, name="services"),
    path("services/<slug:code>/", views.service_guide, name="guide"),
    path("ops/services/<slug:code>/edit/", views.edit_guide, name="edit_guide"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    *ACTIONS.urls("notices/"),
    path("ops/notices/", views.manage_notices, name="manage_notices"),
]
