"""Benchmarks of Coopérascope (``make bench``), never part of the test suite.

``python -m bench`` runs every benchmark in turn; ``--only NAME`` runs one. Each benchmark is a
module ``bench/<name>_bench.py`` exposing ``main(argv: Sequence[str] | None = None) -> int``
(a ``main()`` without parameters is called with a bare ``sys.argv``). A module that defines
``SCALES`` receives ``--scales``; one that defines ``OPTIONS`` (a set of option names such as
``"--fresh"``) receives those of its options given to ``python -m bench``. Figures are medians
of several runs with a reference measured in the same run (``shared/design/BENCHMARKS.md``);
helpers are in :mod:`bench.common`.
"""
