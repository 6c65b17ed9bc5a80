/*
 * libh2 HPACK Huffman code (RFC 7541 section 5.2, Appendix B).
 *
 * Decoding walks the code tree 4 bits at a time with the state machine of
 * h2_huffman_table.h, so a string may arrive split anywhere. Encoding keeps
 * the bits not yet written in an accumulator. Both use only arithmetic on
 * table values (no variable shifts) and never rely on the tables' contents
 * for memory safety: every value loaded is bounded by its type or by an
 * explicit reduction.
 */
#include "h2_hpack.h"

#include "h2_hpack_internal.h"
#include "h2_huffman_table.h"

/* h2_huffman_flags values. */
#define H2_HUFFMAN_FLAG_EMIT 1u
#define H2_HUFFMAN_FLAG_FAIL 2u

/* Powers of two for the encoder's accumulator arithmetic. */
static const uint64_t h2_huffman_pow2[32] = {
    1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u,
    256u, 512u, 1024u, 2048u, 4096u, 8192u, 16384u, 32768u,
    65536u, 131072u, 262144u, 524288u,
    1048576u, 2097152u, 4194304u, 8388608u,
    16777216u, 33554432u, 67108864u, 134217728u,
    268435456u, 536870912u, 1073741824u, 2147483648u,
};

/*@ // Code length of one symbol. Lengths are 5 to 30; the reduction modulo
    // 32 bounds them without relying on the table's contents.
    logic integer h2_huffman_len(integer sym) =
        h2_huffman_code_len[sym] % 32;

    // Bounds of products of a value below 2^7 (bits left over) and a
    // power of two, stated once so that overflow checks stay linear: the
    // padding of the last byte uses the second. Every goal has the lemmas
    // among its hypotheses, so changing one proves the whole project again.
    lemma h2_huffman_acc_product:
        \forall integer a, b; 0 <= a < 128 ==> 0 <= b < 4294967296 ==>
            0 <= a * b < 128 * 4294967296;
    lemma h2_huffman_pad_product:
        \forall integer a, b; 0 <= a < 128 ==> 0 <= b < 256 ==>
            0 <= a * b < 128 * 256;

    // Bits of the Huffman encoding of in[0..n), before padding.
    logic integer h2_huffman_bits{L}(uint8_t *in, integer n) =
        n <= 0 ? 0 : h2_huffman_bits{L}(in, n - 1) + h2_huffman_len(in[n - 1]);
*/

/*@ requires \valid(dec);
    assigns *dec;
    ensures dec->state == 0 && dec->accept == 1;
*/
void h2_huffman_decoder_init(h2_huffman_decoder *dec)
{
    dec->state = 0u;
    dec->accept = 1u;
}

/* Table lookups of the decoder, one entry of [state * 16 + nibble] each.
 * Kept apart so that the contents of the 4096-entry tables enter only
 * these small proofs; the decoder itself needs just the value types. */

/*@ requires index < 4096;
    assigns \nothing;
*/
static uint8_t h2_huffman_next_state(uint32_t index)
{
    return h2_huffman_next[index];
}

/*@ requires index < 4096;
    assigns \nothing;
*/
static uint8_t h2_huffman_flag(uint32_t index)
{
    return h2_huffman_flags[index];
}

/*@ requires index < 4096;
    assigns \nothing;
*/
static uint8_t h2_huffman_symbol(uint32_t index)
{
    return h2_huffman_sym[index];
}

/* The decoder's position inside one call: its node of the code tree and
 * the count of bytes decoded so far. */
typedef struct h2_huffman_walk {
    size_t n;
    uint8_t state;
} h2_huffman_walk;

/* h2_huffman_feed results. */
#define H2_HUFFMAN_FED 0u
#define H2_HUFFMAN_EOS 1u
#define H2_HUFFMAN_FULL 2u

/*
 * Moves the walk by 4 bits, storing a completed symbol at out[walk->n]
 * unless out is NULL. Stops (H2_HUFFMAN_FULL, walk unchanged) when a symbol
 * completes but out[0..cap) is full. Without an output nothing is stored;
 * only a count that no longer fits a size_t stops the walk.
 */
