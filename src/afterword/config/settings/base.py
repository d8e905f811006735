"""Django settings for an Afterword site, driven by environment variables.

See docs/configuration.md for every variable and its default.
"""

from pathlib import Path

from csp.constants import NONCE, SELF

from afterword.config import environment as env

PACKAGE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = env.data_dir()

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.flag("AFTERWORD_DEBUG")
ALLOWED_HOSTS = env.listing("AFTERWORD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SITE_URL = env.text("AFTERWORD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.text("AFTERWORD_SITE_NAME", "Afterword")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "afterword.theme",  # first, so its templates override admin and allauth ones
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Before django_tasks_db: its ``db_worker`` command replaces the library's
    # with one that holds a lease, so a killed worker's task runs again.
    "afterword.taskworker",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    # Login providers: each shows on the comment form once an app is set up
    # for it (SOCIALACCOUNT_PROVIDERS or the admin); see docs/comments.md.
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.openid_connect",
    "afterword.core",
    "afterword.instance",
    "afterword.accounts",
    "afterword.social",
    "afterword.social.providers.wordpress_com",
    "afterword.social.providers.mastodon",
    "afterword.media",
    "afterword.catalog",
    "afterword.posts",
    "afterword.series",
    "afterword.outbox",
    "afterword.discussion",
    "afterword.subscriptions",
    "afterword.search",
    "afterword.feeds",
    "afterword.desk",
    "afterword.stats",
    "afterword.pagecache",
    "afterword.portability",
    "afterword.redirects",
    "afterword.credentials",
    "afterword.webhooks",
    "afterword.micropub",
    "afterword.indieauth",
    "afterword.api",
    "afterword.federation",
    "afterword.webmention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Addresses with a NUL character: a 400 before anything looks them up.
    "afterword.core.middleware.RefuseNulMiddleware",
    # Counts feed fetches, including those the page cache answers.
    "afterword.stats.middleware.FeedFetchMiddleware",
    # Servers asking for ActivityStreams get the actor or the Article, never
    # a cached HTML page: before the page cache.
    "afterword.federation.negotiation.ActivityStreamsNegotiationMiddleware",
    "afterword.pagecache.middleware.PageCacheMiddleware",
    # Inside the page cache, so cached pages keep their discovery Link header.
    "afterword.core.discovery.DiscoveryLinkMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The site's language, or on the desk and admin the writer's own.
    "afterword.core.language.LanguageMiddleware",
    # WordPress's plain links (?p=ID) redirect to the imported posts.
    "afterword.portability.redirects.LegacyRedirectMiddleware",
    # After the others, so it sees the view's 404 first: an old address with a
    # redirect (a moved post, an imported permalink) answers with it.
    "afterword.redirects.middleware.RedirectMiddleware",
    # Innermost, so the page cache and Content-Length see the whole page:
    # a long comment section put into the rendered bytes.
    "afterword.discussion.splice.SpliceMiddleware",
]

