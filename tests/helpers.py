"""Paths and small helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
SYNTHETIC = DATA / "synthetic"
PCD01_20OBX = SYNTHETIC / "pcd01_gateway_20obx.hl7"


def pcd01(control_id: str = "GW000123", hr: str = "112") -> bytes:
    """The synthetic 20-OBX gateway message with another control id and heart rate."""
    text = PCD01_20OBX.read_bytes().decode()
    text = text.replace("GW000123", control_id).replace("|112|264864", f"|{hr}|264864")
    return text.encode()


def adt_a01(control: str, name: str, charset: str = "") -> str:
    """An ADT^A01 (the tests use it where a message must name a patient)."""
    return (
        f"MSH|^~\\&|GW|HOSP|BEDSIDE|ICU|20250101120000+0000||ADT^A01^ADT_A01|{control}|P|2.5||||||{charset}\r"
        f"EVN|A01|20250101120000+0000\rPID|||MRN1^^^HOSP^MR||{name}\rPV1||I|ICU^07^1\r"
    )
