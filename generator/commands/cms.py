"""``briefing cms-config``: the editing form's configuration (``templates/admin/config.yml``),
generated from the model and the vocabulary (`generator.publish.admin`)."""

from __future__ import annotations

from pathlib import Path

from generator.commands.scaffold import vocabulary
from generator.publish import admin
from generator.settings import Settings


def committed_config(settings: Settings) -> str:
    """The committed configuration: without a repository (the build adds the one it is in)."""
    return admin.config_text(vocabulary(settings.content_dir), settings)


def write_config(settings: Settings, out: Path) -> bool:
    """Write the configuration to ``out``; False when it was already current."""
    wanted = committed_config(settings)
    if out.is_file() and out.read_text(encoding="utf-8") == wanted:
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(wanted, encoding="utf-8")
    return True
