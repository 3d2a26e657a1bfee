from django.urls import path

from hofburg.registry import views

app_name = "registry"

urlpatterns = [
    path("states/", views.state_list, name="states"),
    path("states/<str:iso2>/", views.state_detail, name="state"),
    path("map/", views.area_map, name="map"),
    path("map/areas.json", views.map_areas, name="map_areas"),
    path("chairmanships/", views.chairmanships, name="chairmanships"),
    path("field-operations/", views.field_operations, name="field_operations"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("partners/", views.partners, name="partners"),
    path("institutions/", views.institutions, name="institutions"),
]
