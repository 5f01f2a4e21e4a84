from django.urls import path

from qihub.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("info/", views.public_info, name="public_info"),
    path("services/", views.services, name="services"),
    path("services/<slug:code>/", views.service_guide, name="guide"),
    path("ops/services/<slug:code>/edit/", views.edit_guide, name="edit_guide"),
]
