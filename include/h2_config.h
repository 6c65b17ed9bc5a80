/*
 * libh2 compile-time capacities. Every one can be overridden with -D at
 * build time; the whole library and its users must agree on the values.
 */
#ifndef H2_CONFIG_H
#define H2_CONFIG_H

/* Bytes of name and value storage in each HPACK dynamic table (encoder and
 * decoder each have one). Also the largest SETTINGS_HEADER_TABLE_SIZE the
 * decoder advertises and the largest table the encoder uses, whatever the
 * peer allows. RFC 7541 section 4.2: the default is 4096. */
#ifndef H2_HPACK_TABLE_CAPACITY
#define H2_HPACK_TABLE_CAPACITY 4096u
#endif

/* Bytes of decoded header names and values one header block may hold. The
 * decoder's max header list size is clamped to this. It must be at least
 * H2_HPACK_TABLE_CAPACITY so that an oversized block can still be decoded
 * field by field to keep the dynamic table in step with the peer. */
#ifndef H2_HEADER_ARENA_CAPACITY
#define H2_HEADER_ARENA_CAPACITY 16384u
#endif

#if H2_HPACK_TABLE_CAPACITY < 64u || H2_HPACK_TABLE_CAPACITY > 65504u
#error "H2_HPACK_TABLE_CAPACITY must be between 64 and 65504"
#endif
#if H2_HEADER_ARENA_CAPACITY < H2_HPACK_TABLE_CAPACITY || H2_HEADER_ARENA_CAPACITY > 1048576u
#error "H2_HEADER_ARENA_CAPACITY must be between H2_HPACK_TABLE_CAPACITY and 1 MiB"
#endif

#endif
