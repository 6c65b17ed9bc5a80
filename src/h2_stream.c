/*
 * libh2 stream layer: the RFC 9113 section 5.1 state machine as one table,
 * a fixed pool of stream slots indexed by an open-addressing hash table,
 * and a ring of recently closed streams.
 */
#include "h2_stream.h"

#define INDEX_SIZE H2_STREAM_INDEX_SIZE
#define STREAM_WINDOW_MAX 2147483647u

/* ------------------------------------------------------------------ */
/* The state machine                                                   */
/* ------------------------------------------------------------------ */

typedef struct stream_cell {
    uint8_t verdict; /* h2_stream_verdict */
    uint8_t next;    /* h2_stream_state: where OK leads */
} stream_cell;

/* Cell makers: "to" moves (or stays) on OK; the refusals keep the state,
 * so they name it again. */
#define TO(state) { H2_STREAM_OK, state }
#define LOCAL(here) { H2_STREAM_LOCAL_ERROR, here }
#define CLOSED(here) { H2_STREAM_ERROR_CLOSED, here }
#define PROTO(here) { H2_STREAM_ERROR_PROTOCOL, here }
#define IGNORE(here) { H2_STREAM_IGNORE, here }

/*
 * RFC 9113 section 5.1, one row per state. The PUSH_PROMISE inputs apply
 * to the promised stream, which must be idle (5.1.1): in any other state a
 * promise of it is our mistake or the peer's PROTOCOL_ERROR. Closed-stream
 * and stream-identifier rules that need the connection's history (a stream
 * we reset versus one that ended, ids below the highest used) are the
 * connection's; this table is only the per-stream machine.
 */
