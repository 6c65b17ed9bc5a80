# libh2 build. `make` builds the libraries; `make check` is the whole test
# suite (it installs its own Debian dependencies when run as root).

CC ?= cc
BUILD ?= build
PREFIX ?= /usr/local
SAN ?= 0
VERSION := 0.1.0

WARN := -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow \
        -Wcast-qual -Wvla -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c99 $(WARN) $(CFLAGS) -Iinclude -Isrc
ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_LDFLAGS := -fsanitize=address,undefined
endif

# GCC writes each object's call graph and stack use for stack-check.
CALLGRAPH := $(if $(findstring gcc,$(CC)),-fcallgraph-info=su,)

LIB_SRCS := $(wildcard src/*.c)
# The library is compiled as one translation unit, a generated file that
# includes every src/*.c, so that calls from one layer into another can be
# inlined (6% fewer instructions per request, bench/README.md).
# UNITY=0 compiles one object per source file.
UNITY ?= 1
ifeq ($(UNITY),1)
LIB_OBJS := $(BUILD)/obj/libh2.o
else
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
endif
HEADERS := $(wildcard include/*.h)
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))

.PHONY: all lib tests test demo examples fuzz fuzz-replay check check-build deps heap-check stack-check \
        proofs proofs-rebuild proofs-wip install uninstall clean gen-check

all: lib

lib: $(BUILD)/libh2.a $(BUILD)/libh2.so

# -fno-semantic-interposition: calls inside the library may be inlined even
# though the objects are position-independent (about a fifth fewer
# instructions per request, bench/README.md).
$(BUILD)/obj/%.o: src/%.c $(HEADERS) $(wildcard src/*.h) | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) $(CALLGRAPH) -fPIC -fno-semantic-interposition -c $< -o $@

# Written again whenever a source is newer, so that an added file is in it.
$(BUILD)/obj/libh2.c: Makefile $(LIB_SRCS) | $(BUILD)/obj
	printf '#include "%s"\n' $(notdir $(LIB_SRCS)) > $@

$(BUILD)/obj/libh2.o: $(BUILD)/obj/libh2.c $(LIB_SRCS) $(HEADERS) $(wildcard src/*.h)
	$(CC) $(ALL_CFLAGS) $(CALLGRAPH) -fPIC -fno-semantic-interposition -c $< -o $@

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

$(BUILD)/libh2.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/libh2.so: $(LIB_OBJS)
	$(CC) -shared -Wl,-soname,libh2.so.0 $(SAN_LDFLAGS) -o $@ $^

$(BUILD)/tests/%: tests/%.c tests/test_util.h $(BUILD)/libh2.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Wno-conversion -Wno-sign-conversion -o $@ $< \
	  $(BUILD)/libh2.a -lcmocka $(SAN_LDFLAGS)

tests: $(TEST_BINS)

# Runs every unit test binary; fails on the first failing one.
test: tests
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; $$t; done

# No heap: the library, linked into one object, may use only these libc
# symbols.
heap-check: lib
	@ld -r -o $(BUILD)/libh2-all.o $(LIB_OBJS)
	@bad=$$(nm -u $(BUILD)/libh2-all.o | awk '$$1=="U"{print $$2}' | sort -u | \
	  grep -vxE 'memcpy|memmove|memset|memcmp' || true); \
	if [ -n "$$bad" ]; then echo "heap-check: forbidden symbols: $$bad"; exit 1; fi; \
	echo "heap-check: library objects reference no libc symbol beyond mem*"

# No recursion, bounded stack: from GCC's call graph of the library.
stack-check: lib
	@python3 tools/check_callgraph.py $(BUILD)/obj

gen-check:
	@bash tools/gen_check.sh

proofs:
	@bash proofs/run.sh

# Every goal proved afresh, the prover cache rebuilt from nothing.
proofs-rebuild:
	rm -rf proofs/wp-cache
	@WP_CACHE=update bash proofs/run.sh

# The files in proofs/in-progress.txt alone, one process per function;
# writes proofs/REPORT-in-progress.md (WP_FUNCTION_LIMIT: seconds each).
proofs-wip:
	@WP_IN_PROGRESS=1 bash proofs/run.sh

deps:
	@bash tools/deps.sh

# The whole suite: both compilers, sanitizers, heap and recursion checks,
# and the proofs.
check: deps
	$(MAKE) BUILD=build/gcc CC=gcc test examples heap-check stack-check gen-check
	$(MAKE) BUILD=build/clang CC=clang test examples heap-check
	$(MAKE) BUILD=build/asan CC=clang SAN=1 test demo fuzz-replay
	INTEROP_REQUIRE_ALL=1 $(MAKE) BUILD=build/asan CC=clang SAN=1 interop
	FUZZ_SEED=1 $(MAKE) fuzz
	$(MAKE) proofs
	@echo "check: all passed"

install: lib
	install -d $(DESTDIR)$(PREFIX)/include/h2 $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(HEADERS) $(DESTDIR)$(PREFIX)/include/h2/
	install -m 644 $(BUILD)/libh2.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libh2.so $(DESTDIR)$(PREFIX)/lib/libh2.so.$(VERSION)
	ln -sf libh2.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libh2.so.0
	ln -sf libh2.so.0 $(DESTDIR)$(PREFIX)/lib/libh2.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' libh2.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libh2.pc

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/include/h2
	rm -f $(DESTDIR)$(PREFIX)/lib/libh2.a $(DESTDIR)$(PREFIX)/lib/libh2.so* \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/libh2.pc

# Rules of the examples and demo, the fuzz harnesses, the benchmark and the
# interoperability tests live beside their sources.
include examples/examples.mk
include fuzz/fuzz.mk
include bench/bench.mk
include tests/interop/interop.mk

clean:
	rm -rf build
