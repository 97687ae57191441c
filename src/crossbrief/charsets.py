"""The charsets crossbrief reads text in, by label: one table for a form's declared charset
(serve) and for a page's or a response's declared one (ingest)."""

from __future__ import annotations

import codecs
import contextlib

# The WHATWG Encoding Standard's labels (https://encoding.spec.whatwg.org/#names-and-labels,
# the table of encodings.json; what a browser sends a form in and reads a page in), each
# mapped to the Python codec that reads its encoding. WHATWG's encodings are the wide
# readings of their names: its Shift_JIS is Microsoft's (cp932), its EUC-KR is UHC (cp949),
# its GBK reads gb2312's labels, its Big5 is Big5-HKSCS, its windows-874 is TIS-620 and
# iso-8859-11, and iso-8859-1, us-ascii and their aliases are windows-1252 (Python's strict
# cp1252 still refuses the five bytes it leaves undefined, 0x81, 0x8d, 0x8f, 0x90 and 0x9d),
# as are iso-8859-9's windows-1254. Left out: "replacement" (iso-2022-kr, hz-gb-2312...,
# which WHATWG never decodes) and "x-user-defined" (no Python codec). WHATWG's UTF-16 labels
# ("utf-16", "unicode"...) read little-endian after a byte order mark is looked for; here
# they map to Python's "utf-16", which reads the mark: a reader decides what no mark means.
_WHATWG: dict[str, tuple[str, ...]] = {
    "utf-8": ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8",
              "x-unicode20utf8"),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859-2": ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592",
                  "iso_8859-2", "iso_8859-2:1987", "l2", "latin2"),
    "iso8859-3": ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593",
                  "iso_8859-3", "iso_8859-3:1988", "l3", "latin3"),
    "iso8859-4": ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594",
                  "iso_8859-4", "iso_8859-4:1988", "l4", "latin4"),
    "iso8859-5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5",
                  "iso88595", "iso_8859-5", "iso_8859-5:1988"),
    "iso8859-6": ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic",
                  "ecma-114", "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127",
                  "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"),
    "iso8859-7": ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7",
                  "iso-ir-126", "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987",
                  "sun_eu_greek"),
    "iso8859-8": ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e",
                  "iso-ir-138", "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988",
                  "visual",
                  "csiso88598i", "iso-8859-8-i", "logical"),  # ISO-8859-8-I: the same bytes
    "iso8859-10": ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910",
                   "l6", "latin6"),
    "iso8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15",
                   "l9"),
    "iso8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "mac-roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "cp874": ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    "cp1252": ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
               "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1",
               "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252"),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599",
               "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "gbk": ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
            "iso-ir-58", "x-gbk"),
    "gb18030": ("gb18030",),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp": ("csiso2022jp", "iso-2022-jp"),
    "cp932": ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis",
              "windows-31j", "x-sjis"),
    "cp949": ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
              "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949"),
    "utf-16-be": ("unicodefffe", "utf-16be"),
    "utf-16-le": ("utf-16le",),
    "utf-16": ("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16"),
}
LABELS: dict[str, str] = {label: codec for codec, labels in _WHATWG.items()
                          for label in labels}
_WHITESPACE = "\t\n\f\r "  # ASCII white space, which WHATWG strips around a label

#: The codecs of the table that are UTF-16 ("utf-16": its byte order not named), which an
#: ASCII-based text (a header, a page that only claims UTF-16) is never in.
UTF16_CODECS = ("utf-16", "utf-16-le", "utf-16-be")


def _by_python_name() -> dict[str, str]:
    """Each label and each codec of the table, and then Python's own name for the codec it
    reads each label Python knows with (``codecs.lookup(label).name``), mapped to the codec
    the label reads in here. Python's name is needed too: it reads "euc-kr" with its codec
    "euc_kr", a name WHATWG does not have ("latin-1" is Python's "iso8859-1", a label)."""
    names = dict(LABELS)
    for codec in _WHATWG:
        names.setdefault(codec, codec)
    for label, codec in LABELS.items():
        with contextlib.suppress(LookupError):  # a label Python does not know ("x-mac-cyrillic")
            names.setdefault(codecs.lookup(label).name, codec)
    return names


_BY_PYTHON_NAME = _by_python_name()


def codec_for(label: str | None) -> str | None:
    """The Python codec that reads the encoding ``label`` names, or None when it names none
    crossbrief reads text in. A WHATWG label (ASCII white space around it stripped, ASCII
    case ignored: "Shift_JIS" is cp932) reads as WHATWG reads it; another name Python has
    for the codec of one ("latin-1", "utf_8", "euc_kr") reads as that one
    (``codecs.lookup``'s name: "latin-1" is iso8859-1, a WHATWG label, so cp1252; "cp932"
    is a codec of the table; "euc_kr" is the codec Python reads "euc-kr" with, so cp949).
    Anything else is None: a name that
    is not ASCII (a charset's name is ASCII; "\\u212aoi8" would lower to "koi8") and every
    Python codec that is not a charset text is sent in ("idna", "punycode",
    "unicode_escape", "undefined", "utf-7", "rot13"...)."""
    if not label or not label.isascii():
        return None
    label = label.strip(_WHITESPACE).lower()
    if label in LABELS:
        return LABELS[label]
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # ValueError: a NUL byte in the name
        return None
    return _BY_PYTHON_NAME.get(name)
