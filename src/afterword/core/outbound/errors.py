"""The one exception of outbound requests, and the clock they run against."""

from __future__ import annotations

import time


class OutboundError(Exception):
    """An outbound request was refused or failed.

    The message is a whole sentence meant for a person (the Mastodon login
    shows it to the reader, ``fetch-media`` prints it to the operator).
    """


class Deadline:
    """A point in time every step of one request (and its redirects) must meet.

    Each blocking call is given what is left as its timeout, so a server that
    answers one byte at a time is cut off here and not after N idle gaps.
    """

    def __init__(self, seconds: float, host: str) -> None:
        self.seconds = seconds
        self.host = host
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.expired()
        return left

    def expired(self) -> OutboundError:
        unit = "second" if self.seconds == 1 else "seconds"
        return OutboundError(
            f"{self.host} did not answer in time "
            f"(the limit is {self.seconds:g} {unit})."
        )
