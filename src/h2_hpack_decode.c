/*
 * libh2 HPACK incremental decoder (RFC 7541 sections 3, 4, 6).
 *
 * A state machine over the bytes of a header block: everything it needs
 * between two bytes lives in the decoder, so a block may be split anywhere,
 * across any number of calls and CONTINUATION frames, and decodes to the
 * same fields. Input is read once and never buffered: string bytes go
 * straight into the arena, Huffman strings decoded on the way.
 *
 * Why the arena cannot overflow. While the header list fits
 * max_header_list_size (<= H2_HEADER_ARENA_CAPACITY), each field costs its
 * name and value plus 32 in the list size, but only its name and value in
 * the arena and one slot in arena->fields. field_limit is how far
 * arena->used may grow for the current field while the list so far (32 per
 * field included) still fits; field_limit + 32 * (count + 1) <=
 * H2_HEADER_ARENA_CAPACITY bounds both the bytes and the slots. Past the
 * limit the block is "oversized": the arena is emptied and the rest of the
 * block is still decoded, field by field from offset 0, only to keep the
 * dynamic table in step with the peer. The only fields stored in that mode
 * are ones to be inserted in the table: at most max_size - 32 bytes, which
 * fits since H2_HEADER_ARENA_CAPACITY >= H2_HPACK_TABLE_CAPACITY. A larger
 * one cannot be inserted and only empties the table (RFC 7541 section
 * 4.4), so its bytes are checked and dropped.
 */
#include "h2_hpack_internal.h"

#include "h2_bytes.h"

/* Phases: what the next input byte is. */
#define PH_START 0u          /* first byte of a representation */
#define PH_SIZE 1u           /* more of a dynamic table size update */
#define PH_INDEX 2u          /* more of an indexed field's index */
#define PH_NAME_INDEX 3u     /* more of a literal's name index */
#define PH_NAME_LEN 4u       /* first byte of a literal name's length */
#define PH_NAME_LEN_MORE 5u  /* more of that length */
#define PH_NAME 6u           /* bytes of the name string */
#define PH_VALUE_LEN 7u      /* first byte of the value's length */
#define PH_VALUE_LEN_MORE 8u /* more of that length */
#define PH_VALUE 9u          /* bytes of the value string */

/* Field representations (RFC 7541 section 6). */
#define REPR_INDEXED 0u
#define REPR_INCREMENTAL 1u
#define REPR_WITHOUT 2u
#define REPR_NEVER 3u

/* dec->failed: which connection error stopped the decoder. */
#define FAIL_NONE 0u
#define FAIL_COMPRESSION 1u
#define FAIL_INDEX 2u
#define FAIL_TABLE_SIZE 3u

#define ENTRY_OVERHEAD H2_HPACK_ENTRY_OVERHEAD
#define STATIC_COUNT H2_HPACK_STATIC_TABLE_LENGTH

/* RFC 7541 section 4.2 default, within what the table can hold. */
#define INITIAL_TABLE_LIMIT                                                \
    (H2_HPACK_DEFAULT_TABLE_SIZE < H2_HPACK_TABLE_CAPACITY                 \
         ? H2_HPACK_DEFAULT_TABLE_SIZE                                     \
         : H2_HPACK_TABLE_CAPACITY)

/*@ // Complete fields lie within the arena's used bytes.
    predicate arena_ok(h2_header_arena *a) =
        a->used <= H2_HEADER_ARENA_CAPACITY &&
        a->count <= H2_HEADER_ARENA_FIELDS &&
        (\forall integer k; 0 <= k < a->count ==>
            a->fields[k].name_offset + a->fields[k].name_len <= a->used &&
            a->fields[k].value_offset + a->fields[k].value_len <= a->used);

    // What holds whatever the parse state. The table's own invariant,
    // h2_hpack_table_ok(&d->table), is stated beside it in each contract:
    // kept apart, the provers need not unfold it to see that writes to
    // the parse state leave the table alone.
    predicate dec_base(h2_hpack_decoder *d) =
        d->table_size_limit <= H2_HPACK_TABLE_CAPACITY &&
        d->max_header_list_size <= H2_HEADER_ARENA_CAPACITY &&
        d->phase <= PH_VALUE && d->repr <= REPR_NEVER &&
        d->huffman <= 1 && d->keep <= 1 && d->block_start <= 1 &&
        d->update_required <= 1 && d->oversized <= 1 &&
        d->failed <= FAIL_TABLE_SIZE &&
        d->int_count <= H2_HPACK_INT_MAX_CONTINUATION;

    // Between representations.
    predicate boundary_ok(h2_hpack_decoder *d, h2_header_arena *a) =
        (d->oversized != 0 ==> a->count == 0 && a->used == 0) &&
        a->used + ENTRY_OVERHEAD * a->count <= H2_HEADER_ARENA_CAPACITY;

    // Inside a field: where its bytes go. A kept field lies in
    // bytes[field_start .. used) and may grow up to field_limit.
    predicate field_ok(h2_hpack_decoder *d, h2_header_arena *a) =
        (d->oversized == 0 ==> d->keep == 1) &&
        (d->oversized != 0 ==> a->count == 0) &&
        (d->keep == 1 ==>
            d->field_start <= a->used && a->used <= d->field_limit &&
            d->field_limit + ENTRY_OVERHEAD * (a->count + 1) <=
                H2_HEADER_ARENA_CAPACITY) &&
        (d->keep == 0 ==> a->used == 0);

    predicate parse_ok(h2_hpack_decoder *d, h2_header_arena *a) =
        (d->phase <= PH_SIZE ==> boundary_ok(d, a)) &&
        (d->phase >= PH_INDEX ==> field_ok(d, a)) &&
        (d->phase >= PH_VALUE_LEN && d->keep == 1 ==>
            d->field_start + d->name_len <= a->used) &&
        ((d->phase == PH_NAME || d->phase == PH_VALUE) ==>
            d->str_remaining > 0);

    // The decoder invariant: after a connection error nothing is parsed.
    predicate dec_ok(h2_hpack_decoder *d, h2_header_arena *a) =
        dec_base(d) && arena_ok(a) && (d->failed == 0 ==> parse_ok(d, a));

    // What a parse step keeps, whatever it returns.
    predicate step_ok(h2_hpack_decoder *d, h2_header_arena *a) =
        dec_base(d) && arena_ok(a);
*/

/*@ requires \valid(dec);
    requires status == H2_E_COMPRESSION ||
             status == H2_E_HPACK_INVALID_INDEX ||
             status == H2_E_HPACK_INVALID_TABLE_SIZE;
    assigns dec->failed;
    ensures dec->failed != FAIL_NONE && dec->failed <= FAIL_TABLE_SIZE;
    ensures \result == status;
*/
static h2_status decoder_fail(h2_hpack_decoder *dec, h2_status status)
{
    if (status == H2_E_HPACK_INVALID_INDEX) {
        dec->failed = FAIL_INDEX;
    } else if (status == H2_E_HPACK_INVALID_TABLE_SIZE) {
        dec->failed = FAIL_TABLE_SIZE;
    } else {
        dec->failed = FAIL_COMPRESSION;
    }
    return status;
}

/*@ requires \valid_read(dec);
    assigns \nothing;
    ensures \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_INDEX ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE;
*/
static h2_status decoder_failure(const h2_hpack_decoder *dec)
{
    if (dec->failed == FAIL_INDEX) {
        return H2_E_HPACK_INVALID_INDEX;
    }
    if (dec->failed == FAIL_TABLE_SIZE) {
        return H2_E_HPACK_INVALID_TABLE_SIZE;
    }
    return H2_E_COMPRESSION;
}

/*@ requires \valid(dec);
    requires h2_hpack_table_ok(&dec->table);
    assigns dec->table.count, dec->table.size, dec->table.max_size;
    ensures h2_hpack_table_ok(&dec->table);
    ensures dec->table.max_size == \old(dec->table.max_size);
    ensures dec->table.count == 0;
*/
static void table_empty(h2_hpack_decoder *dec)
{
    /* What inserting an entry larger than the table does (RFC 7541
     * section 4.4), for an entry whose bytes were not kept. */
    uint32_t max_size = dec->table.max_size;
    h2_hpack_table_set_max_size(&dec->table, 0u);
    h2_hpack_table_set_max_size(&dec->table, max_size);
}

/*@ requires \valid(arena);
    requires from + n <= H2_HEADER_ARENA_CAPACITY;
    assigns arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
    ensures \forall integer k; 0 <= k < n ==>
            arena->bytes[k] == \old(arena->bytes[from + k]);
*/
static void arena_move_front(h2_header_arena *arena, uint32_t from,
                             uint32_t n)
{
    uint32_t i;
    /* Forward copy: each source byte is read before the copy reaches it. */
    /*@ loop invariant 0 <= i <= n;
        loop invariant \forall integer k; 0 <= k < i ==>
            arena->bytes[k] == \at(arena->bytes[from + k], Pre);
        loop invariant \forall integer j; from + i <= j < from + n ==>
            arena->bytes[j] == \at(arena->bytes[j], Pre);
        loop assigns i, arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
        loop variant n - i;
    */
    for (i = 0u; i < n; i++) {
        uint32_t src = from + i;
        //@ assert src == from + i;
        arena->bytes[i] = arena->bytes[src];
    }
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) &&
             h2_hpack_table_ok(&dec->table) && arena_ok(arena) &&
             boundary_ok(dec, arena);
    requires repr <= REPR_NEVER;
    assigns dec->repr, dec->block_start, dec->name_len, dec->keep,
            dec->field_limit, dec->field_start, dec->oversized, dec->checked,
            arena->used, arena->count;
    ensures dec_base(dec) &&
             h2_hpack_table_ok(&dec->table) && arena_ok(arena) &&
             field_ok(dec, arena);
    ensures dec->repr == repr && dec->block_start == 0;
    ensures dec->keep == 1 ==> dec->field_start == arena->used;
*/
static void field_begin(h2_hpack_decoder *dec, h2_header_arena *arena,
                        uint8_t repr)
{
    dec->repr = repr;
    dec->block_start = 0u;
    dec->name_len = 0u;
    dec->checked = 0u;
    if (dec->oversized == 0u &&
        arena->used + ENTRY_OVERHEAD * (arena->count + 1u) <=
            dec->max_header_list_size) {
        dec->keep = 1u;
        dec->field_start = arena->used;
        dec->field_limit = dec->max_header_list_size -
                           ENTRY_OVERHEAD * (arena->count + 1u);
        return;
    }
    /* Not even the 32 of this field fit: the list is oversized. */
    dec->oversized = 1u;
    arena->count = 0u;
    arena->used = 0u;
    /* A midpoint for the provers: the table is untouched so far. */
    //@ assert h2_hpack_table_ok(&dec->table);
    dec->field_start = 0u;
    if (repr == REPR_INCREMENTAL && dec->table.max_size >= ENTRY_OVERHEAD) {
        dec->keep = 1u;
        dec->field_limit = dec->table.max_size - ENTRY_OVERHEAD;
    } else {
        dec->keep = 0u;
        dec->field_limit = 0u;
    }
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena);
    requires dec->oversized != 0 ==> arena->count == 0;
    requires dec->keep == 1;
    requires dec->field_start <= arena->used;
    assigns dec->oversized, dec->keep, dec->field_start, dec->field_limit,
            arena->used, arena->count,
            arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
    ensures dec_base(dec) &&
             h2_hpack_table_ok(&dec->table) && arena_ok(arena) &&
             field_ok(dec, arena);
    ensures dec->oversized == 1 && arena->count == 0;
    ensures dec->keep == 1 ==>
            dec->field_start == 0 &&
            arena->used == \old(arena->used) - \old(dec->field_start) &&
            arena->used + extra <= dec->field_limit;
