"""Coverage of the report's effect-size intervals by simulation (docs/statistics.md, Effect sizes).

    .venv/bin/python -m bench.coverage [--reps 2000] [--seed 18]

Draws n normal pairs (baseline SD 1, after = baseline·ρ + noise so that the after SD is 1 too,
plus the true mean change δ), computes ``statistics.paired`` and counts how often its 95 %
intervals cover the population d_z (δ / SD of the changes) and d_av (δ / the average SD, here
1). Also the previous method, the same noncentral-t bounds multiplied by Hedges' J, for
comparison. Needs no database; pure NumPy and SciPy.
"""

import argparse
import math

import numpy as np

from pilotti.evaluation import statistics


def coverage(n: int, delta: float, rho: float, reps: int, rng: np.random.Generator) -> dict[str, float]:
    sd_change = math.sqrt(2 - 2 * rho)  # Var(post − pre) with both SDs 1
    true_dz, true_dav = delta / sd_change, delta
    hits = {"d_z": 0, "d_z × J (before)": 0, "d_av": 0, "d_av × J (before)": 0}
    counted = 0
    j = statistics.hedges_j(n - 1)
    for _ in range(reps):
        pre = rng.normal(size=n)
        post = rho * pre + math.sqrt(1 - rho * rho) * rng.normal(size=n) + delta
        result = statistics.paired(pre.tolist(), post.tolist())
        z, av = result.d_z, result.d_av
        if z.g_ci_low is None or z.g_ci_high is None or av.g_ci_low is None or av.g_ci_high is None:
            continue
        counted += 1
        hits["d_z"] += z.g_ci_low <= true_dz <= z.g_ci_high
        hits["d_z × J (before)"] += z.g_ci_low * j <= true_dz <= z.g_ci_high * j
        hits["d_av"] += av.g_ci_low <= true_dav <= av.g_ci_high
        hits["d_av × J (before)"] += av.g_ci_low * j <= true_dav <= av.g_ci_high * j
    return {name: hit / counted for name, hit in hits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    names = ("d_z", "d_z × J (before)", "d_av", "d_av × J (before)")
    print(f"{'n':>3} {'δ':>4} {'ρ':>4}  " + "  ".join(f"{k:>18}" for k in names))
    for n in (5, 6, 10, 30):
        for delta, rho in ((0.5, 0.5), (1.0, 0.5), (1.0, 0.8)):
            result = coverage(n, delta, rho, args.reps, rng)
            print(f"{n:>3} {delta:>4} {rho:>4}  " + "  ".join(f"{v:>18.3f}" for v in result.values()), flush=True)


if __name__ == "__main__":
    main()