static const stream_cell stream_table[H2_STREAM_STATE_COUNT][H2_STREAM_INPUT_COUNT] = {
    /* idle: HEADERS opens, a promise reserves, PRIORITY is allowed; any
     * other frame received is a connection error PROTOCOL_ERROR. */
    [H2_STREAM_IDLE] = {
        [H2_SEND_HEADERS] = TO(H2_STREAM_OPEN),
        [H2_SEND_PUSH_PROMISE] = TO(H2_STREAM_RESERVED_LOCAL),
        [H2_SEND_DATA] = LOCAL(H2_STREAM_IDLE),
        [H2_SEND_END_STREAM] = LOCAL(H2_STREAM_IDLE),
        [H2_SEND_RST_STREAM] = LOCAL(H2_STREAM_IDLE),
        [H2_SEND_WINDOW_UPDATE] = LOCAL(H2_STREAM_IDLE),
        [H2_SEND_PRIORITY] = TO(H2_STREAM_IDLE),
        [H2_RECV_HEADERS] = TO(H2_STREAM_OPEN),
        [H2_RECV_PUSH_PROMISE] = TO(H2_STREAM_RESERVED_REMOTE),
        [H2_RECV_DATA] = PROTO(H2_STREAM_IDLE),
        [H2_RECV_END_STREAM] = PROTO(H2_STREAM_IDLE),
        [H2_RECV_RST_STREAM] = PROTO(H2_STREAM_IDLE),
        [H2_RECV_WINDOW_UPDATE] = PROTO(H2_STREAM_IDLE),
        [H2_RECV_PRIORITY] = TO(H2_STREAM_IDLE),
    },
    /* reserved (local): we may send HEADERS (the pushed response), RST or
     * PRIORITY; the peer may send RST, PRIORITY or WINDOW_UPDATE. */
    [H2_STREAM_RESERVED_LOCAL] = {
        [H2_SEND_HEADERS] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_SEND_PUSH_PROMISE] = LOCAL(H2_STREAM_RESERVED_LOCAL),
        [H2_SEND_DATA] = LOCAL(H2_STREAM_RESERVED_LOCAL),
        [H2_SEND_END_STREAM] = LOCAL(H2_STREAM_RESERVED_LOCAL),
        [H2_SEND_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_SEND_WINDOW_UPDATE] = LOCAL(H2_STREAM_RESERVED_LOCAL),
        [H2_SEND_PRIORITY] = TO(H2_STREAM_RESERVED_LOCAL),
        [H2_RECV_HEADERS] = PROTO(H2_STREAM_RESERVED_LOCAL),
        [H2_RECV_PUSH_PROMISE] = PROTO(H2_STREAM_RESERVED_LOCAL),
        [H2_RECV_DATA] = PROTO(H2_STREAM_RESERVED_LOCAL),
        [H2_RECV_END_STREAM] = PROTO(H2_STREAM_RESERVED_LOCAL),
        [H2_RECV_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_WINDOW_UPDATE] = TO(H2_STREAM_RESERVED_LOCAL),
        [H2_RECV_PRIORITY] = TO(H2_STREAM_RESERVED_LOCAL),
    },
    /* reserved (remote): the peer's HEADERS starts the pushed response;
     * we may send RST, WINDOW_UPDATE or PRIORITY. */
    [H2_STREAM_RESERVED_REMOTE] = {
        [H2_SEND_HEADERS] = LOCAL(H2_STREAM_RESERVED_REMOTE),
        [H2_SEND_PUSH_PROMISE] = LOCAL(H2_STREAM_RESERVED_REMOTE),
        [H2_SEND_DATA] = LOCAL(H2_STREAM_RESERVED_REMOTE),
        [H2_SEND_END_STREAM] = LOCAL(H2_STREAM_RESERVED_REMOTE),
        [H2_SEND_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_SEND_WINDOW_UPDATE] = TO(H2_STREAM_RESERVED_REMOTE),
        [H2_SEND_PRIORITY] = TO(H2_STREAM_RESERVED_REMOTE),
        [H2_RECV_HEADERS] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_RECV_PUSH_PROMISE] = PROTO(H2_STREAM_RESERVED_REMOTE),
        [H2_RECV_DATA] = PROTO(H2_STREAM_RESERVED_REMOTE),
        [H2_RECV_END_STREAM] = PROTO(H2_STREAM_RESERVED_REMOTE),
        [H2_RECV_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_WINDOW_UPDATE] = PROTO(H2_STREAM_RESERVED_REMOTE),
        [H2_RECV_PRIORITY] = TO(H2_STREAM_RESERVED_REMOTE),
    },
    /* open: every frame both ways (HEADERS again: 1xx or trailers);
     * END_STREAM half-closes the sending side, RST closes. */
    [H2_STREAM_OPEN] = {
        [H2_SEND_HEADERS] = TO(H2_STREAM_OPEN),
        [H2_SEND_PUSH_PROMISE] = LOCAL(H2_STREAM_OPEN),
        [H2_SEND_DATA] = TO(H2_STREAM_OPEN),
        [H2_SEND_END_STREAM] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_SEND_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_SEND_WINDOW_UPDATE] = TO(H2_STREAM_OPEN),
        [H2_SEND_PRIORITY] = TO(H2_STREAM_OPEN),
        [H2_RECV_HEADERS] = TO(H2_STREAM_OPEN),
        [H2_RECV_PUSH_PROMISE] = PROTO(H2_STREAM_OPEN),
        [H2_RECV_DATA] = TO(H2_STREAM_OPEN),
        [H2_RECV_END_STREAM] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_RECV_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_WINDOW_UPDATE] = TO(H2_STREAM_OPEN),
        [H2_RECV_PRIORITY] = TO(H2_STREAM_OPEN),
    },
    /* half-closed (local): we send only WINDOW_UPDATE, PRIORITY, RST; we
     * receive anything, and the peer's END_STREAM closes. */
    [H2_STREAM_HALF_CLOSED_LOCAL] = {
        [H2_SEND_HEADERS] = LOCAL(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_SEND_PUSH_PROMISE] = LOCAL(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_SEND_DATA] = LOCAL(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_SEND_END_STREAM] = LOCAL(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_SEND_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_SEND_WINDOW_UPDATE] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_SEND_PRIORITY] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_RECV_HEADERS] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_RECV_PUSH_PROMISE] = PROTO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_RECV_DATA] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_RECV_END_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_WINDOW_UPDATE] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
        [H2_RECV_PRIORITY] = TO(H2_STREAM_HALF_CLOSED_LOCAL),
    },
    /* half-closed (remote): we send anything and our END_STREAM closes;
     * the peer may send WINDOW_UPDATE, PRIORITY, RST, and anything else
     * is a stream error STREAM_CLOSED. */
    [H2_STREAM_HALF_CLOSED_REMOTE] = {
        [H2_SEND_HEADERS] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_SEND_PUSH_PROMISE] = LOCAL(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_SEND_DATA] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_SEND_END_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_SEND_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_SEND_WINDOW_UPDATE] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_SEND_PRIORITY] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_RECV_HEADERS] = CLOSED(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_RECV_PUSH_PROMISE] = PROTO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_RECV_DATA] = CLOSED(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_RECV_END_STREAM] = CLOSED(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_RECV_RST_STREAM] = TO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_WINDOW_UPDATE] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
        [H2_RECV_PRIORITY] = TO(H2_STREAM_HALF_CLOSED_REMOTE),
    },
    /* closed: only PRIORITY may be sent. WINDOW_UPDATE and RST_STREAM
     * still in flight from the peer are dropped; other frames are
     * STREAM_CLOSED, and a promise of a closed stream PROTOCOL_ERROR. */
    [H2_STREAM_STATE_CLOSED] = {
        [H2_SEND_HEADERS] = LOCAL(H2_STREAM_STATE_CLOSED),
        [H2_SEND_PUSH_PROMISE] = LOCAL(H2_STREAM_STATE_CLOSED),
        [H2_SEND_DATA] = LOCAL(H2_STREAM_STATE_CLOSED),
        [H2_SEND_END_STREAM] = LOCAL(H2_STREAM_STATE_CLOSED),
        [H2_SEND_RST_STREAM] = LOCAL(H2_STREAM_STATE_CLOSED),
        [H2_SEND_WINDOW_UPDATE] = LOCAL(H2_STREAM_STATE_CLOSED),
        [H2_SEND_PRIORITY] = TO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_HEADERS] = CLOSED(H2_STREAM_STATE_CLOSED),
        [H2_RECV_PUSH_PROMISE] = PROTO(H2_STREAM_STATE_CLOSED),
        [H2_RECV_DATA] = CLOSED(H2_STREAM_STATE_CLOSED),
        [H2_RECV_END_STREAM] = CLOSED(H2_STREAM_STATE_CLOSED),
        [H2_RECV_RST_STREAM] = IGNORE(H2_STREAM_STATE_CLOSED),
        [H2_RECV_WINDOW_UPDATE] = IGNORE(H2_STREAM_STATE_CLOSED),
        [H2_RECV_PRIORITY] = TO(H2_STREAM_STATE_CLOSED),
    },
};