/*@ requires \valid(walk);
    requires nibble < 16;
    requires out != \null ==> walk->n <= cap;
    requires out != \null ==> \valid(out + (0 .. cap - 1));
    requires out != \null ==> \separated(walk, out + (0 .. cap - 1));
    assigns walk->n, walk->state, out[0 .. cap - 1];
    ensures out != \null ==> walk->n <= cap;
    ensures walk->n <= \old(walk->n) + 1;
    ensures \result <= H2_HUFFMAN_FULL;
*/
static uint32_t h2_huffman_feed(h2_huffman_walk *walk, uint32_t nibble,
                                uint8_t *out, size_t cap)
{
    size_t limit = (out != NULL) ? cap : SIZE_MAX;
    uint32_t index = (uint32_t)walk->state * 16u + nibble;
    uint8_t flag = h2_huffman_flag(index);

    if (flag == H2_HUFFMAN_FLAG_FAIL) {
        return H2_HUFFMAN_EOS;
    }
    if (flag == H2_HUFFMAN_FLAG_EMIT) {
        if (walk->n >= limit) {
            return H2_HUFFMAN_FULL;
        }
        if (out != NULL) {
            out[walk->n] = h2_huffman_symbol(index);
        }
        walk->n++;
    }
    walk->state = h2_huffman_next_state(index);
    return H2_HUFFMAN_FED;
}

/*
 * One nibble of h2_huffman_feed_all: as h2_huffman_feed, without the test
 * for a full output (the caller has room for the symbol). Returns 0, the
 * walk unchanged, when the nibble fails the code.
 */
/*@ requires \valid(walk);
    requires nibble < 16;
    requires walk->n < SIZE_MAX;
    requires \valid(out + walk->n);
    requires \separated(walk, out + walk->n);
    assigns walk->n, walk->state, out[walk->n];
    ensures \result == 0 || \result == 1;
    ensures \result == 0 ==> walk->n == \old(walk->n);
    ensures walk->n <= \old(walk->n) + 1;
*/
static int h2_huffman_feed_unchecked(h2_huffman_walk *walk, uint32_t nibble,
                                     uint8_t *out)
{
    uint32_t index = (uint32_t)walk->state * 16u + nibble;
    uint8_t flag = h2_huffman_flag(index);

    if (flag == H2_HUFFMAN_FLAG_FAIL) {
        return 0;
    }
    if (flag == H2_HUFFMAN_FLAG_EMIT) {
        out[walk->n] = h2_huffman_symbol(index);
        walk->n++;
    }
    walk->state = h2_huffman_next_state(index);
    return 1;
}

/*
 * The walk of h2_huffman_feed over all of in[0..in_len) when out has room
 * for two symbols per input byte, the most a byte can complete (codes
 * have at least 5 bits): no test for a full output. Stops at the first
 * nibble that fails (H2_HUFFMAN_EOS, the walk as before that nibble).
 */
/*@ requires \valid(walk);
    requires walk->n == 0;
    requires \valid_read(in + (0 .. in_len - 1));
    requires in_len <= SIZE_MAX / 2;
    requires \valid(out + (0 .. 2 * in_len - 1));
    requires \separated(walk, out + (0 .. 2 * in_len - 1));
    assigns walk->n, walk->state, out[0 .. 2 * in_len - 1];
    ensures walk->n <= 2 * in_len;
    ensures \result == H2_HUFFMAN_FED || \result == H2_HUFFMAN_EOS;
*/
static uint32_t h2_huffman_feed_all(h2_huffman_walk *walk, const uint8_t *in,
                                    size_t in_len, uint8_t *out)
{
    /* A local walk, which the compiler keeps in registers. */
    h2_huffman_walk local;
    uint32_t result = H2_HUFFMAN_FED;
    size_t i;

    local.n = 0;
    local.state = walk->state;
    /*@ loop invariant 0 <= i <= in_len;
        loop invariant local.n <= 2 * i;
        loop invariant result == H2_HUFFMAN_FED;
        loop assigns i, local, result, out[0 .. 2 * in_len - 1];
        loop variant in_len - i;
    */
    for (i = 0; i < in_len; i++) {
        /* Read once (the compiler must assume that a store to out may
         * change in[i]); high nibble first, as in decode_step. */
        uint32_t byte = in[i];
        int fed = h2_huffman_feed_unchecked(&local, byte / 16u, out);
        //@ assert local.n <= 2 * i + 1;
        if (fed != 0) {
            fed = h2_huffman_feed_unchecked(&local, byte % 16u, out);
        }
        if (fed == 0) {
            result = H2_HUFFMAN_EOS;
            break;
        }
    }
    walk->n = local.n;
    walk->state = local.state;
    return result;
}

