/*
 * libh2 HPACK layer (RFC 7541): primitive integers and strings, Huffman
 * coding, the static and dynamic tables, an encoder and an incremental
 * decoder. All memory is inside the structures below; nothing allocates.
 * Fields of the structures marked private may change between releases.
 */
#ifndef H2_HPACK_H
#define H2_HPACK_H

#include <stddef.h>
#include <stdint.h>

#include "h2_config.h"
#include "h2_status.h"

/* RFC 7541 section 4.1: each entry costs its name, its value and 32. */
#define H2_HPACK_ENTRY_OVERHEAD 32u
/* RFC 7541 section 4.2 / RFC 9113 6.5.2: SETTINGS_HEADER_TABLE_SIZE default. */
#define H2_HPACK_DEFAULT_TABLE_SIZE 4096u
#define H2_HPACK_STATIC_TABLE_LENGTH 61u
#define H2_HPACK_TABLE_MAX_ENTRIES (H2_HPACK_TABLE_CAPACITY / H2_HPACK_ENTRY_OVERHEAD)
#define H2_HEADER_ARENA_FIELDS (H2_HEADER_ARENA_CAPACITY / H2_HPACK_ENTRY_OVERHEAD)

/* Field flag: the field must never be added to a compression table, here
 * or by intermediaries (RFC 7541 section 6.2.3). */
#define H2_HEADER_FIELD_NEVER_INDEXED 0x01u
/* private, in h2_header_field.flags only: the decoder took the name, or
 * the value, from a table entry whose bytes were checked before (the
 * static table, or a dynamic entry from a block that passed header
 * validation), so validation need not read them again.
 * h2_header_arena_get() leaves them out. */
#define H2_HEADER_FIELD_NAME_CHECKED 0x02u
#define H2_HEADER_FIELD_VALUE_CHECKED 0x04u

/* ------------------------------------------------------------------ */
/* Integers (RFC 7541 section 5.1)                                     */
/* ------------------------------------------------------------------ */

/*
 * Decodes an integer with an N-bit prefix (1 <= prefix_bits <= 8) from
 * in[0..in_len); the bits above the prefix in the first byte are ignored.
 * H2_E_INCOMPLETE when the input ends inside the integer; H2_E_COMPRESSION
 * when the value exceeds 2^32 - 1 or the encoding has more continuation
 * bytes than its value needs. *value and *used are written on success only.
 */
h2_status h2_hpack_int_decode(const uint8_t *in, size_t in_len,
                              uint8_t prefix_bits, uint32_t *value,
                              size_t *used);

/* Number of bytes h2_hpack_int_encode() writes for value. */
size_t h2_hpack_int_length(uint32_t value, uint8_t prefix_bits);

/*
 * Encodes value with an N-bit prefix into out[0..cap); high_bits are OR-ed
 * into the first byte above the prefix (the representation's pattern).
 * H2_E_BUFFER_TOO_SMALL (nothing written, *written = bytes needed) when it
 * does not fit.
 */
h2_status h2_hpack_int_encode(uint32_t value, uint8_t prefix_bits,
                              uint8_t high_bits, uint8_t *out, size_t cap,
                              size_t *written);

/* ------------------------------------------------------------------ */
/* Huffman code (RFC 7541 section 5.2, Appendix B): h2_huffman.c        */
/* ------------------------------------------------------------------ */

/* Incremental decoder state: a string may arrive in any number of pieces. */
typedef struct h2_huffman_decoder {
    uint8_t state;  /* private: node of the code tree we are at */
    uint8_t accept; /* private: 1 when the bits since the last symbol are
                       a valid padding (at most 7 bits, all ones) */
} h2_huffman_decoder;

void h2_huffman_decoder_init(h2_huffman_decoder *dec);

/*
 * Decodes all of in[0..in_len), continuing where the last call stopped.
 * Decoded bytes go to out[0..cap) and *out_len is how many were written.
 * out may be NULL (cap is then ignored): the input is checked and the
 * decoded bytes counted but not stored. H2_E_COMPRESSION when the input
 * contains the EOS symbol; H2_E_BUFFER_TOO_SMALL when the output is full
 * before the input ends. After an error the decoder must be reinitialized.
 */
