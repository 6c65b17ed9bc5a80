/*
 * libh2 stream layer (RFC 9113 section 5.1): the stream state machine as
 * one transition table, a fixed pool of stream slots found by identifier in
 * constant expected time, and a bounded memory of recently closed streams.
 */
#ifndef H2_STREAM_H
#define H2_STREAM_H

#include <stdint.h>

#include "h2_config.h"
#include "h2_status.h"
#include "h2_window.h"

/* Streams that can be open (or reserved) at once: the pool's size. A
 * connection never advertises a MAX_CONCURRENT_STREAMS above it. */
#ifndef H2_MAX_STREAMS
#define H2_MAX_STREAMS 128u
#endif
/* Recently closed streams remembered, to tell a late frame on a stream we
 * closed from a frame on a stream that never existed. */
#ifndef H2_CLOSED_STREAMS_MEMORY
#define H2_CLOSED_STREAMS_MEMORY 64u
#endif
/* Open-addressing index over the pool: twice the pool, so probes stay short. */
#define H2_STREAM_INDEX_SIZE (2u * H2_MAX_STREAMS)

#if H2_MAX_STREAMS < 1u || H2_MAX_STREAMS > 32768u
#error "H2_MAX_STREAMS must be between 1 and 32768"
#endif

typedef enum h2_stream_state {
    H2_STREAM_IDLE = 0,
    H2_STREAM_RESERVED_LOCAL,
    H2_STREAM_RESERVED_REMOTE,
    H2_STREAM_OPEN,
    H2_STREAM_HALF_CLOSED_LOCAL,
    H2_STREAM_HALF_CLOSED_REMOTE,
    H2_STREAM_STATE_CLOSED, /* not H2_STREAM_CLOSED: that is the RFC 9113
                               error code in h2_status.h */
    H2_STREAM_STATE_COUNT
} h2_stream_state;

/* What happens to a stream: a frame sent or received. END_STREAM is its
 * own input, applied after the HEADERS or DATA that carried the flag. */
typedef enum h2_stream_input {
    H2_SEND_HEADERS = 0,
    H2_SEND_PUSH_PROMISE, /* on the promised stream */
    H2_SEND_DATA,
    H2_SEND_END_STREAM,
    H2_SEND_RST_STREAM,
    H2_SEND_WINDOW_UPDATE,
    H2_SEND_PRIORITY,
    H2_RECV_HEADERS,
    H2_RECV_PUSH_PROMISE, /* on the promised stream */
    H2_RECV_DATA,
    H2_RECV_END_STREAM,
    H2_RECV_RST_STREAM,
    H2_RECV_WINDOW_UPDATE,
    H2_RECV_PRIORITY,
    H2_STREAM_INPUT_COUNT
} h2_stream_input;

/* The verdict of the table for an input in a state. */
typedef enum h2_stream_verdict {
    H2_STREAM_OK = 0,             /* allowed: move to the next state */
    H2_STREAM_LOCAL_ERROR,        /* our API call is not allowed here
                                     (h2's StreamClosedError/ProtocolError) */
    H2_STREAM_ERROR_CLOSED,       /* peer: stream error STREAM_CLOSED */
    H2_STREAM_ERROR_PROTOCOL,     /* peer: connection error PROTOCOL_ERROR */
    H2_STREAM_IGNORE              /* peer: allowed, state unchanged */
} h2_stream_verdict;

/* How a stream came to be closed (h2's StreamClosedBy). */
typedef enum h2_close_reason {
    H2_CLOSED_BY_SEND_END_STREAM = 0,
    H2_CLOSED_BY_RECV_END_STREAM,
    H2_CLOSED_BY_SEND_RST_STREAM,
    H2_CLOSED_BY_RECV_RST_STREAM
} h2_close_reason;

/* Per-stream flags the connection keeps. */
#define H2_STREAM_F_HEADERS_SENT 0x01u     /* final (non-1xx) headers sent */
#define H2_STREAM_F_HEADERS_RECEIVED 0x02u /* final headers received */
#define H2_STREAM_F_CONTENT_LENGTH 0x04u   /* content_length is set */
#define H2_STREAM_F_HEAD_REQUEST 0x08u     /* response to HEAD: no body */
#define H2_STREAM_F_PUSHED 0x10u           /* a pushed stream */
#define H2_STREAM_F_TRAILERS 0x20u         /* trailers sent or received */

typedef struct h2_stream {
    uint32_t id;                 /* 0: the slot is free */
    uint8_t state;               /* h2_stream_state */
    uint8_t flags;               /* H2_STREAM_F_* */
    int32_t send_window;         /* what we may still send */
    h2_recv_window recv_window;  /* what the peer may still send */
    uint64_t content_length;     /* announced, with H2_STREAM_F_CONTENT_LENGTH */
    uint64_t data_length;        /* DATA payload received so far */
} h2_stream;

