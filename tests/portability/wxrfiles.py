"""Small WXR files written by the tests, for what the shared samples lack."""

from __future__ import annotations

from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old blog</title><link>{base}</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>{base}</wp:base_blog_url>
<wp:author><wp:author_login>critic</wp:author_login>
<wp:author_email>critic@example.com</wp:author_email>
<wp:author_display_name><![CDATA[The Critic]]></wp:author_display_name></wp:author>
"""


def item(
    post_id: int,
    title: str,
    *,
    content: str = "",
    post_type: str = "post",
    status: str = "publish",
    link: str = "",
    slug: str = "",
    attachment_url: str = "",
    meta: dict[str, str] | None = None,
    comments: str = "",
    date: str = "2019-04-02 10:00:00",
) -> str:
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{k}</wp:meta_key>"
        f"<wp:meta_value><![CDATA[{v}]]></wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    extra = (
        f"<wp:attachment_url>{escape(attachment_url)}</wp:attachment_url>"
        if attachment_url
        else ""
    )
    return f"""<item><title>{escape(title)}</title><link>{escape(link)}</link>
<dc:creator>critic</dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date_gmt>{date}</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
<wp:is_sticky>0</wp:is_sticky>{extra}{metas}{comments}</item>
"""


def comment(comment_id: int, parent: int, author: str, text: str, approved="1"):
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email>{author.lower()}@example.com</wp:comment_author_email>
<wp:comment_author_url>https://example.com/{author.lower()}</wp:comment_author_url>
<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>
<wp:comment_date_gmt>2019-04-0{min(comment_id, 9)} 12:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{text}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def wxr(*items: str, base: str = "https://old.example") -> str:
    return HEAD.format(base=base) + "".join(items) + "</channel></rss>\n"
