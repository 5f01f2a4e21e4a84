from django.urls import path

from qihub.diagnosis import views
from qihub.diagnosis.actions import PROBLEM_ACTIONS, SHOWCASE_ACTIONS

app_name = "diagnosis"

urlpatterns = [
    path("diagnosis/", views.visits, name="visits"),
    path("diagnosis/new/", views.new_visit, name="new"),
    path("diagnosis/risks/", views.risk_list, name="risks"),
    path("diagnosis/results/", views.my_results, name="my_results"),
    path("diagnosis/results/<int:pk>/", views.results_of, name="results_of"),
    path("diagnosis/problems/<int:pk>/", views.problem, name="problem"),
    *PROBLEM_ACTIONS.urls("diagnosis/problems/"),
    path("diagnosis/<str:number>/", views.visit, name="visit"),
    path("showcase/", views.showcase, name="showcase"),
    path("showcase/mine/", views.my_showcase, name="my_showcase"),
    path("showcase/<int:pk>/", views.showcase_entry, name="showcase_entry"),
    path("showcase/<int:pk>/photo/", views.showcase_photo, name="showcase_photo"),
    *SHOWCASE_ACTIONS.urls("showcase/"),
    path("ops/showcase/", views.manage_showcase, name="manage_showcase"),
]
