"""An optional Akismet spam check, for sites that want a second opinion.

Turn it on with two settings::

    AFTERWORD_SPAM_CHECKERS = ["afterword.discussion.akismet.AkismetChecker"]
    AFTERWORD_AKISMET_KEY = "your-api-key"

Each new comment is then sent to Akismet's ``comment-check`` endpoint
(akismet.com/developers/comment-check/) with the commenter's details; an
answer of ``true`` marks it as spam. When Akismet cannot be reached the
comment is held for the writer rather than published unchecked.
``AFTERWORD_AKISMET_URL`` changes the API address (tests use loopback,
named in ``AFTERWORD_OUTBOUND_ALLOW``); the call goes through
``afterword.core.outbound`` like every request the site makes.
"""

from __future__ import annotations

import logging

from django.conf import settings

from afterword.core import outbound

from .models import Comment
from .moderation import SpamChecker, Verdict

logger = logging.getLogger(__name__)


class AkismetChecker(SpamChecker):
    timeout = 5

    def endpoint(self) -> str:
        base = (
            getattr(settings, "AFTERWORD_AKISMET_URL", "") or "https://rest.akismet.com"
        )
        return f"{base.rstrip('/')}/1.1/comment-check"

    def check(self, comment: Comment, request_meta: dict) -> Verdict | None:
        key = getattr(settings, "AFTERWORD_AKISMET_KEY", "")
        if not key:
            return None
        site = getattr(settings, "SITE_URL", "")
        data = {
            "api_key": key,
            "blog": site,
            "user_ip": comment.ip_address or "",
            "user_agent": request_meta.get("user_agent", ""),
            "permalink": site + comment.post.get_absolute_url(),
            "comment_type": "reply" if comment.parent_id else "comment",
            "comment_author": comment.author_name,
            "comment_author_email": comment.author_email,
            "comment_author_url": comment.author_url,
            "comment_content": comment.body,
            "blog_lang": getattr(settings, "LANGUAGE_CODE", "en"),
        }
        try:
            response = outbound.post(
                self.endpoint(),
                purpose="Akismet spam check",
                data=data,
                timeout=self.timeout,
                max_bytes=64 * 1024,
            ).raise_for_status()
        except outbound.OutboundError as error:
            logger.warning("Akismet could not be reached: %s", error)
            return Verdict(Comment.Status.PENDING, "Akismet unavailable")
        answer = response.text.strip()
        if answer == "true":
            return Verdict(Comment.Status.SPAM, "Akismet")
        if answer != "false":
            logger.warning(
                "Akismet answered %r: %s", answer, dict(response.headers.items())
            )
            return Verdict(Comment.Status.PENDING, "Akismet gave no verdict")
        return None
