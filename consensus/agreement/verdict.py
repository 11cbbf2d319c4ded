"""Do the two answers contradict each other on anything a lawyer would care about?

This is the seam between the engine and the agreement logic: the engine only calls `assess`.
Pure functions, no Django. The verdict is one of three outcomes:

- `conflict`: the answers state a legal fact differently (article, law, penalty, fine, deadline,
  amount, age, share, court, modality: `conflicts.compare`), reach opposite conclusions
  (`conclusions.opposed`: "sah" / "batal demi hukum", "boleh" / "dilarang", ...), or the fast
  answer states a prison term without the fine the law gives beside it
  (`penalties.missing_fine`) or joins prison and a fine the other way ("dan" / "atau":
  `penalties.joined_differently`). A correction is sent, naming what conflicts.
- `supplement`: no conflict, but the validator states legal facts the fast answer does not
  (an article, a law, a deadline, a court, an amount): they are named, the fast answer stands.
- `agree`: neither.

Wording is not evidence of disagreement: two models answer the same question in different words,
orders and lengths. It only orders the scores inside each outcome's band, so that the score keeps
the design document's contract: in [0, 1], below the moderate threshold (0.60) exactly when the
outcome is a conflict, in the moderate band (0.60-0.85) for a supplement, high for agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from . import confidence, semantic
from .conclusions import contested, opposed, sentences
from .confidence import Band, Policy
from .conflicts import Comparison, compare, subject, total_of_parts, within_bracket
from .extract import Fact, extract
from .facts import Prepared
from .hedges import evasion
from .heirs import heir_clashes
from .leads import lead, opposite, qualified, split
from .legal_refs import named_institutions
from .merge import Piece, merged, supplements
from .penalties import joined_differently, missing_fine
from .polarity import flips, lead_flips
from .quantities import bare_years
from .repeals import in_force_against_repealed, set_aside
from .similarity import similarity
from .stance import Stance, answers, sides
from .steps import duty_clashes

Outcome = Literal["agree", "supplement", "conflict"]
CorrectionReason = Literal["low_similarity", "fact_conflict"]
DecidedBy = Literal["rules", "judge"]

# Each outcome's band of scores: the wording (0..1) places a pair inside its band.
BANDS: dict[Outcome, tuple[float, float]] = {
    # The design document's Test 2 pair (wording 0.45) keeps its 0.45: "Low similarity (0.45)".
    "conflict": (0.37, 0.55),
    "supplement": (0.60, 0.84),
    "agree": (0.85, 1.0),
}


@dataclass(frozen=True, slots=True)
class Conflict:
    """One fact the answers state differently, e.g. kind="article", fast="Pasal 363 KUHP"."""

    kind: str
    fast: str
    validator: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "fast": self.fast, "validator": self.validator}


@dataclass(frozen=True, slots=True)
class Added:
    """A legal fact only the validator states, e.g. kind="article", text="Pasal 362 KUHP"."""

    kind: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class Agreement:
    """The verdict on a pair of answers."""

    score: float
    conflicts: tuple[Conflict, ...] = field(default_factory=tuple)
    added: tuple[Added, ...] = field(default_factory=tuple)
    outcome: Outcome = "agree"
    decided_by: DecidedBy = "rules"
    # For a supplement: the fast answer, then the validator's sentences with the added facts.
    merged: tuple[Piece, ...] = field(default_factory=tuple)
    # True when the rules could not be sure: they found no conflict but could not rule one out
    # (the answers take opposite sides on a topic in sentences the rules could not match, state
    # no legal fact or conclusion at all, or only one of them is read as answering the asker's
    # yes-or-no question), or the only conflict they found is between the two answers'
    # conclusions as read, which new wordings get wrong both ways (docs/agreement.md, held-out
    # 8-11). The optional judge (`CONSENSUS_JUDGE`) is asked only then.
    uncertain: bool = False
    # For a conflict found only between the conclusions: the verdict without them, which stands
    # if the judge finds no contradiction.
    cleared: Agreement | None = None

    @property
    def reason(self) -> CorrectionReason:
        """Why a correction would be sent: a conflicting fact, or wording that differs."""
        return "fact_conflict" if self.conflicts else "low_similarity"

    def band(self, policy: Policy) -> Band:
        """The design document's agreement band of the score."""
        return confidence.band(self.score, policy)

    def corrects(self, policy: Policy) -> bool:
        """Is a correction sent? Exactly when the score is below the moderate threshold."""
        return confidence.needs_correction(self.score, policy) or bool(self.conflicts)

    def final_answer(self, fast: str, validator: str, policy: Policy) -> str:
        """The answer that stands after a correction (the design document's merge rule)."""
        return confidence.merge(fast, validator, self.score, policy)

    def confidence(self, policy: Policy) -> float:
        """The consensus confidence: a supplement sits in the moderate band (0.84 by default),
        agreement in the high one (0.89), a conflict in the low one (0.69)."""
        return confidence.consensus_confidence(self.score, policy)


