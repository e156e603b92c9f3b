"""Real MkDocs builds for tests: the shipped mkdocs.yml, or a copy pointed at other content."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import IO

import yaml
from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).parent.parent
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def mkdocs_build(config: Path, site_dir: Path, *more: str) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` as a subprocess, exactly as `make site` does (with options
    ``more`` added)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(config),
            "-d",
            str(site_dir),
            *more,
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def mkdocs_dirty_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --dirty` into ``site_dir`` (not --strict: MkDocs warns about every dirty
    build)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "-q", "-f", str(config)]
    return subprocess.run(
        [*command, "-d", str(site_dir)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def mkdocs_serve(config: Path, port: int, log: IO[str]) -> subprocess.Popen[bytes]:
    """Start `mkdocs serve --dirty` (as `make serve` does) on 127.0.0.1:port, output to ``log``."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(config),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def config_for(folder: Path, content: Path, **plugin: object) -> Path:
    """A mkdocs.yml in ``folder`` like the shipped one, reading records from ``content``.

    Hand-written pages come from ``content/pages`` when it exists (an empty folder otherwise);
    templates and theme overrides are the repository's own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as handle:
        config = yaml_load(handle)  # resolves !ENV as MkDocs does
    pages = content / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    config["docs_dir"] = str(pages.resolve())
    config["theme"]["custom_dir"] = str((ROOT / "templates" / "overrides").resolve())
    options = {
        "content_dir": str(content.resolve()),
        "templates_dir": str((ROOT / "templates").resolve()),
        "cache_dir": str((folder / "cache").resolve()),
        **plugin,
    }
    config["plugins"] = [
        p
        if p != "briefing" and not (isinstance(p, dict) and "briefing" in p)
        else {"briefing": options}
        for p in config["plugins"]
    ]
    # The About section as shipped, when the hand-written pages are there (data.md is generated).
    about = next(item["About"] for item in config["nav"] if "About" in item)
    config["nav"] = [item for item in config["nav"] if "About" not in item]
    written = [page for entry in about for page in entry.values() if page != "data.md"]
    if all((pages / name).exists() for name in written):
        config["nav"].append({"About": about})
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def failing_templates(folder: Path, event_id: str) -> Path:
    """A copy of the templates in ``folder`` whose brief template fails, on its line 2, for the
    event ``event_id``."""
    templates = folder / "templates"
    shutil.copytree(ROOT / "templates", templates)
    brief = templates / "brief.md.j2"
    failing = f'{{% if event.id == "{event_id}" %}}\n{{{{ no_such.value }}}}{{% endif %}}\n'
    brief.write_text(failing + brief.read_text(encoding="utf-8"), encoding="utf-8")
    return templates


def read_sitemap(read: Callable[[str], bytes], site_url: str) -> list[tuple[str, str | None]]:
    """Every page a sitemap lists, read through its index (``read``: a site file's bytes, from
    its path in the site): (address, lastmod or None), in order."""
    ns = {"s": SITEMAP_NS}
    index = ET.fromstring(read("sitemap.xml"))
    assert index.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    pages = []
    for loc in index.findall("s:sitemap/s:loc", ns):
        assert loc.text is not None and loc.text.startswith(site_url), loc.text
        urlset = ET.fromstring(read(loc.text.removeprefix(site_url)))
        assert urlset.tag == f"{{{SITEMAP_NS}}}urlset"
        for url in urlset.findall("s:url", ns):
            pages.append((url.findtext("s:loc", "", ns), url.findtext("s:lastmod", None, ns)))
    return pages


def sitemap(site: Path, site_url: str) -> list[tuple[str, str | None]]:
    """Every page the sitemap of the built ``site`` lists: (address, lastmod or None)."""
    return read_sitemap(lambda rel: (site / rel).read_bytes(), site_url)
