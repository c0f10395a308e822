"""Runtime services for long runs: the content-addressed build cache, the worker pool, child
processes that end with the build and the garbage-collector policy.  Stages call them; they
know nothing of policies or pages."""
