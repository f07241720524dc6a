"""The font that sets Chinese in PDF letters: CREDO_CJK_FONT, else what fontconfig names for
zh-cn, else the paths where Debian's CJK font packages put their files.

A .ttc collection holds several faces (Noto Sans CJK: JP, KR, SC, TC, HK); the face is the one
fontconfig names, CREDO_CJK_FONT_INDEX, or the collection's Simplified Chinese face.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTLibError

from credo.config import Settings
from credo.errors import NotConfigured

FONT_FILES = (".ttf", ".otf", ".ttc", ".otc")
DEBIAN_PACKAGE = "fonts-noto-cjk"
NOTO = "/usr/share/fonts/opentype/noto"
# (regular, bold) as Debian installs them; a face index of None means "the Simplified Chinese one"
KNOWN_FONTS = (
    (f"{NOTO}/NotoSansCJK-Regular.ttc", f"{NOTO}/NotoSansCJK-Bold.ttc"),  # fonts-noto-cjk
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", None),  # fonts-wqy-microhei
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", None),  # fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/arphic/uming.ttc", None),  # fonts-arphic-uming
)
HOW_TO_GET_ONE = (f"install Debian's {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE}) or set CREDO_CJK_FONT "
                  "to a .ttf, .otf or .ttc file with Chinese glyphs")


@dataclass(frozen=True)
class CjkFont:
    path: str
    index: int = 0  # the face in a .ttc collection
    bold: CjkFont | None = None


def find_cjk_font(settings: Settings) -> CjkFont:
    """The CJK font to use; NotConfigured, naming the Debian package, when there is none."""
    if settings.cjk_font:
        path = Path(settings.cjk_font)
        if not path.is_file() or path.suffix.lower() not in FONT_FILES:
            raise NotConfigured(f"CREDO_CJK_FONT {settings.cjk_font!r}: no such font file; {HOW_TO_GET_ONE}")
        index = settings.cjk_font_index
        return CjkFont(str(path), chinese_face(str(path)) if index is None else index)
    found = _system_font()
    if found is None:
        raise NotConfigured(f"no CJK font for PDF letters: {HOW_TO_GET_ONE}")
    return found


@lru_cache(maxsize=1)
def _system_font() -> CjkFont | None:
    regular = _fontconfig(":lang=zh-cn")
    if regular is not None:
        bold = _fontconfig(":lang=zh-cn:weight=bold")
        return CjkFont(regular.path, regular.index, bold if bold and bold.path != regular.path else None)
    for regular_path, bold_path in KNOWN_FONTS:
        if Path(regular_path).is_file():
            bold = CjkFont(bold_path, chinese_face(bold_path)) if bold_path and Path(bold_path).is_file() else None
            return CjkFont(regular_path, chinese_face(regular_path), bold)
    return None


def _fontconfig(pattern: str) -> CjkFont | None:
    """fontconfig's best match for the pattern, if it covers Simplified Chinese (fc-match always
    answers something, often a Latin font)."""
    if shutil.which("fc-match") is None:
        return None
    try:
        answer = subprocess.run(["fc-match", "--format", "%{file}\n%{index}\n%{lang}", pattern],
                                capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    file, index, languages = (answer.split("\n") + ["", "", ""])[:3]
    if "zh-cn" not in languages.split("|") or Path(file).suffix.lower() not in FONT_FILES:
        return None
    return CjkFont(file, int(index or 0))


@lru_cache(maxsize=None)
def chinese_face(path: str) -> int:
    """The Simplified Chinese face of a collection (its name says SC, CN or GB), else the first;
    0 for a file that holds one face."""
    if Path(path).suffix.lower() not in (".ttc", ".otc"):
        return 0
    try:
        with TTCollection(path, lazy=True) as collection:
            for index, face in enumerate(collection.fonts):
                names = " ".join(str(record) for record in face["name"].names if record.nameID in (1, 4))
                if re.search(r"\b(SC|CN|GB|Simplified)\b", names):
                    return index
    except (OSError, TTLibError) as error:
        raise NotConfigured(f"font {path!r} cannot be read ({error}); {HOW_TO_GET_ONE}") from None
    return 0
