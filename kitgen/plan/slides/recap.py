"""A recap: a slide whose every item was shown earlier in the deck, titled and noted as one.

Made by :func:`kitgen.plan.slides.items.once_per_deck`, never by itself.
"""


def build(deck, item):
    return []
