"""Decap CMS's browser bundle: a pinned release, fetched once from the npm registry and checked.

The editing form at ``/admin/`` (`generator.publish.admin`) runs Decap CMS, which npm
publishes ready to serve (``dist/decap-cms.js``, the chunks it loads when needed, and two
WebAssembly files). The bundle is 6.4 MB: rather than keep it in git, `make install` fetches
the package's tarball (16 MB, most of it source maps) from the npm registry, checks it against
the SHA-512 digest pinned below (the registry's ``integrity`` for that exact file) and keeps the
files the browser loads inside the virtual environment; a build fetches them when they are
missing and copies them into ``site/admin/``. Nothing is loaded from another host at runtime.
``DECAP_CMS_DIST`` names a folder holding those files instead (an offline machine).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

from generator.content.errors import BriefingError
from generator.publish import npm

DECAP_VERSION = "3.16.3"
DIGEST = "hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
"""SHA-512 of ``decap-cms-3.16.3.tgz``, base64: the registry's ``integrity``."""
DECAP_LIMIT = 24 * 1024 * 1024
"""Bytes read of a download at most: the release's tarball is 15,950,073 bytes. A registry or a
proxy that sends more is not sending the release, and the download stops there."""
RELEASE = npm.Release(
    package="decap-cms",
    version=DECAP_VERSION,
    digest=DIGEST,
    title="Decap CMS",
    limit=DECAP_LIMIT,
    size="16 MB",
    instead="set DECAP_CMS_DIST to a folder with its dist/ files",
)
SERVED = re.compile(
    r"^package/dist/((?:[0-9]+\.)?decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)$"
)
"""The tarball's files the browser loads (and the bundle's licence notices); not the source
maps, nor ``cms.js``, a second copy of the same bundle under another name."""
ENTRY = "decap-cms.js"


def folder() -> Path:
    """The folder of the bundle's files: ``DECAP_CMS_DIST``, or the pinned release (fetched into
    the virtual environment the first time)."""
    named = os.environ.get("DECAP_CMS_DIST")
    if named:
        if not (Path(named) / ENTRY).is_file():
            raise BriefingError(f"DECAP_CMS_DIST names no folder holding {ENTRY}: {named}")
        return Path(named)
    path = Path(sys.prefix) / "decap-cms" / DECAP_VERSION
    if not (path / ENTRY).is_file():
        fetch_bundle(path)
    return path


def bundle_files() -> dict[str, bytes]:
    """The bundle's files, by name."""
    where = folder()
    return {p.name: p.read_bytes() for p in sorted(where.iterdir()) if p.is_file()}


def fetch_bundle(path: Path) -> None:
    """Download the tarball, check its digest and unpack the served files to ``path`` (written
    beside it and renamed, so a build running at the same time never sees half of them)."""
    url = RELEASE.url
    data = npm.tarball(RELEASE)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent))
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            served = SERVED.match(member.name)
            unpacked = archive.extractfile(member) if served and member.isfile() else None
            if served and unpacked is not None:
                (staging / served[1]).write_bytes(unpacked.read())
    if not (staging / ENTRY).is_file():
        shutil.rmtree(staging)
        raise BriefingError(f"{url} holds no dist/{ENTRY}")
    try:
        os.replace(staging, path)
    except OSError:  # another build got there first
        shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":  # `make install`: fetch it now rather than in the first build
    print(folder())
