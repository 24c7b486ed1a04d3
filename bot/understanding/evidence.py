"""Evidence that a message is about the social domain: how much more the knowledge uses its words than general
Dutch does.

A general-Dutch prior tells everyday words ("weer", "keer", "zitten") from the words that carry the domain
("schuldhulpverlening", "convenant"). It is wordfreq's Zipf frequency for Dutch (log10 of a word's count per
billion words, in the package's own data; nothing is downloaded), set against how often the knowledge uses the
word. wordfreq is used only while the term index is built; the weights it gives are stored with the built
index (adapters/matcher_cache.py), so answering a message never imports it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

# lift = log10(share of the knowledge's words) - log10(share of general Dutch); Zipf is log10 per 10^9 words.
ZIPF_SCALE = 9.0
# A term whose lift is at or below LOW carries no domain weight, at or above HIGH full weight; linear between.
LIFT_LOW = 0.3
LIFT_HIGH = 1.5


def zipf_frequencies(words: Iterable[str]) -> dict[str, float]:
    """General-Dutch Zipf frequency of each word (0.0 for a word general Dutch does not use)."""
    from wordfreq import zipf_frequency

    return {word: zipf_frequency(word, "nl") for word in words}


def domain_weights(counts: dict[str, Counter[str]]) -> dict[str, float]:
    """For each term (with the surface words it was written as in the knowledge and how often), 0 to 1: how
    clearly the knowledge's use of it stands out from general Dutch. A term is judged by its most frequent
    spelling in general Dutch, so an everyday word that also has a rare form does not count as domain."""
    total = sum(sum(forms.values()) for forms in counts.values()) or 1
    zipf = zipf_frequencies({word for forms in counts.values() for word in forms})
    weights = {}
    for term, forms in counts.items():
        general = max(zipf[word] for word in forms)
        lift = math.log10(sum(forms.values()) / total) - (general - ZIPF_SCALE)
        weights[term] = min(1.0, max(0.0, (lift - LIFT_LOW) / (LIFT_HIGH - LIFT_LOW)))
    return weights
