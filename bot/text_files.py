"""Reading a user's text file (a question set, an import), with a Dutch reason when that fails."""

from __future__ import annotations

from pathlib import Path


class UnreadableFileError(ValueError):
    """A text file cannot be read; the message is Dutch and names the file."""


def read_text_file(path: Path, *, encoding: str = "utf-8") -> str:
    """The file's text; raises UnreadableFileError saying in Dutch why it cannot be read."""
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError as exc:
        raise UnreadableFileError(f"{path}: bestand niet gevonden") from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError(f"{path}: dat is een map, geen bestand") from exc
    except PermissionError as exc:
        raise UnreadableFileError(f"{path}: geen toestemming om het bestand te lezen") from exc
    except OSError as exc:
        raise UnreadableFileError(f"{path}: het bestand kan niet worden gelezen") from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise UnreadableFileError(f"{path}: het bestand is geen UTF-8-tekst (regel {line}); sla het op als UTF-8") from exc
