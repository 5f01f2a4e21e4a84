from django.urls import path

from qihub.onboarding import views
from qihub.onboarding.actions import ACTIONS

app_name = "onboarding"

urlpatterns = [
    path("register/", views.choose_kind, name="choose"),
    path("register/status/", views.status, name="status"),
    path("register/mobile-code/", views.mobile_code, name="mobile_code"),
    path("register/scope-template.xlsx", views.scope_template, name="scope_template"),
    path("register/pledge.pdf", views.pledge_template, name="pledge_template"),
    path("register/application-form.xlsx", views.application_template, name="application_template"),
    path("register/<str:kind>/", views.register, name="register"),
    path("register/<str:kind>/held/<str:field>/remove/", views.remove_held, name="remove_held"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("applications/<str:pk>/", views.application, name="application"),
    *ACTIONS.urls("applications/"),
    path("ops/reviews/", views.queue, name="queue"),
    path("ops/reviews/<int:pk>/", views.review, name="review"),
    path("ops/reviews/<int:pk>/reveal/", views.reveal_id_number, name="reveal"),
    path("member/changes/", views.my_changes, name="my_changes"),
    path("ops/changes/", views.change_queue, name="change_queue"),
    path("ops/changes/<int:pk>/decide/", views.decide_change, name="decide_change"),
]