h2_status h2_huffman_decode_step(h2_huffman_decoder *dec, const uint8_t *in,
                                 size_t in_len, uint8_t *out, size_t cap,
                                 size_t *out_len);

/* H2_OK when the string may end here (padding of at most 7 one-bits),
 * H2_E_COMPRESSION otherwise. */
h2_status h2_huffman_decode_finish(const h2_huffman_decoder *dec);

/* One-shot decode: init, step, finish. */
h2_status h2_huffman_decode(const uint8_t *in, size_t in_len, uint8_t *out,
                            size_t cap, size_t *out_len);

/* Length in bytes of the Huffman encoding of in[0..in_len), at most
 * 4 * in_len; in_len must not exceed SIZE_MAX / 4 so that it fits. */
size_t h2_huffman_encoded_length(const uint8_t *in, size_t in_len);

/*
 * Huffman-encodes in[0..in_len) into out[0..cap), padding the last byte
 * with ones; *written is h2_huffman_encoded_length(in, in_len), so
 * in_len <= SIZE_MAX / 4 as there. H2_E_BUFFER_TOO_SMALL (nothing
 * written) when it does not fit.
 */
h2_status h2_huffman_encode(const uint8_t *in, size_t in_len, uint8_t *out,
                            size_t cap, size_t *written);

/* ------------------------------------------------------------------ */
/* Header fields                                                       */
/* ------------------------------------------------------------------ */

/* A header field given by pointers, as passed to the encoder. */
typedef struct h2_header {
    const uint8_t *name;
    uint32_t name_len;
    const uint8_t *value;
    uint32_t value_len;
    uint8_t flags; /* H2_HEADER_FIELD_* */
} h2_header;

/* A decoded header field: offsets into its arena's bytes. */
typedef struct h2_header_field {
    uint32_t name_offset;
    uint32_t name_len;
    uint32_t value_offset;
    uint32_t value_len;
    uint8_t flags; /* H2_HEADER_FIELD_* */
} h2_header_field;

/* Where the decoder puts the fields of one header block. */
typedef struct h2_header_arena {
    uint8_t bytes[H2_HEADER_ARENA_CAPACITY];
    h2_header_field fields[H2_HEADER_ARENA_FIELDS];
    uint32_t used;  /* bytes[0..used) hold names and values */
    uint32_t count; /* fields[0..count) are complete fields */
} h2_header_arena;

void h2_header_arena_reset(h2_header_arena *arena);

/* Field index (index < arena->count) as pointers into the arena. */
void h2_header_arena_get(const h2_header_arena *arena, uint32_t index,
                         h2_header *out);

/* ------------------------------------------------------------------ */
/* Tables (RFC 7541 section 2.3, 4, Appendix A)                        */
/* ------------------------------------------------------------------ */

/* private: one dynamic table entry; its name and value lie back to back
 * in the table's byte ring, starting at offset and possibly wrapping. */
typedef struct h2_hpack_entry {
    uint16_t offset;
    uint16_t name_len;
    uint16_t value_len;
} h2_hpack_entry;

/* The dynamic table: a ring of entries over a ring of bytes. */
typedef struct h2_hpack_table {
    uint8_t bytes[H2_HPACK_TABLE_CAPACITY];        /* private */
    h2_hpack_entry entries[H2_HPACK_TABLE_MAX_ENTRIES]; /* private */
    uint32_t newest;   /* private: slot of the newest entry */
    uint32_t head;     /* private: byte offset where the next entry goes */
    uint32_t count;    /* number of entries */
    uint32_t size;     /* RFC 7541 size: sum of name + value + 32 */
    uint32_t max_size; /* current limit, <= H2_HPACK_TABLE_CAPACITY */
} h2_hpack_table;

