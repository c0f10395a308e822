"""Performance benchmark of the policykb pipeline: a synthesiser and a stage-by-stage runner."""
