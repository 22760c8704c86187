"""Vietnamese text: normalisation, folding for search, slugs.

One fold serves search keys, queries, slugs and address proposals, so that typing
`dong nai`, `ĐỒNG NAI` or a decomposed (NFD) `Đồng Nai` finds the same records on SQLite and
PostgreSQL alike. It is computed in Python, not by the database's `unaccent()`, whose rules
differ between installations and which cannot be indexed directly.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.text import slugify

# `đ` is a letter of its own, not `d` with a combining mark: NFD leaves it whole, so it must be
# mapped by hand. U+00D0 (Icelandic Eth) is what legacy converters often wrote for `Đ`.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"})
_WORD = re.compile(r"[a-z0-9]+")


def nfc(text):
    """Return `text` in NFC, the form every stored string takes (TCVN 6909:2001)."""
    return unicodedata.normalize("NFC", text)


def clean(text):
    """NFC, with runs of white space collapsed and the ends trimmed: for names and positions."""
    return " ".join(nfc(text or "").split())


def fold(text):
    """Lower-case `text` and strip every Vietnamese diacritic, `đ` → `d` included."""
    text = unicodedata.normalize("NFD", nfc(text or "").translate(_LETTERS_WITHOUT_DECOMPOSITION))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.casefold()


def search_words(text):
    """The folded words of `text`: letters and digits, everything else a separator."""
    return [word for token in (text or "").split() for word in _token_words(token)]


@lru_cache(maxsize=100_000)
def _token_words(token):
    """The words of one space-free token. Vietnamese names and agency names are made of a
    few thousand syllables, so a cache spares imports most of the folding."""
    return tuple(_WORD.findall(fold(token)))


def search_key(*parts):
    """A stored search key: the folded words of all parts, each framed by spaces.

    The framing lets a database `LIKE '% word%'` find a word by its beginning on both
    SQLite and PostgreSQL.
    """
    words = [word for part in parts if part for word in search_words(part)]
    return f" {' '.join(words)} " if words else ""


def vietnamese_slug(text):
    """A URL slug without diacritics; `Đồng Nai` gives `dong-nai`, not `ng-nai`."""
    return slugify(fold(text))


def free_slug(name, taken):
    """A slug from `name` that `taken` does not hold yet, numbered if need be
    (`phong-kinh-te-2`); it is added to `taken`."""
    base = vietnamese_slug(name)[:100] or "co-quan"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug
