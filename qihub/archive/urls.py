from django.urls import path

from qihub.archive import views
from qihub.archive.actions import ACTIONS

app_name = "archive"

urlpatterns = [
    path("archive/", views.grants, name="grants"),
    path("archive/mine/", views.mine, name="mine"),
    path("archive/reads/", views.reads, name="reads"),
    path("archive/enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("archive/enterprises/<int:pk>/archive.pdf", views.export_pdf, name="pdf"),
    path("archive/enterprises/<int:pk>/files.zip", views.export_zip, name="zip"),
    path("archive/grants/<str:number>/", views.grant, name="detail"),
    *ACTIONS.urls("archive/grants/"),
]
