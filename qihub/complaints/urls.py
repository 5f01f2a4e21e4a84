from django.urls import path

from qihub.complaints import views
from qihub.complaints.actions import ACTIONS, OPINION_ACTIONS

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.mine, name="mine"),
    path("complaints/new/", views.new, name="new"),
    path("complaints/<str:number>/", views.detail, name="detail"),
    *ACTIONS.urls("complaints/"),
    path("ops/complaints/", views.queue, name="queue"),
    path("ops/complaints/new/", views.staff_new, name="staff_new"),
    path("institution/complaints/", views.institution, name="institution"),
    path("opinions/new/", views.opinion_new, name="opinion_new"),
    path("ops/opinions/", views.opinions, name="opinions"),
    path("ops/opinions/<str:number>/", views.opinion, name="opinion"),
    *OPINION_ACTIONS.urls("ops/opinions/"),
]
