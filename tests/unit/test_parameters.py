import pytest

from bedside.parameters import CatalogError, ParameterCatalog

CATALOG = ParameterCatalog.load()


@pytest.mark.parametrize(
    ("code", "key", "unit"),
    [
        (147842, "hr", "/min"),
        (150456, "spo2", "%"),
        (149530, "pr_spo2", "/min"),
        (150301, "nibp_sys", "mm[Hg]"),
        (150302, "nibp_dia", "mm[Hg]"),
        (150303, "nibp_mean", "mm[Hg]"),
        (150021, "nibp_sys", "mm[Hg]"),
        (150033, "abp_sys", "mm[Hg]"),
        (150034, "abp_dia", "mm[Hg]"),
        (150035, "abp_mean", "mm[Hg]"),
        (150344, "temp", "Cel"),
        (151562, "rr", "/min"),
    ],
)
def test_skeleton_parameters_have_their_mdc_code_and_ucum_unit(code: int, key: str, unit: str) -> None:
    p = CATALOG.by_code(code)
    assert p is not None and p.key == key and p.unit == unit


def test_units_resolve_from_mdc_code_or_ucum_text() -> None:
    assert CATALOG.unit_for(266016, None) == "mm[Hg]"
    assert CATALOG.unit_for(None, "Cel") == "Cel"
    assert CATALOG.unit_for(999999, "furlongs") is None


def test_a_code_mapped_twice_is_refused(tmp_path) -> None:
    bad = tmp_path / "p.toml"
    bad.write_text(
        '[units]\n262688 = { refid = "MDC_DIM_PERCENT", ucum = "%" }\n'
        '[[parameter]]\nkey="a"\nlabel="A"\nunit="%"\ndisplay=[0,1]\ncodes=[{mdc=1, refid="X"}]\n'
        '[[parameter]]\nkey="b"\nlabel="B"\nunit="%"\ndisplay=[0,1]\ncodes=[{mdc=1, refid="Y"}]\n'
    )
    with pytest.raises(CatalogError):
        ParameterCatalog.load(bad)


def test_catalog_is_versioned() -> None:
    assert CATALOG.version and CATALOG.version != "unversioned"
    assert len(CATALOG) >= 25


def test_settings_are_their_own_parameters() -> None:
    setting = CATALOG.by_code(151980 + 0x01000000)  # MDC_VENT_VOL_TIDAL_SETTING = 16929196
    assert setting is not None and setting.key == "vt_set" and setting.unit == "mL"
    assert "MDC_VENT_VOL_TIDAL_SETTING" in setting.refids
    assert CATALOG.by_code(16929196) is setting
    assert CATALOG.get("vt_set") is setting
    assert CATALOG.by_code(999 + 0x01000000) is None
