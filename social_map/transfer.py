"""Bulk import and export of the social map (formats fixed in CONTRACT.md).

An import is all or nothing: every row is validated first and every bad row is reported with its line
number; only a file without errors is written, in one transaction. The same email updates, not duplicates.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.language.files import UnreadableFileError, read_text_file
from bot.language.spreadsheet import read_cell, safe_row
from bot.social.partner import FieldError, Partner, clean_field
from social_map.partners import PartnerRegistry

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


# json's own messages, in Dutch; a message not listed here is reported as plain "ongeldige JSON".
JSON_PROBLEMS = (
    ("Expecting value", "een waarde verwacht"),
    ("Expecting property name", "een veldnaam tussen dubbele aanhalingstekens verwacht"),
    ("Expecting ',' delimiter", "een komma verwacht"),
    ("Expecting ':' delimiter", "een dubbele punt verwacht"),
    ("Unterminated string", "een tekst zonder afsluitend aanhalingsteken"),
    ("Invalid control character", "een ongeldig stuurteken in een tekst"),
    ("Invalid \\escape", "een ongeldige backslash-code in een tekst"),
    ("Extra data", "onverwachte tekens na het einde van de lijst"),
)
JSON_KINDS = ((bool, "een ja/nee-waarde (true/false)"), (int, "een getal"), (float, "een getal"), (list, "een lijst"), (dict, "een object"))


def _json_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = next((dutch for english, dutch in JSON_PROBLEMS if exc.msg.startswith(english)), "")
        detail = f": {reason}" if reason else ""
        raise ImportProblems([f"regel {exc.lineno}, kolom {exc.colno}: ongeldige JSON{detail}"]) from exc
    except RecursionError as exc:
        raise ImportProblems(["ongeldige JSON: het bestand is te diep genest"]) from exc
    except ValueError as exc:  # e.g. a number of thousands of digits
        raise ImportProblems(["ongeldige JSON: een getal is te lang"]) from exc
    if not isinstance(data, list):
        raise ImportProblems(["het JSON-bestand moet een lijst van partners zijn"])
    return [(number, item if isinstance(item, dict) else {"__invalid__": True}) for number, item in enumerate(data, start=1)]


def _csv_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        missing = [f for f in ("name", "organisation", "topics") if f not in (reader.fieldnames or [])]
        if missing:
            raise ImportProblems([f"regel 1: kolom(men) ontbreken in de kop: {', '.join(missing)}"])
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        limit = csv.field_size_limit()
        reason = f"een veld is langer dan {limit} tekens" if "field limit" in str(exc) else "ongeldige CSV"
        # DictReader.line_num only moves on after a good row; the inner reader knows the line that failed.
        raise ImportProblems([f"regel {reader.reader.line_num}: {reason}"]) from exc


def _rows(path: Path) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    """What a row is called ("item" or "regel") and the (number, row) pairs of a CSV or JSON file."""
    try:
        text = read_text_file(path, encoding="utf-8-sig")
    except UnreadableFileError as exc:
        raise ImportProblems([str(exc)]) from exc
    if path.suffix.lower() == ".json" or text.lstrip().startswith("["):
        return "item", _json_rows(text)
    return "regel", _csv_rows(text)


def _field_text(field: str, raw: Any) -> str:
    """A JSON value as the text a CSV cell would hold: topics may be a list of texts, the rest must be text."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return read_cell(raw)
    if field == "topics" and isinstance(raw, list):
        if all(isinstance(t, str) for t in raw):
            return ";".join(raw)
        raise FieldError("Elk onderwerp in de lijst moet een tekst tussen aanhalingstekens zijn.")
    kind = next((dutch for kind, dutch in JSON_KINDS if isinstance(raw, kind)), "iets anders")
    wanted = "een tekst of een lijst met teksten" if field == "topics" else "een tekst tussen aanhalingstekens"
    raise FieldError(f"Dit moet {wanted} zijn, niet {kind}.")


def read_partners(path: Path) -> list[Partner]:
    """Every row validated; raises ImportProblems listing every bad row (CSV line, or JSON item number)."""
    partners: list[Partner] = []
    problems: list[str] = []
    seen_emails: dict[str, int] = {}
    unit, rows = _rows(path)
    for number, row in rows:
        if row.get("__invalid__"):
            problems.append(f"{unit} {number}: verwacht een object met velden")
            continue
        values: dict[str, Any] = {}
        row_problems = []
        for field in FIELDS:
            try:
                values[field] = clean_field(field, _field_text(field, row.get(field)))
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
        # Names and organisations are typed by partners: no cell may run as a formula in a spreadsheet.
        writer.writerow(safe_row({**row, "topics": row["topics"].replace("; ", ";")}))
