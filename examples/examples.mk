# Examples and the demo, included by the top-level Makefile.

EXAMPLE_BINS := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))

$(BUILD)/examples/%: examples/%.c $(BUILD)/libh2.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libh2.a $(SAN_LDFLAGS)

examples: $(EXAMPLE_BINS)

# The first thing to run: a client and a server exchanging requests in
# memory, then the HPACK and frame layers underneath, step by step.
demo: $(BUILD)/examples/memory_exchange $(BUILD)/examples/frame_demo
	@$(BUILD)/examples/memory_exchange
	@echo
	@$(BUILD)/examples/frame_demo
