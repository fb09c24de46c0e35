"""Research code, kept apart from the product: nothing here is needed to form groups.

- `bench` and `baselines`: the benchmark of peergroups against a coordinator's sweep and a
  first CP-SAT model (docs/benchmarking.md);
- `sweep`: every scenario on every instance with every seed, for comparing scenarios;
- `pairwise` and `mdgp_bench`: the MDGP tabu search and its MDGPLIB benchmark (docs/mdgp.md).
"""
