"""The statuses every operation declares, so the schema says what may come."""

from .schemas import ErrorOut

ERROR_STATUSES = (400, 401, 403, 404, 405, 412, 413, 422, 429)
ERRORS = dict.fromkeys(ERROR_STATUSES, ErrorOut)


def reading(schema) -> dict:
    """A GET: the resource, ``304`` for a matching If-None-Match, the errors."""
    return {200: schema, 304: None, **ERRORS}


def writing(schema, status: int = 200) -> dict:
    return {status: schema, 409: ErrorOut, **ERRORS}


DELETING = {204: None, 409: ErrorOut, **ERRORS}
