from django.urls import path

from qihub.evaluations import quality_views, stats_views, views
from qihub.evaluations.actions import ACTIONS

app_name = "evaluations"

urlpatterns = [
    path("orders/<str:number>/evaluate/", views.evaluate, name="evaluate"),
    path("orders/<str:number>/return-visits/", views.return_visits, name="return_visits"),
    path("return-visits/", views.visits_due, name="visits"),
    path("return-visits/archive/", views.visit_archive, name="visit_archive"),
    path("statistics/", stats_views.public, name="public"),
    path("statistics/chart/<slug:name>.svg", stats_views.chart, name="chart"),
    path("ops/statistics/", stats_views.dashboard, name="dashboard"),
    path("ops/statistics/report.pdf", stats_views.report_pdf, name="report_pdf"),
    path("ops/evaluations/<int:pk>/analyse/", quality_views.analyse, name="analyse"),
    path("rectifications/", quality_views.rectification_list, name="rectifications"),
    path("rectifications/<str:number>/", quality_views.rectification_detail, name="rectification"),
    *ACTIONS.urls("rectifications/"),
    path("ops/rectifications/new/", quality_views.rectification_open, name="rectification_open"),
    path("ops/stations/", quality_views.stations, name="stations"),
    path("ops/stations/<int:pk>/check/", quality_views.window_check, name="window_check"),
    path("ops/satisfaction/", quality_views.campaigns, name="campaigns"),
    path("ops/satisfaction/<int:pk>/", quality_views.campaign, name="campaign"),
    path("ops/staff/", quality_views.staff, name="staff"),
    path("ops/staff/<str:username>/training/", quality_views.training, name="training"),
]
