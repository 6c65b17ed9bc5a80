# Examples and the demo, included by the top-level Makefile.

# TLS in the socket examples when OpenSSL's headers are there; without
# them the examples still build and refuse --tls and https:// at run time.
EXAMPLES_TLS := $(shell (pkg-config --exists openssl 2>/dev/null || test -f /usr/include/openssl/ssl.h) && echo 1)
ifeq ($(EXAMPLES_TLS),1)
EXAMPLES_TLS_CFLAGS := -DH2_EXAMPLES_TLS=1 $(shell pkg-config --cflags openssl 2>/dev/null)
EXAMPLES_TLS_LIBS := $(or $(shell pkg-config --libs openssl 2>/dev/null),-lssl -lcrypto)
else
EXAMPLES_TLS_CFLAGS := -DH2_EXAMPLES_TLS=0
EXAMPLES_TLS_LIBS :=
endif

SOCKET_EXAMPLES := h2_server h2_client
EXAMPLE_MAINS := $(filter-out examples/net.c,$(wildcard examples/*.c))
EXAMPLE_BINS := $(patsubst examples/%.c,$(BUILD)/examples/%,$(EXAMPLE_MAINS))

$(BUILD)/examples/%: examples/%.c $(BUILD)/libh2.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libh2.a $(SAN_LDFLAGS)

# The socket examples share net.c (sockets, TLS, logging).
$(patsubst %,$(BUILD)/examples/%,$(SOCKET_EXAMPLES)): $(BUILD)/examples/%: examples/%.c \
    examples/net.c examples/net.h $(BUILD)/libh2.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(EXAMPLES_TLS_CFLAGS) -o $@ $< examples/net.c $(BUILD)/libh2.a \
	  $(EXAMPLES_TLS_LIBS) $(SAN_LDFLAGS)

examples: $(EXAMPLE_BINS)

# The first thing to run: h2_server on a free local port serving a small
# generated directory, h2_client (and curl, when installed) fetching from it
# over one connection, then a graceful shutdown.
demo: $(BUILD)/examples/h2_server $(BUILD)/examples/h2_client
	@sh examples/demo.sh $(BUILD)/examples
