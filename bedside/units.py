"""UCUM codes are what we store; screens show the conventional symbol."""

_DISPLAY = {
    "Cel": "°C",
    "mm[Hg]": "mmHg",
    "cm[H2O]": "cmH₂O",
    "/min": "/min",
    "%": "%",
    "1": "",
    "mL/cm[H2O]": "mL/cmH₂O",
    "cm[H2O]/L/s": "cmH₂O/L/s",
}


def display_unit(ucum: str) -> str:
    return _DISPLAY.get(ucum, ucum)
