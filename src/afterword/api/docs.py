"""The reference page at ``/api/v1/docs``: the OpenAPI schema rendered by a
template of the theme, with no script from anywhere (the site's CSP holds)."""

from __future__ import annotations

from django.template.response import TemplateResponse

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(schema: dict) -> str:
    if "$ref" in schema:
        return _schema_name(schema["$ref"])
    if "anyOf" in schema:
        return " or ".join(_type_of(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_of(schema.get('items', {}))}"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return str(schema["const"])
    return schema.get("format") or schema.get("type", "any")


def _body_schema(content: dict) -> str:
    for media_type, body in content.items():
        return f"{_type_of(body.get('schema', {}))} ({media_type})"
    return ""


def operations(schema: dict) -> list[dict]:
    """Each operation with its parameters, body and answers, by tag."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            found.append(
                {
                    "id": operation.get("operationId", ""),
                    "method": method.upper(),
                    "path": path,
                    "tag": (operation.get("tags") or ["other"])[0],
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "type": _type_of(p.get("schema", {})),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _body_schema(
                        operation.get("requestBody", {}).get("content", {})
                    ),
                    "responses": [
                        {
                            "status": status,
                            "body": _body_schema(answer.get("content", {})),
                        }
                        for status, answer in operation.get("responses", {}).items()
                    ],
                }
            )
    return found


def components(schema: dict) -> list[dict]:
    shown = []
    for name, body in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(body.get("required", []))
        shown.append(
            {
                "name": name,
                "description": body.get("description", ""),
                "fields": [
                    {
                        "name": field,
                        "type": _type_of(spec),
                        "required": field in required,
                        "description": spec.get("description", ""),
                    }
                    for field, spec in body.get("properties", {}).items()
                ],
            }
        )
    return shown


def reference(request):
    from .v1 import api

    schema = api.get_openapi_schema()
    ops = operations(schema)
    tags: dict[str, list] = {}
    for op in ops:
        tags.setdefault(op["tag"], []).append(op)
    return TemplateResponse(
        request,
        "api/reference.html",
        {
            "info": schema.get("info", {}),
            "tags": tags,
            "components": components(schema),
            "schema_url": request.path.removesuffix("docs") + "openapi.json",
        },
    )
