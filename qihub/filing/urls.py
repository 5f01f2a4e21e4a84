from django.urls import path

from qihub.filing import views
from qihub.filing.actions import ACTIONS

app_name = "filing"

urlpatterns = [
    path("ops/filing/", views.index, name="index"),
    path("ops/filing/rules/", views.rules, name="rules"),
    path("ops/filing/due/", views.due, name="due"),
    path("ops/filing/<int:year>/<str:retention>/", views.catalogue, name="catalogue"),
    path(
        "ops/filing/<int:year>/<str:retention>/catalogue.pdf",
        views.catalogue_pdf,
        name="catalogue_pdf",
    ),
    path("ops/filing/items/<str:number>/", views.item, name="item"),
    *ACTIONS.urls("ops/filing/items/"),
]
