"""The exceptions crossbrief raises.

Every message starts with a stable code in brackets, so users and tests can grep for it::

    CrossbriefError            base class, never raised itself
    ├── InputError             [E1xx] one input could not be read; it is skipped, the run goes on
    │   ├── EmptyInputError        [E101]
    │   ├── BinaryInputError       [E102]
    │   ├── EncodingError          [E103]
    │   ├── OversizedInputError    [E104]
    │   ├── MalformedInputError    [E105]  invalid JSON, unusable HTML, missing fields
    │   ├── NoTextError            [E106]  nothing readable was left (after extraction or cleaning)
    │   ├── FetchError             [E107]  a URL could not be fetched
    │   └── InputNotFoundError     [E108]
    ├── ConfigError            [E2xx] a setting or config file is wrong; stops the run
    ├── PipelineError          [E3xx] stages out of order, or a stage crashed; stops the run
    └── ModelLoadError         [E4xx] a language model could not be loaded; stops the run

Per-input problems (``InputError``) are recorded on ``Corpus.skipped`` and never stop a run;
the others mean the run cannot produce a trustworthy result and are raised to the caller.
"""

from __future__ import annotations


class CrossbriefError(Exception):
    """Base class of every error crossbrief raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.detail = message


class InputError(CrossbriefError):
    """One input (file, URL, JSON record) could not be turned into an article."""

    code = "E100"

    def __init__(self, message: str, input: str | None = None) -> None:
        super().__init__(message)
        self.input = input


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class EncodingError(InputError):
    code = "E103"


class OversizedInputError(InputError):
    code = "E104"


class MalformedInputError(InputError):
    code = "E105"


class NoTextError(InputError):
    code = "E106"


class FetchError(InputError):
    code = "E107"


class InputNotFoundError(InputError):
    code = "E108"


class ConfigError(CrossbriefError):
    """A setting has a wrong value or a config file cannot be read."""

    code = "E200"


class PipelineError(CrossbriefError):
    """The stages are declared in an impossible order, or one crashed."""

    code = "E300"


class StageOrderError(PipelineError):
    code = "E301"


class StageFailedError(PipelineError):
    code = "E302"


class ModelLoadError(CrossbriefError):
    """A language model named in the settings could not be loaded."""

    code = "E400"
