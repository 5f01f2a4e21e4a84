from django.urls import path

from qihub.bookings import views
from qihub.bookings.actions import ACTIONS

app_name = "bookings"

urlpatterns = [
    path("bookings/", views.mine, name="mine"),
    path("bookings/today/", views.today, name="today"),
    path("bookings/stations/<int:pk>/", views.station, name="station"),
    path("bookings/resources/<int:pk>/", views.resource_page, name="resource"),
    path("bookings/resources/<int:pk>/day/", views.day, name="day"),
    path("bookings/resources/<int:pk>/policy/", views.policy, name="policy"),
    path("bookings/<str:number>/", views.detail, name="detail"),
    path("bookings/<str:number>/calendar.ics", views.calendar_file, name="ics"),
    *ACTIONS.urls("bookings/"),
]
