"""The apart stage: a check that the articles given as one story are one story.

A person hands ``analyze`` the articles of one event; nothing guarantees they are. Mixing two
stories gives cross-story "corroborations", false conflicts, and relative dates ("this
afternoon") anchored on the other story. The story clustering engine
(:func:`crossbrief.stories.stand_apart`) says which articles do not look like the same story
as the rest; each is recorded on ``corpus.apart`` with the reason and named in a warning on
the ``crossbrief`` logger (stderr from the command line). The articles standing apart keep
their own analysis, but the stages that work across the story (``Stage.story``: near-copies,
claims, conflicts, timeline, summary) never see them, and the dates stage anchors an undated
one on its own story's dates.

The check only reads what clustering reads (clean text, title, outlet, publication date), so
it runs right after cleaning, before anything is parsed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from .model import Apart, Article

log = logging.getLogger("crossbrief")


def find_apart(articles: Sequence[Article]) -> list[Apart]:
    """The articles of ``articles`` that stand apart from the story, each with the reason
    and the other articles standing apart that read as one story with it, in the order of
    ``articles``. Empty when they all look like one story."""
    from .stories import StreamArticle, stand_apart

    stream = [StreamArticle.from_article(a) for a in articles]
    apart_ids = set(stand_apart(stream))
    if not apart_ids:
        return []
    # The articles set apart, grouped by the same rule: the largest part of what is left
    # that looks like one story, then the largest part of the rest, and so on.
    story_of: dict[str, tuple[str, ...]] = {}
    rest = [a for a in stream if a.id in apart_ids]
    while rest:
        out = set(stand_apart(rest))
        # The engine keeps at least the largest part; should it keep none, each is alone.
        story = tuple(a.id for a in rest if a.id not in out) or (rest[0].id,)
        story_of.update(dict.fromkeys(story, story))
        rest = [a for a in rest if a.id not in story]
    kept = len(articles) - len(apart_ids)
    found = []
    for article in articles:
        if article.id not in apart_ids:
            continue
        story = story_of[article.id]
        reason = ("does not look like the same story as the other "
                  + (f"{kept} articles" if kept != 1 else "article"))
        if len(story) > 1:
            others = len(story) - 1
            reason += (f"; it reads as one story with {others} other article"
                       f"{'s' if others != 1 else ''} set apart")
        found.append(Apart(article.id, reason, story))
        log.warning("set apart %s: %s (it takes no part in the near-copies, claims, "
                    "conflicts, timeline or summary)", article.input, reason)
    return found
