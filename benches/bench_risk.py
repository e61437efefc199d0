"""Extra cost of risk ranking against a full run (target: at most 15%).

    python benches/bench_risk.py /tmp/corpus [--repeat 3]

Runs the analysis in-process, cold (no cache, one parse worker), with and without the risk work: the
`panic_sites` extractor in the parse workers and the ranking step after the rules (reachability over
the call graph, site classification). Prints the best of `--repeat` runs of each and the ratio
`(full - without) / full`. A benchmark, not a test: exit status 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

TARGET_RATIO = 0.15


def run(corpus: Path, with_risk: bool) -> tuple[float, float, int]:
    import rust_triage.families.risk as risk
    import rust_triage.pipeline as pipeline
    from rust_triage.parse import registry

    registry.all_extractors()
    saved = registry._EXTRACTORS.pop("panic_sites", None) if not with_risk else None
    real_rank, real_drop = risk.rank_findings, risk.drop_own_method_calls
    if not with_risk:
        risk.rank_findings = lambda ctx, findings, rules: None  # type: ignore[assignment]
        risk.drop_own_method_calls = lambda ctx, findings, rules: findings  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        analysis = pipeline.analyse(pipeline.Options(paths=[corpus], no_cache=True, jobs=1))
        total = time.perf_counter() - started
    finally:
        if saved is not None:
            registry._EXTRACTORS["panic_sites"] = saved
        risk.rank_findings, risk.drop_own_method_calls = real_rank, real_drop
    ranked = sum(1 for f in analysis.findings if f.risk is not None)
    return total, float(analysis.stats.get("risk_seconds", 0.0)), ranked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    full: list[float] = []
    ranking: list[float] = []
    without: list[float] = []
    ranked = 0
    for _ in range(max(1, args.repeat)):
        seconds, risk_seconds, ranked = run(args.corpus, True)
        full.append(seconds)
        ranking.append(risk_seconds)
        without.append(run(args.corpus, False)[0])
    best_full, best_without = min(full), min(without)
    ratio = (best_full - best_without) / best_full if best_full else 0.0
    print(f"full run (risk ranking on):   {best_full:.2f} s  ({ranked} ranked findings)")
    print(f"without risk ranking:         {best_without:.2f} s")
    print(f"ranking step after the rules: {min(ranking):.2f} s")
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    print(f"risk cost / full run: {ratio:.1%} (target <= {TARGET_RATIO:.0%}) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
