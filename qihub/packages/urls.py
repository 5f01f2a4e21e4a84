from django.urls import path

from qihub.packages import views
from qihub.packages.actions import ACTIONS

app_name = "packages"

urlpatterns = [
    path("packages/", views.mine, name="mine"),
    path("packages/new/", views.new, name="new"),
    path("packages/queue/", views.queue, name="queue"),
    path("packages/<str:number>/", views.detail, name="detail"),
    *ACTIONS.urls("packages/"),
]
