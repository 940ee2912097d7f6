"""The funding JSON API (read-only): programmes and eligibility by official codes."""

from ninja import Router

router = Router(tags=["Financements"])