/*@ requires \valid(dec) && \valid(out_len);
    requires \valid_read(in + (0 .. in_len - 1));
    requires out != \null ==> \valid(out + (0 .. cap - 1));
    requires \separated(dec, out_len);
    requires out != \null ==>
             \separated(out + (0 .. cap - 1), dec, out_len, in + (0 .. in_len - 1));
    assigns *dec, *out_len, out[0 .. cap - 1];
    ensures out != \null ==> *out_len <= cap;
    ensures *out_len <= 2 * in_len;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_BUFFER_TOO_SMALL;
*/
h2_status h2_huffman_decode_step(h2_huffman_decoder *dec, const uint8_t *in,
                                 size_t in_len, uint8_t *out, size_t cap,
                                 size_t *out_len)
{
    h2_huffman_walk walk;
    uint32_t fed = H2_HUFFMAN_FED;
    size_t i;

    walk.n = 0;
    walk.state = dec->state;
    if (out != NULL && in_len <= cap / 2u) {
        fed = h2_huffman_feed_all(&walk, in, in_len, out);
    } else {
        /*@ loop invariant 0 <= i <= in_len;
            loop invariant out != \null ==> walk.n <= cap;
            loop invariant walk.n <= 2 * i;
            loop assigns i, walk, fed, out[0 .. cap - 1];
            loop variant in_len - i;
        */
        for (i = 0; i < in_len; i++) {
            /* High nibble first: codes are read from the most significant
             * bit. */
            fed = h2_huffman_feed(&walk, (uint32_t)in[i] / 16u, out, cap);
            if (fed == H2_HUFFMAN_FED) {
                fed = h2_huffman_feed(&walk, (uint32_t)in[i] % 16u, out, cap);
            }
            if (fed != H2_HUFFMAN_FED) {
                break;
            }
        }
    }
    *out_len = walk.n;
    dec->state = walk.state;
    dec->accept = 0u;
    if (fed == H2_HUFFMAN_EOS) {
        return H2_E_COMPRESSION;
    }
    if (fed == H2_HUFFMAN_FULL) {
        return H2_E_BUFFER_TOO_SMALL;
    }
    dec->accept = h2_huffman_accept[walk.state];
    return H2_OK;
}

/*@ requires \valid_read(dec);
    assigns \nothing;
    ensures \result == H2_OK <==>
            (dec->state == 0 || h2_huffman_accept[dec->state] != 0);
    ensures \result == H2_OK || \result == H2_E_COMPRESSION;
*/
h2_status h2_huffman_decode_finish(const h2_huffman_decoder *dec)
{
    /* The bits after the last symbol must be a prefix of EOS (all ones)
     * shorter than a byte: exactly the accepting nodes. */
    if (dec->state == 0u || h2_huffman_accept[dec->state] != 0u) {
        return H2_OK;
    }
    return H2_E_COMPRESSION;
}

/*@ requires \valid(out_len);
    requires \valid_read(in + (0 .. in_len - 1));
    requires out != \null ==> \valid(out + (0 .. cap - 1));
    requires out != \null ==>
             \separated(out + (0 .. cap - 1), out_len, in + (0 .. in_len - 1));
    assigns *out_len, out[0 .. cap - 1];
    ensures out != \null ==> *out_len <= cap;
    ensures *out_len <= 2 * in_len;
    ensures \result == H2_OK || \result == H2_E_COMPRESSION ||
            \result == H2_E_BUFFER_TOO_SMALL;
*/
h2_status h2_huffman_decode(const uint8_t *in, size_t in_len, uint8_t *out,
                            size_t cap, size_t *out_len)
{
    h2_huffman_decoder dec;
    h2_status status;

    h2_huffman_decoder_init(&dec);
    status = h2_huffman_decode_step(&dec, in, in_len, out, cap, out_len);
    if (status != H2_OK) {
        return status;
    }
    return h2_huffman_decode_finish(&dec);
}

