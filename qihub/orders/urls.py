from django.urls import path

from qihub.orders import views

app_name = "orders"

urlpatterns = [
    path("orders/", views.my_orders, name="mine"),
    path("orders/new/<int:service_id>/", views.place, name="place"),
    path("orders/<str:number>/", views.detail, name="detail"),
    path("orders/<str:number>/confirm/", views.confirm, name="confirm"),
    path("orders/<str:number>/accept/", views.accept, name="accept"),
    path("orders/<str:number>/refuse/", views.refuse, name="refuse"),
    path("orders/<str:number>/cancel/", views.cancel, name="cancel"),
    path("orders/<str:number>/progress/", views.progress, name="progress"),
    path("orders/<str:number>/complete/", views.complete, name="complete"),
    path("orders/<str:number>/report/", views.issue_report, name="issue_report"),
    path("orders/<str:number>/report.pdf", views.download_report, name="report_pdf"),
    path("orders/<str:number>/collection/", views.collection, name="collection"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("institution/orders/", views.institution_orders, name="institution"),
    path("ops/orders/", views.staff_orders, name="staff"),
]
