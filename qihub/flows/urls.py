from django.urls import path

from qihub.flows import views
from qihub.flows.actions import RUN_ACTIONS

app_name = "flows"

urlpatterns = [
    path("flows/", views.runs, name="runs"),
    path("flows/start/<str:code>/", views.start, name="start"),
    path("flows/runs/<str:number>/", views.run, name="run"),
    *RUN_ACTIONS.urls("flows/runs/"),
    path("ops/flows/", views.manage, name="manage"),
    path("ops/flows/<str:code>/", views.edit, name="edit"),
]
