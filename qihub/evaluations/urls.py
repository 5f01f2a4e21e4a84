from django.urls import path

from qihub.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("orders/<str:number>/evaluate/", views.evaluate, name="evaluate"),
    path("orders/<str:number>/return-visits/", views.return_visits, name="return_visits"),
]