/*@ requires in_len <= SIZE_MAX / 4;
    requires \valid_read(in + (0 .. in_len - 1));
    assigns \nothing;
    ensures \result == (h2_huffman_bits(in, in_len) + 7) / 8;
    ensures \result <= 4 * in_len;
    // Prefixes never encode longer than the whole: lets callers bound the
    // bytes written so far by the total.
    ensures \forall integer j; 0 <= j <= in_len ==>
            h2_huffman_bits(in, j) <= h2_huffman_bits(in, in_len);
*/
size_t h2_huffman_encoded_length(const uint8_t *in, size_t in_len)
{
    /* Whole bytes and leftover bits, so that no sum can overflow. */
    size_t bytes = 0;
    uint32_t pending = 0;
    size_t i;

    /*@ loop invariant 0 <= i <= in_len;
        loop invariant pending < 8;
        loop invariant bytes * 8 + pending == h2_huffman_bits(in, i);
        loop invariant bytes * 8 + pending <= 31 * i;
        loop invariant \forall integer j; 0 <= j <= i ==>
                       h2_huffman_bits(in, j) <= h2_huffman_bits(in, i);
        loop assigns i, bytes, pending;
        loop variant in_len - i;
    */
    for (i = 0; i < in_len; i++) {
        uint32_t total = pending + (uint32_t)h2_huffman_code_len[in[i]] % 32u;
        bytes += total / 8u;
        pending = total % 8u;
    }
    return bytes + (pending + 7u) / 8u;
}

