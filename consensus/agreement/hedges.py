"""A fast answer that hedges instead of answering: "Hmm, biasanya emang gitu sih 😅 Sabar aja dulu".

A chat model that does not want to say no often does not say it: it calls the practice common
("udah jadi kebijakan mereka sih"), the asker's position weak, or advises patience and
bargaining, and never answers the question. The stance rules (`stance.py`) read many such
wordings one by one; what they do not read leaves the fast answer unread. When the validator
answers the same question plainly, an unread fast answer that piles up hedges is more often the
opposite conclusion than the same one (measured: docs/agreement.md, "An evasive fast answer").
`evasive` counts the hedges in the answer's opening and returns the sentence that shows them;
`evasion` decides whether the fast answer evades what the validator answers.
"""

from __future__ import annotations

import re

from .leads import split
from .stance import Stance

# Words and marks of a hedged, advising answer: softeners ("sih", "biasanya", "emang"), the
# asker's chances ("agak susah", "lemah", "riskan"), advice to give in ("sabar", "nego",
# "ikhlasin", "mending"), the practice called normal ("wajar", "umum", "lumrah", "kebijakan",
# "namanya juga"), reassurance ("tenang", "santai", "gk usah khawatir"), and the emoji that go
# with them.
_HEDGE = re.compile(
    r"\b(?:sih|biasanya|emang|memang|agak|mending|mendingan|sabar|nego|ikhlas\w*|wajar|umum"
    r"|lumrah|susah|sulit|lemah|riskan|tenang|santai|khawatir|kebijakan|tergantung|jarang"
    r"|banyak|namanya)\b|\U0001f605|\U0001f615|\U0001f62c|\U0001f614|\U0001f64f",
    re.IGNORECASE,
)
# How much of the answer is its opening: where a chat answer gives its answer, if any.
OPENING = 400
# Hedges in the opening that make an unread answer evasive.
EVASIVE_HEDGES = 3
# Hedges in the opening past which whatever the rules read in the answer is not trusted: a
# reassurance or a "biasanya" read as a yes or a no where the answer gives neither ("Hmm, emang
# udah jadi kebijakan sekolah sih 😕 ... mending ikhlasin").
MISREAD_HEDGES = 5
# At most this many hedges in the validator's opening make its answer plain.
PLAIN_HEDGES = 1
# A sentence of the opening, questions included; a dot between digits ("Rp500.000") ends none.
_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+[.!?]*")
# Words of a bare answer sentence ("Tidak.", "Ya, benar.", "Tidak dapat.").
BARE = 3


def hedges(answer: str) -> int:
    """How many hedges the answer's opening holds."""
    return len(_HEDGE.findall(answer[:OPENING]))


def evasive(answer: str, least: int = EVASIVE_HEDGES) -> str | None:
    """The opening sentence that shows the hedging, when the answer's opening holds `least`
    hedges or more; None otherwise."""
    if hedges(answer) < least:
        return None
    opening = answer[:OPENING]
    best = max(_SENTENCE.findall(opening), key=lambda s: len(_HEDGE.findall(s)), default="")
    return " ".join(best.split()) or None


def evasion(
    fast: str, validator: str, read: tuple[Stance, Stance] | None, *, unasked: bool = False
) -> tuple[str, str] | None:
    """The fast answer's hedging sentence and the validator's answer, when the fast answer evades
    the asker's yes-or-no question; None otherwise. `read`: each answer's answer to it as the
    rules read it, None when the question asks no yes or no or is not given (`unasked`).
    Evasive is:

    - an answer the rules do not read, with `EVASIVE_HEDGES` hedges in its opening, against a
      validator they read;
    - whatever the rules read, an answer with `MISREAD_HEDGES` hedges in its opening against a
      plain validator (`PLAIN_HEDGES` at most): its reading is not trusted.

    Without the question only the second applies: it could have asked a yes or no, and nothing
    was read against it.
    """
    if read is not None and read[1].sign and not read[0].sign:
        hedging = evasive(fast)
    elif (read is not None or unasked) and hedges(validator) <= PLAIN_HEDGES:
        hedging = evasive(fast, MISREAD_HEDGES)
    else:
        return None
    if hedging is None:
        return None
    return hedging, _quoted(validator, read[1].text if read else "")


def _quoted(answer: str, said: str) -> str:
    """The sentence that gives the answer (`said`, else the answer's first), with the next one
    when it is a bare "Tidak." or "Ya, benar.": a reviewer reads what the answer says no to.
    Sentences as `leads.split` cuts them, which the stance rules read `said` from ("UU No. 8"
    ends no sentence)."""
    sentences = [" ".join(s.split()) for s in split(answer)]
    quote = " ".join(said.split()) or next(iter(sentences), "")
    if len(quote.split()) <= BARE and quote in sentences[:-1]:
        quote += " " + sentences[sentences.index(quote) + 1]
    return quote
