# Fuzzing rules, included by the top-level Makefile.

# Fuzz harnesses: fuzz/fuzz_NAME.c runs over corpus/NAME/.
HARNESSES := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang

$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(BUILD)/libh2.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-conversion -Wno-sign-conversion -o $@ $< fuzz/replay.c \
	  $(BUILD)/libh2.a $(SAN_LDFLAGS)

# Replays every corpus through its harness (no fuzzer needed).
fuzz-replay: $(patsubst %,$(BUILD)/fuzz/replay_%,$(HARNESSES))
	@set -e; for h in $(HARNESSES); do \
	  $(BUILD)/fuzz/replay_$$h corpus/$$h $$(ls -d corpus/regressions/$$h 2>/dev/null); done

# libFuzzer with ASan and UBSan, FUZZ_SECONDS per harness; new inputs go to
# build/fuzz-work/NAME, the curated corpus stays as it is.
fuzz:
	@set -e; mkdir -p build/fuzz-bin; for h in $(HARNESSES); do \
	  $(FUZZ_CC) -std=c99 -g -O1 -Iinclude -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o build/fuzz-bin/$$h fuzz/fuzz_$$h.c $(LIB_SRCS); \
	  mkdir -p build/fuzz-work/$$h; \
	  echo "== fuzzing $$h for $(FUZZ_SECONDS) s"; \
	  build/fuzz-bin/$$h -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    build/fuzz-work/$$h corpus/$$h; \
	done
