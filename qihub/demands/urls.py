from django.urls import path

from qihub.demands import views

app_name = "demands"

urlpatterns = [
    path("demands/", views.my_demands, name="mine"),
    path("demands/new/", views.publish, name="publish"),
    path("demands/<str:number>/", views.detail, name="detail"),
    path("demands/<str:number>/respond/", views.respond, name="respond"),
    path("demands/<str:number>/reassign/", views.reassign, name="reassign"),
    path("demands/<str:number>/shortlist/", views.shortlist, name="shortlist"),
    path("demands/<str:number>/send/", views.send, name="send"),
    path("demands/<str:number>/refer/", views.refer, name="refer"),
    path("demands/<str:number>/contact/", views.contact, name="contact"),
    path("demands/<str:number>/change/", views.change, name="change"),
    path("demands/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("demands/<str:number>/close/", views.close, name="close"),
    path("ops/demands/", views.queue, name="queue"),
    path("ops/demands/new/", views.staff_publish, name="staff_publish"),
    path("institution/demands/", views.institution_demands, name="institution"),
    path("station/visits/", views.visits, name="visits"),
]
