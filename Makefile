.PHONY: run test lint bench

run:    ## install, migrate, serve on 127.0.0.1:8000
	scripts/run

test:   ## install everything, run the whole suite
	scripts/test

lint:   ## ruff + mypy
	scripts/lint

bench:  ## performance benchmarks (prints tables and JSON)
	scripts/bench
