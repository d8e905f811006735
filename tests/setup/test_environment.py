"""Reading the configuration from environment variables (config/environment.py)."""

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from afterword.config import environment as env

ALL_VARIABLES = (
    "AFTERWORD_DATA_DIR",
    "AFTERWORD_SECRET_KEY",
    "AFTERWORD_CACHE_URL",
    "AFTERWORD_CACHE_PREFIX",
    "AFTERWORD_EMAIL_URL",
    "AFTERWORD_DEBUG",
    "AFTERWORD_PAGE_SIZE",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "AFTERWORD_MEDIA_S3_BUCKET",
    "AFTERWORD_MEDIA_S3_ENDPOINT_URL",
    "AFTERWORD_MEDIA_S3_ACCESS_KEY",
    "AFTERWORD_MEDIA_S3_SECRET_KEY",
    "AFTERWORD_MEDIA_S3_REGION",
    "AFTERWORD_MEDIA_S3_PREFIX",
    "AFTERWORD_MEDIA_S3_PUBLIC_URL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Start each test with none of our variables set."""
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


# Data folder and secret key ---------------------------------------------------


def test_data_dir_defaults_to_var_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert env.data_dir() == tmp_path / "var"
    assert (tmp_path / "var").is_dir()


def test_data_dir_follows_the_variable_and_expands_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AFTERWORD_DATA_DIR", "~/site-b")

    assert env.data_dir() == tmp_path / "site-b"


def test_secret_key_is_generated_once_owner_only_and_stable(tmp_path):
    first = env.secret_key(tmp_path)
    second = env.secret_key(tmp_path)

    key_file = tmp_path / "secret_key"
    assert first == second == key_file.read_text()
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERWORD_SECRET_KEY", "  configured-key  ")

    assert env.secret_key(tmp_path) == "configured-key"
    assert not (tmp_path / "secret_key").exists()


def test_an_empty_secret_key_file_is_reported_not_used(tmp_path):
    (tmp_path / "secret_key").write_text("")

    with pytest.raises(ImproperlyConfigured, match="secret_key is empty"):
        env.secret_key(tmp_path)


# Database ---------------------------------------------------------------------


def test_database_defaults_to_sqlite_in_wal_mode_under_the_data_dir(tmp_path):
    config = env.database(tmp_path)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "afterword.sqlite3")
    assert "PRAGMA journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout=10000" in config["OPTIONS"]["init_command"]


def test_database_url_for_postgres_keeps_connections(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://critic:p%40ss@db.local:5433/blog")

    config = env.database(tmp_path)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("critic", "p@ss")
    assert (config["HOST"], config["PORT"], config["NAME"]) == (
        "db.local",
        5433,
        "blog",
    )
    assert config["CONN_MAX_AGE"] == 60


def test_unknown_database_scheme_names_the_variable_and_hides_the_password(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", "oracle9://me:hunter2@host/db")

    with pytest.raises(ImproperlyConfigured) as error:
        env.database(tmp_path)

    assert "DATABASE_URL" in str(error.value)
    assert "hunter2" not in str(error.value)


def test_no_replica_unless_named(tmp_path):
    assert env.database_replica(env.database(tmp_path)) is None


def test_replica_url_is_read_like_the_primary(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://critic@db.local:5432/blog")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://critic:s3cret@db2:5433/blog")

    replica = env.database_replica(env.database(tmp_path))

    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["PORT"], replica["PASSWORD"]) == (
        "db2",
        5433,
        "s3cret",
    )


def test_a_replica_of_sqlite_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_REPLICA_URL", "sqlite:////tmp/other.sqlite3")

    with pytest.raises(ImproperlyConfigured) as error:
        env.database_replica(env.database(tmp_path))

    assert "DATABASE_REPLICA_URL" in str(error.value)


# Media bucket -----------------------------------------------------------------


def test_no_bucket_keeps_media_on_disk():
    assert env.media_bucket() is None


def test_bucket_variables_become_storage_options(monkeypatch):
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_BUCKET", "reviews-media")
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_ACCESS_KEY", "key")
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_SECRET_KEY", "secret")
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_REGION", "eu-central-1")
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_PUBLIC_URL", "https://media.example.org/")

    options = env.media_bucket()

    assert options["bucket_name"] == "reviews-media"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["region_name"] == "eu-central-1"
    assert (options["custom_domain"], options["url_protocol"]) == (
        "media.example.org",
        "https:",
    )
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False


def test_a_public_address_that_is_not_one_is_refused(monkeypatch):
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_BUCKET", "reviews-media")
    monkeypatch.setenv("AFTERWORD_MEDIA_S3_PUBLIC_URL", "media.example.org")

    with pytest.raises(ImproperlyConfigured) as error:
        env.media_bucket()

    assert "AFTERWORD_MEDIA_S3_PUBLIC_URL" in str(error.value)


# Cache ------------------------------------------------------------------------


def test_cache_defaults_to_a_shared_file_cache_in_the_data_dir(tmp_path):
    config = env.cache(tmp_path)

    assert config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert config["LOCATION"] == str(tmp_path / "cache")


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("file:///srv/cache", "filebased.FileBasedCache", "/srv/cache"),
        ("redis://127.0.0.1:6379/2", "redis.RedisCache", "redis://127.0.0.1:6379/2"),
        (
            "rediss://cache.local:6380/0",
            "redis.RedisCache",
            "rediss://cache.local:6380/0",
        ),
        ("locmem://pages", "locmem.LocMemCache", "pages"),
        ("dummy://", "dummy.DummyCache", None),
    ],
)
def test_cache_url_schemes(tmp_path, monkeypatch, url, backend, location):
    monkeypatch.setenv("AFTERWORD_CACHE_URL", url)

    config = env.cache(tmp_path)

    assert config["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config.get("LOCATION") == location


def test_redis_cache_keys_carry_the_site_prefix(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERWORD_CACHE_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("AFTERWORD_CACHE_PREFIX", "fanzine")

    assert env.cache(tmp_path)["KEY_PREFIX"] == "fanzine"


def test_unknown_cache_scheme_lists_the_ones_that_work(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERWORD_CACHE_URL", "memcached://127.0.0.1:11211")

    with pytest.raises(ImproperlyConfigured) as error:
        env.cache(tmp_path)

    message = str(error.value)
    assert "AFTERWORD_CACHE_URL" in message
    assert "'memcached'" in message
    assert "file://, redis://, rediss://, locmem://, dummy://" in message


# Email ------------------------------------------------------------------------


def test_email_defaults_to_the_console_so_nothing_is_sent(tmp_path):
    assert env.email(tmp_path) == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_smtp_url_gives_host_port_and_decoded_credentials(tmp_path, monkeypatch):
    monkeypatch.setenv(
        "AFTERWORD_EMAIL_URL", "smtp://me%40example.org:s3cr%2Ft@mail.local:2525"
    )

    config = env.email(tmp_path)

    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("mail.local", 2525)
    assert config["EMAIL_HOST_USER"] == "me@example.org"
    assert config["EMAIL_HOST_PASSWORD"] == "s3cr/t"
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (False, False)


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.local", 25, False, False),
        ("smtp://mail.local?tls=yes", 25, True, False),
        ("submission://u:p@mail.local", 587, True, False),
        ("smtps://u:p@mail.local", 465, False, True),
    ],
)
def test_smtp_flavours_pick_their_port_and_encryption(
    tmp_path, monkeypatch, url, port, tls, ssl
):
    monkeypatch.setenv("AFTERWORD_EMAIL_URL", url)

    config = env.email(tmp_path)

    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )


