from django.urls import path

from qihub.pooling import views
from qihub.pooling.actions import ACTIONS

app_name = "pooling"

urlpatterns = [
    path("pooling/", views.groups, name="groups"),
    path("pooling/create/", views.create, name="create"),
    path("pooling/batches/", views.batches, name="batches"),
    path("pooling/institution/", views.institution, name="institution"),
    path("pooling/offers/", views.offers, name="offers"),
    path("pooling/batches/<str:number>/", views.detail, name="detail"),
    *ACTIONS.urls("pooling/batches/"),
]
