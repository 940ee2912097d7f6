"""The open-data JSON API (django-ninja router mounted in territoria/api.py)."""

from ninja import Router

router = Router(tags=["Données ouvertes"])