typedef struct h2_stream_pool {
    h2_stream slots[H2_MAX_STREAMS];
    uint16_t index[H2_STREAM_INDEX_SIZE]; /* private: slot + 1, 0 = empty */
    /* private: slot_order lists the slots, the `used` in-use ones first;
     * bucket_order lists the index positions, and its first `used` entries
     * are the occupied ones, bucket_order[i] holding slot_order[i]. The
     * *_pos arrays are their inverses. They find a free slot, an empty
     * bucket and a stream's bucket in constant time. */
    uint16_t slot_order[H2_MAX_STREAMS];
    uint16_t slot_pos[H2_MAX_STREAMS];
    uint16_t bucket_order[H2_STREAM_INDEX_SIZE];
    uint16_t bucket_pos[H2_STREAM_INDEX_SIZE];
    uint32_t used;                        /* slots in use */
    uint32_t closed_ids[H2_CLOSED_STREAMS_MEMORY];    /* private */
    uint8_t closed_reasons[H2_CLOSED_STREAMS_MEMORY]; /* private */
    uint32_t closed_next;                 /* private: ring position */
    uint32_t closed_count;                /* private */
} h2_stream_pool;

/*
 * The pool's invariant (ACSL), for the proofs of the functions below and of
 * their callers. Each fact is about single entries, so writes elsewhere in
 * memory leave it intact, and the two permutations show without counting
 * that a free slot and an empty bucket exist whenever used < H2_MAX_STREAMS.
 */
/*@ predicate h2_stream_slots_perm{L}(h2_stream_pool *p) =
        (\forall integer i; 0 <= i < H2_MAX_STREAMS ==>
            p->slot_order[i] < H2_MAX_STREAMS &&
            p->slot_pos[p->slot_order[i]] == i) &&
        (\forall integer s; 0 <= s < H2_MAX_STREAMS ==>
            p->slot_pos[s] < H2_MAX_STREAMS &&
            p->slot_order[p->slot_pos[s]] == s);

    predicate h2_stream_buckets_perm{L}(h2_stream_pool *p) =
        (\forall integer i; 0 <= i < H2_STREAM_INDEX_SIZE ==>
            p->bucket_order[i] < H2_STREAM_INDEX_SIZE &&
            p->bucket_pos[p->bucket_order[i]] == i) &&
        (\forall integer k; 0 <= k < H2_STREAM_INDEX_SIZE ==>
            p->bucket_pos[k] < H2_STREAM_INDEX_SIZE &&
            p->bucket_order[p->bucket_pos[k]] == k);

    predicate h2_stream_aligned{L}(h2_stream_pool *p) =
        \forall integer i; 0 <= i < H2_STREAM_INDEX_SIZE ==>
            (i < p->used ==>
                p->index[p->bucket_order[i]] == p->slot_order[i] + 1) &&
            (i >= p->used ==> p->index[p->bucket_order[i]] == 0);

    predicate h2_stream_index_bound{L}(h2_stream_pool *p) =
        \forall integer k; 0 <= k < H2_STREAM_INDEX_SIZE ==>
            p->index[k] <= H2_MAX_STREAMS;

    predicate h2_stream_slots_ok{L}(h2_stream_pool *p) =
        \forall integer s; 0 <= s < H2_MAX_STREAMS ==>
            p->slots[s].state < H2_STREAM_STATE_COUNT &&
            (p->slots[s].id != 0 <==> p->slot_pos[s] < p->used);

    predicate h2_stream_closed_ok{L}(h2_stream_pool *p) =
        p->closed_next < H2_CLOSED_STREAMS_MEMORY &&
        p->closed_count <= H2_CLOSED_STREAMS_MEMORY &&
        \forall integer r; 0 <= r < H2_CLOSED_STREAMS_MEMORY ==>
            p->closed_reasons[r] <= H2_CLOSED_BY_RECV_RST_STREAM;

    predicate h2_stream_pool_ok{L}(h2_stream_pool *p) =
        p->used <= H2_MAX_STREAMS &&
        h2_stream_slots_perm(p) && h2_stream_buckets_perm(p) &&
        h2_stream_aligned(p) && h2_stream_index_bound(p) &&
        h2_stream_slots_ok(p) && h2_stream_closed_ok(p);
*/

/*
 * The transition table: the verdict for input in state, and the state it
 * leads to (*next; the same state unless the verdict is H2_STREAM_OK).
 */
h2_stream_verdict h2_stream_transition(h2_stream_state state,
                                       h2_stream_input input,
                                       h2_stream_state *next);

/* Applies input to s->state through the table (the state changes only on
 * H2_STREAM_OK). */
h2_stream_verdict h2_stream_apply(h2_stream *s, h2_stream_input input);

/* An empty pool and an empty closed-stream memory. */
void h2_stream_pool_init(h2_stream_pool *pool);

/* The stream with this id (id > 0), or NULL. Expected O(1). */
h2_stream *h2_stream_find(h2_stream_pool *pool, uint32_t id);
const h2_stream *h2_stream_find_const(const h2_stream_pool *pool, uint32_t id);

/*
 * A new stream with this id (id > 0, not in the pool), idle, with the
 * given windows, or NULL (nothing changed) when every slot is in use.
 */
h2_stream *h2_stream_create(h2_stream_pool *pool, uint32_t id,
                            uint32_t send_window, uint32_t recv_window);

/* Frees the stream's slot and remembers its id and why it closed. */
void h2_stream_release(h2_stream_pool *pool, h2_stream *s,
                       h2_close_reason reason);

/* 1 and *reason when id is among the remembered closed streams. */
int h2_stream_closed_reason(const h2_stream_pool *pool, uint32_t id,
                            h2_close_reason *reason);

#endif