#undef TO
#undef LOCAL
#undef CLOSED
#undef PROTO
#undef IGNORE

/*@ requires H2_STREAM_IDLE <= state < H2_STREAM_STATE_COUNT;
    requires H2_SEND_HEADERS <= input < H2_STREAM_INPUT_COUNT;
    requires \valid(next);
    assigns *next;
    ensures H2_STREAM_OK <= \result <= H2_STREAM_IGNORE;
    ensures H2_STREAM_IDLE <= *next < H2_STREAM_STATE_COUNT;
    ensures \result != H2_STREAM_OK ==> *next == state;
*/
h2_stream_verdict h2_stream_transition(h2_stream_state state,
                                       h2_stream_input input,
                                       h2_stream_state *next)
{
    const stream_cell *cell = &stream_table[state][input];
    /* Naming each row and column lets the provers check the table cell by
     * cell. */
    /*@ assert state == H2_STREAM_IDLE || state == H2_STREAM_RESERVED_LOCAL ||
               state == H2_STREAM_RESERVED_REMOTE || state == H2_STREAM_OPEN ||
               state == H2_STREAM_HALF_CLOSED_LOCAL ||
               state == H2_STREAM_HALF_CLOSED_REMOTE ||
               state == H2_STREAM_STATE_CLOSED;
    */
    /*@ assert input == H2_SEND_HEADERS || input == H2_SEND_PUSH_PROMISE ||
               input == H2_SEND_DATA || input == H2_SEND_END_STREAM ||
               input == H2_SEND_RST_STREAM || input == H2_SEND_WINDOW_UPDATE ||
               input == H2_SEND_PRIORITY || input == H2_RECV_HEADERS ||
               input == H2_RECV_PUSH_PROMISE || input == H2_RECV_DATA ||
               input == H2_RECV_END_STREAM || input == H2_RECV_RST_STREAM ||
               input == H2_RECV_WINDOW_UPDATE || input == H2_RECV_PRIORITY;
    */
    *next = (h2_stream_state)cell->next;
    return (h2_stream_verdict)cell->verdict;
}

/*@ requires \valid(s);
    requires s->state < H2_STREAM_STATE_COUNT;
    requires H2_SEND_HEADERS <= input < H2_STREAM_INPUT_COUNT;
    assigns s->state;
    ensures H2_STREAM_OK <= \result <= H2_STREAM_IGNORE;
    ensures s->state < H2_STREAM_STATE_COUNT;
    ensures \result != H2_STREAM_OK ==> s->state == \old(s->state);
*/
h2_stream_verdict h2_stream_apply(h2_stream *s, h2_stream_input input)
{
    h2_stream_state next;
    h2_stream_verdict verdict =
        h2_stream_transition((h2_stream_state)s->state, input, &next);
    s->state = (uint8_t)next;
    return verdict;
}

/* ------------------------------------------------------------------ */
/* The pool                                                            */
/* ------------------------------------------------------------------ */

/*
 * Fibonacci hashing: the id times 2^32 / golden ratio, whose low 32 bits
 * scaled to the index. A peer's consecutive ids (and ours, of the other
 * parity) land far apart instead of in one run of buckets, so the run
 * that closing a stream walks stays a bucket or two long.
 */
/*@ assigns \nothing;
    ensures \result < INDEX_SIZE;
*/
static uint32_t stream_hash(uint32_t id)
{
    uint64_t mixed = ((uint64_t)id * 2654435769u) % 4294967296u;
    return (uint32_t)((mixed * INDEX_SIZE) / 4294967296u);
}

/*@ requires k < INDEX_SIZE;
    assigns \nothing;
    ensures \result < INDEX_SIZE;
    ensures \result == (k + 1 < INDEX_SIZE ? k + 1 : 0);
*/
static uint32_t bucket_after(uint32_t k)
{
    return k + 1u < INDEX_SIZE ? k + 1u : 0u;
}

/* Probe steps from bucket `from` forward (cyclically) to bucket `to`. */
/*@ requires from < INDEX_SIZE && to < INDEX_SIZE;
    assigns \nothing;
    ensures \result < INDEX_SIZE;
*/
static uint32_t bucket_distance(uint32_t from, uint32_t to)
{
    return (to + INDEX_SIZE - from) % INDEX_SIZE;
}

/*
 * The first empty bucket probing from home. The caller knows one exists
 * (bucket_order[used] while a slot is free), so the probe cannot run dry.
 */
