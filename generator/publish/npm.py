"""Pinned releases from the npm registry: one tarball, its digest checked, its size capped.

The site serves or runs two things published on npm rather than PyPI: Pagefind's binary
(`generator.publish.pagefind_binary`) and the editing form's bundle
(`generator.publish.decap_bundle`). Both come through `tarball`: the registry that
``NPM_CONFIG_REGISTRY`` names (npm's own by default), read a chunk at a time and never past the
caller's limit, and compared with the SHA-512 digest pinned beside the version (the registry's
``integrity`` for that exact file).
"""

from __future__ import annotations

import base64
import hashlib
import os
import urllib.request
from dataclasses import dataclass

from generator.content.errors import BriefingError

REGISTRY = "https://registry.npmjs.org/"
TIMEOUT = 120  # seconds, for the download
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Release:
    """One pinned npm release: what to call it in messages, and where to turn without it."""

    package: str
    """The npm package (``@pagefind/linux-x64``, ``decap-cms``)."""
    version: str
    digest: str
    """SHA-512 of the tarball, base64: the registry's ``integrity`` without ``sha512-``."""
    title: str
    """How messages name it: ``Pagefind``, ``Decap CMS``."""
    limit: int
    """Bytes read at most: a registry or proxy sending more is not sending the release."""
    size: str
    """The release's real size, for the message when the limit is passed (``7.5 MB``)."""
    instead: str
    """What to do without the registry (``set PAGEFIND_BINARY_PATH to ...``)."""

    @property
    def url(self) -> str:
        registry = os.environ.get("NPM_CONFIG_REGISTRY") or REGISTRY
        name = self.package.rpartition("/")[2]
        return f"{registry.rstrip('/')}/{self.package}/-/{name}-{self.version}.tgz"


def tarball(release: Release) -> bytes:
    """The release's tarball, checked; a `BriefingError` that says what to do otherwise."""
    url = release.url
    try:
        data = _download(url, release)
    except OSError as exc:
        raise BriefingError(
            f"could not download {release.title} {release.version} from {url}: {exc}; "
            f"{release.instead}"
        ) from None
    if base64.b64encode(hashlib.sha512(data).digest()).decode() != release.digest:
        raise BriefingError(
            f"{url} is not the {release.title} {release.version} release pinned here"
        )
    return data


def _download(url: str, release: Release) -> bytes:
    """The body at ``url``, read a chunk at a time and never past the release's limit: a body
    that says or turns out to be longer stops the download with a message."""
    too_large = BriefingError(
        f"{url} sends more than {release.limit // (1024 * 1024)} MB, far more than the "
        f"{release.title} {release.version} release is ({release.size}): the download stopped; "
        f"{release.instead}"
    )
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > release.limit:
            raise too_large
        data = bytearray()
        while chunk := response.read(_CHUNK):
            data += chunk
            if len(data) > release.limit:
                raise too_large
    return bytes(data)
