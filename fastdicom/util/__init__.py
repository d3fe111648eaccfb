"""Developer utilities, as ``pydicom.util``.

* :mod:`~fastdicom.util.codify`: Python code that recreates a dataset
  (also ``python -m fastdicom.util.codify FILE``).
* :mod:`~fastdicom.util.dump`: hex dumps of files and bytes, and an
  element-by-element printer.
* :mod:`~fastdicom.util.fixer`: reading callbacks that repair common
  encoding errors (wrong value separators, wrong VRs).
* :mod:`~fastdicom.util.hexutil`: hex text to bytes and back.
* :mod:`~fastdicom.util.leanread`: a minimal stream reader yielding raw
  element tuples.
"""
