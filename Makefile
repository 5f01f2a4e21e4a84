# The two commands a newcomer needs (see README.md). Each does its own set-up.
.PHONY: run test fault bar

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# The process-level fault drills (B9): kill -9, PostgreSQL restart, Redis down; several minutes.
fault:
	bash scripts/fault.sh

# The release bar's load rows (reliability-bar.md B1 and B2, bench/README.md "Load test"): B1 for
# 10 minutes at 50 users, then B2 (100 users for 5 minutes, back to 20); about 25 minutes with
# the set-up. MODE=scale for PostgreSQL + Redis + gunicorn; WORKDIR=DIR reuses prepared data.
# The dated summary and per-page CSVs land in bench/results/.
MODE ?= embedded
bar:
	@mkdir -p bench/results
	@stamp=$$(date -u +%Y%m%d-%H%M)-$(MODE); out=bench/results/bar-$$stamp; \
	{ .venv/bin/python bench/load.py --mode $(MODE) --mix realistic --users 50 --duration 600 \
		--overload --overload-users 100 --overload-seconds 300 \
		--recover-users 20 --recover-seconds 120 \
		$(if $(WORKDIR),--workdir $(WORKDIR)) --csv $$out; echo $$? > $$out.rc; } 2>&1 | tee $$out.txt; \
	status=$$(cat $$out.rc); rm -f $$out.rc; echo "摘要：$$out.txt"; exit $$status
