from django.urls import path

from qihub.bulletins import views
from qihub.bulletins.actions import ACTIONS

app_name = "bulletins"

urlpatterns = [
    path("bulletins/policies/", views.policies, name="policies"),
    path("bulletins/policies/new/", views.policy_form, name="policy_new"),
    path("bulletins/policies/<int:pk>/", views.policy, name="policy"),
    path("bulletins/policies/<int:pk>/edit/", views.policy_form, name="policy_edit"),
    path("bulletins/alerts/", views.alert_list, name="alerts"),
    path("bulletins/alerts/new/", views.alert_new, name="alert_new"),
    path("bulletins/alerts/<int:pk>/", views.alert, name="alert"),
    path("bulletins/subscriptions/", views.subscriptions, name="subscriptions"),
    path("bulletins/subscriptions/<int:pk>/delete/", views.unsubscribe, name="unsubscribe"),
    path("bulletins/defects/", views.defects, name="defects"),
    path("bulletins/defects/new/", views.defect_new, name="defect_new"),
    path("bulletins/defects/<str:number>/", views.defect, name="defect"),
    *ACTIONS.urls("bulletins/defects/"),
]
