"""The generic bases of the ops on objects other than tables (schemadiff.ops.objects)."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.ops.objects import PairedOp


def test_every_paired_op_has_a_counterpart_that_pairs_back() -> None:
    exported = (getattr(O, name) for name in O.__all__)
    paired = [c for c in exported if isinstance(c, type) and issubclass(c, PairedOp)]
    assert len(paired) >= 20
    for cls in paired:
        other = cls.counterpart
        assert issubclass(other, PairedOp) and other.counterpart is cls, cls.__name__
