from django.urls import path

from qihub.improvement import views
from qihub.improvement.actions import ACTION_ACTIONS, PLAN_ACTIONS

app_name = "improvement"

urlpatterns = [
    path("improvement/", views.plans, name="plans"),
    path("improvement/mine/", views.my_actions, name="mine"),
    path("improvement/public/", views.public_list, name="public_list"),
    path("improvement/public/<str:year>/", views.public, name="public"),
    path("improvement/actions/<str:number>/", views.action, name="action"),
    *ACTION_ACTIONS.urls("improvement/actions/"),
    path("improvement/<str:year>/", views.plan, name="plan"),
    path("improvement/<str:year>/export.xlsx", views.export, name="export"),
    *PLAN_ACTIONS.urls("improvement/"),
]
