"""The Teams app package: manifest.json and the two icons in one zip, to upload in Teams."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

MANIFEST_DIR = Path(__file__).resolve().parent / "manifest"
PACKAGE_FILES = ("manifest.json", "color.png", "outline.png")
PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def load_manifest(app_id: str | None = None) -> dict[str, Any]:
    """The manifest; with an app id (MICROSOFT_APP_ID, a GUID) as the app's and the bot's id."""
    manifest = json.loads((MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8"))
    if app_id is not None:
        if not _GUID.match(app_id):
            raise ValueError(f"the Teams app id must be a GUID like {PLACEHOLDER_ID}")
        manifest["id"] = app_id
        for bot in manifest["bots"]:
            bot["botId"] = app_id
    return manifest


def build_package(out_path: Path | str, *, app_id: str | None = None) -> Path:
    """Write the zip Teams accepts (manifest.json, color.png, outline.png at its root); return its path.

    Without an app id the manifest keeps its placeholder id: fine for a look inside, not for upload.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(app_id)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name in PACKAGE_FILES[1:]:
            package.write(MANIFEST_DIR / name, arcname=name)
    return out
