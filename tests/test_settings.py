import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "SECRET_KEY": "a-production-secret-key-of-fifty-characters-or-more-0123456789",
    "ALLOWED_HOSTS": "danhba.tayninh.gov.vn",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}


def manage(*args, **environment):
    """Run manage.py as an operator would: only PATH and the given variables are set."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_serve_without_a_secret_key():
    environment = {**PRODUCTION, "SECRET_KEY": ""}
    served = subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode != 0
    assert "Set SECRET_KEY" in served.stderr
    deploy = manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert deploy.returncode != 0
    assert "SECRET_KEY" in deploy.stderr


def test_commands_that_sign_nothing_run_before_configuration():
    result = manage("makemigrations", "--check", "--dry-run", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode == 0, result.stderr


def test_a_malformed_setting_stops_start_up():
    result = manage("check", **{**PRODUCTION, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_health_check_answers_plain_http_on_any_host(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["danhba.tayninh.gov.vn"]
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert (response.status_code, response.content) == (200, b"ok")
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 400