def placed(outcome: Outcome, position: float) -> float:
    """A score inside an outcome's band, `position` in [0, 1] from its bottom to its top."""
    low, high = BANDS[outcome]
    return round(low + (high - low) * min(1.0, max(0.0, position)), 4)


def fact_conflicts(
    fast: str,
    validator: str,
    fast_facts: tuple[Fact, ...],
    validator_facts: tuple[Fact, ...],
    named: tuple[frozenset[object], frozenset[object]] = (frozenset(), frozenset()),
    stances: tuple[Stance, Stance] | None = None,
    asked: frozenset[tuple[str, str, object]] = frozenset(),
    denied: tuple[frozenset[object], frozenset[object]] = (frozenset(), frozenset()),
) -> tuple[tuple[Conflict, ...], Comparison]:
    """Every conflict the rules find: facts, conclusions, an incomplete penalty (`named` and
    `asked`: the courts each answer names and the facts the question states, as
    `conflicts.compare` takes them; `stances`: each answer's answer to the asker's yes/no
    question, `stance.stance`)."""
    comparison = compare(fast_facts, validator_facts, named, asked, denied)
    # A total against its parts ("Rp 200 ribu" / "Rp180.000 serta biaya penutupan Rp20.000") is
    # one amount said two ways.
    found = [
        Conflict(f.kind, f.text, v.text)
        for f, v in comparison.conflicts
        if not total_of_parts(f, v, fast_facts, validator_facts, (fast, validator))
        # A duration inside the other answer's bracket ("1,5 tahun" / "1 tahun atau lebih
        # tetapi kurang dari 2 tahun") is a case of its rule.
        and not within_bracket(f, v, fast_facts, validator_facts, (fast, validator))
    ]
    # A law one answer relies on and the other says is repealed, which the facts alone cannot
    # show when the other cites it too ("UU 28/2009 ... sudah dicabut oleh UU HKPD").
    # So is a law one answer relies on and the other says the matter is not under ("Dasarnya UU
    # ITE" / "Jadi, dasarnya bukan UU ITE").
    aside_f, unrelied_f = set_aside(fast, fast_facts)
    aside_v, unrelied_v = set_aside(validator, validator_facts)
    for law, passage in in_force_against_repealed(fast_facts, unrelied_f, aside_v):
        if all(c.fast != law.text for c in found):
            found.append(Conflict(law.kind, law.text, passage))
    for law, passage in in_force_against_repealed(validator_facts, unrelied_v, aside_f):
        if all(c.validator != law.text for c in found):
            found.append(Conflict(law.kind, passage, law.text))
    # A step one answer makes a duty and the other does not ("mediasi ini opsional" / "wajib
    # terlebih dahulu diupayakan penyelesaian melalui mediasi"), which the modal facts cannot
    # pair when the step is one answer's subject and the other's object.
    if not any(c.kind == "modality" for c in found):
        for said_f, said_v in duty_clashes(fast, validator):
            found.append(Conflict("modality", said_f.text, said_v.text))
    # One heir given two shares ("2 anak perempuan: 1/2" / "Dua anak perempuan: 2/3"), which
    # the shares' words cannot pair in a table where every line reads alike.
    if not any(c.kind == "share" for c in found):
        for share_f, share_v in heir_clashes(fast, validator, fast_facts, validator_facts):
            found.append(Conflict("share", share_f.text, share_v.text))
    if stances and (side := sides(*stances)):
        # The answers answer the question asked both ways (a conflict), or the same way: then
        # opposite signs elsewhere are side points the rules paired wrongly.
        if side == "opposed":
            found.append(Conflict("conclusion", stances[0].text, stances[1].text))
        return _penalty(found, fast, validator, fast_facts, validator_facts), comparison
    # The readers that ask the encoder (the verdict's main cost) run only while nothing else
    # conflicts: once a fact or a conclusion the words read conflicts, the verdict is a
    # correction either way, and they would only name more.
    seen = {c.fast for c in found}
    mine, theirs = sentences(fast), sentences(validator)
    for _, mine_text, theirs_text in lead_flips(mine, theirs):
        # Two conclusions that each carry a limit state one rule from both sides ("gk wajib
        # bayar pekerjaan yang gk kamu setujui" / "hanya berkewajiban membayar pekerjaan yang
        # telah Anda sepakati"), as `conclusions.opposed` reads them.
        if mine_text not in seen and not (qualified(mine_text) and qualified(theirs_text)):
            seen.add(mine_text)
            found.append(Conflict("conclusion", mine_text, theirs_text))
    if not found:
        mine_lead, theirs_lead = lead(split(fast)), lead(split(validator))
        if opposition := opposite(mine_lead, theirs_lead):
            concept = opposition.concept
            found.append(
                Conflict("conclusion", mine_lead.stating(concept), theirs_lead.stating(concept))
            )
    if not found:
        for claim, other in opposed(fast, validator, semantic.shared_points, semantic.same_points):
            found.append(Conflict("conclusion", claim.text, other.text))
    if not found:
        for _, mine_text, theirs_text in flips(mine, theirs, semantic.aligned):
            if mine_text not in seen:
                seen.add(mine_text)
                found.append(Conflict("conclusion", mine_text, theirs_text))
    return _penalty(found, fast, validator, fast_facts, validator_facts), comparison


