"""Bulk import and export of the social map (formats fixed in CONTRACT.md).

An import is all or nothing: every row is validated first and every bad row is reported with its line
number; only a file without errors is written, in one transaction. The same email updates, not duplicates.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.partner import FieldError, Partner, clean_field
from social_map.registry import PartnerRegistry

FIELDS = ("name", "organisation", "role", "topics", "region", "email", "phone")
EXPORT_FIELDS = (*FIELDS, "note", "consent_at", "confirmed_at", "hidden")
IMPORT_CONSENT = "Aangeleverd door de beheerder via 'ketenbot map import' ({file}); de aanleverende organisatie heeft toestemming gevraagd."


class ImportProblems(Exception):
    """The file cannot be imported; `problems` holds one Dutch line per bad row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    dry_run: bool


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs from a CSV file with a header, or from a JSON list of objects."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportProblems([f"{path}: kan het bestand niet lezen ({exc})"]) from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportProblems([f"regel {exc.lineno}: ongeldige JSON ({exc.msg})"]) from exc
        if not isinstance(data, list):
            raise ImportProblems(["het JSON-bestand moet een lijst van partners zijn"])
        for number, item in enumerate(data, start=1):
            yield number, item if isinstance(item, dict) else {"__invalid__": True}
        return
    reader = csv.DictReader(io.StringIO(text))
    missing = [f for f in ("name", "organisation", "topics") if f not in (reader.fieldnames or [])]
    if missing:
        raise ImportProblems([f"regel 1: kolom(men) ontbreken in de kop: {', '.join(missing)}"])
    for row in reader:
        yield reader.line_num, row


def read_partners(path: Path) -> list[Partner]:
    """Every row validated; raises ImportProblems listing every bad row (CSV line, or JSON item number)."""
    partners: list[Partner] = []
    problems: list[str] = []
    seen_emails: dict[str, int] = {}
    unit = "item" if path.suffix.lower() == ".json" else "regel"
    for number, row in _rows(path):
        if row.get("__invalid__"):
            problems.append(f"{unit} {number}: verwacht een object met velden")
            continue
        values: dict[str, Any] = {}
        row_problems = []
        for field in FIELDS:
            raw = row.get(field)
            try:
                values[field] = clean_field(field, "" if raw is None else str(raw))
            except FieldError as error:
                row_problems.append(f"{field}: {error}")
        email = values.get("email")
        if email and email in seen_emails:
            row_problems.append(f"email: staat ook op {unit} {seen_emails[email]}")
        elif email:
            seen_emails[email] = number
        if row_problems:
            problems.append(f"{unit} {number}: " + "; ".join(row_problems))
        else:
            partners.append(Partner(**values))
    if problems:
        raise ImportProblems(problems)
    return partners


def import_partners(registry: PartnerRegistry, path: Path, *, dry_run: bool = False) -> ImportResult:
    partners = read_partners(path)
    if dry_run:
        updated = sum(registry.by_email(p.email) is not None for p in partners if p.email)
        return ImportResult(len(partners) - updated, updated, True)
    created, updated = registry.save_many(partners, consent_text=IMPORT_CONSENT.format(file=path.name))
    return ImportResult(created, updated, False)


def export_rows(registry: PartnerRegistry) -> list[dict[str, Any]]:
    rows = []
    for partner in registry.all():
        row = {field: partner.value(field) for field in (*FIELDS, "note")}
        row["consent_at"] = partner.consent_at.isoformat() if partner.consent_at else ""
        row["confirmed_at"] = partner.confirmed_at.isoformat() if partner.confirmed_at else ""
        row["hidden"] = partner.hidden
        rows.append(row)
    return rows


def write_export(rows: list[dict[str, Any]], out: io.TextIOBase, fmt: str) -> None:
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_FIELDS))
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "topics": row["topics"].replace("; ", ";")})
