"""The web API (FastAPI): `ttdn_graph.web.app.create_app` builds it. Kept import-light: query workers import ttdn_graph.web.worker."""