def test_file_and_memory_email_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERWORD_EMAIL_URL", "file://")
    assert env.email(tmp_path)["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    monkeypatch.setenv("AFTERWORD_EMAIL_URL", "file:///srv/outgoing")
    assert env.email(tmp_path)["EMAIL_FILE_PATH"] == "/srv/outgoing"
    monkeypatch.setenv("AFTERWORD_EMAIL_URL", "memory://")
    assert env.email(tmp_path)["EMAIL_BACKEND"].endswith("locmem.EmailBackend")


def test_bad_email_urls_are_explained_without_the_password(tmp_path, monkeypatch):
    monkeypatch.setenv("AFTERWORD_EMAIL_URL", "imap://me:hunter2@mail.local")
    with pytest.raises(ImproperlyConfigured) as error:
        env.email(tmp_path)
    assert "AFTERWORD_EMAIL_URL" in str(error.value)
    assert "smtp://, smtps://, submission://" in str(error.value)
    assert "hunter2" not in str(error.value)

    monkeypatch.setenv("AFTERWORD_EMAIL_URL", "smtp://mail.local:notaport")
    with pytest.raises(ImproperlyConfigured, match="bad port"):
        env.email(tmp_path)


# Plain values -----------------------------------------------------------------


def test_yes_no_values_accept_common_spellings_and_reject_others(monkeypatch):
    for value, expected in (
        ("On", True),
        ("yes", True),
        ("0", False),
        ("FALSE", False),
    ):
        monkeypatch.setenv("AFTERWORD_DEBUG", value)
        assert env.flag("AFTERWORD_DEBUG") is expected
    monkeypatch.setenv("AFTERWORD_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="AFTERWORD_DEBUG='maybe'"):
        env.flag("AFTERWORD_DEBUG")


def test_whole_numbers_are_checked(monkeypatch):
    monkeypatch.setenv("AFTERWORD_PAGE_SIZE", "12")
    assert env.integer("AFTERWORD_PAGE_SIZE", 10) == 12
    monkeypatch.setenv("AFTERWORD_PAGE_SIZE", "ten")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.integer("AFTERWORD_PAGE_SIZE", 10)
    monkeypatch.setenv("AFTERWORD_PAGE_SIZE", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.integer("AFTERWORD_PAGE_SIZE", 10, minimum=1)


def test_a_list_of_whole_numbers_reads_spaces_and_refuses_words(monkeypatch):
    monkeypatch.setenv("AFTERWORD_FEDERATION_RETRY_DELAYS", " 1, 2 ,4,")
    assert env.integers("AFTERWORD_FEDERATION_RETRY_DELAYS", [60]) == [1, 2, 4]
    monkeypatch.setenv("AFTERWORD_FEDERATION_RETRY_DELAYS", "")
    assert env.integers("AFTERWORD_FEDERATION_RETRY_DELAYS", [60]) == [60]
    monkeypatch.setenv("AFTERWORD_FEDERATION_RETRY_DELAYS", "1,soon")
    with pytest.raises(ImproperlyConfigured, match="'soon' is not a whole number"):
        env.integers("AFTERWORD_FEDERATION_RETRY_DELAYS", [60])
    monkeypatch.setenv("AFTERWORD_FEDERATION_RETRY_DELAYS", "1,-5")
    with pytest.raises(ImproperlyConfigured, match="-5 is below 0"):
        env.integers("AFTERWORD_FEDERATION_RETRY_DELAYS", [60])
