"""Every corpus case through the one sanitiser, in both of its profiles.

Each input goes in twice per profile: as raw HTML straight into
``clean_html``, and as a Markdown document through ``render_markdown`` (the
function both the post save and the comment service call). The output must
hold no hazard (see ``checks.hazards``) and be a fixed point: cleaning it
again changes nothing, so what is stored is exactly what the sanitiser
would accept when the browser reads it back.
"""

from __future__ import annotations

import pytest

from afterword.core.markdown import render_markdown
from afterword.core.sanitize import clean_html

from .checks import problems
from .conftest import html_corpus

pytestmark = [pytest.mark.corpora, pytest.mark.django_db]

PROFILES = ("post", "comment")


@pytest.mark.parametrize("corpus", ["html5lib", "bleach", "feedparser"])
def test_every_case_is_cleaned_to_a_safe_fixed_point(corpus, tally):
    groups = html_corpus(corpus)
    found, count = [], 0
    for group in groups.values():
        for case in group:
            count += 1
            for profile in PROFILES:
                outputs = {
                    "clean_html": clean_html(case.html, profile=profile),
                    "render_markdown": render_markdown(case.html, profile=profile).html,
                }
                for path, output in outputs.items():
                    found.extend(
                        f"{case.name} ({profile}, {path}): {problem}"
                        for problem in problems(output, profile=profile)
                    )
    tally(corpus, cases=count)
    assert count > 0
    assert found == [], f"{len(found)} problems, first ones:\n" + "\n".join(found[:20])
