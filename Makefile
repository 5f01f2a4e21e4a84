# The two commands a newcomer needs (see README.md). Each does its own set-up.
.PHONY: run test

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh
