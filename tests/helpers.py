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
