"""The settings docs/deploy.md tells a deployment to set are honoured: the PgBouncer switch for
server-side cursors, Redis behind the caches and the queue."""

import json
import os
import subprocess
import sys

PG = "postgresql://emporium@db.invalid:5432/emporium"  # parsed only, never connected to


def settings_with(env: dict[str, str], tmp_path) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(json.dumps({'cursors': d['DISABLE_SERVER_SIDE_CURSORS'],"
        " 'age': d['CONN_MAX_AGE'], 'cache': s.CACHES['default']['BACKEND'],"
        " 'pages': s.CACHES['pages']['BACKEND'], 'queue': s.HUEY['huey_class']}))"
    )
    keep = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**keep, "DJANGO_SETTINGS_MODULE": "emporium.settings",
             "EMPORIUM_VAR_DIR": str(tmp_path), **env},  # fmt: skip
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_server_side_cursors_stay_on_unless_a_transaction_pooler_needs_them_off(tmp_path):
    assert settings_with({"DATABASE_URL": PG}, tmp_path)["cursors"] is False
    off = settings_with({"DATABASE_URL": PG, "DB_DISABLE_SERVER_SIDE_CURSORS": "1"}, tmp_path)
    assert off["cursors"] is True


def test_redis_backs_the_cache_the_page_cache_and_the_queue_with_persistent_connections(tmp_path):
    redis = settings_with(
        {"DATABASE_URL": PG, "REDIS_URL": "redis://cache.invalid:6379/0"}, tmp_path
    )
    assert redis["cache"] == redis["pages"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["queue"] == "huey.RedisHuey"
    assert redis["age"] == 600
    embedded = settings_with({"DATABASE_URL": PG}, tmp_path)
    assert embedded["queue"] == "huey.SqliteHuey" and "locmem" in embedded["cache"]
