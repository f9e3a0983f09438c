"""One gate for user input on the pages, views and named-query routes: bad input is a plain 400, never a 500.

Each router is built with `route_class=GuardedRoute` and `dependencies=[Depends(check_request)]`, so every request
is checked before its handler runs (path and query string valid UTF-8, no control characters, no overlong value),
and a handler names what it expects with `parse_iri`, `iri_or_name` or `choice`. The reasons are short, plain
text, and describe a problem by code point without repeating the value, so nothing sent is reflected back.
The same route class answers a query the query service could not answer in time (QueryFailed: time limit, busy,
memory) with its status — an HTML page, JSON for `format=json`, plain text for the RDF forms — never a hang or a 500.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.routing import APIRoute

from ttdn_graph.views.iri import char_problem, iri_problem
from ttdn_graph.web.worker import QueryFailed

MAX_LENGTH = 2000  # characters in any one value (and in the decoded path)
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,40}")


class BadInput(Exception):
    """A value the route cannot use; `message` is safe to show (it never contains the value)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def clean_text(value: str, name: str) -> str:
    """`value` unchanged when it is usable text: no control characters or U+FFFD, at most MAX_LENGTH long."""
    if len(value) > MAX_LENGTH:
        raise BadInput(f"{name}: longer than {MAX_LENGTH} characters")
    problem = char_problem(value)
    if problem:
        raise BadInput(f"{name}: {problem}")
    return value


def parse_iri(value: str, name: str = "iri") -> str:
    """The stripped IRI, or BadInput when it could not stand as <…> in a query (ttdn_graph.views.iri)."""
    iri = clean_text(value, name).strip()
    problem = iri_problem(iri)
    if problem:
        raise BadInput(f"{name}: {problem}" if iri else f"{name}: give an IRI")
    return iri


def iri_or_name(value: str, name: str) -> str:
    """A value that is an IRI when it has "://" (checked as one), else a name, number or id (checked as text)."""
    v = clean_text(value, name).strip()
    return parse_iri(v, name) if "://" in v else v


def choice(value: str | None, name: str, allowed: tuple[str, ...]) -> str | None:
    """`value` lower-cased when it is one of `allowed`; None or empty means not given."""
    if value is None or not value.strip():
        return None
    v = value.strip().lower()
    if v not in allowed:
        raise BadInput(f"{name}: must be one of {', '.join(allowed)}")
    return v


def _label(key: str) -> str:
    """A parameter's name for a message, only when it is a plain identifier (else it is not repeated)."""
    return f"parameter {key}" if _PLAIN_NAME.fullmatch(key) else "a parameter name"


def check_request(request: Request) -> None:
    """Router dependency: the path and every query parameter name and value are usable text.

    Starlette decodes invalid UTF-8 to U+FFFD, so the raw bytes are checked too (`/id/%FF%FE`, `?q=%C0%AF`).
    """
    scope = request.scope
    for raw, what in ((scope.get("raw_path") or b"", "the path"), (scope.get("query_string") or b"", "the query")):
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput(f"{what} is not valid UTF-8 once percent-decoded") from None
    clean_text(scope.get("path") or "", "the path")
    for key, value in request.query_params.multi_items():
        clean_text(key, "a parameter name")
        clean_text(value, _label(key))


def unanswered(request: Request, e: QueryFailed) -> Response:
    """The answer when a page's or view's queries could not be answered (time limit, busy, memory): its status,
    Retry-After on 503, and the reason as an HTML page, JSON (`format=json`) or plain text (the RDF forms)."""
    from ttdn_graph.web import pages  # here: pages imports this module

    headers = {"X-Content-Type-Options": "nosniff"}
    if e.status == 503:
        headers["Retry-After"] = "5"
    fmt = (request.query_params.get("format") or "").strip().lower()
    if fmt == "json":
        return JSONResponse({"detail": e.message, "status": e.status}, status_code=e.status, headers=headers)
    rdf_suffix = request.url.path.endswith(tuple(pages.SUFFIXES))
    if fmt in ("", "html") and not rdf_suffix and pages.negotiate(request.headers.get("accept")) == "html":
        resp = pages.render(request, "unavailable.html", {"message": e.message, "status": e.status},
                            status_code=e.status)
        resp.headers.update(headers)
        return resp
    return PlainTextResponse(e.message + "\n", status_code=e.status, headers=headers)


class GuardedRoute(APIRoute):
    """An APIRoute that answers BadInput (from check_request or the handler) with its plain-text 4xx, and a query
    the query service could not answer with `unanswered`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except BadInput as e:
                return PlainTextResponse(e.message + "\n", status_code=e.status,
                                         headers={"X-Content-Type-Options": "nosniff"})
            except QueryFailed as e:
                return unanswered(request, e)

        return guarded


__all__ = ["MAX_LENGTH", "BadInput", "GuardedRoute", "check_request", "choice", "clean_text", "iri_or_name",
           "parse_iri", "unanswered"]
