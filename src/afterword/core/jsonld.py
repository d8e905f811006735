"""JSON for a ``<script type="application/ld+json">`` element."""

import json

from django.utils.safestring import SafeString, mark_safe

# The escapes Django's json_script uses: the JSON can then never close the
# <script> element it sits in, whatever a title contains.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script_json(data) -> SafeString:
    """``data`` as compact JSON, safe to print inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))
