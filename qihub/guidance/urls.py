from django.urls import path

from qihub.guidance import views
from qihub.guidance.actions import ACTIONS

app_name = "guidance"

urlpatterns = [
    path("guidance/standards/", views.standards, name="standards"),
    path("guidance/standards/new/", views.standard_form, name="standard_new"),
    path("guidance/standards/<int:pk>/", views.standard_form, name="standard_edit"),
    path("guidance/windows/", views.windows, name="windows"),
    path("guidance/windows/new/", views.window_form, name="window_new"),
    path("guidance/windows/<int:pk>/", views.window, name="window"),
    path("guidance/windows/<int:pk>/edit/", views.window_form, name="window_edit"),
    path("guidance/declarations/", views.declarations, name="declarations"),
    path("guidance/declarations/<str:number>/", views.declaration, name="declaration"),
    *ACTIONS.urls("guidance/declarations/"),
]