/* Entry with HPACK index 62 + i (i = 0 is the newest), i < table->count,
 * as pointers: an entry that wraps in the ring is copied into the caller's
 * scratch (which must hold name_len + value_len bytes of any entry, so
 * H2_HPACK_TABLE_CAPACITY bytes always suffice). For tests and tools. */
void h2_hpack_table_get(const h2_hpack_table *table, uint32_t i,
                        uint8_t *scratch, h2_header *out);

/* ------------------------------------------------------------------ */
/* Decoder                                                             */
/* ------------------------------------------------------------------ */

typedef struct h2_hpack_decoder {
    h2_hpack_table table;
    uint32_t table_size_limit;     /* the SETTINGS_HEADER_TABLE_SIZE in force */
    uint32_t max_header_list_size; /* <= H2_HEADER_ARENA_CAPACITY */
    /* private: parsing state, kept between calls */
    uint32_t int_value;      /* integer being decoded */
    uint32_t str_remaining;  /* encoded bytes of the current string to come */
    uint32_t field_start;    /* arena offset where the current field began */
    uint32_t field_limit;    /* arena->used may not pass this while the
                                current field is kept */
    uint32_t name_len;       /* decoded name length of the current field */
    uint8_t int_count;       /* continuation bytes of the integer so far */
    uint8_t phase;           /* what the next byte is */
    uint8_t repr;            /* representation of the current field */
    uint8_t huffman;         /* current string is Huffman coded */
    uint8_t keep;            /* the current field's bytes are being stored */
    uint8_t block_start;     /* no field decoded yet in this block */
    uint8_t update_required; /* a size update must open the next block */
    uint8_t oversized;       /* the block has exceeded max_header_list_size */
    uint8_t failed;          /* 0, or which connection error happened */
    uint8_t checked;         /* NAME/VALUE_CHECKED of the current field */
    uint32_t block_inserts;  /* entries this block inserted, at most
                                H2_HPACK_TABLE_MAX_ENTRIES */
    /* per entry slot: 1 when the entry came from a block that passed
     * header validation (h2_hpack_decoder_block_checked) */
    uint8_t entry_checked[H2_HPACK_TABLE_MAX_ENTRIES];
    h2_huffman_decoder huff;
} h2_hpack_decoder;

/* Table limit min(4096, H2_HPACK_TABLE_CAPACITY); max header list size
 * clamped to H2_HEADER_ARENA_CAPACITY. */
void h2_hpack_decoder_init(h2_hpack_decoder *dec,
                           uint32_t max_header_list_size);

/*
 * Our SETTINGS_HEADER_TABLE_SIZE took effect (the peer acknowledged it).
 * H2_E_INVALID_ARGUMENT (no change) above H2_HPACK_TABLE_CAPACITY. When the
 * new limit is below the table's current maximum, the peer's next header
 * block must start with a size update that fits it (RFC 7541 section 4.2).
 */
h2_status h2_hpack_decoder_set_table_size_limit(h2_hpack_decoder *dec,
                                                uint32_t limit);

/* Clamped to H2_HEADER_ARENA_CAPACITY. */
void h2_hpack_decoder_set_max_header_list_size(h2_hpack_decoder *dec,
                                               uint32_t size);

/* Starts a header block: empties the arena. */
void h2_hpack_decoder_begin_block(h2_hpack_decoder *dec,
                                  h2_header_arena *arena);

/*
 * The block just decoded passed header validation: the entries it added
 * to the dynamic table are marked, and fields later taken from them carry
 * H2_HEADER_FIELD_NAME_CHECKED and H2_HEADER_FIELD_VALUE_CHECKED.
 */
void h2_hpack_decoder_block_checked(h2_hpack_decoder *dec);

