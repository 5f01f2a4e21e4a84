from django.urls import path

from qihub.support import views
from qihub.support.actions import ACTIONS

app_name = "support"

urlpatterns = [
    path("support/new/", views.new, name="new"),
    path("support/", views.requests, name="list"),
    path("support/<str:number>/", views.detail, name="detail"),
    path("support/<str:number>/as-user/", views.view_as, name="view_as"),
    path("support/<str:number>/screenshots/<int:pk>/", views.screenshot, name="screenshot"),
    *ACTIONS.urls("support/"),
]