/*@ requires \valid_read(pool) && home < INDEX_SIZE;
    requires \exists integer k; 0 <= k < INDEX_SIZE && pool->index[k] == 0;
    assigns \nothing;
    ensures \result < INDEX_SIZE && pool->index[\result] == 0;
*/
static uint32_t index_first_empty(const h2_stream_pool *pool, uint32_t home)
{
    uint32_t pos = home;
    uint32_t step;
    /*@ loop invariant 0 <= step <= INDEX_SIZE;
        loop invariant pos == (home + step < INDEX_SIZE ?
                               home + step : home + step - INDEX_SIZE);
        loop invariant \forall integer k; 0 <= k < INDEX_SIZE &&
            ((home <= k < home + step) || k < home + step - INDEX_SIZE) ==>
            pool->index[k] != 0;
        loop assigns step, pos;
        loop variant INDEX_SIZE - step;
    */
    for (step = 0u; step < INDEX_SIZE; step++) {
        if (pool->index[pos] == 0u) {
            return pos;
        }
        pos = bucket_after(pos);
    }
    /* Every bucket was probed and none is empty: excluded by the caller. */
    /*@ assert \false; */
    return home;
}

/*
 * The steps below each keep the pool's invariant. Each is small so that
 * its proof stays cheap; the facts are checked one by one at the end.
 */

/* Swaps two empty buckets' places in bucket_order (both at or past used). */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires pool->used <= a < INDEX_SIZE && pool->used <= b < INDEX_SIZE;
    assigns pool->bucket_order[a], pool->bucket_order[b],
            pool->bucket_pos[pool->bucket_order[a]],
            pool->bucket_pos[pool->bucket_order[b]];
    ensures h2_stream_pool_ok(pool);
    ensures pool->bucket_order[a] == \old(pool->bucket_order[b]);
    ensures pool->bucket_order[b] == \old(pool->bucket_order[a]);
*/
static void buckets_swap_free(h2_stream_pool *pool, uint32_t a, uint32_t b)
{
    uint16_t at_a = pool->bucket_order[a];
    uint16_t at_b = pool->bucket_order[b];
    pool->bucket_order[a] = at_b;
    pool->bucket_order[b] = at_a;
    pool->bucket_pos[at_b] = (uint16_t)a;
    pool->bucket_pos[at_a] = (uint16_t)b;
    /*@ assert pool->used <= H2_MAX_STREAMS; */
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
    /*@ assert h2_stream_closed_ok(pool); */
}

/*@ predicate aligned_swapped{L}(h2_stream_pool *p, integer a, integer b) =
        \forall integer i; 0 <= i < INDEX_SIZE ==>
            (i < p->used ==>
                p->index[p->bucket_order[i]] ==
                p->slot_order[i == a ? b : (i == b ? a : i)] + 1) &&
            (i >= p->used ==> p->index[p->bucket_order[i]] == 0);
*/

/*
 * Swaps two in-use places (both below used) in both orders, in two halves:
 * first bucket_order, which leaves the two places crossed...
 */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires a < pool->used && b < pool->used;
    assigns pool->bucket_order[a], pool->bucket_order[b],
            pool->bucket_pos[pool->bucket_order[a]],
            pool->bucket_pos[pool->bucket_order[b]];
    ensures pool->used <= H2_MAX_STREAMS;
    ensures h2_stream_slots_perm(pool) && h2_stream_buckets_perm(pool);
    ensures h2_stream_index_bound(pool) && h2_stream_slots_ok(pool);
    ensures h2_stream_closed_ok(pool);
    ensures aligned_swapped(pool, a, b);
    ensures pool->bucket_order[b] == \old(pool->bucket_order[a]);
*/
static void buckets_swap_used(h2_stream_pool *pool, uint32_t a, uint32_t b)
{
    uint16_t at_a = pool->bucket_order[a];
    uint16_t at_b = pool->bucket_order[b];
    pool->bucket_order[a] = at_b;
    pool->bucket_order[b] = at_a;
    pool->bucket_pos[at_b] = (uint16_t)a;
    pool->bucket_pos[at_a] = (uint16_t)b;
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert aligned_swapped(pool, a, b); */
    /*@ assert h2_stream_closed_ok(pool); */
}

/* ...then slot_order, which aligns them again. */
/*@ requires \valid(pool) && pool->used <= H2_MAX_STREAMS;
    requires h2_stream_slots_perm(pool) && h2_stream_buckets_perm(pool);
    requires h2_stream_index_bound(pool) && h2_stream_slots_ok(pool);
    requires h2_stream_closed_ok(pool);
    requires a < pool->used && b < pool->used;
    requires aligned_swapped(pool, a, b);
    assigns pool->slot_order[a], pool->slot_order[b],
            pool->slot_pos[pool->slot_order[a]],
            pool->slot_pos[pool->slot_order[b]];
    ensures h2_stream_pool_ok(pool);
    ensures pool->slot_order[b] == \old(pool->slot_order[a]);
    ensures pool->bucket_order[b] == \old(pool->bucket_order[b]);
*/
static void slots_swap_used(h2_stream_pool *pool, uint32_t a, uint32_t b)
{
    uint16_t at_a = pool->slot_order[a];
    uint16_t at_b = pool->slot_order[b];
    pool->slot_order[a] = at_b;
    pool->slot_order[b] = at_a;
    pool->slot_pos[at_b] = (uint16_t)a;
    pool->slot_pos[at_a] = (uint16_t)b;
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
}

