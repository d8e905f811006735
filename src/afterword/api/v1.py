"""The API object: its routers, error handlers and conditional responses."""

import re

from django.http import HttpResponse
from ninja import NinjaAPI

from . import (
    catalog,
    comments,
    errors,
    followers,
    media,
    posts,
    series,
    terms,
)
from .auth import AUTH
from .conditional import etag_of, not_modified

DESCRIPTION = """\
Afterword's API for writing tools. Authenticate with an app password
(HTTP Basic, your username and the app password) or a bearer token; a
session cookie is not a credential. Reading needs the `read` scope; writes
need `draft`, `publish`, `moderate` or `catalog`, and your role's permissions
apply as they do on the desk.

Lists are paged with opaque cursors: pass the previous page's `next` as
`cursor`. Every resource has an `ETag`; send it back as `If-None-Match` to
get `304 Not Modified`, or as `If-Match` on a write to be refused with `412`
if someone else changed the resource since you read it. Errors are always
`{"error": {"code", "message", "fields"}}`.
"""


ETAG_HEADER = {
    "description": "A weak tag of this representation (If-None-Match, If-Match).",
    "schema": {"type": "string"},
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": (
        "The ETag you read. If the resource changed since, nothing is written "
        "and the answer is 412."
    ),
    "schema": {"type": "string"},
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "The ETag you hold; 304 with no body if it is still current.",
    "schema": {"type": "string"},
}
CONDITIONAL_HEADERS = {"get": IF_NONE_MATCH, "patch": IF_MATCH, "delete": IF_MATCH}


PATH_PARAMETER = re.compile(r"{([^}]+)}")


def add_links(paths: dict) -> None:
    """Say where a created resource can be read, changed and deleted.

    OpenAPI links from each ``201`` to the operations on the new resource's
    own address (the collection's path plus ``/{id}``), so tools (and the
    stateful tests) can follow a creation with what comes next.
    """
    for path, item in paths.items():
        created = item.get("post", {}).get("responses", {}).get(201)
        if created is None:
            continue
        known = set(PATH_PARAMETER.findall(path))
        links = {}
        for target, operations in paths.items():
            names = PATH_PARAMETER.findall(target)
            # Addresses under the new resource's own: exactly one name more.
            if not target.startswith(path + "/{") or len(set(names) - known) != 1:
                continue
            parameters = {
                name: f"$request.path.{name}" if name in known else "$response.body#/id"
                for name in names
            }
            for method, operation in operations.items():
                links[operation["operationId"]] = {
                    "operationId": operation["operationId"],
                    "parameters": parameters,
                    "description": f"{method.upper()} {target}, for what was created.",
                }
        if links:
            created["links"] = links


class AfterwordAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # Each view's name is unique across the routers: "list_comments".
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's schema, plus the conditional headers each operation reads
        and the ETag its answers carry (headers ninja reads for us outside
        the view functions' parameters)."""
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                header = CONDITIONAL_HEADERS.get(method)
                if path.endswith(("/trash", "/restore")):
                    header = IF_MATCH
                if header:
                    operation.setdefault("parameters", []).append(header)
                # Ninja keys statuses by number until the schema is rendered.
                for status in (200, 201):
                    answer = operation["responses"].get(status)
                    if answer is not None:
                        answer["headers"] = {"ETag": ETAG_HEADER}
        add_links(schema["paths"])
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        if temporal_response is not None:
            status = temporal_response.status_code
        if status not in (200, 201) or data is None:
            return super().create_response(
                request, data, status=status, temporal_response=temporal_response
            )
        etag = etag_of(data)
        if request.method in ("GET", "HEAD") and not_modified(request, etag):
            response = HttpResponse(status=304)
        else:
            response = super().create_response(
                request, data, status=status, temporal_response=temporal_response
            )
        response["ETag"] = etag
        return response


api = AfterwordAPI(
    title="Afterword API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    docs_url=None,
)
errors.install(api)
api.add_router("/posts", posts.posts_router, tags=["posts"])
api.add_router("/pages", posts.pages_router, tags=["pages"])
api.add_router("/media", media.router, tags=["media"])
api.add_router("/", terms.router, tags=["terms"])
api.add_router("/comments", comments.router, tags=["comments"])
api.add_router("/", catalog.router, tags=["catalog"])
api.add_router("/series", series.router, tags=["series"])
api.add_router("/followers", followers.router, tags=["followers"])
