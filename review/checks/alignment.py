"""Alignment check: a pair the aligner was unsure of should be checked as an alignment first."""

from __future__ import annotations

from review.checks import CheckContext, CheckResult
from review.checks._text import finding
from review.model import Pair, Severity

# Below this aligner confidence a divergent-looking pair is more likely misaligned than wrong.
UNCERTAIN_BELOW = 0.5


def check_alignment(pair: Pair, ctx: CheckContext) -> CheckResult:
    """An `alignment-uncertain` finding when the aligner's confidence is low."""
    if not pair.en.strip() or not pair.zh.strip() or pair.align_confidence >= UNCERTAIN_BELOW:
        return CheckResult()
    return CheckResult(
        (
            finding(
                "alignment-uncertain",
                Severity.MAJOR,
                f"The aligner is unsure these sentences belong together (confidence "
                f"{pair.align_confidence:.2f}): check the alignment before the translation.",
                (0, len(pair.en)),
                (0, len(pair.zh)),
            ),
        )
    )
