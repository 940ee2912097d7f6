"""Text as people send it, made safe to store and to write out in XML."""

import re

# C0 controls but tab, LF and CR, DEL, lone surrogates and the two noncharacters:
# XML 1.0 cannot carry them, even escaped.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Word writes a manual line break as a vertical tab, a page break as a form feed.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def strip_controls(value: str) -> str:
    """`value` without control characters; Word's line and page breaks become newlines."""
    if _CONTROLS.search(value) is None:
        return value
    return _CONTROLS.sub("", value.translate(_BREAKS))
