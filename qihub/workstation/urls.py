from django.urls import path

from qihub.workstation import views
from qihub.workstation.actions import ACTIONS

app_name = "workstation"

urlpatterns = [
    path("workstation/manual/", views.manual, name="manual"),
    path("workstation/manual/edit/", views.manual_edit, name="manual_edit"),
    path("workstation/manual/<int:number>/", views.manual, name="manual_version"),
    path("workstation/figures/", views.figures, name="figures"),
    path("workstation/figures/template.xlsx", views.figure_template, name="figure_template"),
    path("workstation/figures/chart.svg", views.figure_chart, name="figure_chart"),
    path("workstation/directories/", views.directories, name="directories"),
    path("workstation/directories/<slug:kind>/new/", views.directory_new, name="directory_new"),
    path(
        "workstation/directories/<slug:kind>/import/",
        views.directory_import,
        name="directory_import",
    ),
    path(
        "workstation/directories/<slug:kind>/<int:pk>/", views.directory_new, name="directory_edit"
    ),
    path("workstation/match/", views.matching, name="match"),
    path("workstation/projects/", views.projects, name="projects"),
    path("workstation/projects/<str:number>/", views.project, name="project"),
    *ACTIONS.urls("workstation/projects/"),
]
