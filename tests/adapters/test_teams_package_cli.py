"""`ketenbot teams-package` writes the zip an admin uploads to Teams."""

from __future__ import annotations

import json
import zipfile

from adapters.cli import main

APP_ID = "12345678-1234-1234-1234-123456789abc"


def test_package_with_app_id(tmp_path, capsys):
    out = tmp_path / "pakket.zip"
    assert main(["teams-package", "--app-id", APP_ID, "--out", str(out)]) == 0
    assert f"Teams-pakket geschreven: {out}" in capsys.readouterr().out
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID


def test_package_needs_a_valid_app_id(tmp_path, capsys, monkeypatch):
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 1
    assert "Geef de app id van je Azure Bot" in capsys.readouterr().err
    monkeypatch.setenv("MICROSOFT_APP_ID", "geen-guid")
    assert main(["teams-package", "--out", str(tmp_path / "x.zip")]) == 1
    assert "De app id moet een GUID zijn" in capsys.readouterr().err
