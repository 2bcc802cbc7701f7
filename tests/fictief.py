"""Fictitious records for tests: every organisation and chain says `fictief: ja` and uses GM9999,
a code CBS gives to no municipality. Importable from every test folder (like sitebuild)."""

from __future__ import annotations

from pathlib import Path

import yaml

CBS = "GM9999"
BRON = {"titel": "Testgegevens (fictief)"}
ALLE_FASEN = ["preventie", "vroegsignalering", "stabilisatie", "minnelijk", "wsnp", "nazorg"]


def org(id_: str, naam: str, soort: str, diensten: list[str], fasen: list[str], **extra) -> dict:
    """One fictitious organisation record (a data-file dict); extra fields as keyword arguments."""
    record = {"id": id_, "naam": naam, "soort": soort, "gemeenten": [CBS], "inzet": "beroepskrachten",
              "beschrijving": "Fictieve organisatie voor een test.", "diensten": diensten, "fasen": fasen}
    record.update(extra)
    record.update(bron=BRON, gecontroleerd="2026-01", fictief=True)
    return record


def chain(naam: str = "Fictiefstad", **extra) -> dict:
    """One fictitious chain file record."""
    record = {"gemeente": naam, "cbs": CBS, "beschrijving": "Een verzonnen keten voor een test."}
    record.update(extra)
    record.update(bron=BRON, gecontroleerd="2026-01", fictief=True)
    return record


def write(data: Path, chain_record: dict, orgs: list[dict]) -> Path:
    """Write a chain file and organisation files into the data folder `data`; returns it."""
    (data / "gemeenten").mkdir(parents=True, exist_ok=True)
    dump = lambda rec: yaml.safe_dump(rec, allow_unicode=True, sort_keys=False)  # noqa: E731
    slug = chain_record["gemeente"].lower()
    (data / "gemeenten" / f"{slug}.yaml").write_text(dump(chain_record), encoding="utf-8")
    for record in orgs:
        (data / f"{record['id']}.yaml").write_text(dump(record), encoding="utf-8")
    return data
