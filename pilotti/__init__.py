import os

# One BLAS thread per process, set before NumPy loads (this package is imported first). The
# report's disclosure control solves many small linear-algebra problems; OpenBLAS's own threads
# fighting the server's workers for the cores made them 10× slower (0.8 s became 10 s on the
# 2-core development machine, docs/evaluation.md "Cost"). An operator's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