/* The first free slot and the first empty bucket in the orders become
 * used: the slot is indexed at that bucket under id. */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires pool->used < H2_MAX_STREAMS && id > 0;
    assigns pool->index[pool->bucket_order[pool->used]],
            pool->slots[pool->slot_order[pool->used]].id, pool->used;
    ensures h2_stream_pool_ok(pool);
    ensures pool->used == \old(pool->used) + 1;
    ensures pool->slots[\old(pool->slot_order[pool->used])].id == id;
*/
static void stream_occupy(h2_stream_pool *pool, uint32_t id)
{
    uint32_t slot = pool->slot_order[pool->used];
    pool->index[pool->bucket_order[pool->used]] = (uint16_t)(slot + 1u);
    pool->slots[slot].id = id;
    pool->used++;
    /*@ assert pool->used <= H2_MAX_STREAMS; */
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
    /*@ assert h2_stream_closed_ok(pool); */
}

/* The last used slot and bucket in the orders become free. */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires pool->used > 0;
    assigns pool->index[pool->bucket_order[pool->used - 1]],
            pool->slots[pool->slot_order[pool->used - 1]].id, pool->used;
    ensures h2_stream_pool_ok(pool);
    ensures pool->used == \old(pool->used) - 1;
    ensures pool->slots[\old(pool->slot_order[pool->used - 1])].id == 0;
    ensures pool->index[\old(pool->bucket_order[pool->used - 1])] == 0;
*/
static void stream_vacate(h2_stream_pool *pool)
{
    uint32_t last = pool->used - 1u;
    pool->index[pool->bucket_order[last]] = 0u;
    pool->slots[pool->slot_order[last]].id = 0u;
    pool->used = last;
    /*@ assert pool->used <= H2_MAX_STREAMS; */
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
    /*@ assert h2_stream_closed_ok(pool); */
}

/* Moves the entry at bucket j to the empty bucket hole. */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires hole < INDEX_SIZE && j < INDEX_SIZE;
    requires pool->index[hole] == 0 && pool->index[j] != 0;
    assigns pool->bucket_order[pool->bucket_pos[hole]],
            pool->bucket_order[pool->bucket_pos[j]],
            pool->bucket_pos[hole], pool->bucket_pos[j],
            pool->index[hole], pool->index[j];
    ensures h2_stream_pool_ok(pool);
    ensures pool->index[hole] == \old(pool->index[j]);
    ensures pool->index[j] == 0;
*/
static void index_move(h2_stream_pool *pool, uint32_t hole, uint32_t j)
{
    uint16_t from = pool->bucket_pos[j];
    uint16_t to = pool->bucket_pos[hole];
    /*@ assert from < pool->used && to >= pool->used; */
    pool->bucket_order[from] = (uint16_t)hole;
    pool->bucket_order[to] = (uint16_t)j;
    pool->bucket_pos[hole] = from;
    pool->bucket_pos[j] = to;
    pool->index[hole] = pool->index[j];
    pool->index[j] = 0u;
    /*@ assert pool->used <= H2_MAX_STREAMS; */
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
    /*@ assert h2_stream_closed_ok(pool); */
}

/* Sets a slot's fields other than its id. */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires slot < H2_MAX_STREAMS;
    requires send_window <= STREAM_WINDOW_MAX && recv_window <= STREAM_WINDOW_MAX;
    assigns pool->slots[slot].state, pool->slots[slot].flags,
            pool->slots[slot].send_window, pool->slots[slot].recv_window,
            pool->slots[slot].content_length, pool->slots[slot].data_length;
    ensures h2_stream_pool_ok(pool);
    ensures pool->slots[slot].state == H2_STREAM_IDLE;
    ensures pool->slots[slot].flags == 0;
    ensures pool->slots[slot].send_window == send_window;
    ensures pool->slots[slot].recv_window.current == recv_window;
    ensures pool->slots[slot].recv_window.max == recv_window;
    ensures pool->slots[slot].recv_window.processed == 0;
    ensures pool->slots[slot].content_length == 0;
    ensures pool->slots[slot].data_length == 0;
    ensures pool->slots[slot].id == \old(pool->slots[slot].id);
    ensures pool->used == \old(pool->used);
    ensures \forall integer k; 0 <= k < INDEX_SIZE ==>
            pool->index[k] == \old(pool->index[k]);
*/
static void stream_reset(h2_stream_pool *pool, uint32_t slot,
                         uint32_t send_window, uint32_t recv_window)
{
    h2_stream *s = &pool->slots[slot];
    s->state = (uint8_t)H2_STREAM_IDLE;
    s->flags = 0u;
    s->send_window = (int32_t)send_window;
    h2_recv_window_init(&s->recv_window, recv_window);
    s->content_length = 0u;
    s->data_length = 0u;
    /*@ assert pool->used <= H2_MAX_STREAMS; */
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
    /*@ assert h2_stream_closed_ok(pool); */
}

