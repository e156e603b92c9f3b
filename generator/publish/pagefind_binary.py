"""Pagefind's binary: a pinned release, fetched once from the npm registry and checked.

Pagefind publishes each release to npm (one package per platform, `@pagefind/linux-x64` and
so on) and, later or not at all, to PyPI. Release 1.6.0 searches several times faster than
1.5.2, the last one on PyPI, when a word is on most pages (docs/performance.md has the
figures). So the binary comes from the npm
registry, where Pagefind's own installer takes it from: the platform's tarball, checked
against the SHA-512 digest pinned below (the registry's `integrity` for that exact file), and
kept inside the virtual environment. `make install` fetches it; a build fetches it when it is
missing. The download is read a chunk at a time, and stops with a message past `PAGEFIND_LIMIT`.
``PAGEFIND_BINARY_PATH`` names another binary instead (an offline machine, a platform not listed
here); it must be release 1.6.0, since the site's search scripts are written for it.
"""

from __future__ import annotations

import io
import os
import platform
import sys
import tarfile
import tempfile
from pathlib import Path

from generator.content.errors import BriefingError
from generator.publish import npm

VERSION = "1.6.0"

# Platform (as `@pagefind/<platform>` names it) -> SHA-512 of its npm tarball, base64.
DIGESTS = {
    "linux-x64": (
        "IbMSx/+Vr/Xk0TTBlLkjgK+rvnbOXGmmb2/MKxQu99AR5DsqQoV3NKEA9PQz2tAhuCZjeD5xJBp4w5N5DHIC7Q=="
    ),
    "linux-arm64": (
        "SLB2I+XqCZma8NvIGIH8nyKblgKIxw5PmqsVtofWOKxNHhEtOEsddbqU+hsrNcT3EV0faM6UmKDHVIxcPYq29w=="
    ),
    "darwin-x64": (
        "rd3ZbtuxyYqjASKZAPuIV7eeQQHJ7VYpoNKKG8CvglaD3g30eT5Nb7XGNLYwVReBsCccpkURwrGwWjSwr8nyQQ=="
    ),
    "darwin-arm64": (
        "611gl64aqN12UcMyKPtZ8+vRWBKlJFSh2JgO8uScxa1Eyjo1dXz9r4wZuRno0yCUE/KN0FauEoKZ3KEwUYHCCg=="
    ),
    "freebsd-x64": (
        "d+sXqsaThszmPWGVDSRKqIz9GpZcj/bAksNZfg19asSxU0ogNPOMND4kV4giQvOjPFMsltUFf6hQJfoHQ6+hSQ=="
    ),
    "windows-x64": (
        "cUA2+yXfbymdJllyMjY5YTBwuOgh0/H53Pn5fYKjDnDjk154Ft4U5RVj3TenWySPL/jG6zJfARUWSlyUyXHlZw=="
    ),
    "windows-arm64": (
        "wUrniW3REr7VWJHz6xE6F/p/AQgHDFpGZiY9sbWT71KfEijDE5Jnc37V8zc7cilV9h/QkwJGXoEP2+ZLwDmhtw=="
    ),
}
PAGEFIND_LIMIT = 16 * 1024 * 1024
"""Bytes read of a download at most: the largest of the release's tarballs is 7.5 MB
(linux-x64: 7,542,388 bytes; the others 7.1 to 7.3 MB). A registry or a proxy that sends more
is not sending the release, and the download stops there, before it fills the memory."""


def release(name: str) -> npm.Release:
    """The pinned release of ``@pagefind/<name>``."""
    return npm.Release(
        package=f"@pagefind/{name}",
        version=VERSION,
        digest=DIGESTS[name],
        title="Pagefind",
        limit=PAGEFIND_LIMIT,
        size="7.5 MB",
        instead="set PAGEFIND_BINARY_PATH to a Pagefind binary of that release",
    )


def platform_name() -> str:
    """This machine as Pagefind's npm packages name it: ``linux-x64``, ``darwin-arm64``, …"""
    system = {"win32": "windows"}.get(sys.platform, sys.platform)
    system = "freebsd" if system.startswith("freebsd") else system
    machine = platform.machine().lower()
    cpu = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{cpu}"


def executable() -> Path:
    """The Pagefind binary to run: ``PAGEFIND_BINARY_PATH``, or the pinned release (fetched
    into the virtual environment the first time)."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        if not os.access(named, os.X_OK) or not Path(named).is_file():
            raise BriefingError(f"PAGEFIND_BINARY_PATH names no program to run: {named}")
        return Path(named)
    name = platform_name()
    if name not in DIGESTS:
        raise BriefingError(
            f"Pagefind {VERSION} has no build for this platform ({name}): set "
            "PAGEFIND_BINARY_PATH to a Pagefind binary of that release"
        )
    suffix = ".exe" if name.startswith("windows") else ""
    path = Path(sys.prefix) / "pagefind" / VERSION / f"pagefind_extended{suffix}"
    if not path.is_file():
        fetch(name, path)
    return path


def fetch(name: str, path: Path) -> None:
    """Download ``@pagefind/<name>``'s tarball, check its digest and unpack the binary to
    ``path`` (written beside it and renamed, so a build running at the same time never sees a
    half-written file)."""
    pinned = release(name)
    data = npm.tarball(pinned)
    member = f"package/bin/{path.name}"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        unpacked = archive.extractfile(member)
        if unpacked is None:
            raise BriefingError(f"{pinned.url} holds no {member}")
        binary = unpacked.read()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
        out.write(binary)
    os.chmod(out.name, 0o755)
    os.replace(out.name, path)


if __name__ == "__main__":  # `make install`: fetch it now rather than in the first build
    print(executable())