*/
static void field_overflow(h2_hpack_decoder *dec, h2_header_arena *arena,
                           uint32_t extra)
{
    /* The current field takes the list past max_header_list_size. Only a
     * field to be inserted in the table is still worth its bytes, and only
     * when the table can take it. */
    uint32_t n = arena->used - dec->field_start;
    uint32_t max_size = dec->table.max_size;

    dec->oversized = 1u;
    arena->count = 0u;
    if (dec->repr == REPR_INCREMENTAL && max_size >= ENTRY_OVERHEAD &&
        extra <= max_size - ENTRY_OVERHEAD &&
        n <= max_size - ENTRY_OVERHEAD - extra) {
        arena_move_front(arena, dec->field_start, n);
        arena->used = n;
        dec->field_start = 0u;
        dec->field_limit = max_size - ENTRY_OVERHEAD;
    } else {
        dec->keep = 0u;
        arena->used = 0u;
        dec->field_start = 0u;
    }
}

/*@ requires \valid(arena);
    requires at + len <= H2_HEADER_ARENA_CAPACITY;
    requires \valid_read(src + (0 .. len - 1));
    assigns arena->bytes[at .. at + len - 1];
*/
static void arena_put(h2_header_arena *arena, uint32_t at, const uint8_t *src,
                      uint32_t len)
{
    /* A loop of its own rather than h2_bytes_copy: nothing tells the
     * prover that the static table's bytes are apart from the arena, and
     * only the arena's bounds matter here. */
    uint32_t i;
    /*@ loop invariant 0 <= i <= len;
        loop assigns i, arena->bytes[at .. at + len - 1];
        loop variant len - i;
    */
    for (i = 0u; i < len; i++) {
        arena->bytes[at + i] = src[i];
    }
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1;
    requires arena->used + len <= dec->field_limit;
    requires \valid_read(src + (0 .. len - 1));
    assigns arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1], arena->used;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures arena->used == \old(arena->used) + len;
*/
static void field_put(h2_hpack_decoder *dec, h2_header_arena *arena,
                      const uint8_t *src, uint32_t len)
{
    /* More bytes of the current field, known to fit. The decoder is
     * here for the contract: what the write leaves unchanged. */
    (void)dec;
    arena_put(arena, arena->used, src, len);
    arena->used += len;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1;
    requires slot < dec->table.count;
    requires which == 0 || which == 1;
    requires len == (which == 0 ?
        dec->table.entries[h2_hpack_slot(dec->table.newest, slot)].name_len :
        dec->table.entries[h2_hpack_slot(dec->table.newest, slot)].value_len);
    requires arena->used + len <= dec->field_limit;
    assigns arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1], arena->used;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures arena->used == \old(arena->used) + len;
