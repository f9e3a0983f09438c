"""The web API (FastAPI): `api.app.create_app` builds it. Kept import-light: query workers import api.worker."""
