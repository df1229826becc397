"""Dashboards in the browser: the pages (pages.py) and the few JSON answers they need that no
other route gives in one request (data.py)."""
