"""Text as people send it, made safe to store and to write out in XML."""

import re

# C0 controls but tab, LF and CR, DEL and the two noncharacters: XML 1.0 cannot carry
# them, even escaped. (Lone surrogates never get this far: Django decodes input with
# replacement characters.)
_CONTROLS = "".join(
    chr(code) for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFFFE, 0xFFFF)
)
_CONTROLS_RE = re.compile(f"[{re.escape(_CONTROLS)}]")
# Word writes a manual line break as a vertical tab, a page break as a form feed.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def strip_controls(value: str) -> str:
    """`value` without control characters; Word's line and page breaks become newlines."""
    # One C-level search per character: a whole XML page is checked in a fraction of a ms.
    if not any(char in value for char in _CONTROLS):
        return value
    return _CONTROLS_RE.sub("", value.translate(_BREAKS))
