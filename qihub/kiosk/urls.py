from django.urls import path

from qihub.kiosk import views

app_name = "kiosk"

urlpatterns = [
    path("kiosk/", views.start, name="start"),
    path("kiosk/reset/", views.reset, name="reset"),
    path("kiosk/guides/", views.guides, name="guides"),
    path("kiosk/guides/<slug:code>/", views.guide, name="guide"),
    path("kiosk/guides/<slug:code>/slip/", views.guide_slip, name="slip"),
    path("kiosk/institutions/", views.institutions, name="institutions"),
    path("kiosk/stations/", views.stations, name="stations"),
    path("kiosk/notices/", views.notices, name="notices"),
    path("kiosk/notices/<int:pk>/", views.notice, name="notice"),
    path("kiosk/report/", views.report, name="report"),
    path("kiosk/print/<str:token>/", views.print_report, name="print_report"),
    path("kiosk/print/<str:token>/report.pdf", views.report_pdf, name="report_pdf"),
    path("kiosk/ticket/", views.ticket, name="ticket"),
    path("kiosk/ticket/<int:pk>/", views.ticket_print, name="ticket_print"),
    path("orders/<str:number>/kiosk-qr/", views.phone_qr, name="phone_qr"),
]
