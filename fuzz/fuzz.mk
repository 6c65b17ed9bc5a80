# Fuzzing rules, included by the top-level Makefile.
#
# Every harness fuzz/fuzz_NAME.c runs over its seed corpus corpus/NAME/ and
# is built three ways from the same source:
#   make fuzz          libFuzzer with ASan and UBSan, FUZZ_SECONDS (60) per
#                      harness, FUZZ_JOBS at a time, failing on any finding
#                      (for CI);
#   make fuzz-long     the same for a long time (FUZZ_SECONDS, default 3600);
#   make fuzz-afl      AFL++ (afl-clang-fast with ASan and UBSan) for every
#                      harness, then one of them (HARNESS, default api) run
#                      for FUZZ_SECONDS;
#   make fuzz-replay   a plain binary replaying corpus/NAME/ and
#                      corpus/regressions/NAME/ (part of make check).
# Also:
#   make fuzz-merge    folds what fuzzing found into the corpora, keeping
#                      only inputs that add coverage (libFuzzer merge);
#   make coverage      line and branch coverage of src/ reached by the unit
#                      tests and the corpus replay (gcc --coverage, gcovr).
# HARNESS="name ..." limits fuzz, fuzz-long and fuzz-merge to those.

.PHONY: fuzz fuzz-long fuzz-afl fuzz-build fuzz-afl-build fuzz-merge fuzz-replay coverage

HARNESSES := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_LONG_SECONDS ?= 3600
FUZZ_CC ?= clang
AFL_CC ?= afl-clang-fast
FUZZ_DIR ?= build/fz
HARNESS ?=
FUZZ_RUN := $(if $(HARNESS),$(HARNESS),$(HARNESSES))

# What a harness needs beyond the library: the differential HPACK harness
# links nghttp2's inflater (a test-only dependency).
FUZZ_LIBS_hpack_diff := -lnghttp2
# Dictionaries: wire tokens for the frame and connection harnesses, HPACK
# representations and strings for the HPACK ones.
FUZZ_DICT_hpack_decode := fuzz/hpack.dict
FUZZ_DICT_hpack_roundtrip := fuzz/hpack.dict
FUZZ_DICT_hpack_diff := fuzz/hpack.dict
fuzz_dict = $(if $(FUZZ_DICT_$(1)),$(FUZZ_DICT_$(1)),fuzz/http2.dict)

