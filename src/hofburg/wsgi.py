"""WSGI entry point for deployments (`hofburg serve` uses it too)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hofburg.settings")
application = get_wsgi_application()
