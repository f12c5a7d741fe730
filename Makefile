# The two set-up commands (see README.md). Each installs what is missing and builds.
BUILD ?= build
OUT ?= results/main
DEVICE ?= cpu
ASAN_BUILD ?= build-asan
FUZZ_SECONDS ?= 10

.PHONY: run test test-plain test-sanitize setup bench clean

setup:
	@scripts/setup.sh $(BUILD)

## run: the main job on the embedded default (Fashion-MNIST); prints where results and plots are
## (DEVICE=cuda: the same lines at 128 passes with the full-width ResNet-18 on a GPU)
run: setup
	@scripts/main_job.sh $(BUILD) $(OUT) $(DEVICE)

## test: the whole test suite (what CI runs): the ctest suite of the release build, then the
## sanitizer stage (clang ASan + UBSan build of the parser/torch-free tests, corpus replays,
## FUZZ_SECONDS of libFuzzer per parser)
test: test-plain test-sanitize

## test-plain: only the ctest suite of the release build
test-plain: setup
	@scripts/run_tests.sh $(BUILD)

## test-sanitize: only the sanitizer stage (own build folder $(ASAN_BUILD))
test-sanitize:
	@scripts/setup.sh --no-build
	@scripts/sanitize_ci.sh $(ASAN_BUILD) $(FUZZ_SECONDS)

bench: setup
	@scripts/run_bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