/*@ predicate closed_newest{L}(h2_stream_pool *p, integer id, integer reason) =
        p->closed_ids[(p->closed_next + H2_CLOSED_STREAMS_MEMORY - 1) %
                      H2_CLOSED_STREAMS_MEMORY] == id &&
        p->closed_reasons[(p->closed_next + H2_CLOSED_STREAMS_MEMORY - 1) %
                          H2_CLOSED_STREAMS_MEMORY] == reason;
*/

/* Remembers a closed stream, forgetting the oldest when the ring is full. */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires H2_CLOSED_BY_SEND_END_STREAM <= reason <= H2_CLOSED_BY_RECV_RST_STREAM;
    assigns pool->closed_ids[pool->closed_next],
            pool->closed_reasons[pool->closed_next],
            pool->closed_next, pool->closed_count;
    ensures h2_stream_pool_ok(pool);
    ensures closed_newest(pool, id, reason);
    ensures pool->used == \old(pool->used);
    ensures \forall integer t; 0 <= t < H2_MAX_STREAMS ==>
            pool->slots[t].id == \old(pool->slots[t].id);
*/
static void closed_remember(h2_stream_pool *pool, uint32_t id,
                            h2_close_reason reason)
{
    pool->closed_ids[pool->closed_next] = id;
    pool->closed_reasons[pool->closed_next] = (uint8_t)reason;
    pool->closed_next = (pool->closed_next + 1u) % H2_CLOSED_STREAMS_MEMORY;
    if (pool->closed_count < H2_CLOSED_STREAMS_MEMORY) {
        pool->closed_count++;
    }
    /*@ assert pool->used <= H2_MAX_STREAMS; */
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
    /*@ assert h2_stream_closed_ok(pool); */
}

/*@ requires \valid(pool);
    assigns *pool;
    ensures h2_stream_pool_ok(pool);
    ensures pool->used == 0 && pool->closed_count == 0;
    ensures \forall integer s; 0 <= s < H2_MAX_STREAMS ==>
            pool->slots[s].id == 0;
*/
void h2_stream_pool_init(h2_stream_pool *pool)
{
    uint32_t s;
    uint32_t k;
    uint32_t r;

    pool->used = 0u;
    pool->closed_next = 0u;
    pool->closed_count = 0u;
    /*@ loop invariant 0 <= s <= H2_MAX_STREAMS;
        loop invariant \forall integer t; 0 <= t < s ==>
            pool->slots[t].id == 0 && pool->slots[t].state == H2_STREAM_IDLE &&
            pool->slot_order[t] == t && pool->slot_pos[t] == t;
        loop assigns s, pool->slots[0 .. H2_MAX_STREAMS - 1],
                     pool->slot_order[0 .. H2_MAX_STREAMS - 1],
                     pool->slot_pos[0 .. H2_MAX_STREAMS - 1];
        loop variant H2_MAX_STREAMS - s;
    */
    for (s = 0u; s < H2_MAX_STREAMS; s++) {
        pool->slots[s].id = 0u;
        pool->slots[s].state = (uint8_t)H2_STREAM_IDLE;
        pool->slots[s].flags = 0u;
        pool->slots[s].send_window = 0;
        h2_recv_window_init(&pool->slots[s].recv_window, 0u);
        pool->slots[s].content_length = 0u;
        pool->slots[s].data_length = 0u;
        pool->slot_order[s] = (uint16_t)s;
        pool->slot_pos[s] = (uint16_t)s;
    }
    /*@ loop invariant 0 <= k <= INDEX_SIZE;
        loop invariant \forall integer b; 0 <= b < k ==>
            pool->index[b] == 0 && pool->bucket_order[b] == b &&
            pool->bucket_pos[b] == b;
        loop assigns k, pool->index[0 .. INDEX_SIZE - 1],
                     pool->bucket_order[0 .. INDEX_SIZE - 1],
                     pool->bucket_pos[0 .. INDEX_SIZE - 1];
        loop variant INDEX_SIZE - k;
    */
    for (k = 0u; k < INDEX_SIZE; k++) {
        pool->index[k] = 0u;
        pool->bucket_order[k] = (uint16_t)k;
        pool->bucket_pos[k] = (uint16_t)k;
    }
    /*@ loop invariant 0 <= r <= H2_CLOSED_STREAMS_MEMORY;
        loop invariant \forall integer t; 0 <= t < r ==>
            pool->closed_reasons[t] == 0;
        loop assigns r, pool->closed_ids[0 .. H2_CLOSED_STREAMS_MEMORY - 1],
                     pool->closed_reasons[0 .. H2_CLOSED_STREAMS_MEMORY - 1];
        loop variant H2_CLOSED_STREAMS_MEMORY - r;
    */
    for (r = 0u; r < H2_CLOSED_STREAMS_MEMORY; r++) {
        pool->closed_ids[r] = 0u;
        pool->closed_reasons[r] = 0u;
    }
    /*@ assert h2_stream_closed_ok(pool); */
    /*@ assert h2_stream_slots_perm(pool); */
    /*@ assert h2_stream_buckets_perm(pool); */
    /*@ assert h2_stream_index_bound(pool); */
    /*@ assert h2_stream_slots_ok(pool); */
    /*@ assert h2_stream_aligned(pool); */
}

