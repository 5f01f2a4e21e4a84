from django.urls import path

from qihub.agency import views
from qihub.agency.actions import ACTIONS

app_name = "agency"

urlpatterns = [
    path("agency/", views.mine, name="mine"),
    path("agency/new/", views.new, name="new"),
    path("agency/queue/", views.queue, name="queue"),
    path("agency/<str:number>/", views.detail, name="detail"),
    path("agency/<str:number>/print/", views.printable, name="print"),
    *ACTIONS.urls("agency/"),
]
