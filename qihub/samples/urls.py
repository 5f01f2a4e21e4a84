from django.urls import path

from qihub.samples import views
from qihub.samples.actions import ACTIONS

app_name = "samples"

urlpatterns = [
    path("samples/", views.sample_list, name="list"),
    path("samples/scan/", views.scan, name="scan"),
    path("orders/<str:number>/samples/new/", views.register, name="register"),
    path("samples/<str:code>/", views.detail, name="detail"),
    path("samples/<str:code>/label/", views.label, name="label"),
    *ACTIONS.urls("samples/"),
]
