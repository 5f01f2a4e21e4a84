# The two commands a newcomer needs (see README.md). Each does its own set-up.
.PHONY: run test fault

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# The process-level fault drills (B9): kill -9, PostgreSQL restart, Redis down; several minutes.
fault:
	bash scripts/fault.sh