*/
static void field_put_entry(h2_hpack_decoder *dec, h2_header_arena *arena,
                            uint32_t slot, int which, uint32_t len)
{
    /* The name or value of dynamic entry slot, known to fit. */
    h2_hpack_table_copy(&dec->table, slot, which, &arena->bytes[arena->used]);
    arena->used += len;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1;
    assigns dec->oversized, dec->keep, dec->field_start, dec->field_limit,
            arena->used, arena->count,
            arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures dec->keep == 1 ==> arena->used + need <= dec->field_limit;
    ensures dec->keep == 1 &&
            \old(dec->field_start) + dec->name_len <= \old(arena->used) ==>
            dec->field_start + dec->name_len <= arena->used;
*/
static void field_reserve(h2_hpack_decoder *dec, h2_header_arena *arena,
                          uint32_t need)
{
    /* Room for need more bytes of the current field, or it overflows. */
    if (need > dec->field_limit - arena->used) {
        field_overflow(dec, arena, need);
    }
}

/* The checked bits of a field taken from a checked table entry: the
 * name's, and the value's when the field is the whole entry. */
/*@ requires with_value == 0 || with_value == 1;
    assigns \nothing;
    ensures with_value == 0 ==> \result == H2_HEADER_FIELD_NAME_CHECKED;
    ensures with_value == 1 ==> \result == H2_HEADER_FIELD_NAME_CHECKED +
                                           H2_HEADER_FIELD_VALUE_CHECKED;
*/
static uint8_t entry_checked_bits(int with_value)
{
    if (with_value != 0) {
        return (uint8_t)(H2_HEADER_FIELD_NAME_CHECKED +
                         H2_HEADER_FIELD_VALUE_CHECKED);
    }
    return (uint8_t)H2_HEADER_FIELD_NAME_CHECKED;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1;
    requires 1 <= index <= STATIC_COUNT;
    requires with_value == 0 || with_value == 1;
    assigns dec->oversized, dec->keep, dec->field_start, dec->field_limit,
            dec->name_len, dec->checked, arena->used, arena->count,
            arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures dec->keep == 1 ==> dec->field_start + dec->name_len <= arena->used;
*/
static void static_entry_store(h2_hpack_decoder *dec, h2_header_arena *arena,
                               uint32_t index, int with_value)
{
    h2_header header;

    h2_hpack_static_get(index, &header);
    field_reserve(dec, arena,
                  (with_value != 0) ? header.name_len + header.value_len
                                    : header.name_len);
    if (dec->keep != 0u) {
        field_put(dec, arena, header.name, header.name_len);
        if (with_value != 0) {
            field_put(dec, arena, header.value, header.value_len);
        }
    }
    dec->name_len = header.name_len;
    /* The static table's names and values are valid fields. */
    dec->checked = entry_checked_bits(with_value);
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1;
    requires slot < dec->table.count;
    requires with_value == 0 || with_value == 1;
    assigns dec->oversized, dec->keep, dec->field_start, dec->field_limit,
            dec->name_len, dec->checked, arena->used, arena->count,
            arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures dec->keep == 1 ==> dec->field_start + dec->name_len <= arena->used;
*/
static void dynamic_entry_store(h2_hpack_decoder *dec, h2_header_arena *arena,
                                uint32_t slot, int with_value)
{
    uint32_t name_len = 0u;
    uint32_t value_len = 0u;

    h2_hpack_table_lengths(&dec->table, slot, &name_len, &value_len);
    field_reserve(dec, arena,
                  (with_value != 0) ? name_len + value_len : name_len);
    if (dec->keep != 0u) {
        field_put_entry(dec, arena, slot, 0, name_len);
        if (with_value != 0) {
            field_put_entry(dec, arena, slot, 1, value_len);
        }
    }
    dec->name_len = name_len;
    dec->checked = 0u;
    if (dec->entry_checked[h2_hpack_table_slot(&dec->table, slot)] != 0u) {
        dec->checked = entry_checked_bits(with_value);
    }
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1;
    requires 1 <= index <= STATIC_COUNT + dec->table.count;
    requires with_value == 0 || with_value == 1;
    assigns dec->oversized, dec->keep, dec->field_start, dec->field_limit,
            dec->name_len, dec->checked, arena->used, arena->count,
            arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures dec->keep == 1 ==> dec->field_start + dec->name_len <= arena->used;
*/
static void entry_store(h2_hpack_decoder *dec, h2_header_arena *arena,
                        uint32_t index, int with_value)
{
    /* The name, and the value of an indexed field, of table entry index
     * (RFC 7541 section 2.3.3: the static table first, then the dynamic
     * one from its newest entry). */
    if (index <= STATIC_COUNT) {
        static_entry_store(dec, arena, index, with_value);
    } else {
        dynamic_entry_store(dec, arena, index - STATIC_COUNT - 1u,
                            with_value);
    }
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1 && dec->oversized == 0;
    requires dec->field_start + dec->name_len <= arena->used;
    assigns arena->fields[arena->count], arena->count;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && boundary_ok(dec, arena);
    ensures arena->used == \old(arena->used);
    ensures arena->count == \old(arena->count) + 1;
*/
static void field_append(h2_hpack_decoder *dec, h2_header_arena *arena)
{
    /* The kept field joins the list: bytes[field_start .. used) are its
     * name then its value. */
    uint32_t count = arena->count;
    uint32_t start = dec->field_start;
    uint32_t name_len = dec->name_len;
    uint8_t flags = (dec->repr == REPR_NEVER)
                        ? (uint8_t)H2_HEADER_FIELD_NEVER_INDEXED
                        : 0u;
    if (dec->checked == H2_HEADER_FIELD_NAME_CHECKED) {
        flags = (uint8_t)(flags + H2_HEADER_FIELD_NAME_CHECKED);
    } else if (dec->checked == H2_HEADER_FIELD_NAME_CHECKED +
                                   H2_HEADER_FIELD_VALUE_CHECKED) {
        flags = (uint8_t)(flags + H2_HEADER_FIELD_NAME_CHECKED +
                          H2_HEADER_FIELD_VALUE_CHECKED);
    }
    h2_header_field *field = &arena->fields[count];

    field->name_offset = start;
    field->name_len = name_len;
    field->value_offset = start + name_len;
    field->value_len = arena->used - start - name_len;
    field->flags = flags;
    arena->count = count + 1u;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena);
    requires start + name_len + value_len <= arena->used;
    assigns dec->table.bytes[0 .. H2_HPACK_TABLE_CAPACITY - 1],
            dec->table.entries[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            dec->table.newest, dec->table.head, dec->table.count,
            dec->table.size,
            dec->entry_checked[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            dec->block_inserts;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena);
    ensures arena->used == \old(arena->used);
    ensures arena->count == \old(arena->count);
*/
static void field_insert(h2_hpack_decoder *dec, h2_header_arena *arena,
                         uint32_t start, uint32_t name_len,
                         uint32_t value_len)
{
    /* An incremental indexing literal enters the table (RFC 7541 section
     * 6.2.1) from its copy in the arena. */
    h2_hpack_table_insert(&dec->table, &arena->bytes[start], name_len,
                          &arena->bytes[start + name_len], value_len);
    if (dec->table.count != 0u) {
        /* Not checked until its block is (an entry larger than the
         * limit empties the table instead). */
        dec->entry_checked[dec->table.newest] = 0u;
    }
    if (dec->block_inserts < H2_HPACK_TABLE_MAX_ENTRIES) {
        dec->block_inserts++;
    }
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1 ==>
             dec->field_start + dec->name_len <= arena->used;
    assigns dec->table.bytes[0 .. H2_HPACK_TABLE_CAPACITY - 1],
            dec->table.entries[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            dec->table.newest, dec->table.head, dec->table.count,
            dec->table.size, dec->table.max_size, dec->phase,
            dec->entry_checked[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            dec->block_inserts, arena->used, arena->count,
            arena->fields[0 .. H2_HEADER_ARENA_FIELDS - 1];
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && boundary_ok(dec, arena);
    ensures dec->phase == PH_START && parse_ok(dec, arena);
*/
static void field_end(h2_hpack_decoder *dec, h2_header_arena *arena)
{
    if (dec->keep != 0u) {
        uint32_t start = dec->field_start;
        uint32_t name_len = dec->name_len;
        uint32_t value_len = arena->used - start - name_len;
        uint8_t oversized = dec->oversized;
        uint8_t repr = dec->repr;
        if (oversized == 0u) {
            field_append(dec, arena);
        }
        if (repr == REPR_INCREMENTAL) {
            field_insert(dec, arena, start, name_len, value_len);
        }
        if (oversized != 0u) {
            /* Only decoded for the table: dropped now. */
            arena->used = 0u;
        }
    } else if (dec->repr == REPR_INCREMENTAL) {
        table_empty(dec);
    }
    dec->phase = PH_START;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && boundary_ok(dec, arena);
    assigns dec->table.count, dec->table.size, dec->table.max_size,
            dec->update_required, dec->phase;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_HPACK_INVALID_TABLE_SIZE;
*/
static h2_status size_update(h2_hpack_decoder *dec, h2_header_arena *arena,
                             uint32_t size)
{
    /* The arena is here for the contract: this is a boundary. */
    (void)arena;
    if (size > dec->table_size_limit) {
        return H2_E_HPACK_INVALID_TABLE_SIZE;
    }
    h2_hpack_table_set_max_size(&dec->table, size);
    dec->update_required = 0u;
    dec->phase = PH_START;
    return H2_OK;
}

/*@ // True when index names an entry of the static or dynamic table.
    predicate index_ok(h2_hpack_decoder *d, integer index) =
        1 <= index <= STATIC_COUNT + d->table.count;
*/

/*@ requires \valid_read(dec);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> index_ok(dec, index);
*/
static int index_valid(const h2_hpack_decoder *dec, uint32_t index)
{
    if (index == 0u) {
        return 0;
    }
    if (index > STATIC_COUNT && index - STATIC_COUNT > dec->table.count) {
        return 0;
    }
    return 1;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) &&
             h2_hpack_table_ok(&dec->table) && arena_ok(arena) &&
             field_ok(dec, arena);
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_HPACK_INVALID_INDEX;
*/
static h2_status indexed_field(h2_hpack_decoder *dec, h2_header_arena *arena,
                               uint32_t index)
{
    if (index_valid(dec, index) == 0) {
        return H2_E_HPACK_INVALID_INDEX;
    }
    if (dec->keep != 0u) {
        entry_store(dec, arena, index, 1);
    }
    field_end(dec, arena);
    return H2_OK;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) &&
             h2_hpack_table_ok(&dec->table) && arena_ok(arena) &&
             field_ok(dec, arena);
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_HPACK_INVALID_INDEX;
*/
static h2_status indexed_name(h2_hpack_decoder *dec, h2_header_arena *arena,
                              uint32_t index)
{
    if (index == 0u) {
        dec->phase = PH_NAME_LEN;
        return H2_OK;
    }
    if (index_valid(dec, index) == 0) {
        return H2_E_HPACK_INVALID_INDEX;
    }
    if (dec->keep != 0u) {
        entry_store(dec, arena, index, 0);
    }
    dec->phase = PH_VALUE_LEN;
    return H2_OK;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) &&
             h2_hpack_table_ok(&dec->table) && arena_ok(arena) &&
             field_ok(dec, arena);
    requires dec->phase == PH_NAME || dec->phase == PH_VALUE;
    requires dec->phase == PH_VALUE && dec->keep == 1 ==>
             dec->field_start + dec->name_len <= arena->used;
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
static h2_status string_end(h2_hpack_decoder *dec, h2_header_arena *arena)
{
    if (dec->huffman != 0u && h2_huffman_decode_finish(&dec->huff) != H2_OK) {
        return H2_E_COMPRESSION;
    }
    if (dec->phase == PH_NAME) {
        dec->name_len = (dec->keep != 0u) ? arena->used - dec->field_start
                                          : 0u;
        dec->phase = PH_VALUE_LEN;
        return H2_OK;
    }
    field_end(dec, arena);
    return H2_OK;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) &&
             h2_hpack_table_ok(&dec->table) && arena_ok(arena) &&
             field_ok(dec, arena);
    requires PH_NAME_LEN <= dec->phase <= PH_VALUE_LEN_MORE;
    requires dec->phase != PH_NAME;
    requires dec->phase >= PH_VALUE_LEN && dec->keep == 1 ==>
             dec->field_start + dec->name_len <= arena->used;
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
static h2_status string_begin(h2_hpack_decoder *dec, h2_header_arena *arena,
                              uint32_t len)
{
    dec->str_remaining = len;
    if (dec->huffman != 0u) {
        h2_huffman_decoder_init(&dec->huff);
    }
    dec->phase = (dec->phase <= PH_NAME_LEN_MORE) ? PH_NAME : PH_VALUE;
    if (len == 0u) {
        return string_end(dec, arena);
    }
    return H2_OK;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    requires dec->keep == 1;
    requires 1 <= count;
    requires 2 * count <= H2_HEADER_ARENA_CAPACITY - arena->used;
    requires \valid_read(in + (0 .. count - 1));
    requires \separated(in + (0 .. count - 1), dec, arena);
    assigns dec->huff, dec->oversized, dec->keep, dec->field_start,
            dec->field_limit, arena->used, arena->count,
            arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1];
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures dec->keep == 1 &&
            \old(dec->field_start) + dec->name_len <= \old(arena->used) ==>
            dec->field_start + dec->name_len <= arena->used;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
static h2_status huffman_put(h2_hpack_decoder *dec, h2_header_arena *arena,
                             const uint8_t *in, uint32_t count)
{
    /* At most two symbols per input byte (codes are 5 bits or more), and
     * count is at most half the room left, so the output cannot run out.
     * Past field_limit the bytes are still in the arena for
     * field_overflow to move or drop. */
    uint32_t room = H2_HEADER_ARENA_CAPACITY - arena->used;
    size_t out_len = 0u;

    if (h2_huffman_decode_step(&dec->huff, in, count,
                               &arena->bytes[arena->used], room,
                               &out_len) != H2_OK) {
        return H2_E_COMPRESSION;
    }
    arena->used += (uint32_t)out_len;
    if (arena->used > dec->field_limit) {
        field_overflow(dec, arena, 0u);
    }
    return H2_OK;
}

/*@ requires \valid(dec);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires \valid_read(in + (0 .. count - 1));
    requires \separated(in + (0 .. count - 1), dec);
    assigns dec->huff;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
static h2_status huffman_skip(h2_hpack_decoder *dec, const uint8_t *in,
                              uint32_t count)
{
    /* A dropped string is still checked: EOS or a bad code is an error. */
    size_t out_len = 0u;

    if (h2_huffman_decode_step(&dec->huff, in, count, NULL, 0u, &out_len) !=
        H2_OK) {
        return H2_E_COMPRESSION;
    }
    return H2_OK;
}

/*@ requires \valid(dec) && \valid(arena) && \valid(used);
    requires \separated(dec, arena, used);
    requires count >= 1;
    requires \valid_read(in + (0 .. count - 1));
    requires \separated(in + (0 .. count - 1), dec, arena, used);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && field_ok(dec, arena);
    assigns dec->huff, dec->oversized, dec->keep, dec->field_start,
            dec->field_limit, arena->used, arena->count,
            arena->bytes[0 .. H2_HEADER_ARENA_CAPACITY - 1], *used;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena) && field_ok(dec, arena);
    ensures dec->keep <= \old(dec->keep);
    ensures dec->keep == 1 &&
            \old(dec->field_start) + dec->name_len <= \old(arena->used) ==>
            dec->field_start + dec->name_len <= arena->used;
    ensures \result == H2_OK ==> 1 <= *used <= count;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
static h2_status string_chunk(h2_hpack_decoder *dec, h2_header_arena *arena,
                              const uint8_t *in, uint32_t count,
                              uint32_t *used)
{
    /* in[0 .. count) is string data; *used of it is taken: all of it,
     * except for a kept Huffman string, what surely fits. */
    *used = count;
    if (dec->huffman != 0u) {
        if (dec->keep != 0u) {
            uint32_t half_room = (H2_HEADER_ARENA_CAPACITY - arena->used) / 2u;
            if (count > half_room) {
                *used = half_room;
            }
            return huffman_put(dec, arena, in, *used);
        }
        return huffman_skip(dec, in, count);
    }
    if (dec->keep != 0u) {
        field_reserve(dec, arena, count);
        if (dec->keep != 0u) {
            field_put(dec, arena, in, count);
        }
    }
    return H2_OK;
}

/*@ requires \valid(dec) && \valid(arena) && \valid(consumed);
    requires \separated(dec, arena, consumed);
    requires n >= 1;
    requires \valid_read(in + (0 .. n - 1));
    requires \separated(in + (0 .. n - 1), dec, arena, consumed);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && parse_ok(dec, arena);
    requires dec->phase == PH_NAME || dec->phase == PH_VALUE;
    assigns *dec, *arena, *consumed;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK ==> 1 <= *consumed <= n;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
static h2_status string_bytes(h2_hpack_decoder *dec, h2_header_arena *arena,
                              const uint8_t *in, size_t n, size_t *consumed)
{
    /* The whole available part of the string at once. */
    uint32_t count = dec->str_remaining;
    uint32_t used = 0u;
    h2_status status;

    if ((size_t)count > n) {
        count = (uint32_t)n;
    }
    status = string_chunk(dec, arena, in, count, &used);
    if (status != H2_OK) {
        return status;
    }
    dec->str_remaining -= used;
    *consumed = used;
    if (dec->str_remaining == 0u) {
        return string_end(dec, arena);
    }
    return H2_OK;
}

/*@ assigns \nothing;
    ensures \result <= REPR_NEVER;
    ensures byte >= 128 ==> \result == REPR_INDEXED;
    ensures 64 <= byte < 128 ==> \result == REPR_INCREMENTAL;
    ensures 16 <= byte < 32 ==> \result == REPR_NEVER;
    ensures byte < 16 ==> \result == REPR_WITHOUT;
*/
static uint8_t repr_of(uint8_t byte)
{
    /* RFC 7541 section 6: 1xxxxxxx indexed, 01xxxxxx with incremental
     * indexing, 0001xxxx never indexed, 0000xxxx without indexing (001xxxxx,
     * a size update, is handled before). */
    if (byte >= 128u) {
        return REPR_INDEXED;
    }
    if (byte >= 64u) {
        return REPR_INCREMENTAL;
    }
    if (byte >= 16u) {
        return REPR_NEVER;
    }
    return REPR_WITHOUT;
}

/*@ requires repr <= REPR_NEVER;
    assigns \nothing;
    ensures \result == 15 || \result == 63 || \result == 127;
    ensures repr == REPR_INDEXED ==> \result == 127;
    ensures repr == REPR_INCREMENTAL ==> \result == 63;
*/
static uint32_t prefix_max_of(uint8_t repr)
{
    /* 2^N - 1 for the N-bit prefix of the representation's index. */
    if (repr == REPR_INDEXED) {
        return 127u;
    }
    if (repr == REPR_INCREMENTAL) {
        return 63u;
    }
    return 15u;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && boundary_ok(dec, arena);
    requires dec->phase == PH_START;
    requires 32 <= byte < 64;
    assigns dec->table.count, dec->table.size, dec->table.max_size,
            dec->update_required, dec->phase, dec->int_value, dec->int_count;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures arena_ok(arena);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE;
*/
static h2_status size_update_byte(h2_hpack_decoder *dec,
                                  h2_header_arena *arena, uint8_t byte)
{
    /* 001xxxxx: dynamic table size update, only before the first field of
     * a block (RFC 7541 section 4.2). */
    uint32_t value = (uint32_t)byte - 32u;

    if (dec->block_start == 0u) {
        return H2_E_COMPRESSION;
    }
    if (value == 31u) {
        dec->int_value = value;
        dec->int_count = 0u;
        dec->phase = PH_SIZE;
        return H2_OK;
    }
    return size_update(dec, arena, value);
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && boundary_ok(dec, arena);
    requires dec->phase == PH_START;
    requires byte < 32 || byte >= 64;
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_HPACK_INVALID_INDEX;
*/
static h2_status field_byte(h2_hpack_decoder *dec, h2_header_arena *arena,
                            uint8_t byte)
{
    /* The first byte of a field: its representation and the prefix of its
     * index (of the field, or of its name; 0 for a literal name). */
    uint8_t repr = repr_of(byte);
    uint32_t prefix_max = prefix_max_of(repr);
    uint32_t value = (uint32_t)byte % (prefix_max + 1u);

    field_begin(dec, arena, repr);
    if (value == prefix_max) {
        dec->int_value = value;
        dec->int_count = 0u;
        dec->phase = (repr == REPR_INDEXED) ? PH_INDEX : PH_NAME_INDEX;
        return H2_OK;
    }
    if (repr == REPR_INDEXED) {
        return indexed_field(dec, arena, value);
    }
    return indexed_name(dec, arena, value);
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && parse_ok(dec, arena);
    requires dec->phase == PH_START;
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_INDEX ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE;
*/
static h2_status start_byte(h2_hpack_decoder *dec, h2_header_arena *arena,
                            uint8_t byte)
{
    if (byte >= 32u && byte < 64u) {
        return size_update_byte(dec, arena, byte);
    }
    if (dec->update_required != 0u && dec->block_start != 0u) {
        /* Our smaller limit was acknowledged: the block must open with a
         * size update that fits it. */
        return H2_E_HPACK_INVALID_TABLE_SIZE;
    }
    return field_byte(dec, arena, byte);
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && parse_ok(dec, arena);
    requires dec->phase == PH_NAME_LEN || dec->phase == PH_VALUE_LEN;
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
static h2_status length_byte(h2_hpack_decoder *dec, h2_header_arena *arena,
                             uint8_t byte)
{
    /* H bit, then a 7-bit prefix (RFC 7541 section 5.2). */
    uint32_t value = (uint32_t)byte % 128u;
    dec->huffman = (byte >= 128u) ? 1u : 0u;
    if (value == 127u) {
        dec->int_value = value;
        dec->int_count = 0u;
        dec->phase = (uint8_t)(dec->phase + 1u);
        return H2_OK;
    }
    return string_begin(dec, arena, value);
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && parse_ok(dec, arena);
    requires dec->phase == PH_SIZE || dec->phase == PH_INDEX ||
             dec->phase == PH_NAME_INDEX || dec->phase == PH_NAME_LEN_MORE ||
             dec->phase == PH_VALUE_LEN_MORE;
    assigns *dec, *arena;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_INDEX ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE;
*/
static h2_status int_byte(h2_hpack_decoder *dec, h2_header_arena *arena,
                          uint8_t byte)
{
    int done = 0;

    if (h2_hpack_int_next(&dec->int_value, &dec->int_count, byte, &done) !=
        H2_OK) {
        return H2_E_COMPRESSION;
    }
    if (done == 0) {
        return H2_OK;
    }
    if (dec->phase == PH_SIZE) {
        return size_update(dec, arena, dec->int_value);
    }
    if (dec->phase == PH_INDEX) {
        return indexed_field(dec, arena, dec->int_value);
    }
    if (dec->phase == PH_NAME_INDEX) {
        return indexed_name(dec, arena, dec->int_value);
    }
    return string_begin(dec, arena, dec->int_value);
}

/*@ requires \valid(dec) && \valid(arena) && \valid(consumed);
    requires \separated(dec, arena, consumed);
    requires n >= 1;
    requires \valid_read(in + (0 .. n - 1));
    requires \separated(in + (0 .. n - 1), dec, arena, consumed);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && parse_ok(dec, arena);
    assigns *dec, *arena, *consumed;
    ensures step_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK ==> parse_ok(dec, arena);
    ensures \result == H2_OK ==> 1 <= *consumed <= n;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_INDEX ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE;
*/
static h2_status decode_step(h2_hpack_decoder *dec, h2_header_arena *arena,
                             const uint8_t *in, size_t n, size_t *consumed)
{
    uint8_t phase = dec->phase;

    if (phase == PH_NAME || phase == PH_VALUE) {
        return string_bytes(dec, arena, in, n, consumed);
    }
    *consumed = 1u;
    if (phase == PH_START) {
        return start_byte(dec, arena, in[0]);
    }
    if (phase == PH_NAME_LEN || phase == PH_VALUE_LEN) {
        return length_byte(dec, arena, in[0]);
    }
    return int_byte(dec, arena, in[0]);
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    requires arena_ok(arena) && parse_ok(dec, arena);
    assigns dec->failed, dec->block_start, dec->oversized, arena->used,
            arena->count;
    ensures dec_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE ||
            \result == H2_E_HPACK_HEADER_LIST_TOO_LARGE;
    ensures \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE ==> dec->failed != 0;
    ensures \result == H2_E_HPACK_HEADER_LIST_TOO_LARGE ==>
            arena->used == 0 && arena->count == 0;
*/
static h2_status block_end(h2_hpack_decoder *dec, h2_header_arena *arena)
{
    if (dec->phase != PH_START) {
        /* The block ends inside a representation. */
        return decoder_fail(dec, H2_E_COMPRESSION);
    }
    if (dec->update_required != 0u && dec->block_start != 0u) {
        /* A block without representations still had to carry it. */
        return decoder_fail(dec, H2_E_HPACK_INVALID_TABLE_SIZE);
    }
    dec->block_start = 1u;
    if (dec->oversized != 0u) {
        dec->oversized = 0u;
        arena->used = 0u;
        arena->count = 0u;
        return H2_E_HPACK_HEADER_LIST_TOO_LARGE;
    }
    return H2_OK;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

/*@ requires \valid(dec);
    assigns *dec;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures dec->failed == 0 && dec->phase == PH_START;
    ensures dec->table_size_limit == INITIAL_TABLE_LIMIT;
    ensures dec->table.max_size == INITIAL_TABLE_LIMIT;
    ensures dec->table.count == 0;
    ensures dec->max_header_list_size ==
            (max_header_list_size < H2_HEADER_ARENA_CAPACITY
                 ? max_header_list_size : H2_HEADER_ARENA_CAPACITY);
*/
void h2_hpack_decoder_init(h2_hpack_decoder *dec,
                           uint32_t max_header_list_size)
{
    h2_hpack_table_init(&dec->table, INITIAL_TABLE_LIMIT);
    dec->table_size_limit = INITIAL_TABLE_LIMIT;
    dec->max_header_list_size =
        (max_header_list_size < H2_HEADER_ARENA_CAPACITY)
            ? max_header_list_size
            : H2_HEADER_ARENA_CAPACITY;
    dec->int_value = 0u;
    dec->str_remaining = 0u;
    dec->field_start = 0u;
    dec->field_limit = 0u;
    dec->name_len = 0u;
    dec->int_count = 0u;
    dec->phase = PH_START;
    dec->repr = REPR_INDEXED;
    dec->huffman = 0u;
    dec->keep = 0u;
    dec->block_start = 1u;
    dec->update_required = 0u;
    dec->oversized = 0u;
    dec->failed = FAIL_NONE;
    dec->checked = 0u;
    dec->block_inserts = 0u;
    h2_huffman_decoder_init(&dec->huff);
}

/*@ requires \valid(dec);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    assigns dec->table_size_limit, dec->update_required;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures limit > H2_HPACK_TABLE_CAPACITY ==>
            \result == H2_E_INVALID_ARGUMENT &&
            dec->table_size_limit == \old(dec->table_size_limit) &&
            dec->update_required == \old(dec->update_required);
    ensures limit <= H2_HPACK_TABLE_CAPACITY ==>
            \result == H2_OK && dec->table_size_limit == limit;
    ensures limit < dec->table.max_size ==> dec->update_required == 1;
*/
h2_status h2_hpack_decoder_set_table_size_limit(h2_hpack_decoder *dec,
                                                uint32_t limit)
{
    if (limit > H2_HPACK_TABLE_CAPACITY) {
        return H2_E_INVALID_ARGUMENT;
    }
    dec->table_size_limit = limit;
    /* Sticky until a size update arrives: when the limit dropped and rose
     * again, the encoder still has to signal the smaller one (RFC 7541
     * section 4.2). */
    if (limit < dec->table.max_size) {
        dec->update_required = 1u;
    }
    return H2_OK;
}

/*@ requires \valid(dec);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    assigns dec->max_header_list_size;
    ensures dec_base(dec) && h2_hpack_table_ok(&dec->table);
    ensures dec->max_header_list_size ==
            (size < H2_HEADER_ARENA_CAPACITY ? size : H2_HEADER_ARENA_CAPACITY);
*/
void h2_hpack_decoder_set_max_header_list_size(h2_hpack_decoder *dec,
                                               uint32_t size)
{
    /* Takes effect from the next field; the invariant only needs the
     * arena's capacity, so a change mid-block is safe. */
    dec->max_header_list_size =
        (size < H2_HEADER_ARENA_CAPACITY) ? size : H2_HEADER_ARENA_CAPACITY;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires dec_base(dec) && h2_hpack_table_ok(&dec->table);
    assigns dec->phase, dec->block_start, dec->oversized, dec->keep,
            dec->field_start, dec->field_limit, dec->name_len,
            dec->int_count, dec->block_inserts, arena->used, arena->count;
    ensures dec_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures arena->used == 0 && arena->count == 0;
    ensures dec->failed == \old(dec->failed);
    ensures dec->block_inserts == 0;
*/
void h2_hpack_decoder_begin_block(h2_hpack_decoder *dec,
                                  h2_header_arena *arena)
{
    arena->used = 0u;
    arena->count = 0u;
    dec->phase = PH_START;
    dec->block_start = 1u;
    dec->oversized = 0u;
    dec->keep = 0u;
    dec->field_start = 0u;
    dec->field_limit = 0u;
    dec->name_len = 0u;
    dec->int_count = 0u;
    dec->block_inserts = 0u;
}

/*@ requires \valid(dec);
    requires h2_hpack_table_ok(&dec->table);
    assigns dec->entry_checked[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1],
            dec->block_inserts;
    ensures dec->block_inserts == 0;
*/
void h2_hpack_decoder_block_checked(h2_hpack_decoder *dec)
{
    /* Entries are added as the newest, and one too large for the table
     * empties it: the newest min(inserts, count) entries are this
     * block's. */
    uint32_t n = (dec->block_inserts < dec->table.count) ? dec->block_inserts
                                                         : dec->table.count;
    uint32_t i;

    /*@ loop invariant 0 <= i <= n;
        loop assigns i,
                dec->entry_checked[0 .. H2_HPACK_TABLE_MAX_ENTRIES - 1];
        loop variant n - i;
    */
    for (i = 0u; i < n; i++) {
        dec->entry_checked[h2_hpack_table_slot(&dec->table, i)] = 1u;
    }
    dec->block_inserts = 0u;
}

/*@ requires \valid(dec) && \valid(arena) && \separated(dec, arena);
    requires \valid_read(in + (0 .. in_len - 1));
    requires \separated(in + (0 .. in_len - 1), dec, arena);
    requires dec_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    assigns *dec, *arena;
    ensures dec_ok(dec, arena) && h2_hpack_table_ok(&dec->table);
    ensures arena->used <= H2_HEADER_ARENA_CAPACITY;
    ensures arena->count <= H2_HEADER_ARENA_FIELDS;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_INDEX ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE ||
            \result == H2_E_HPACK_HEADER_LIST_TOO_LARGE;
    ensures \old(dec->failed) != 0 ==> \result != H2_OK &&
            \result != H2_E_HPACK_HEADER_LIST_TOO_LARGE;
    ensures \result == H2_E_COMPRESSION ||
            \result == H2_E_HPACK_INVALID_INDEX ||
            \result == H2_E_HPACK_INVALID_TABLE_SIZE ==> dec->failed != 0;
    ensures \result == H2_E_HPACK_HEADER_LIST_TOO_LARGE ==>
            arena->used == 0 && arena->count == 0;
*/
h2_status h2_hpack_decode(h2_hpack_decoder *dec, h2_header_arena *arena,
                          const uint8_t *in, size_t in_len, int end_of_block)
{
    size_t pos = 0u;

    if (dec->failed != FAIL_NONE) {
        return decoder_failure(dec);
    }
    /*@ loop invariant 0 <= pos <= in_len;
        loop invariant dec_base(dec) && h2_hpack_table_ok(&dec->table);
        loop invariant arena_ok(arena) && parse_ok(dec, arena);
        loop assigns pos, *dec, *arena;
        loop variant in_len - pos;
    */
    while (pos < in_len) {
        size_t consumed = 0u;
        h2_status status =
            decode_step(dec, arena, &in[pos], in_len - pos, &consumed);
        if (status != H2_OK) {
            return decoder_fail(dec, status);
        }
        pos += consumed;
    }
    if (end_of_block != 0) {
        return block_end(dec, arena);
    }
    return H2_OK;
}
