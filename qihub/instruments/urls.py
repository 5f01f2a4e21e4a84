from django.urls import path

from qihub.instruments import views

app_name = "instruments"

urlpatterns = [
    path("instruments/", views.public_list, name="list"),
    path("instruments/mine/", views.mine, name="mine"),
    path("instruments/new/", views.edit, name="new"),
    path("instruments/fees/", views.fees, name="fees"),
    path("instruments/fees/<str:number>/", views.fee_slip, name="fee_slip"),
    path("instruments/stats/", views.stats, name="stats"),
    path("instruments/use/<str:number>/<str:edge>/", views.use, name="use"),
    path("instruments/<int:pk>/", views.detail, name="detail"),
    path("instruments/<int:pk>/photo/", views.photo, name="photo"),
    path("instruments/<int:pk>/edit/", views.edit, name="edit"),
    path("instruments/<int:pk>/listing/", views.listing, name="listing"),
    path("instruments/<int:pk>/permits/", views.add_permit, name="add_permit"),
]
