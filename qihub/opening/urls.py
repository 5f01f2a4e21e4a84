from django.urls import path

from qihub.opening import views

app_name = "opening"

urlpatterns = [
    path("open/", views.hub, name="hub"),
    path("open/labs/", views.labs, name="labs"),
    path("open/labs/<int:pk>/", views.lab, name="lab"),
    path("open/results/", views.results, name="results"),
    path("open/results/<int:pk>/", views.result, name="result"),
    path("open/mine/labs/", views.my_labs, name="my_labs"),
    path("open/mine/labs/new/", views.lab_new, name="lab_new"),
    path("open/mine/labs/<int:pk>/", views.lab_edit, name="lab_edit"),
    path("open/mine/results/", views.my_results, name="my_results"),
    path("open/mine/results/new/", views.result_new, name="result_new"),
    path("open/mine/results/<int:pk>/", views.result_edit, name="result_edit"),
    path("open/mine/results/<int:pk>/toggle/", views.result_toggle, name="result_toggle"),
]
