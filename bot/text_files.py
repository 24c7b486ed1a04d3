"""Reading a user's text file (a question set, an import), with a Dutch reason when that fails."""

from __future__ import annotations

from pathlib import Path

# Far more than any real partner list or question set (100 000 partners are about 20 MB), and little enough
# to hold in memory: "/dev/zero" or a mistaken disk image ends with a Dutch message, not a MemoryError.
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024


class UnreadableFileError(ValueError):
    """A text file cannot be read; the message is Dutch and names the file."""


def _read_bytes(path: Path, limit: int) -> bytes:
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFileError(
            f"{path}: het bestand is groter dan {limit // (1024 * 1024)} MB; splits het in kleinere bestanden"
        )
    return data


def read_text_file(path: Path, *, encoding: str = "utf-8", limit: int = MAX_TEXT_FILE_BYTES) -> str:
    """The file's text; raises UnreadableFileError saying in Dutch why it cannot be read."""
    try:
        return _read_bytes(path, limit).decode(encoding)
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
