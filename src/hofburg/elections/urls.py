from django.urls import path

from hofburg.elections import openrosa

# Mounted at /openrosa/ (the server URL given to ODK Collect), namespace "openrosa".
openrosa_urls = ([
    path("formList", openrosa.form_list, name="form_list"),
    path("forms/<str:form_id>/<str:version>.xml", openrosa.form_download, name="form"),
    path("submission", openrosa.submission, name="submission"),
], "openrosa")
