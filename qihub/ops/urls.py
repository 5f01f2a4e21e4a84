from django.urls import path

from qihub.ops import views

app_name = "ops"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("health/charts/<slug:name>.svg", views.health_chart, name="health_chart"),
    path("errors/", views.errors, name="errors"),
    path("clocks/<int:pk>/", views.clock_detail, name="clock_detail"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/official/", views.calendar_mark_official, name="calendar_official"),
    path("calendar/import/", views.calendar_import, name="calendar_import"),
    path("notifications/test/", views.test_notification, name="test_notification"),
]
