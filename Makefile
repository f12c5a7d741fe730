# The two set-up commands (see README.md). Each installs what is missing and builds.
BUILD ?= build
OUT ?= results/main

.PHONY: run test setup bench clean

setup:
	@scripts/setup.sh $(BUILD)

## run: the main job on the embedded default (Fashion-MNIST); prints where results and plots are
run: setup
	@scripts/main_job.sh $(BUILD) $(OUT)

## test: the whole test suite
test: setup
	@scripts/run_tests.sh $(BUILD)

bench: setup
	@scripts/run_bench.sh $(BUILD)

clean:
	rm -rf $(BUILD)
