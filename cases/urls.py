from django.urls import path

from cases import views

urlpatterns = [
    path("inspections/<slug:slug>/", views.inspection_overview, name="inspection-overview"),
]
