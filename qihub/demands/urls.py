from django.urls import path

from qihub.demands import views
from qihub.demands.actions import ACTIONS

app_name = "demands"

urlpatterns = [
    path("demands/", views.my_demands, name="mine"),
    path("demands/new/", views.publish, name="publish"),
    path("demands/<str:number>/", views.detail, name="detail"),
    *ACTIONS.urls("demands/"),
    path("ops/demands/", views.queue, name="queue"),
    path("ops/demands/follow-ups/", views.follow_ups, name="follow_ups"),
    path("ops/demands/new/", views.staff_publish, name="staff_publish"),
    path("institution/demands/", views.institution_demands, name="institution"),
    path("station/visits/", views.visits, name="visits"),
]
