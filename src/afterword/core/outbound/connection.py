"""One HTTP exchange over a socket connected to an address that was checked.

``http.client`` writes the request and parses the answer, but it never
opens a connection itself: the socket it is handed is already connected to
the exact address that passed the check (TLS on top of it names the real
host, for SNI and for certificate verification), so a second DNS answer has
no way in. Every read and write is given the time left before the request's
deadline as its timeout, and the body is read in chunks up to the byte cap.
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import ssl
from dataclasses import dataclass
from email.message import Message
from urllib.parse import quote, urlsplit

from django.conf import settings

from .addresses import Address
from .errors import Deadline, OutboundError

CHUNK = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """An http(s) address taken apart: where to connect and what to ask for."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA), lower case, IPv6 without brackets
    port: int
    target: str  # path and query, as sent on the request line

    @classmethod
    def parse(cls, url: str) -> Target:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise OutboundError(f"{url} is not a valid address.") from None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise OutboundError(f"{url} is not an http(s) address; refused.")
        if parts.username is not None or parts.password is not None:
            raise OutboundError(f"{url} contains a user name or password; refused.")
        host = parts.hostname or ""
        try:
            host = host.encode("idna").decode("ascii") if host else ""
        except UnicodeError:
            host = ""
        if not host:
            raise OutboundError(f"{url} has no valid server name.")
        path = parts.path or "/"
        target = path + (f"?{parts.query}" if parts.query else "")
        # Spaces, controls and non-ASCII are escaped; what is already escaped stays.
        target = quote(target, safe="!#$%&'()*+,/:;=?@[]~")
        return cls(url, scheme, host, port or DEFAULT_PORTS[scheme], target)

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        if self.port == DEFAULT_PORTS[self.scheme]:
            return name
        return f"{name}:{self.port}"


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    headers: Message
    content: bytes


def exchange(
    target: Target,
    addresses: list[Address],
    method: str,
    headers: list[tuple[str, str]],
    body: bytes | None,
    deadline: Deadline,
    max_bytes: int,
) -> Answer:
    """Send one request to the first of ``addresses`` that accepts, read the answer."""
    sock = _connect(target, addresses, deadline)
    try:
        return _talk(target, sock, method, headers, body, deadline, max_bytes)
    except TimeoutError:
        raise deadline.expired() from None
    except ssl.SSLError as error:
        raise OutboundError(
            f"The secure connection to {target.host} failed ({error.reason})."
        ) from None
    except (http.client.HTTPException, ValueError) as error:
        raise OutboundError(
            f"{target.host} sent an answer that is not valid HTTP "
            f"({type(error).__name__})."
        ) from None
    except OSError as error:
        raise OutboundError(
            f"The connection to {target.host} failed ({error.strerror or error})."
        ) from None
    finally:
        sock.close()


def _connect(
    target: Target, addresses: list[Address], deadline: Deadline
) -> socket.socket:
    failure: OSError | None = None
    for address in addresses:
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(deadline.remaining())
            sock.connect((str(address), target.port))
        except TimeoutError:
            sock.close()
            raise deadline.expired() from None
        except OSError as error:
            sock.close()
            failure = error
            continue
        except BaseException:
            sock.close()
            raise
        if target.scheme == "https":
            return _secure(sock, target, deadline)
        return sock
    reason = (failure.strerror if failure else None) or "no address answered"
    raise OutboundError(f"Could not connect to {target.host} ({reason}).")


def _secure(sock: socket.socket, target: Target, deadline: Deadline) -> ssl.SSLSocket:
    """TLS over the pinned socket, verified for the host name, not the address."""
    try:
        sock.settimeout(deadline.remaining())
        return tls_context().wrap_socket(sock, server_hostname=target.host)
    except ssl.SSLCertVerificationError as error:
        sock.close()
        raise OutboundError(
            f"The certificate of {target.host} could not be verified "
            f"({error.verify_message})."
        ) from None
    except TimeoutError:
        sock.close()
        raise deadline.expired() from None
    except (ssl.SSLError, OSError) as error:
        sock.close()
        raise OutboundError(
            f"The secure connection to {target.host} failed "
            f"({getattr(error, 'reason', None) or error})."
        ) from None


def tls_context() -> ssl.SSLContext:
    return _context(getattr(settings, "AFTERWORD_OUTBOUND_CA_FILE", "") or None)


@functools.lru_cache(maxsize=4)
def _context(ca_file: str | None) -> ssl.SSLContext:
    # The system's trusted authorities, or only those in the configured file.
    return ssl.create_default_context(cafile=ca_file)


def _talk(target, sock, method, headers, body, deadline, max_bytes) -> Answer:
    connection = http.client.HTTPConnection(target.host, target.port)
    connection.sock = _DeadlineSocket(sock, deadline)  # never connects by itself
    connection.putrequest(method, target.target, skip_host=True)
    for name, value in headers:
        connection.putheader(name, value)
    connection.endheaders(body)
    response = connection.getresponse()
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(target, max_bytes)
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(target, max_bytes)
        chunks.append(chunk)
    return Answer(response.status, response.reason, response.msg, b"".join(chunks))


def _too_large(target: Target, max_bytes: int) -> OutboundError:
    return OutboundError(
        f"The answer from {target.host} is larger than the limit of "
        f"{max_bytes:,} bytes; refused."
    )


class _DeadlineSocket:
    """What ``http.client`` sees as its socket: every read and write is timed
    against the deadline; closing is left to ``exchange``."""

    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data) -> None:
        view = memoryview(data if isinstance(data, bytes | bytearray) else bytes(data))
        while view:
            self._sock.settimeout(self._deadline.remaining())
            sent = self._sock.send(view[:CHUNK])
            view = view[sent:]

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        pass


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._sock.settimeout(self._deadline.remaining())
        return self._sock.recv_into(buffer)
