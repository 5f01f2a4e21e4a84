from django.urls import path

from qihub.finance import views
from qihub.finance.actions import ACTIONS

app_name = "finance"

urlpatterns = [
    path("finance/", views.directory, name="directory"),
    path("finance/products/new/", views.product_form, name="product_new"),
    path("finance/products/<int:pk>/", views.product, name="product"),
    path("finance/products/<int:pk>/edit/", views.product_form, name="product_edit"),
    path("finance/referrals/", views.referrals, name="referrals"),
    path("finance/referrals/<str:number>/", views.referral, name="referral"),
    *ACTIONS.urls("finance/referrals/"),
]
