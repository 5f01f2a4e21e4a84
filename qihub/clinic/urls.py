from django.urls import path

from qihub.clinic import views
from qihub.clinic.actions import ACTIONS

app_name = "clinic"

urlpatterns = [
    path("clinic/", views.consultations, name="list"),
    path("clinic/ask/", views.ask, name="ask"),
    path("clinic/library/", views.library_list, name="library"),
    path("clinic/library/<str:number>/", views.library_entry, name="library_entry"),
    path("clinic/experts/", views.experts, name="experts"),
    path("clinic/experts/new/", views.expert_new, name="expert_new"),
    path("clinic/experts/<int:pk>/", views.expert, name="expert"),
    path("clinic/<str:number>/", views.detail, name="detail"),
    path("clinic/<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
    *ACTIONS.urls("clinic/"),
]
