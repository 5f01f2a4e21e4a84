from django.contrib.auth import views as auth_views
from django.urls import path

from qihub.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("agreement/", views.agreement, name="agreement"),
    path("privacy/", views.privacy, name="privacy"),
    path("workbench/", views.workbench, name="workbench"),
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_id>/revoke/", views.revoke_device, name="revoke_device"),
    path("second-factor/", views.second_factor_page, name="second_factor"),
    path("second-factor/add/", views.second_factor_add, name="second_factor_add"),
    path("second-factor/confirm/", views.second_factor_confirm, name="second_factor_confirm"),
    path(
        "second-factor/<int:device_id>/remove/",
        views.second_factor_remove,
        name="second_factor_remove",
    ),
    path("organisations/", views.organisations, name="organisations"),
]
