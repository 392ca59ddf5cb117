"""The evaluation app's reads: the report, built section by section in ``evaluation/report/``
(its shape declared in ``report/types.py``), and who may open it in which view. The public names
are listed once, in the package."""

from pilotti.evaluation.report import *  # noqa: F403
from pilotti.evaluation.report import __all__ as __all__
