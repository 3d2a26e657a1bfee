"""English left inside a page in another language: the words that give it away.

A translated page that says "Период 2026-03-09 is released already" or "9 March 2026" has an
untranslated message or an English date in it (decision 0074). `english_left(page)` reads the
page's visible text and returns each piece holding one of `TELLTALE` — English interface words
and month names that no translation keeps — so a walk in Russian fails naming the sentence.

User data and proper names are not the interface: text a page marks as another language
(`lang="en"`, as the notes from the data files are marked), or as not to be translated
(`translate="no"`: names, symbols, what a user typed), code and form values are left out.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# Words of the interface's own sentences, which no proper name or symbol on the pages holds.
WORDS = ("the", "not", "is", "are", "of", "with", "observations", "events", "period",
         "released", "published", "verified", "cannot", "must", "already", "only", "yet")
TELLTALE = re.compile(r"\b(" + "|".join(MONTHS + WORDS) + r")\b", re.IGNORECASE)

_VISIBLE_TEXT = """(language) => {
  const skipped = 'script, style, noscript, template, code, pre, kbd, samp, textarea, ' +
                  '[translate="no"]';
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (!text || !parent || parent.closest(skipped)) continue;
    const marked = parent.closest('[lang]');
    if (marked && marked.getAttribute('lang').split('-')[0] !== language) continue;
    if (!parent.checkVisibility({visibilityProperty: true})) continue;
    found.push(text);
  }
  return found;
}"""


def english_left(page: Page, language: str) -> list[str]:
    """The pieces of the page's visible text in `language` that hold a tell-tale English word,
    each with the words found."""
    pieces: list[str] = page.evaluate(_VISIBLE_TEXT, language)
    return [f"{piece[:120]!r} ({', '.join(sorted(set(TELLTALE.findall(piece))))})"
            for piece in pieces if TELLTALE.search(piece)]
