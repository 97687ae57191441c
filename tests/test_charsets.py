from __future__ import annotations

import codecs

from crossbrief.charsets import _WHATWG, LABELS, codec_for


def test_every_label_of_the_table_reads_its_codec() -> None:
    """Each WHATWG label of the table is accepted, in any ASCII case and with ASCII white
    space around it, and reads the codec the table gives it. Guards: the table holds 221
    labels of 38 encodings (WHATWG's, less "replacement" and "x-user-defined"), and each
    codec of it is one Python has, under that very name."""
    assert (len(LABELS), len(_WHATWG)) == (221, 38)
    for label, codec in LABELS.items():
        for spelling in (label, label.upper(), f" \t{label.title()}\r\n"):
            assert codec_for(spelling) == codec, spelling
    for codec in _WHATWG:
        assert codecs.lookup(codec).name == codec


def test_python_s_name_for_a_label_s_codec_reads_as_the_label() -> None:
    """Another name Python has for the codec of a WHATWG label reads as that label: Python
    reads "euc-kr" with its codec "euc_kr", a name WHATWG does not have, so "euc_kr" (and
    Python's other names for it, "euckr", "ks_c_5601", "ksx1001", "x-mac-korean") was
    refused while "latin-1" and "utf_8" were read; the form part charset=euc_kr the old
    form table took was refused 422 E516. Now each of them is UHC (cp949), as "euc-kr" is.
    Checked over the whole table: every label Python knows, by Python's name for it.
    Guards: names WHATWG has no encoding for stay refused."""
    for name in ("euc_kr", "EUC_KR", "euckr", "ks_c_5601", "ksx1001", "ks_x_1001",
                 "x-mac-korean"):
        assert codec_for(name) == "cp949", name
    assert codec_for("latin-1") == "cp1252" and codec_for("utf_8") == "utf-8"
    assert codec_for("cp936") == "gbk" and codec_for("shift_jis") == "cp932"
    for label, codec in LABELS.items():
        try:
            python_name = codecs.lookup(label).name
        except LookupError:  # a label Python does not know ("x-mac-cyrillic")
            continue
        assert codec_for(python_name) == codec, (label, python_name)
    for name in ("iso-2022-kr", "iso2022_kr", "hz", "x-user-defined", "utf-7", "utf-32",
                 "johab", "idna", "undefined", "rot13", "unicode_escape"):
        assert codec_for(name) is None, name