/* The slot of the stream with this id, plus one; 0 when there is none. */
/*@ requires \valid_read(pool) && h2_stream_pool_ok(pool);
    assigns \nothing;
    ensures 0 <= \result <= H2_MAX_STREAMS;
    ensures \result > 0 ==> pool->slots[\result - 1].id == id;
*/
static uint32_t stream_slot_of(const h2_stream_pool *pool, uint32_t id)
{
    uint32_t pos = stream_hash(id);
    uint32_t step;
    /*@ loop invariant 0 <= step <= INDEX_SIZE && pos < INDEX_SIZE;
        loop assigns step, pos;
        loop variant INDEX_SIZE - step;
    */
    for (step = 0u; step < INDEX_SIZE; step++) {
        uint32_t entry = pool->index[pos];
        if (entry == 0u) {
            /* The probe sequence of id ends at the first empty bucket. */
            return 0u;
        }
        if (pool->slots[entry - 1u].id == id) {
            return entry;
        }
        pos = bucket_after(pos);
    }
    return 0u;
}

/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    assigns \result \from pool, id, pool->index[0 .. INDEX_SIZE - 1],
                          pool->slots[0 .. H2_MAX_STREAMS - 1].id;
    ensures \result == \null ||
            (\exists integer s; 0 <= s < H2_MAX_STREAMS &&
             \result == &pool->slots[s]);
    ensures \result != \null ==>
            \result->id == id && \result->state < H2_STREAM_STATE_COUNT;
*/
h2_stream *h2_stream_find(h2_stream_pool *pool, uint32_t id)
{
    uint32_t slot = stream_slot_of(pool, id);
    return slot == 0u ? (h2_stream *)0 : &pool->slots[slot - 1u];
}

/*@ requires \valid_read(pool) && h2_stream_pool_ok(pool);
    assigns \result \from pool, id, pool->index[0 .. INDEX_SIZE - 1],
                          pool->slots[0 .. H2_MAX_STREAMS - 1].id;
    ensures \result == \null ||
            (\exists integer s; 0 <= s < H2_MAX_STREAMS &&
             \result == &pool->slots[s]);
    ensures \result != \null ==>
            \result->id == id && \result->state < H2_STREAM_STATE_COUNT;
*/
const h2_stream *h2_stream_find_const(const h2_stream_pool *pool, uint32_t id)
{
    uint32_t slot = stream_slot_of(pool, id);
    return slot == 0u ? (const h2_stream *)0 : &pool->slots[slot - 1u];
}

/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires id > 0;
    requires send_window <= STREAM_WINDOW_MAX && recv_window <= STREAM_WINDOW_MAX;
    assigns \result \from pool, pool->used,
                          pool->slot_order[0 .. H2_MAX_STREAMS - 1];
    assigns pool->slots[0 .. H2_MAX_STREAMS - 1],
            pool->index[0 .. INDEX_SIZE - 1],
            pool->bucket_order[0 .. INDEX_SIZE - 1],
            pool->bucket_pos[0 .. INDEX_SIZE - 1],
            pool->used;
    ensures h2_stream_pool_ok(pool);
    ensures \result == \null <==> \old(pool->used) == H2_MAX_STREAMS;
    ensures \result == \null ==> pool->used == \old(pool->used);
    ensures \result != \null ==>
            pool->used == \old(pool->used) + 1 &&
            (\exists integer s; 0 <= s < H2_MAX_STREAMS &&
             \result == &pool->slots[s] && \old(pool->slots[s].id) == 0) &&
            \result->id == id && \result->state == H2_STREAM_IDLE &&
            \result->flags == 0 && \result->send_window == send_window &&
            \result->recv_window.current == recv_window &&
            \result->recv_window.max == recv_window &&
            \result->recv_window.processed == 0 &&
            \result->content_length == 0 && \result->data_length == 0;
*/
h2_stream *h2_stream_create(h2_stream_pool *pool, uint32_t id,
                            uint32_t send_window, uint32_t recv_window)
{
    uint32_t slot;
    uint32_t bucket;

    if (pool->used >= H2_MAX_STREAMS) {
        return (h2_stream *)0;
    }
    slot = pool->slot_order[pool->used];
    /*@ assert slot < H2_MAX_STREAMS && pool->slots[slot].id == 0; */
    /* While a slot is free, bucket_order[used] is an empty bucket. */
    /*@ assert pool->index[pool->bucket_order[pool->used]] == 0; */
    bucket = index_first_empty(pool, stream_hash(id));
    /* The bucket takes the first free place in bucket_order. */
    buckets_swap_free(pool, pool->bucket_pos[bucket], pool->used);
    stream_reset(pool, slot, send_window, recv_window);
    stream_occupy(pool, id);
    return &pool->slots[slot];
}

