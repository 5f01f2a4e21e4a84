from django.urls import path

from qihub.training import views
from qihub.training.actions import ACTIONS

app_name = "training"

urlpatterns = [
    path("training/", views.events, name="events"),
    path("training/events/new/", views.new_event, name="new_event"),
    path("training/events/<str:number>/", views.event, name="event"),
    path("training/events/<str:number>/enrol/", views.enrol, name="enrol"),
    path("training/events/<str:number>/check-in/", views.check_in_by_code, name="check_in_code"),
    path("training/mine/", views.my_enrolments, name="mine"),
    path("training/scan/<str:code>/", views.scan, name="scan"),
    path("training/enrolments/<str:code>/", views.enrolment, name="enrolment"),
    path("training/enrolments/<str:code>/certificate/", views.certificate, name="certificate"),
    *ACTIONS.urls("training/enrolments/"),
    path("training/staff/me/", views.my_records, name="my_records"),
    path("training/staff/me/outside/", views.add_outside, name="add_outside"),
    path("training/staff/me/qualifications/", views.add_qualification, name="add_qualification"),
    path("training/pledges/sign/", views.sign_pledge, name="sign_pledge"),
    path("training/staff/", views.staff_overview, name="staff"),
    path("training/pledges/", views.pledge_versions, name="pledges"),
]