def _penalty(
    found: list[Conflict],
    fast: str,
    validator: str,
    fast_facts: tuple[Fact, ...],
    validator_facts: tuple[Fact, ...],
) -> tuple[Conflict, ...]:
    """The conflicts found, with prison and a fine joined the other way, and the fast answer's
    incomplete penalty when there is no other."""
    if joined := joined_differently(fast, validator):
        found.append(Conflict("penalty_combination", joined.fast, joined.validator))
    if not found and (omission := missing_fine(fast, validator, fast_facts, validator_facts)):
        found.append(Conflict("penalty_incomplete", omission.term, omission.passage))
    return tuple(found)


def added_facts(
    fast_facts: tuple[Fact, ...], validator_facts: tuple[Fact, ...], comparison: Comparison
) -> tuple[Added, ...]:
    """The legal facts the validator states and the fast answer does not."""
    stated = {subject(f) for f in fast_facts}
    seen: set[tuple[str, str, object]] = set()
    added = []
    for v in validator_facts:
        key = subject(v)
        if supplements(v) and key not in stated and key not in seen:
            seen.add(key)
            added.append(Added(v.kind, v.text))
    return tuple(added)


def assess(fast: str, validator: str, *, question: str | None = None) -> Agreement:
    """The verdict on the fast answer, given the validator's (`question`: the asker's, which
    both answers answer; without it, the answers' conclusions are compared on their own)."""
    if not fast.strip() or not validator.strip():
        # Nothing to compare: an empty answer against a real one is no agreement.
        same = fast.strip() == validator.strip()
        return Agreement(1.0 if same else 0.0, outcome="agree" if same else "conflict")
    wording = similarity(fast, validator)
    mine, theirs = Prepared.of(fast), Prepared.of(validator)
    fast_facts, validator_facts = extract(mine), extract(theirs)
    named_f, denied_f = named_institutions(mine)
    named_v, denied_v = named_institutions(theirs)
    named, denied = (named_f, named_v), (denied_f, denied_v)
    stances = answers(question, mine.text, theirs.text)
    # The asker's own age ("anak sy 22 thn") is no rival to the law's age limits, and two
    # amounts the question states are two facts of the case.
    asked = (
        frozenset(subject(f) for f in extract(question) if f.kind in ("age", "money"))
        # "pacarnya 20 mau nikahin": a bare number of a person's years.
        | frozenset(("years", "", (n,)) for n in bare_years(question))
        if question
        else frozenset()
    )
    conflicts, comparison = fact_conflicts(
        mine.text, theirs.text, fast_facts, validator_facts, named, stances, asked, denied
    )
    if not conflicts and (
        evading := evasion(mine.text, theirs.text, stances, unasked=not question)
    ):
        # The validator answers plainly, the fast answer hedges instead ("Hmm, biasanya emang
        # kebijakan mereka sih 😅 Sabar aja dulu, coba nego"): more often the opposite
        # conclusion than the same. A correction the judge may clear.
        conflicts = (Conflict("conclusion", *evading),)
    read = bool(conflicts) and all(c.kind == "conclusion" for c in conflicts)
    if conflicts and not read:
        return Agreement(placed("conflict", wording), conflicts, outcome="conflict")
    # One answer is read as answering the asker's question and the other is not ("Hmm, agak
    # susah sih kalau gini" against a formal yes): the rules cannot tell whether the unread one
    # says the opposite, and most of the opposite conclusions they miss are such pairs.
    one_read = stances is not None and bool(stances[0].sign) != bool(stances[1].sign)
    uncertain = contested(mine.text, theirs.text) or not (fast_facts or validator_facts) or one_read
    added = added_facts(fast_facts, validator_facts, comparison)
    # The verdict without conflicts: a supplement when the validator adds legal facts, else
    # agreement.
    if added:
        shared = len(comparison.shared)
        without = Agreement(
            placed("supplement", shared / (shared + len(added))),
            (),
            added,
            "supplement",
            merged=merged(
                fast,
                validator,
                fast_facts=fast_facts,
                prepared=theirs,
                validator_facts=validator_facts,
            ),
            uncertain=uncertain,
        )
    else:
        position = max(wording, 0.5 if comparison.shared else 0.0)
        without = Agreement(placed("agree", position), uncertain=uncertain)
    if not conflicts:
        return without
    # Only the conclusions, as read, conflict: a correction, which the judge may clear.
    return Agreement(
        placed("conflict", wording), conflicts, outcome="conflict", uncertain=True, cleared=without
    )
