from django.urls import path

from qihub.orders import views
from qihub.orders.actions import ACTIONS

app_name = "orders"

urlpatterns = [
    path("orders/", views.my_orders, name="mine"),
    path("orders/new/<int:service_id>/", views.place, name="place"),
    path("orders/<str:number>/", views.detail, name="detail"),
    *ACTIONS.urls("orders/"),
    path("orders/<str:number>/report.pdf", views.download_report, name="report_pdf"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("institution/orders/", views.institution_orders, name="institution"),
    path("ops/orders/", views.staff_orders, name="staff"),
]
