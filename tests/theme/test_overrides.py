"""A site's own templates folder wins over the theme's templates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client

pytestmark = pytest.mark.django_db


def reset_template_cache() -> None:
    # Outside DEBUG, Django keeps compiled templates; a new file needs a reset.
    for loader in engines["django"].engine.template_loaders:
        if hasattr(loader, "reset"):
            loader.reset()


@pytest.fixture
def site_templates():
    """The configured site templates folder, emptied of our files afterwards."""
    folder = Path(settings.TEMPLATES[0]["DIRS"][0])
    written: list[Path] = []

    def write(name: str, text: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written.append(path)
        reset_template_cache()

    yield write
    for path in written:
        path.unlink()
    reset_template_cache()


def test_site_templates_folder_is_searched_first():
    dirs = settings.TEMPLATES[0]["DIRS"]
    expected = os.environ.get(
        "AFTERWORD_TEMPLATES_DIR",
        str(Path(os.environ["AFTERWORD_DATA_DIR"]) / "templates"),
    )
    assert [str(d) for d in dirs] == [expected]


def test_overriding_post_detail_wins(client, post_factory, writer, site_templates):
    post = post_factory(author=writer, title="Overridden")
    site_templates(
        "posts/post_detail.html",
        '{% extends "base.html" %}{% block content %}'
        "<h1>Custom: {{ post.title }}</h1>{% endblock %}",
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<h1>Custom: Overridden</h1>" in html
    # The rest of the theme still wraps it.
    assert '<a class="skip-link" href="#main">' in html


def test_overriding_base_changes_every_page(
    client, post_factory, writer, site_templates
):
    post_factory(author=writer, title="Listed")
    site_templates(
        "base.html",
        "<!doctype html><title>x</title><p>My own frame</p>"
        "{% block content %}{% endblock %}",
    )
    html = client.get("/").content.decode()
    assert html.startswith("<!doctype html><title>x</title><p>My own frame</p>")
    assert ">Listed<" in html


def test_an_overriding_base_may_fill_the_document_block_as_the_theme_does(
    client, post_factory, writer, site_templates
):
    post_factory(author=writer, title="Listed")
    site_templates(
        "base.html",
        '{% extends "document.html" %}{% block document %}<!doctype html>'
        "<title>y</title><p>Framed</p>{% block content %}{% endblock %}"
        "{% endblock document %}",
    )
    html = client.get("/").content.decode()
    assert html.startswith("<!doctype html><title>y</title><p>Framed</p>")
    assert ">Listed<" in html


def test_a_broken_override_gets_the_themed_500_page(
    post_factory, writer, site_templates
):
    post_factory(author=writer)
    site_templates("posts/home.html", "{% url 'no-such-page' %}")
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def test_templates_dir_comes_from_the_environment(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "post_detail.html").write_text("mine")
    code = (
        "import django; django.setup();"
        "from django.template.loader import get_template;"
        "print(get_template('posts/post_detail.html').origin.name)"
    )
    env = {
        **os.environ,
        "AFTERWORD_TEMPLATES_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "afterword.config.settings.test",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(tmp_path / "posts" / "post_detail.html")


def test_an_override_can_extend_the_theme_template_of_the_same_name(
    client, post_factory, writer, site_templates
):
    post_factory(author=writer, title="Still themed")
    site_templates(
        "base.html",
        '{% extends "base.html" %}{% block sidebar %}<p>My sidebar</p>{% endblock %}',
    )
    html = client.get("/").content.decode()
    assert "<p>My sidebar</p>" in html
    assert "<h2>About</h2>" not in html
    assert '<a class="skip-link" href="#main">' in html
    assert ">Still themed<" in html


def test_theming_docs_name_every_hook_and_block():
    templates = Path(__file__).resolve().parents[2] / "src/afterword/theme/templates"
    docs = (Path(__file__).resolve().parents[2] / "docs/theming.md").read_text()
    sources = [
        p.read_text() for p in templates.rglob("*.html") if "admin" not in p.parts
    ]
    hooks = {h for text in sources for h in re.findall(r"\{# (hook:[\w-]+) #\}", text)}
    blocks = {b for text in sources for b in re.findall(r"\{% block (\w+) %\}", text)}
    assert {"hook:head", "hook:post-top", "hook:post-comments"} <= hooks
    assert {"content", "title", "sidebar"} <= blocks
    assert [h for h in sorted(hooks) if "{# " + h + " #}" not in docs] == []
    assert [b for b in sorted(blocks) if f"`{b}`" not in docs] == []
