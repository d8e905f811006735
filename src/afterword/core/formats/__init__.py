"""How dates read in each language the site ships (``FORMAT_MODULE_PATH``).

Templates print dates with the named formats (``|date:"DATE_FORMAT"``), so
a French site reads "2 décembre 2026" where an English one reads
"2 December 2026". Machine-readable times (``<time datetime>``, feeds,
sitemaps, JSON-LD) never go through these: see ``core.templatetags.machine_time``.
"""
