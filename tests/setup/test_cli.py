"""The installed ``afterword`` command, run for real from another directory."""

import os
import subprocess
import sys
from pathlib import Path

AFTERWORD = str(Path(sys.executable).with_name("afterword"))


def site_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without any site configuration, plus ``extra``.

    The test process has its own AFTERWORD_* and DATABASE_URL values (from the
    test settings or CI); a real user's shell would not.
    """
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("AFTERWORD_")
        and name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {**environ, "AFTERWORD_DATA_DIR": str(data_dir), **extra}


def afterword(*args: str, cwd: Path, env: dict[str, str]):
    return subprocess.run(
        [AFTERWORD, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_afterword_migrates_the_site_named_by_the_data_dir_not_the_cwd(tmp_path):
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    site = tmp_path / "site-a"
    env = site_environment(site)

    migrate = afterword("migrate", "--no-input", cwd=elsewhere, env=env)
    check = afterword("check", cwd=elsewhere, env=env)

    assert migrate.returncode == 0, migrate.stderr
    assert (site / "afterword.sqlite3").stat().st_size > 0
    assert (site / "secret_key").exists()
    assert list(elsewhere.iterdir()) == []
    assert check.returncode == 0, check.stderr
    assert "System check identified no issues" in check.stdout


def test_afterword_help_lists_our_commands_and_the_site_it_would_use(tmp_path):
    result = afterword("--help", cwd=tmp_path, env=site_environment(tmp_path / "b"))

    assert result.returncode == 0, result.stderr
    assert f"Site data: {tmp_path / 'b'}" in result.stdout
    ours = result.stdout.split("Afterword commands:")[1].split("Django and")[0]
    for command in ("setup_site", "serve", "load_demo"):
        assert f"  {command} " in ours
    assert "migrate" in result.stdout.split("Django and library commands:")[1]


def test_a_bad_variable_stops_the_command_with_one_clear_line(tmp_path):
    env = site_environment(tmp_path / "c", AFTERWORD_CACHE_URL="memcached://x")

    result = afterword("check", cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert result.stderr.startswith("afterword: configuration error: ")
    assert "AFTERWORD_CACHE_URL" in result.stderr
    assert "Traceback" not in result.stderr
