from django.urls import path

from qihub.stations import views

app_name = "stations"

urlpatterns = [
    path("stations/", views.directory, name="directory"),
    path("stations/<int:pk>/", views.detail, name="detail"),
    path("stations/mine/", views.mine, name="mine"),
    path("ops/stations/new/", views.new_station, name="new"),
    path("ops/stations/<int:pk>/manage/", views.manage, name="manage"),
    path("stations/<int:pk>/board/", views.board, name="board"),
    path("stations/<int:pk>/upkeep/", views.upkeep, name="upkeep"),
    path("stations/<int:pk>/upkeep/<int:item>/log/", views.upkeep_log, name="upkeep_log"),
    path("stations/upkeep-due/", views.upkeep_due, name="upkeep_due"),
    path("stations/assessments/", views.assessments, name="assessments"),
    path("stations/<int:pk>/assessment/", views.assessment_now, name="assessment_now"),
    path("stations/<int:pk>/assessment/<int:year>/", views.assessment, name="assessment"),
    path(
        "stations/<int:pk>/assessment/<int:year>.xlsx",
        views.assessment_export,
        name="assessment_export",
    ),
]
