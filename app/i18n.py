"""Translatable strings.

`_()` translates at the point of use; `N_()` only marks a string at its
definition (module-level tables), to be passed through `_()` when shown.
English is the source language; catalogues for Ukrainian and Belarusian are
loaded from `locale/` when they exist.
"""

from __future__ import annotations

import gettext
from pathlib import Path

DOMAIN = "praverka"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str | None) -> None:
    global _translation  # the active catalogue is process-wide, like gettext's own
    if not language or language == "en":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


def N_(message: str) -> str:
    return message