/*
 * Empties bucket hole, then walks the probe run after it, moving back each
 * entry whose home bucket does not lie between the hole and the entry
 * (backward-shift deletion): every remaining entry stays reachable from its
 * home without tombstones, so probes stay as short as after insertion.
 */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires hole < INDEX_SIZE && pool->index[hole] == 0;
    assigns pool->index[0 .. INDEX_SIZE - 1],
            pool->bucket_order[0 .. INDEX_SIZE - 1],
            pool->bucket_pos[0 .. INDEX_SIZE - 1];
    ensures h2_stream_pool_ok(pool);
*/
static void index_close_gap(h2_stream_pool *pool, uint32_t hole)
{
    uint32_t j = hole;
    uint32_t step;
    /*@ loop invariant 1 <= step <= INDEX_SIZE;
        loop invariant h2_stream_pool_ok(pool);
        loop invariant hole < INDEX_SIZE && pool->index[hole] == 0;
        loop invariant j < INDEX_SIZE;
        loop assigns step, j, hole, pool->index[0 .. INDEX_SIZE - 1],
                     pool->bucket_order[0 .. INDEX_SIZE - 1],
                     pool->bucket_pos[0 .. INDEX_SIZE - 1];
        loop variant INDEX_SIZE - step;
    */
    for (step = 1u; step < INDEX_SIZE; step++) {
        uint32_t entry;
        j = bucket_after(j);
        entry = pool->index[j];
        if (entry == 0u) {
            break;
        }
        /* The hole lies on the entry's probe path: move the entry there. */
        if (bucket_distance(stream_hash(pool->slots[entry - 1u].id), j) >=
            bucket_distance(hole, j)) {
            index_move(pool, hole, j);
            hole = j;
        }
    }
}

/*
 * Takes a used slot and its bucket out of use: they change places in the
 * orders with the last used ones, which then become free. Returns the
 * bucket, now empty.
 */
/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires slot < H2_MAX_STREAMS && pool->slots[slot].id != 0;
    assigns pool->index[0 .. INDEX_SIZE - 1],
            pool->slot_order[0 .. H2_MAX_STREAMS - 1],
            pool->slot_pos[0 .. H2_MAX_STREAMS - 1],
            pool->bucket_order[0 .. INDEX_SIZE - 1],
            pool->bucket_pos[0 .. INDEX_SIZE - 1],
            pool->slots[slot].id, pool->used;
    ensures h2_stream_pool_ok(pool);
    ensures pool->used == \old(pool->used) - 1;
    ensures pool->slots[slot].id == 0;
    ensures \result < INDEX_SIZE && pool->index[\result] == 0;
*/
static uint32_t stream_unlink(h2_stream_pool *pool, uint32_t slot)
{
    uint32_t place = pool->slot_pos[slot];
    uint32_t last;
    uint32_t bucket;
    /*@ assert place < pool->used && pool->slot_order[place] == slot; */
    last = pool->used - 1u;
    bucket = pool->bucket_order[place];
    buckets_swap_used(pool, place, last);
    slots_swap_used(pool, place, last);
    stream_vacate(pool);
    return bucket;
}

/*@ requires \valid(pool) && h2_stream_pool_ok(pool);
    requires \exists integer i; 0 <= i < H2_MAX_STREAMS && s == &pool->slots[i];
    requires s->id != 0;
    requires H2_CLOSED_BY_SEND_END_STREAM <= reason <= H2_CLOSED_BY_RECV_RST_STREAM;
    assigns *pool;
    ensures h2_stream_pool_ok(pool);
    ensures pool->used == \old(pool->used) - 1;
    ensures s->id == 0;
    ensures closed_newest(pool, \old(s->id), reason);
*/
void h2_stream_release(h2_stream_pool *pool, h2_stream *s,
                       h2_close_reason reason)
{
    uint32_t slot = (uint32_t)(s - pool->slots);
    uint32_t id = s->id;
    uint32_t bucket = stream_unlink(pool, slot);
    stream_reset(pool, slot, 0u, 0u);
    index_close_gap(pool, bucket);
    closed_remember(pool, id, reason);
}

/*@ requires \valid_read(pool) && h2_stream_closed_ok(pool);
    requires \valid(reason) && \separated(reason, pool);
    assigns *reason;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==>
            H2_CLOSED_BY_SEND_END_STREAM <= *reason <= H2_CLOSED_BY_RECV_RST_STREAM;
    ensures \result == 1 ==>
            \exists integer r; 0 <= r < H2_CLOSED_STREAMS_MEMORY &&
            pool->closed_ids[r] == id && pool->closed_reasons[r] == *reason;
*/
int h2_stream_closed_reason(const h2_stream_pool *pool, uint32_t id,
                            h2_close_reason *reason)
{
    uint32_t i;
    /* Newest first, should an id ever be remembered twice. */
    /*@ loop invariant 0 <= i <= pool->closed_count;
        loop assigns i;
        loop variant pool->closed_count - i;
    */
    for (i = 0u; i < pool->closed_count; i++) {
        uint32_t pos = (pool->closed_next + H2_CLOSED_STREAMS_MEMORY - 1u - i) %
                       H2_CLOSED_STREAMS_MEMORY;
        if (pool->closed_ids[pos] == id) {
            *reason = (h2_close_reason)pool->closed_reasons[pos];
            return 1;
        }
    }
    return 0;
}
