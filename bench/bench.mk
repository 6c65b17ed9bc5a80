# The benchmark of libh2 against nghttp2 (bench/README.md), included by
# the top-level Makefile after BUILD, CC, ALL_CFLAGS and SAN_LDFLAGS are
# set. `make bench` builds the three programs and prints the results.
#
#   bench_h2       libh2 compiled into the program (no -fPIC) as one
#                  translation unit, as the Makefile compiles the library
#   bench_h2_files the same with each src/*.c compiled on its own
#   bench_h2_pic   the same program linked with $(BUILD)/libh2.a, whose
#                  object is -fPIC because it also makes libh2.so
#   bench_nghttp2  the same workload on Debian's libnghttp2

# Requests of the timed runs and of the callgrind runs; timed runs are
# repeated and the fastest is kept.
BENCH_REQUESTS ?= 10000
BENCH_VG_REQUESTS ?= 2000
BENCH_REPEAT ?= 5
# Response body sizes: one workload each.
BENCH_BODIES ?= 1024 65536

# clock_gettime() and ssize_t are POSIX, not C99.
BENCH_CFLAGS = $(ALL_CFLAGS) -D_POSIX_C_SOURCE=200809L -Ibench
BENCH_DEPS := bench/bench_workload.h bench/bench.mk
BENCH_BINS := $(BUILD)/bench/bench_h2 $(BUILD)/bench/bench_h2_files \
              $(BUILD)/bench/bench_h2_pic $(BUILD)/bench/bench_nghttp2

$(BUILD)/bench/bench_h2: bench/bench_h2.c $(BENCH_DEPS) $(BUILD)/obj/libh2.c $(wildcard src/*.c src/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ bench/bench_h2.c $(BUILD)/obj/libh2.c $(SAN_LDFLAGS)

$(BUILD)/bench/bench_h2_files: bench/bench_h2.c $(BENCH_DEPS) $(wildcard src/*.c src/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ bench/bench_h2.c $(wildcard src/*.c) $(SAN_LDFLAGS)

$(BUILD)/bench/bench_h2_pic: bench/bench_h2.c $(BENCH_DEPS) $(BUILD)/libh2.a
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ bench/bench_h2.c $(BUILD)/libh2.a $(SAN_LDFLAGS)

$(BUILD)/bench/bench_nghttp2: bench/bench_nghttp2.c $(BENCH_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ bench/bench_nghttp2.c -lnghttp2 $(SAN_LDFLAGS)

.PHONY: bench bench-build

bench-build: $(BENCH_BINS)

bench: bench-build
	@BENCH_REQUESTS='$(BENCH_REQUESTS)' BENCH_VG_REQUESTS='$(BENCH_VG_REQUESTS)' \
	  BENCH_REPEAT='$(BENCH_REPEAT)' BENCH_BODIES='$(BENCH_BODIES)' \
	  sh bench/run.sh $(BUILD)/bench
