from django.urls import path

from qihub.biomed import views
from qihub.biomed.actions import ACTIONS

app_name = "biomed"

urlpatterns = [
    path("biomed/archives/", views.archives, name="archives"),
    path("biomed/archives/new/", views.open_archive, name="open"),
    path("biomed/follow-ups/overdue/", views.overdue, name="overdue"),
    path("biomed/archives/<str:number>/", views.archive, name="archive"),
    path("biomed/archives/<str:number>/documents/<int:pk>/", views.document, name="document"),
    *ACTIONS.urls("biomed/archives/"),
]
