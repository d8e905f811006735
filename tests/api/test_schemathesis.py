"""Schemathesis against the running site: the schema and the API agree.

Every operation of ``/api/v1/openapi.json`` gets generated requests, valid
and invalid ones, sent to a live server with an administrator's app
password. Each response must be no server error, have a status, content type
and headers the schema declares, and a body matching the declared schema.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Flaky
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from afterword.catalog.actions import SaveCatalogObject
from afterword.catalog.models import Credit, Person, Role, Work
from afterword.catalog.roles import seed_roles
from afterword.discussion.actions import AddComment
from afterword.media.actions import UploadImage
from afterword.posts.actions import SaveTerm
from afterword.posts.models import Category, Tag
from afterword.series.actions import SavePart, SaveSeries
from afterword.series.models import Series, SeriesPart
from afterword.subscriptions.models import Subscriber
from tests import factories
from tests.media.images import image_bytes

from .conftest import client_of

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 6}


def seed(author) -> None:
    """A few rows of each kind, so generated ids sometimes find one."""
    # A transactional test before this one may have flushed the migration's
    # roles (director, composer...).
    seed_roles(Role)
    for n in range(3):
        post = factories.save(
            factories.PostFactory.build(author=author, slug=f"seeded-{n}")
        )
        AddComment(post, name="Reader", body=f"Comment {n}", status="pending").run()
        SaveTerm(Tag(name=f"Tag {n}", slug=f"tag-{n}")).run()
        SaveTerm(Category(name=f"Category {n}", slug=f"category-{n}")).run()
        work = SaveCatalogObject(Work(title=f"Work {n}", slug=f"work-{n}")).run()
        person = SaveCatalogObject(Person(name=f"Person {n}", slug=f"p-{n}")).run()
        SaveCatalogObject(
            Credit(work=work, person=person, role=Role.objects.get(slug="director"))
        ).run()
        series = SaveSeries(Series(title=f"Series {n}", slug=f"series-{n}")).run()
        SavePart(SeriesPart(series=series, planned_title="Next", position=1)).run()
        UploadImage(
            SimpleUploadedFile(f"{n}.png", image_bytes(size=(20 + n, 20))),
            alt_text="Seeded",
        ).run()
        Subscriber.objects.create(
            email=f"f{n}@example.test", confirmed_at=timezone.now()
        )


# Not serialized_rollback: its flush skips post_migrate, which would leave
# the next transactional test without groups, permissions or content types.
@pytest.mark.django_db(transaction=True)
def test_the_api_matches_its_schema(
    live_server, writer_with_role, api_settings, record_property
):
    admin = writer_with_role("administrator")
    seed(admin)
    authorization = client_of(admin).authorization
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    assert schema.raw_schema["openapi"] == "3.1.0"
    failures: list[str] = []
    generated = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 61

    for operation in operations:
        for mode, examples in EXAMPLES.items():

            @settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal generated
                generated += 1
                case.call_and_validate(
                    base_url=f"{live_server.url}",
                    headers={"Authorization": authorization},
                    checks=CHECKS,
                    timeout=20,
                )

            try:
                run()
            except Exception as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}")

    print(
        f"schemathesis: {generated} generated cases over {len(operations)} operations"
    )
    record_property("figure", f"schemathesis cases: {generated}")
    assert not failures, "\n\n".join(failures)


# Not serialized_rollback: its flush skips post_migrate, which would leave
# the next transactional test without groups, permissions or content types.
@pytest.mark.django_db(transaction=True)
def test_stateful_scenarios_follow_the_links(
    live_server, writer_with_role, api_settings, record_property
):
    """Create, then read, change and delete what was created, following the
    schema's links: a created resource can be read at once, and a deleted one
    is gone."""
    admin = writer_with_role("administrator")
    seed(admin)
    authorization = client_of(admin).authorization
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    links = sum(
        len(answer.get("links", {}))
        for item in schema.raw_schema["paths"].values()
        for operation in item.values()
        for answer in operation["responses"].values()
    )
    assert links == 35
    steps = 0
    failures: list[str] = []

    class Scenarios(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {
                "base_url": live_server.url,
                "headers": {"Authorization": authorization},
                "timeout": 20,
            }

        def validate_response(self, response, case, additional_checks=None, **kw):
            nonlocal steps
            steps += 1
            try:
                case.validate_response(
                    response,
                    checks=[*CHECKS, ensure_resource_availability, use_after_free],
                    transport_kwargs=kw,
                    recorder=self.recorder,
                )
            except Exception as exc:
                # Kept, not raised: replaying a scenario against a database
                # it already changed would not be the same scenario.
                failures.append(f"{case.operation.label}: {exc}")

    # The scenarios change the database they run against, so Hypothesis may
    # find a replay drawing differently and stop with Flaky; schemathesis's
    # own runner starts again in that case, and so does this loop, until
    # enough calls were made or the time is up.
    started = time.monotonic()
    while steps < 400 and time.monotonic() - started < 45:
        try:
            Scenarios.run(
                settings=settings(
                    max_examples=25,
                    stateful_step_count=6,
                    # The same scenarios on every run, so CI judges the
                    # code, not the draw; `make test` on a branch explores
                    # the same set (change the schema to change it).
                    derandomize=True,
                    deadline=None,
                    database=None,
                    phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck),
                )
            )
        except Flaky:
            continue
    print(f"schemathesis stateful: {steps} calls")
    record_property("figure", f"schemathesis stateful calls: {steps}")
    assert steps > 50
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def api_settings(settings):
    # Thousands of requests in a minute: the rate limit is tested on its own.
    settings.AFTERWORD_API_RATE_PER_MINUTE = 0
    return settings
