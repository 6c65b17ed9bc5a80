# Interoperability tests, included by the top-level Makefile: the example
# server and client against curl, nghttp2's tools (nghttp, h2load, nghttpd)
# and Python's h2. `make interop`, or `make interop INTEROP_TESTS='curl-*'`
# for some of them; tests/interop/run.sh -l lists them. A missing tool skips
# its tests unless INTEROP_REQUIRE_ALL=1 is set.

INTEROP_TESTS ?=

.PHONY: interop
interop: examples
	H2_SERVER=$(BUILD)/examples/h2_server H2_CLIENT=$(BUILD)/examples/h2_client \
	  bash tests/interop/run.sh $(INTEROP_TESTS)