FUZZ_CFLAGS := -std=c99 -g -O1 -fno-omit-frame-pointer -Iinclude -Isrc
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_DEPS := $(HEADERS) $(wildcard src/*.h)

# ---- libFuzzer ----

LF_OBJS := $(patsubst src/%.c,$(FUZZ_DIR)/lf/obj/%.o,$(LIB_SRCS))
LF_BINS := $(patsubst %,$(FUZZ_DIR)/lf/bin/%,$(HARNESSES))

$(FUZZ_DIR)/lf/obj/%.o: src/%.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/lf/bin/%: fuzz/fuzz_%.c $(LF_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(LF_OBJS) $(FUZZ_LIBS_$*)

fuzz-build: $(LF_BINS)

# The harnesses run FUZZ_JOBS (one per core) at a time through
# fuzz/run.sh: new inputs go to FUZZ_DIR/work/NAME (the curated corpus
# stays as it is), logs to FUZZ_DIR/logs/NAME.log, crash reproducers to
# FUZZ_DIR/artifacts/NAME/. It fails when any harness found something.
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

fuzz: $(patsubst %,$(FUZZ_DIR)/lf/bin/%,$(FUZZ_RUN))
	@bash fuzz/run.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_JOBS) \
	  $(foreach h,$(FUZZ_RUN),$(h)=$(call fuzz_dict,$(h)))

fuzz-long:
	@$(MAKE) --no-print-directory fuzz \
	  FUZZ_SECONDS=$(if $(filter command line environment,$(origin FUZZ_SECONDS)),$(FUZZ_SECONDS),$(FUZZ_LONG_SECONDS))

# Adds to corpus/NAME the fewest inputs of FUZZ_DIR/work/NAME that reach
# the code (edges, not hit counts) the corpus does not: a greedy set cover,
# so that the replay in make check stays fast. They are named min-<sha1>;
# the curated seeds keep their names, the work corpus keeps everything.
fuzz-merge: $(patsubst %,$(FUZZ_DIR)/lf/bin/%,$(FUZZ_RUN))
	@set -e; for h in $(FUZZ_RUN); do \
	  rm -rf $(FUZZ_DIR)/merge/$$h; mkdir -p $(FUZZ_DIR)/merge/$$h $(FUZZ_DIR)/work/$$h; \
	  cp corpus/$$h/* $(FUZZ_DIR)/merge/$$h/; \
	  $(FUZZ_DIR)/lf/bin/$$h -set_cover_merge=1 -use_counters=0 \
	    $(FUZZ_DIR)/merge/$$h $(FUZZ_DIR)/work/$$h 2>&1 | grep MERGE-OUTER | tail -n 1; \
	  for f in $(FUZZ_DIR)/merge/$$h/*; do \
	    b=$$(basename $$f); [ -e corpus/$$h/$$b ] || cp $$f corpus/$$h/min-$$b; \
	  done; \
	done

# ---- AFL++ ----

AFL_DRIVER ?= $(wildcard /usr/lib/afl/libAFLDriver.a)
AFL_OBJS := $(patsubst src/%.c,$(FUZZ_DIR)/afl/obj/%.o,$(LIB_SRCS))
AFL_BINS := $(patsubst %,$(FUZZ_DIR)/afl/bin/%,$(HARNESSES))
AFL_HARNESS := $(if $(HARNESS),$(HARNESS),api)
AFL_OUT := $(FUZZ_DIR)/afl/out/$(AFL_HARNESS)

$(FUZZ_DIR)/afl/obj/%.o: src/%.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -c $< -o $@

# Debian's afl++ ships a driver that runs LLVMFuzzerTestOneInput in
# persistent mode; without it, fuzz/afl_main.c does the same.
$(FUZZ_DIR)/afl/bin/%: fuzz/fuzz_%.c fuzz/afl_main.c $(AFL_OBJS)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -o $@ $< \
	  $(if $(AFL_DRIVER),$(AFL_DRIVER),fuzz/afl_main.c) $(AFL_OBJS) $(FUZZ_LIBS_$*)

fuzz-afl-build: $(AFL_BINS)

# Objects are kept between runs.
.SECONDARY: $(LF_OBJS) $(AFL_OBJS)

# Fails when AFL++ saved a crashing input.
fuzz-afl: $(AFL_BINS)
	@rm -rf $(AFL_OUT); mkdir -p $(AFL_OUT)
	@echo "== AFL++ on $(AFL_HARNESS) for $(FUZZ_SECONDS) s"
	AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	  afl-fuzz -i corpus/$(AFL_HARNESS) -o $(AFL_OUT) -V $(FUZZ_SECONDS) -t 5000 -m none \
	  -x $(call fuzz_dict,$(AFL_HARNESS)) -- $(FUZZ_DIR)/afl/bin/$(AFL_HARNESS)
	@n=$$(ls $(AFL_OUT)/default/crashes 2>/dev/null | grep -c '^id:' || true); \
	if [ "$$n" != 0 ]; then echo "fuzz-afl: $$n crashing inputs in $(AFL_OUT)/default/crashes"; exit 1; fi; \
	echo "fuzz-afl: no crash"

# ---- replay (no fuzzer needed) ----

$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(BUILD)/libh2.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-conversion -Wno-sign-conversion -o $@ $< fuzz/replay.c \
	  $(BUILD)/libh2.a $(FUZZ_LIBS_$*) $(SAN_LDFLAGS)

# Replays every corpus, and each reproducer of a past finding on its own
# (so that every one still failing is named), through its harness.
fuzz-replay: $(patsubst %,$(BUILD)/fuzz/replay_%,$(HARNESSES))
	@fail=0; for h in $(HARNESSES); do \
	  $(BUILD)/fuzz/replay_$$h corpus/$$h || { echo "fuzz-replay: corpus/$$h fails"; fail=1; }; \
	  for f in $$(ls corpus/regressions/$$h/* 2>/dev/null); do \
	    $(BUILD)/fuzz/replay_$$h $$f >/dev/null 2>&1 || { echo "fuzz-replay: $$f fails"; fail=1; }; \
	  done; \
	done; exit $$fail

# ---- coverage ----

COV_BUILD := build/cov
GCOVR_FLAGS := --root . --filter 'src/' --exclude-unreachable-branches

# The unit tests and the corpora run under gcc --coverage; a reproducer of
# an open finding runs on its own, so that its crash loses no other data.
coverage:
	@command -v gcovr >/dev/null || { echo "coverage: gcovr is missing (apt-get install gcovr)"; exit 1; }
	@$(MAKE) --no-print-directory BUILD=$(COV_BUILD) CC=gcc SAN=0 CFLAGS="-O0 -g --coverage" \
	  tests $(patsubst %,$(COV_BUILD)/fuzz/replay_%,$(HARNESSES))
	@find $(COV_BUILD) -name '*.gcda' -delete
	@for t in $(patsubst tests/%.c,$(COV_BUILD)/tests/%,$(TEST_SRCS)); do \
	  $$t >/dev/null 2>&1 || echo "coverage: $$t failed"; done
	@for h in $(HARNESSES); do \
	  $(COV_BUILD)/fuzz/replay_$$h corpus/$$h || echo "coverage: corpus/$$h failed"; \
	  for f in $$(ls corpus/regressions/$$h/* 2>/dev/null); do \
	    $(COV_BUILD)/fuzz/replay_$$h $$f >/dev/null 2>&1 || echo "coverage: $$f still fails"; \
	  done; \
	done
	@echo "== lines (uncovered lines per file under Missing)"
	@gcovr $(GCOVR_FLAGS) $(COV_BUILD)
	@echo "== branches"
	@gcovr $(GCOVR_FLAGS) --branches --print-summary $(COV_BUILD)