/*@ requires in_len <= SIZE_MAX / 4;
    requires \valid_read(in + (0 .. in_len - 1));
    requires \valid(out + (0 .. cap - 1));
    requires \separated(out + (0 .. cap - 1), in + (0 .. in_len - 1));
    assigns out[0 .. cap - 1];
    ensures \result <= cap || \result == SIZE_MAX;
    ensures \result <= cap ==>
            \result == (\old(h2_huffman_bits(in, in_len)) + 7) / 8;
    // The code fits whenever it is at most cap bytes, given what
    // h2_huffman_encoded_length ensures of its prefixes.
    ensures (\forall integer j; 0 <= j <= in_len ==>
             \old(h2_huffman_bits(in, j)) <= \old(h2_huffman_bits(in, in_len))) &&
            (\old(h2_huffman_bits(in, in_len)) + 7) / 8 <= cap ==>
            \result == (\old(h2_huffman_bits(in, in_len)) + 7) / 8;
*/
size_t h2_huffman_encode_within(const uint8_t *in, size_t in_len,
                                uint8_t *out, size_t cap)
{
    /* Bits not yet written, right-aligned: fewer than 32 between symbols,
     * written four bytes at a time. */
    uint64_t acc = 0;
    uint32_t nbits = 0;
    size_t w = 0;
    size_t total;
    size_t i;

    /*@ loop invariant 0 <= i <= in_len;
        loop invariant nbits < 32;
        loop invariant acc < 4294967296;
        loop invariant w * 8 + nbits == h2_huffman_bits{Pre}(in, i);
        loop invariant w * 8 + nbits <= 31 * i;
        loop invariant w <= cap;
        loop assigns i, acc, nbits, w, out[0 .. cap - 1];
        loop variant in_len - i;
    */
    for (i = 0; i < in_len; i++) {
        uint32_t len = (uint32_t)h2_huffman_code_len[in[i]] % 32u;
        /* A code has at most 30 bits, so the reductions change nothing;
         * they bound the factors for the overflow checks. */
        uint64_t scale = h2_huffman_pow2[len] % 4294967296u;
        //@ assert acc <= 4294967295 && scale <= 4294967295;
        //@ assert 0 <= acc * scale;
        //@ assert acc * scale <= 4294967295 * scale;
        //@ assert 4294967295 * scale <= 4294967295 * 4294967295;
        //@ assert acc * scale + h2_huffman_code[in[i]] <= 18446744073709551615;
        acc = acc * scale + h2_huffman_code[in[i]];
        nbits += len;
        if (nbits >= 32u) {
            uint64_t unit = h2_huffman_pow2[nbits - 32u] % 4294967296u;
            uint64_t top;
            if (unit == 0u) {
                unit = 1u; /* never taken: states the divisor is not 0 */
            }
            if (cap - w < 4u) {
                /* At least w + 4 bytes, more than cap. */
                //@ assert h2_huffman_bits{Pre}(in, i + 1) > 8 * cap;
                return SIZE_MAX;
            }
            top = acc / unit;
            out[w] = (uint8_t)(top / 16777216u % 256u);
            out[w + 1u] = (uint8_t)(top / 65536u % 256u);
            out[w + 2u] = (uint8_t)(top / 256u % 256u);
            out[w + 3u] = (uint8_t)(top % 256u);
            acc %= unit;
            nbits -= 32u;
            w += 4u;
        }
        /* Fewer than 32 bits remain, so acc < 2^32 already. */
        acc %= 4294967296u;
    }
    //@ assert w * 8 <= 31 * in_len;
    total = w + (nbits + 7u) / 8u;
    //@ assert 8 * ((nbits + 7) / 8) <= nbits + 7 < 8 * ((nbits + 7) / 8) + 8;
    //@ assert 8 * total <= h2_huffman_bits{Pre}(in, in_len) + 7 < 8 * total + 8;
    //@ assert total == (h2_huffman_bits{Pre}(in, in_len) + 7) / 8;
    if (total > cap) {
        return SIZE_MAX;
    }
    /*@ loop invariant nbits < 32;
        loop invariant acc < 4294967296;
        loop invariant w * 8 + nbits == h2_huffman_bits{Pre}(in, in_len);
        loop invariant w + (nbits + 7) / 8 == total;
        loop assigns acc, nbits, w, out[0 .. cap - 1];
        loop variant nbits;
    */
    while (nbits >= 8u) {
        uint64_t unit = h2_huffman_pow2[nbits - 8u] % 4294967296u;
        if (unit == 0u) {
            unit = 1u; /* never taken, as above */
        }
        out[w] = (uint8_t)((acc / unit) % 256u);
        acc %= unit;
        nbits -= 8u;
        w++;
    }
    if (nbits != 0u) {
        /* The last nbits (1 to 7) bits: pad with the most significant bits
         * of EOS, all ones. Modulo 256, acc * p + p - 1 is
         * acc * p + p + 255. */
        uint64_t p = h2_huffman_pow2[8u - nbits] % 256u;
        /* Fewer than 8 bits remain, so acc < 2^7 already. */
        acc %= 128u;
        //@ assert acc * p < 128 * 256;
        out[w] = (uint8_t)((acc * p + p + 255u) % 256u);
    }
    return total;
}

/*@ requires in_len <= SIZE_MAX / 4;
    requires \valid_read(in + (0 .. in_len - 1));
    requires \valid(out + (0 .. cap - 1));
    requires \valid(written);
    requires \separated(out + (0 .. cap - 1), written, in + (0 .. in_len - 1));
    requires \separated(written, in + (0 .. in_len - 1));
    assigns *written, out[0 .. cap - 1];
    ensures *written == (\old(h2_huffman_bits(in, in_len)) + 7) / 8;
    ensures \result == H2_OK || \result == H2_E_BUFFER_TOO_SMALL;
    ensures \result == H2_OK <==> *written <= cap;
    ensures \result == H2_E_BUFFER_TOO_SMALL ==>
            \forall integer k; 0 <= k < cap ==> out[k] == \old(out[k]);
*/
h2_status h2_huffman_encode(const uint8_t *in, size_t in_len, uint8_t *out,
                            size_t cap, size_t *written)
{
    size_t needed = h2_huffman_encoded_length(in, in_len);

    *written = needed;
    if (needed > cap) {
        return H2_E_BUFFER_TOO_SMALL;
    }
    (void)h2_huffman_encode_within(in, in_len, out, needed);
    return H2_OK;
}
