from django.urls import path

from qihub.equipment import views

app_name = "equipment"

urlpatterns = [
    path("equipment/instruments/", views.instruments, name="instruments"),
    path("equipment/instruments/new/", views.new_instrument, name="new_instrument"),
    path("equipment/instruments/import/", views.import_ledger, name="import"),
    path("equipment/instruments/template/", views.import_template, name="template"),
    path("equipment/instruments/export/", views.export, name="export"),
    path("equipment/special/", views.special, name="special"),
    path("equipment/special/new/", views.new_special, name="new_special"),
    path("equipment/request/", views.request_demand, name="request"),
    path("equipment/<int:pk>/", views.detail, name="detail"),
    path("equipment/<int:pk>/edit/", views.edit, name="edit"),
    path("equipment/<int:pk>/schedules/", views.add_schedule, name="add_schedule"),
    path("equipment/<int:pk>/schedules/<int:schedule>/levels/", views.set_levels, name="levels"),
    path("equipment/<int:pk>/certificates/", views.record_certificate, name="certificate"),
    path("equipment/<int:pk>/service/", views.toggle_service, name="service"),
    path("equipment/<int:pk>/label/", views.label, name="label"),
    path("equipment/<int:pk>/green-channel/", views.green_channel_request, name="green_channel"),
    path("equipment/<int:pk>/self-checks/", views.self_check, name="self_check"),
    path(
        "equipment/<int:pk>/findings/<int:finding>/fixed/",
        views.finding_fixed,
        name="finding_fixed",
    ),
    path(
        "equipment/<int:pk>/findings/<int:finding>/help/", views.finding_help, name="finding_help"
    ),
]
