"""Agreement between annotators and against gold: headless (no SQL, Textual or Rich).

The store reads the records (`Store.annotated_documents`), this package computes, the CLI draws.
"""

from tui.agreement.gold import GoldReport, GoldRow, compute_against_gold
from tui.agreement.metrics import (
    POOLED, AgreementReport, AnnotatedDocument, DocumentRow, LabelRow, PairRow, compute_agreement,
)

__all__ = [
    "POOLED", "AgreementReport", "AnnotatedDocument", "DocumentRow", "GoldReport", "GoldRow", "LabelRow", "PairRow",
    "compute_against_gold", "compute_agreement",
]
