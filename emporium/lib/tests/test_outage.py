"""A database that is away or a disk that is full answers 503/507 with Retry-After, never a 500
(lib/outage.py, the handler500 in emporium/urls.py); the process-level proof is in
emporium/tests/test_faults.py."""

import errno

from django.db import OperationalError, ProgrammingError
from django.test import RequestFactory

from emporium.lib import outage
from emporium.urls import server_error


def answer_while_handling(exc: Exception, path: str):
    try:
        raise exc
    except Exception:
        return server_error(RequestFactory().get(path))


def test_a_lost_connection_is_an_outage_and_bad_sql_is_not():
    assert outage.is_outage(OperationalError("server closed the connection unexpectedly"))
    wrapped = RuntimeError("while saving")
    wrapped.__cause__ = OperationalError("terminating connection due to administrator command")
    assert outage.is_outage(wrapped)
    assert not outage.is_outage(ProgrammingError("syntax error"))
    assert not outage.is_outage(ValueError("x"))


def test_a_full_disk_is_told_apart_from_other_os_errors():
    assert outage.is_disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert outage.is_disk_full(OSError(errno.EFBIG, "File too large"))
    assert not outage.is_disk_full(OSError(errno.EACCES, "Permission denied"))


def test_the_api_gets_503_in_the_envelope_and_pages_get_a_plain_503(db):
    api = answer_while_handling(OperationalError("connection refused"), "/api/v1/shop")
    assert api.status_code == 503 and int(api["Retry-After"]) > 0
    assert b'"service_unavailable"' in api.content
    page = answer_while_handling(OperationalError("connection refused"), "/cart/")
    assert page.status_code == 503 and page["Retry-After"]


def test_a_full_disk_is_507_and_anything_else_is_still_a_500(db):
    full = answer_while_handling(OSError(errno.ENOSPC, "No space left"), "/api/v1/pictures")
    assert full.status_code == 507 and b'"insufficient_storage"' in full.content
    assert answer_while_handling(KeyError("bug"), "/cart/").status_code == 500
