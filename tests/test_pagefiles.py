"""``content/pages/`` holds pages and images, never a file the theme or the generator writes:
`briefing check` and the build refuse the rest, naming the path it would have replaced, and no
such file reaches the site, even where a build goes on (`mkdocs serve`)."""

from __future__ import annotations

import io
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import material
import pytest
from PIL import Image

from generator.content.errors import BriefingError
from generator.publish import cards
from generator.session import build
from generator.site import pagefiles
from tests.conftest import FIXTURE, ContentFactory
from tests.sitebuild import ROOT, config_for, mkdocs_build
from tests.test_cli import briefing
from tests.test_serve_errors import _errors, _until
from tests.test_site import _fetch, serving

ALLOWED = ".md, .png, .jpg, .jpeg, .gif, .webp, .avif"
NOT_A_PAGE = (
    f"only pages and images may be in content/pages/ ({ALLOWED}); other files (scripts, "
    "styles, HTML, SVG, data) are added to templates/overrides/ by a maintainer, in review"
)
HOSTILE_JS = "alert(document.domain)\n"


def image(kind: str) -> bytes:
    """A one-pixel image of ``kind`` (a Pillow format name), as Pillow writes it."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 0, 0)).save(out, kind)
    return out.getvalue()


MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = ROOT / "templates" / "overrides"


def _shown(path: Path) -> str:
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)


def _theme() -> pagefiles.Theme:
    return pagefiles.Theme.of_file(ROOT / "mkdocs.yml")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("photo.png", "PNG"),
        ("photo.jpg", "JPEG"),
        ("photo.jpeg", "JPEG"),
        ("photo.gif", "GIF"),
        ("photo.webp", "WEBP"),
        ("photo.avif", "AVIF"),
    ],
)
def test_images_of_the_listed_types_are_accepted(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(image(kind))
    assert pagefiles.kind_problem(name, path) is None
    assert pagefiles.kind_problem("about.md", tmp_path / "about.md") is None


@pytest.mark.parametrize(
    "name",
    [
        "evil.html",
        "assets/site.js",
        "x.svg",
        "x.css",
        "feed.xml",
        "data.json",
        "x.mjs",
        "PHOTO.PNG",
        "x.png.html",
        ".htaccess",
        "noext",
    ],
)
def test_other_files_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "file"
    path.write_bytes(image("PNG"))  # (whatever it holds)
    assert pagefiles.kind_problem(name, path) == NOT_A_PAGE


@pytest.mark.parametrize("name", ["evil.png", "evil.jpg", "evil.gif", "evil.webp", "evil.avif"])
def test_an_image_must_be_one(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("<html><script>alert(1)</script>", encoding="utf-8")
    kind = name.rpartition(".")[2].upper()
    assert pagefiles.kind_problem(name, path) == (
        f"is not a {kind} image (its first bytes are not those of one)"
    )
    (tmp_path / "png.gif").write_bytes(image("PNG"))
    assert pagefiles.kind_problem("png.gif", tmp_path / "png.gif") is not None
    (tmp_path / "sound.webp").write_bytes(b"RIFF\x24\0\0\0WAVEfmt ")  # (RIFF, but not WebP)
    assert pagefiles.kind_problem("sound.webp", tmp_path / "sound.webp") is not None


def test_a_file_may_not_land_where_the_generator_or_the_theme_writes(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    png = image("PNG")
    files = {
        "assets/cards/site.png": png,
        "assets/images/favicon.png": png,
        "assets/vendor/leaflet/images/marker-icon.png": png,
        "pagefind/index.md": b"# Search\n",
        "data/notes.md": b"# Notes\n",
        "feeds/tags/x.png": png,
        "sitemaps/index.md": b"# x\n",
        "assets/photo.png": png,  # free: accepted
        "feed.md": b"# Feed\n",  # feed/index.html, not feed.xml: accepted
        "photos/cards/site.png": png,
    }
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    handwritten = {rel: str(folder / rel) for rel in files}
    found = {
        error.path.removeprefix(f"{folder}/"): error.message
        for error in pagefiles.file_problems(handwritten, _theme(), build.WRITTEN)
    }
    generated = "which the generator writes"
    assert found == {
        "assets/cards/site.png": f"would replace assets/cards/site.png, {generated} (under "
        "assets/cards/): rename or move this file",
        "assets/images/favicon.png": "would replace assets/images/favicon.png, a file of the "
        f"theme ({_shown(MATERIAL / 'assets/images/favicon.png')}): rename or move this file",
        "assets/vendor/leaflet/images/marker-icon.png": "would replace "
        "assets/vendor/leaflet/images/marker-icon.png, a file of the theme "
        f"({_shown(OVERRIDES / 'assets/vendor/leaflet/images/marker-icon.png')}): "
        "rename or move this file",
        "pagefind/index.md": f"would replace pagefind/index.html, {generated} (under "
        "pagefind/): rename or move this file",
        "data/notes.md": f"would replace data/notes/index.html, {generated} (under data/): "
        "rename or move this file",
        "feeds/tags/x.png": f"would replace feeds/tags/x.png, {generated} (under feeds/): "
        "rename or move this file",
        "sitemaps/index.md": f"would replace sitemaps/index.html, {generated} (under "
        "sitemaps/): rename or move this file",
    }


def test_the_generator_writes_only_where_it_declares(tmp_path: Path) -> None:
    """`WRITTEN` is what keeps hand-written files off the generator's: a file written anywhere
    else is refused before it is written."""
    with pytest.raises(BriefingError, match=r"the generator wrote notes\.txt, which WRITTEN"):
        build._write(tmp_path, {f"{cards.CARDS_FOLDER}/x.png": b"", "notes.txt": ""})
    assert not (tmp_path / cards.CARDS_FOLDER).exists()


def test_check_names_the_file_and_the_path_it_would_replace(
    make_content: ContentFactory, tmp_path: Path
) -> None:
    content = make_content()
    pages = content / "pages"
    (pages / "assets" / "cards").mkdir(parents=True)
    (pages / "assets" / "site.js").write_text(HOSTILE_JS, encoding="utf-8")
    (pages / "assets" / "cards" / "site.png").write_bytes(image("PNG"))
    (pages / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (pages / "logo.png").write_bytes(image("PNG"))
    config_for(tmp_path, content)  # (tmp_path/mkdocs.yml, with the repository's theme)
    result = briefing("check", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert result.stderr.splitlines()[:-1] == [
        "content/pages/assets/cards/site.png:1:1: would replace assets/cards/site.png, which "
        "the generator writes (under assets/cards/): rename or move this file",
        f"content/pages/assets/site.js:1:1: {NOT_A_PAGE}",
        "content/pages/assets/site.js:1:1: would replace assets/site.js, a file of the theme "
        f"({OVERRIDES / 'assets/site.js'}): rename or move this file",
        f"content/pages/evil.html:1:1: {NOT_A_PAGE}",
    ]
    # Without a mkdocs.yml, the theme's files are not known; the rest is refused all the same.
    (tmp_path / "mkdocs.yml").unlink()
    alone = briefing("check", cwd=tmp_path).stderr.splitlines()
    assert "a file of the theme" not in "\n".join(alone)
    assert f"content/pages/assets/site.js:1:1: {NOT_A_PAGE}" in alone


@pytest.mark.slow
def test_the_build_refuses_them_and_the_generator_writes_only_what_it_declares(
    tmp_path: Path,
) -> None:
    """A build with such files stops, naming them. The build without them holds, besides
    MkDocs' pages and the theme's files, only files on `WRITTEN`'s paths: the list that keeps
    hand-written files off is the list of what the generator writes."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    pages = content / "pages"
    (pages / "assets" / "cards").mkdir(parents=True)
    (pages / "assets" / "site.js").write_text(HOSTILE_JS, encoding="utf-8")
    (pages / "assets" / "cards" / "site.png").write_bytes(image("PNG"))
    (pages / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    config = config_for(tmp_path, content)
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    for line in (
        f"{pages}/evil.html:1:1: {NOT_A_PAGE}",
        f"{pages}/assets/site.js:1:1: would replace assets/site.js, a file of the theme",
        f"{pages}/assets/cards/site.png:1:1: would replace assets/cards/site.png, which the "
        "generator writes (under assets/cards/)",
    ):
        assert line in result.stderr
    assert "Traceback" not in result.stderr

    shutil.rmtree(pages / "assets")
    (pages / "evil.html").unlink()
    (pages / "photo.png").write_bytes(image("PNG"))
    site = tmp_path / "site"
    assert mkdocs_build(config, site).returncode == 0
    assert (site / "photo.png").read_bytes() == image("PNG")
    theme = pagefiles.Theme.of_file(config)
    others = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        mkdocs = rel.endswith(".html") or rel in theme.files or rel in theme.templates()
        if not mkdocs and rel != "photo.png" and pagefiles.within(rel, build.WRITTEN) is None:
            others.append(rel)
    assert others == []


def _theme_with(folder: Path, planted: dict[str, bytes]) -> Path:
    """A copy of the theme's overrides with ``planted`` files added."""
    overrides = folder / "overrides"
    shutil.copytree(ROOT / "templates" / "overrides", overrides)
    for rel, data in planted.items():
        (overrides / rel).parent.mkdir(parents=True, exist_ok=True)
        (overrides / rel).write_bytes(data)
    return overrides


@pytest.mark.slow
def test_generated_files_are_written_after_mkdocs_own(tmp_path: Path) -> None:
    """MkDocs copies the theme's files once it has read every page, which is when the rendering
    child has written the open data and feeds: those are moved into the site after MkDocs is
    done, so a file of the theme on one of their paths cannot survive."""
    planted = {
        f"{cards.CARDS_FOLDER}/site.png": image("PNG"),
        "data/events.geojson": b'{"type": "FeatureCollection", "features": []}',
        "feed.xml": b"<feed/>",
    }
    overrides = _theme_with(tmp_path, planted)
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    config = config_for(tmp_path, content)
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            str((ROOT / "templates" / "overrides").resolve()), str(overrides)
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    result = mkdocs_build(config, site)
    assert result.returncode == 0, result.stderr
    for rel, data in planted.items():
        assert (site / rel).read_bytes() != data, rel
    assert (site / "feed.xml").read_bytes().startswith(b"<?xml")
    assert b'"id":"launch"' in (site / "data" / "events.geojson").read_bytes()
    assert not (tmp_path / "cache-published").exists()


@pytest.mark.slow
def test_serve_leaves_refused_files_out_of_the_last_good_site(tmp_path: Path) -> None:
    """`mkdocs serve` goes on with the last good site while the content has errors, and MkDocs
    still copies what its docs folder holds: refused files are taken out of the build, and the
    theme's and the generator's files stay as they were."""
    with serving(tmp_path) as (url, content):
        original_js = _fetch(f"{url}/assets/site.js", "import")
        with urllib.request.urlopen(f"{url}/assets/cards/site.png", timeout=10) as response:
            card = response.read()
        pages = content / "pages"
        (pages / "assets" / "cards").mkdir(parents=True, exist_ok=True)
        (pages / "assets" / "cards" / "site.png").write_bytes(image("PNG"))
        (pages / "assets" / "site.js").write_text(HOSTILE_JS, encoding="utf-8")
        (pages / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        _until(lambda: _errors(url) is not None, "the refusal never reached the server")
        errors = "\n".join(_errors(url) or [])
        assert "assets/site.js:1:1: would replace assets/site.js" in errors
        assert "evil.html:1:1: only pages and images" in errors
        assert _fetch(f"{url}/assets/site.js", "import") == original_js
        with urllib.request.urlopen(f"{url}/assets/cards/site.png", timeout=10) as response:
            assert response.read() == card
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{url}/evil.html", timeout=10)