/*
 * Decodes in[0..in_len), the next piece of the block (it may split any
 * representation anywhere); end_of_block (0 or 1) says it is the last.
 * Complete fields are appended to the arena. Errors:
 *   H2_E_HPACK_INVALID_INDEX   index 0 or past the tables;
 *   H2_E_HPACK_INVALID_TABLE_SIZE  a size update above the limit in force,
 *                              or a required one missing;
 *   H2_E_COMPRESSION           anything else malformed, including a size
 *                              update after the first field and a block
 *                              that ends inside a representation;
 *   H2_E_HPACK_HEADER_LIST_TOO_LARGE  reported when the block ends: the
 *                              decoded list exceeded max_header_list_size
 *                              (name + value + 32 per field). The arena is
 *                              then empty, but the whole block was decoded,
 *                              so the table stays in step with the peer and
 *                              the decoder remains usable.
 * The first three are connection errors (COMPRESSION_ERROR): afterwards the
 * decoder refuses further input with the same status.
 */
h2_status h2_hpack_decode(h2_hpack_decoder *dec, h2_header_arena *arena,
                          const uint8_t *in, size_t in_len, int end_of_block);

/* ------------------------------------------------------------------ */
/* Encoder                                                             */
/* ------------------------------------------------------------------ */

typedef struct h2_hpack_encoder {
    h2_hpack_table table;
    /* private: per entry slot, the static index (first of its run) of the
     * entry's name, 0 when the static table lacks it: names are told apart
     * by this number, and only names outside the static table are compared
     * byte by byte. */
    uint8_t name_static[H2_HPACK_TABLE_MAX_ENTRIES];
    uint32_t pending_min_size; /* private: smallest limit since last block */
    uint8_t update_pending;    /* private: a size update must be sent */
} h2_hpack_encoder;

/* Table limit min(4096, H2_HPACK_TABLE_CAPACITY). */
void h2_hpack_encoder_init(h2_hpack_encoder *enc);

/*
 * The peer's SETTINGS_HEADER_TABLE_SIZE changed: the encoder's table limit
 * becomes min(size, H2_HPACK_TABLE_CAPACITY), signalled at the start of the
 * next block (the smallest limit since the last block first, when it was
 * smaller, as RFC 7541 section 4.2 requires).
 */
void h2_hpack_encoder_set_max_table_size(h2_hpack_encoder *enc,
                                         uint32_t size);

/* Where the encoder's tables hold a field (h2_hpack_encoder_find()). */
typedef struct h2_hpack_found {
    uint32_t index;      /* HPACK index of the whole field, 0 when absent */
    uint32_t name_index; /* an index with the field's name, 0 when none */
    uint8_t static_name; /* private: the name's first static index, or 0 */
} h2_hpack_found;

/*
 * Looks a field up in the static and the dynamic table as
 * h2_hpack_encode() would, changing nothing: 1 when a table holds the
 * whole field (name and value), else 0. The answer, handed to
 * h2_hpack_encode() while the encoder is unchanged, spares it the search.
 */
int h2_hpack_encoder_find(const h2_hpack_encoder *enc, const h2_header *field,
                          h2_hpack_found *found);

/* Upper bound of the bytes h2_hpack_encode() writes for these fields. */
uint64_t h2_hpack_encode_bound(const h2_hpack_encoder *enc,
                               const h2_header *fields, size_t count);

/*
 * Encodes fields[0..count) as one header block into out[0..cap).
 * Representation: indexed when the table has the whole field; otherwise a
 * literal, never indexed when the field has H2_HEADER_FIELD_NEVER_INDEXED,
 * with incremental indexing unless the value is large or the name is
 * ":path" (values that rarely repeat and would only churn the table), with
 * an indexed name when one matches. Strings are Huffman coded only when
 * that is shorter. When cap < h2_hpack_encode_bound() the call returns
 * H2_E_BUFFER_TOO_SMALL with *written = the bound and changes nothing.
 * found: NULL, or found[i] = h2_hpack_encoder_find() for fields[i] with
 * the encoder as it is at this call; the tables are then searched only for
 * the fields after the block's first insertion. The output is the same.
 */
h2_status h2_hpack_encode(h2_hpack_encoder *enc, const h2_header *fields,
                          const h2_hpack_found *found, size_t count,
                          uint8_t *out, size_t cap, size_t *written);

#endif