ROOT_URLCONF = "afterword.config.urls"
WSGI_APPLICATION = "afterword.config.wsgi.application"
ASGI_APPLICATION = "afterword.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # A site's own templates folder comes first: any theme template can be
        # overridden by dropping a file of the same name there.
        "DIRS": [
            Path(env.text("AFTERWORD_TEMPLATES_DIR", str(DATA_DIR / "templates")))
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": [
                "afterword.core.templatetags.machine_time",
                # {% url %} with its answers remembered: see the module.
                "afterword.core.templatetags.remembered_url",
            ],
            # {% load fragments %}: regions rendered once per content version.
            "libraries": {"fragments": "afterword.pagecache.fragments"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "afterword.theme.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": env.database(DATA_DIR)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Reuse connections across requests: opening one and running its PRAGMAs
    # costs about 4 ms, more than serving a cached page (bench/README.md).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
# A streaming read replica (DATABASE_REPLICA_URL): reads that cannot be stale
# go to it, everything else to the primary (afterword/config/dbrouting.py).
_REPLICA = env.database_replica(DATABASES["default"])
if _REPLICA:
    DATABASES["replica"] = _REPLICA
    DATABASE_ROUTERS = ["afterword.config.dbrouting.ReplicaRouter"]
    MIDDLEWARE.insert(0, "afterword.config.dbrouting.ReplicaMiddleware")
# Seconds after a client's write, or after any content change, during which
# reads go to the primary: longer than the replica's usual lag.
AFTERWORD_REPLICA_WINDOW = env.integer("AFTERWORD_REPLICA_WINDOW", 5, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache(DATA_DIR)}
# Sessions live in the database; with Redis (several app servers) they are
# read through it too, so a signed-in page costs no session query on any
# node, and a session survives a Redis restart.
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

for _name, _value in env.email(DATA_DIR).items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = env.text("AFTERWORD_FROM_EMAIL", "Afterword <afterword@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": env.text(
            "AFTERWORD_TASK_BACKEND", "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": [],
    }
}
# Seconds a task worker's lease lasts without renewal: how long a killed
# worker's task waits before another worker runs it (afterword/taskworker).
AFTERWORD_TASK_LEASE = env.integer("AFTERWORD_TASK_LEASE", 60, minimum=2)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
# Local sign-up is closed unless opened, and then only verified addresses may
# sign in (accounts/adapter.py); login providers make accounts either way.
AFTERWORD_OPEN_SIGNUP = env.flag("AFTERWORD_OPEN_SIGNUP")
ACCOUNT_ADAPTER = "afterword.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if AFTERWORD_OPEN_SIGNUP else "none"
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_PROVIDERS: dict = {}
# Every provider's server-to-server call goes through afterword.core.outbound.
SOCIALACCOUNT_ADAPTER = "afterword.social.adapter.SocialAccountAdapter"

# The site's language (public pages, feeds' titles, emails to readers) comes
# from the environment; each writer picks the desk's language on the desk
# (accounts.User.desk_language, applied by core.language.LanguageMiddleware).
# A reader's Accept-Language never changes a page: the page cache serves one
# copy of each page to everyone.
LANGUAGES = [("en", "English"), ("fr", "Français")]
LANGUAGE_CODE = env.language("AFTERWORD_LANGUAGE", LANGUAGES)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.text("AFTERWORD_TIME_ZONE", "UTC")
USE_I18N = True
# Date formats per language (core/formats): "2 December 2026", "2 décembre 2026".
FORMAT_MODULE_PATH = ["afterword.core.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.text("AFTERWORD_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "afterword.media.storage.DiskStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads in an S3-compatible bucket (AFTERWORD_MEDIA_S3_BUCKET) instead of
# MEDIA_ROOT, so that several app servers see the same files.
_BUCKET = env.media_bucket()
if _BUCKET:
    STORAGES["default"] = {
        "BACKEND": "afterword.media.bucket.BucketStorage",
        "OPTIONS": _BUCKET,
    }
WHITENOISE_MAX_AGE = 3600
# Uploads above this size are refused with a message (see media.validation).
AFTERWORD_MAX_UPLOAD_BYTES = (
    env.integer("AFTERWORD_MAX_UPLOAD_MB", 20, minimum=1) * 2**20
)
# JSON bodies sent to the API above this many bytes are refused with 413
# (uploads to /api/v1/media are capped by AFTERWORD_MAX_UPLOAD_MB instead).
AFTERWORD_API_MAX_BODY = env.integer("AFTERWORD_API_MAX_BODY", 2**20, minimum=1024)
# Uploaded images are re-encoded without EXIF/XMP/comments (GPS, device
# serial, times) unless this is on; see afterword.core.camera_data.
AFTERWORD_KEEP_CAMERA_DATA = env.flag("AFTERWORD_KEEP_CAMERA_DATA")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Behind a TLS-terminating proxy (docs/deploy.md), trust its X-Forwarded-Proto.
# Only safe when the app is reachable through that proxy alone.
if env.flag("AFTERWORD_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For is believed, as addresses or networks;
# empty trusts no header. The client is the right-most untrusted hop
# (afterword/core/clientip.py): what rate limits count and comments record.
AFTERWORD_TRUSTED_PROXIES = env.networks("AFTERWORD_TRUSTED_PROXIES")
X_FRAME_OPTIONS = "SAMEORIGIN"

# Scripts are our own files (with a nonce) or nothing: no inline handlers, no
# third-party origins. Video embeds reach YouTube/Vimeo only after a click.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "connect-src": [SELF],
        "form-action": [SELF, "https:"],
        "base-uri": [SELF],
        "object-src": ["'none'"],
        "frame-ancestors": [SELF],
    }
}

# Ratings on posts about works: out of 5 (stars), out of 10, or 0 for none.
AFTERWORD_RATING_SCALE = int(env.text("AFTERWORD_RATING_SCALE", "5"))
# Posts per page on listings.
AFTERWORD_PAGE_SIZE = env.integer("AFTERWORD_PAGE_SIZE", 10, minimum=1)
# Seconds a process adds feed fetches up in memory before writing them
# (stats/feedcounts.py); 0 writes each fetch as it comes.
AFTERWORD_STATS_FLUSH_SECONDS = env.integer("AFTERWORD_STATS_FLUSH_SECONDS", 5)
# Search results ranked by relevance up to this many matches; a broader
# query lists its newest that many, uncounted further (search/services.py).
# Ranking reads every match's vector on PostgreSQL: 2,000 matches cost
# 40 ms there, 500 cost 8 ms.
AFTERWORD_SEARCH_RANKED_AT_MOST = env.integer(
    "AFTERWORD_SEARCH_RANKED_AT_MOST", 500, minimum=1
)
# A static build renders only the pages that show the changed posts and
# comments, up to this many of them; past it, everything (docs/static.md).
AFTERWORD_STATIC_NARROWED_AT_MOST = env.integer(
    "AFTERWORD_STATIC_NARROWED_AT_MOST", 2000, minimum=0
)
# The full-page cache for anonymous readers; see pagecache/ and docs/deploy.md.
AFTERWORD_PAGE_CACHE = env.flag("AFTERWORD_PAGE_CACHE", True)
# Render the viewer-independent parts of pages (a post's article, the header
# navigation) once per content version: {% fragment %} in pagecache/fragments.py.
AFTERWORD_FRAGMENT_CACHE = env.flag("AFTERWORD_FRAGMENT_CACHE", True)
# Where rendered anonymous pages are also written as files for nginx to serve
# directly (empty: off).
AFTERWORD_PAGE_CACHE_DIR = env.text("AFTERWORD_PAGE_CACHE_DIR", "")
# Visitors carrying these cookies see personal pages (a guest's own held
# comment): they skip the page cache. See discussion/cookies.py.
AFTERWORD_PAGE_CACHE_BYPASS_COOKIES: tuple[str, ...] = (
    "messages",
    "afterword_commenter",
)
if _REPLICA:
    # A writer inside the read-your-writes window (config/dbrouting.py) gets
    # pages rendered from the primary for them, as nginx already passes
    # their requests on because of the cookie.
    AFTERWORD_PAGE_CACHE_BYPASS_COOKIES += ("afterword_primary",)
# Extra Markdown syntax: dotted paths to afterword.core.markdown.MarkdownExtension
# subclasses (see that module's docstring).
AFTERWORD_MARKDOWN_EXTENSIONS: list[str] = [
    "afterword.catalog.references.ReferenceExtension",
]
# Inlines other apps add to the post form in the admin: dotted paths to
# InlineModelAdmin subclasses (read by posts.admin.PostAdmin.get_inlines).
AFTERWORD_POST_ADMIN_INLINES: list[str] = [
    "afterword.catalog.admin.PostWorkInline",
    "afterword.catalog.admin.PostMentionInline",
]

# Outbound HTTP (afterword.core.outbound): only public addresses are reached.
# Exact host:port pairs reachable although private: for tests only, unsafe on
# a public site (docs/configuration.md).
# Requests per minute each application password or token may make to the
# API and Micropub (0: no limit); see docs/api.md.
AFTERWORD_API_RATE_PER_MINUTE = env.integer(
    "AFTERWORD_API_RATE_PER_MINUTE", 1200, minimum=0
)
AFTERWORD_OUTBOUND_ALLOW = env.listing("AFTERWORD_OUTBOUND_ALLOW", [])
# address:port of a name server to ask instead of the system resolver.
AFTERWORD_OUTBOUND_NAMESERVER = env.text("AFTERWORD_OUTBOUND_NAMESERVER", "")
# A PEM file of the certificate authorities to trust instead of the system's.
AFTERWORD_OUTBOUND_CA_FILE = env.text("AFTERWORD_OUTBOUND_CA_FILE", "")
# TEST ONLY, unsafe in production: federation and Webmention may use plain
# http and reach loopback and private addresses (docs/fediverse.md).
AFTERWORD_FEDERATION_ALLOW_PRIVATE = env.flag("AFTERWORD_FEDERATION_ALLOW_PRIVATE")
# The blog's own fediverse account (@blog@host); a writer of that name posts
# through it.
AFTERWORD_FEDERATION_SITE_HANDLE = env.text("AFTERWORD_FEDERATION_SITE_HANDLE", "blog")
# Deliveries in flight to one server at most, and how long a server may fail
# every delivery before it is skipped (seconds; a week).
AFTERWORD_FEDERATION_PER_SERVER = env.integer(
    "AFTERWORD_FEDERATION_PER_SERVER", 4, minimum=1
)
AFTERWORD_FEDERATION_DEAD_AFTER = env.integer(
    "AFTERWORD_FEDERATION_DEAD_AFTER", 7 * 86400, minimum=60
)
# Seconds before each new attempt at a fediverse delivery; empty: the
# schedule in afterword.federation.delivery (1 minute up to 3 days).
AFTERWORD_FEDERATION_RETRY_DELAYS = env.integers(
    "AFTERWORD_FEDERATION_RETRY_DELAYS", []
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.text("AFTERWORD_LOG_LEVEL", "WARNING"),
    },
}
