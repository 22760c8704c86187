"""axe-core, the accessibility engine, fetched from the npm registry once per machine.

It is not vendored: npm gives the exact, pinned release (MPL-2.0) with its licence, and a
new release is one line here. The first run installs it into a cache directory
(`AXE_CACHE_DIR`, default ~/.cache/danhba/axe-core-<version>); later runs reuse it.
"""

import os
import shutil
import subprocess
from pathlib import Path

AXE_VERSION = "4.14.1"


def axe_script(missing):
    """Path of axe.min.js; `missing(reason)` skips or fails (see conftest) without npm."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "danhba"
    prefix = Path(os.environ.get("AXE_CACHE_DIR", default)) / f"axe-core-{AXE_VERSION}"
    script = prefix / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        missing("npm is needed once to fetch axe-core (apt-get install npm)")
    prefix.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(prefix),
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"axe-core@{AXE_VERSION}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or not script.exists():
        missing(f"npm could not install axe-core@{AXE_VERSION}: {result.stderr.strip()}")
    return script


def violations(page, script):
    """axe's violations on the page as it is now, each as `rule (impact): help: targets`."""
    page.add_script_tag(path=str(script))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
    ]
