/* Stream layer: the RFC 9113 section 5.1 state machine and the stream pool. */
#include "test_util.h"

/* ------------------------------------------------------------------ */
/* The state machine against the RFC's rules                           */
/* ------------------------------------------------------------------ */

typedef enum frame_kind {
    KIND_HEADERS,
    KIND_PUSH_PROMISE,
    KIND_DATA,
    KIND_END_STREAM,
    KIND_RST_STREAM,
    KIND_WINDOW_UPDATE,
    KIND_PRIORITY
} frame_kind;

typedef struct expectation {
    h2_stream_verdict verdict;
    h2_stream_state next;
} expectation;

static int is_send(h2_stream_input input)
{
    return input <= H2_SEND_PRIORITY;
}

static frame_kind kind_of(h2_stream_input input)
{
    switch (input) {
    case H2_SEND_HEADERS:
    case H2_RECV_HEADERS:
        return KIND_HEADERS;
    case H2_SEND_PUSH_PROMISE:
    case H2_RECV_PUSH_PROMISE:
        return KIND_PUSH_PROMISE;
    case H2_SEND_DATA:
    case H2_RECV_DATA:
        return KIND_DATA;
    case H2_SEND_END_STREAM:
    case H2_RECV_END_STREAM:
        return KIND_END_STREAM;
    case H2_SEND_RST_STREAM:
    case H2_RECV_RST_STREAM:
        return KIND_RST_STREAM;
    case H2_SEND_WINDOW_UPDATE:
    case H2_RECV_WINDOW_UPDATE:
        return KIND_WINDOW_UPDATE;
    default:
        return KIND_PRIORITY;
    }
}

static expectation allow(h2_stream_state next)
{
    expectation e = { H2_STREAM_OK, next };
    return e;
}

/* A frame the state does not permit: our own call is refused; from the
 * peer it is the given error. */
static expectation refuse(h2_stream_state state, h2_stream_input input,
                          h2_stream_verdict peer_error)
{
    expectation e;
    e.verdict = is_send(input) ? H2_STREAM_LOCAL_ERROR : peer_error;
    e.next = state;
    return e;
}

/*
 * RFC 9113 section 5.1, written as its rules rather than as a table: what
 * happens to a stream in state when input happens.
 */
static expectation rfc_expect(h2_stream_state state, h2_stream_input input)
{
    int send = is_send(input);
    frame_kind kind = kind_of(input);

    /* "PRIORITY can be sent and received in any stream state." */
    if (kind == KIND_PRIORITY) {
        return allow(state);
    }
    /* A promise reserves an idle stream (5.1); promising a stream that is
     * not idle breaks 5.1.1. */
    if (kind == KIND_PUSH_PROMISE) {
        if (state == H2_STREAM_IDLE) {
            return allow(send ? H2_STREAM_RESERVED_LOCAL : H2_STREAM_RESERVED_REMOTE);
        }
        return refuse(state, input, H2_STREAM_ERROR_PROTOCOL);
    }
    /* RST_STREAM closes any stream that exists; on an idle stream it is a
     * PROTOCOL_ERROR; one still in flight after close is dropped. */
    if (kind == KIND_RST_STREAM) {
        if (state == H2_STREAM_IDLE) {
            return refuse(state, input, H2_STREAM_ERROR_PROTOCOL);
        }
        if (state == H2_STREAM_STATE_CLOSED) {
            return send ? refuse(state, input, H2_STREAM_ERROR_PROTOCOL)
                        : (expectation){ H2_STREAM_IGNORE, state };
        }
        return allow(H2_STREAM_STATE_CLOSED);
    }
    switch (state) {
    case H2_STREAM_IDLE:
        /* Only HEADERS (and PRIORITY) are allowed. */
        if (kind == KIND_HEADERS) {
            return allow(H2_STREAM_OPEN);
        }
        return refuse(state, input, H2_STREAM_ERROR_PROTOCOL);
    case H2_STREAM_RESERVED_LOCAL:
        /* We send HEADERS; the peer may send WINDOW_UPDATE. */
        if (send && kind == KIND_HEADERS) {
            return allow(H2_STREAM_HALF_CLOSED_REMOTE);
        }
        if (!send && kind == KIND_WINDOW_UPDATE) {
            return allow(state);
        }
        return refuse(state, input, H2_STREAM_ERROR_PROTOCOL);
    case H2_STREAM_RESERVED_REMOTE:
        /* The peer sends HEADERS; we may send WINDOW_UPDATE. */
        if (!send && kind == KIND_HEADERS) {
            return allow(H2_STREAM_HALF_CLOSED_LOCAL);
        }
        if (send && kind == KIND_WINDOW_UPDATE) {
            return allow(state);
        }
        return refuse(state, input, H2_STREAM_ERROR_PROTOCOL);
    case H2_STREAM_OPEN:
        /* Anything goes; END_STREAM half-closes the sender's side. */
        if (kind == KIND_END_STREAM) {
            return allow(send ? H2_STREAM_HALF_CLOSED_LOCAL : H2_STREAM_HALF_CLOSED_REMOTE);
        }
        return allow(state);
    case H2_STREAM_HALF_CLOSED_LOCAL:
        if (send) {
            /* We may send only WINDOW_UPDATE (besides PRIORITY, RST). */
            if (kind == KIND_WINDOW_UPDATE) {
                return allow(state);
            }
            return refuse(state, input, H2_STREAM_ERROR_PROTOCOL);
        }
        /* We receive anything; the peer's END_STREAM closes. */
        return allow(kind == KIND_END_STREAM ? H2_STREAM_STATE_CLOSED : state);
    case H2_STREAM_HALF_CLOSED_REMOTE:
        if (send) {
            /* We send anything; our END_STREAM closes. */
            return allow(kind == KIND_END_STREAM ? H2_STREAM_STATE_CLOSED : state);
        }
        /* From the peer only WINDOW_UPDATE: the rest is STREAM_CLOSED. */
        if (kind == KIND_WINDOW_UPDATE) {
            return allow(state);
        }
        return refuse(state, input, H2_STREAM_ERROR_CLOSED);
    default:
        /* closed: we send nothing but PRIORITY; a late WINDOW_UPDATE is
         * dropped; other frames are STREAM_CLOSED. */
        if (send) {
            return refuse(state, input, H2_STREAM_ERROR_PROTOCOL);
        }
        if (kind == KIND_WINDOW_UPDATE) {
            return (expectation){ H2_STREAM_IGNORE, state };
        }
        return refuse(state, input, H2_STREAM_ERROR_CLOSED);
    }
}

static void test_every_transition_follows_the_rfc(void **state)
{
    int s;
    int i;
    int checked = 0;
    (void)state;
    for (s = 0; s < H2_STREAM_STATE_COUNT; s++) {
        for (i = 0; i < H2_STREAM_INPUT_COUNT; i++) {
            expectation want = rfc_expect((h2_stream_state)s, (h2_stream_input)i);
            h2_stream_state next = (h2_stream_state)99;
            h2_stream_verdict got =
                h2_stream_transition((h2_stream_state)s, (h2_stream_input)i, &next);
            if (got != want.verdict || next != want.next) {
                fail_msg("state %d input %d: got verdict %d next %d, want %d %d",
                         s, i, (int)got, (int)next, (int)want.verdict, (int)want.next);
            }
            if (got != H2_STREAM_OK) {
                assert_int_equal(next, s);
            }
            checked++;
        }
    }
    assert_int_equal(checked, 7 * 14);
}

static void test_apply_changes_state_only_on_ok(void **state)
{
    int s;
    int i;
    (void)state;
    for (s = 0; s < H2_STREAM_STATE_COUNT; s++) {
        for (i = 0; i < H2_STREAM_INPUT_COUNT; i++) {
            h2_stream st;
            expectation want = rfc_expect((h2_stream_state)s, (h2_stream_input)i);
            memset(&st, 0, sizeof st);
            st.state = (uint8_t)s;
            assert_int_equal(h2_stream_apply(&st, (h2_stream_input)i), want.verdict);
            assert_int_equal(st.state, want.verdict == H2_STREAM_OK ? want.next
                                                                    : (h2_stream_state)s);
        }
    }
}

/* Applies inputs in order, each expected to be allowed, and checks the
 * state after each. */
static void run_path(h2_stream *st, const h2_stream_input *inputs,
                     const h2_stream_state *states, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++) {
        assert_int_equal(h2_stream_apply(st, inputs[k]), H2_STREAM_OK);
        assert_int_equal(st->state, states[k]);
    }
}

static void test_client_request_response_lifecycle(void **state)
{
    /* A GET with END_STREAM on its HEADERS, a 103 Early Hints, the
     * response with a body, then trailers that end it (RFC 9113 8.8). */
    static const h2_stream_input inputs[] = {
        H2_SEND_HEADERS, H2_SEND_END_STREAM, H2_RECV_HEADERS, H2_RECV_HEADERS,
        H2_SEND_WINDOW_UPDATE, H2_RECV_DATA, H2_RECV_DATA, H2_RECV_HEADERS,
        H2_RECV_END_STREAM
    };
    static const h2_stream_state states[] = {
        H2_STREAM_OPEN, H2_STREAM_HALF_CLOSED_LOCAL, H2_STREAM_HALF_CLOSED_LOCAL,
        H2_STREAM_HALF_CLOSED_LOCAL, H2_STREAM_HALF_CLOSED_LOCAL,
        H2_STREAM_HALF_CLOSED_LOCAL, H2_STREAM_HALF_CLOSED_LOCAL,
        H2_STREAM_HALF_CLOSED_LOCAL, H2_STREAM_STATE_CLOSED
    };
    h2_stream st;
    (void)state;
    memset(&st, 0, sizeof st);
    run_path(&st, inputs, states, sizeof inputs / sizeof inputs[0]);
    /* After the close: a late WINDOW_UPDATE is dropped, DATA is an error,
     * and we may send nothing but PRIORITY. */
    assert_int_equal(h2_stream_apply(&st, H2_RECV_WINDOW_UPDATE), H2_STREAM_IGNORE);
    assert_int_equal(h2_stream_apply(&st, H2_RECV_DATA), H2_STREAM_ERROR_CLOSED);
    assert_int_equal(h2_stream_apply(&st, H2_SEND_DATA), H2_STREAM_LOCAL_ERROR);
    assert_int_equal(h2_stream_apply(&st, H2_SEND_PRIORITY), H2_STREAM_OK);
    assert_int_equal(st.state, H2_STREAM_STATE_CLOSED);
}

static void test_server_request_response_lifecycle(void **state)
{
    /* A POST with a body, answered while the request still streams. */
    static const h2_stream_input inputs[] = {
        H2_RECV_HEADERS, H2_RECV_DATA, H2_SEND_HEADERS, H2_SEND_DATA,
        H2_RECV_DATA, H2_RECV_END_STREAM, H2_SEND_DATA, H2_SEND_HEADERS,
        H2_SEND_END_STREAM
    };
    static const h2_stream_state states[] = {
        H2_STREAM_OPEN, H2_STREAM_OPEN, H2_STREAM_OPEN, H2_STREAM_OPEN,
        H2_STREAM_OPEN, H2_STREAM_HALF_CLOSED_REMOTE, H2_STREAM_HALF_CLOSED_REMOTE,
        H2_STREAM_HALF_CLOSED_REMOTE, H2_STREAM_STATE_CLOSED
    };
    h2_stream st;
    (void)state;
    memset(&st, 0, sizeof st);
    run_path(&st, inputs, states, sizeof inputs / sizeof inputs[0]);
}

static void test_half_closed_remote_refuses_peer_frames(void **state)
{
    h2_stream st;
    (void)state;
    memset(&st, 0, sizeof st);
    st.state = H2_STREAM_HALF_CLOSED_REMOTE;
    assert_int_equal(h2_stream_apply(&st, H2_RECV_DATA), H2_STREAM_ERROR_CLOSED);
    assert_int_equal(h2_stream_apply(&st, H2_RECV_HEADERS), H2_STREAM_ERROR_CLOSED);
    assert_int_equal(h2_stream_apply(&st, H2_RECV_WINDOW_UPDATE), H2_STREAM_OK);
    assert_int_equal(st.state, H2_STREAM_HALF_CLOSED_REMOTE);
    assert_int_equal(h2_stream_apply(&st, H2_RECV_RST_STREAM), H2_STREAM_OK);
    assert_int_equal(st.state, H2_STREAM_STATE_CLOSED);
}

static void test_push_lifecycle(void **state)
{
    /* Server side: promise, pushed response, body, end. */
    static const h2_stream_input server_inputs[] = {
        H2_SEND_PUSH_PROMISE, H2_RECV_PRIORITY, H2_RECV_WINDOW_UPDATE,
        H2_SEND_HEADERS, H2_SEND_DATA, H2_SEND_END_STREAM
    };
    static const h2_stream_state server_states[] = {
        H2_STREAM_RESERVED_LOCAL, H2_STREAM_RESERVED_LOCAL, H2_STREAM_RESERVED_LOCAL,
        H2_STREAM_HALF_CLOSED_REMOTE, H2_STREAM_HALF_CLOSED_REMOTE,
        H2_STREAM_STATE_CLOSED
    };
    /* Client side of the same push. */
    static const h2_stream_input client_inputs[] = {
        H2_RECV_PUSH_PROMISE, H2_SEND_WINDOW_UPDATE, H2_RECV_HEADERS,
        H2_RECV_DATA, H2_RECV_END_STREAM
    };
    static const h2_stream_state client_states[] = {
        H2_STREAM_RESERVED_REMOTE, H2_STREAM_RESERVED_REMOTE,
        H2_STREAM_HALF_CLOSED_LOCAL, H2_STREAM_HALF_CLOSED_LOCAL,
        H2_STREAM_STATE_CLOSED
    };
    h2_stream st;
    (void)state;
    memset(&st, 0, sizeof st);
    run_path(&st, server_inputs, server_states,
             sizeof server_inputs / sizeof server_inputs[0]);
    memset(&st, 0, sizeof st);
    run_path(&st, client_inputs, client_states,
             sizeof client_inputs / sizeof client_inputs[0]);

    /* A reserved stream carries no DATA before its HEADERS. */
    st.state = H2_STREAM_RESERVED_LOCAL;
    assert_int_equal(h2_stream_apply(&st, H2_SEND_DATA), H2_STREAM_LOCAL_ERROR);
    assert_int_equal(h2_stream_apply(&st, H2_RECV_DATA), H2_STREAM_ERROR_PROTOCOL);
    st.state = H2_STREAM_RESERVED_REMOTE;
    assert_int_equal(h2_stream_apply(&st, H2_RECV_DATA), H2_STREAM_ERROR_PROTOCOL);
    assert_int_equal(h2_stream_apply(&st, H2_RECV_WINDOW_UPDATE), H2_STREAM_ERROR_PROTOCOL);
    assert_int_equal(st.state, H2_STREAM_RESERVED_REMOTE);
}

static void test_rst_stream_from_each_state(void **state)
{
    static const struct {
        h2_stream_state from;
        h2_stream_verdict send;
        h2_stream_verdict recv;
    } cases[] = {
        { H2_STREAM_IDLE, H2_STREAM_LOCAL_ERROR, H2_STREAM_ERROR_PROTOCOL },
        { H2_STREAM_RESERVED_LOCAL, H2_STREAM_OK, H2_STREAM_OK },
        { H2_STREAM_RESERVED_REMOTE, H2_STREAM_OK, H2_STREAM_OK },
        { H2_STREAM_OPEN, H2_STREAM_OK, H2_STREAM_OK },
        { H2_STREAM_HALF_CLOSED_LOCAL, H2_STREAM_OK, H2_STREAM_OK },
        { H2_STREAM_HALF_CLOSED_REMOTE, H2_STREAM_OK, H2_STREAM_OK },
        { H2_STREAM_STATE_CLOSED, H2_STREAM_LOCAL_ERROR, H2_STREAM_IGNORE },
    };
    size_t k;
    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        h2_stream st;
        h2_stream_state after;
        memset(&st, 0, sizeof st);
        st.state = (uint8_t)cases[k].from;
        after = cases[k].send == H2_STREAM_OK ? H2_STREAM_STATE_CLOSED : cases[k].from;
        assert_int_equal(h2_stream_apply(&st, H2_SEND_RST_STREAM), cases[k].send);
        assert_int_equal(st.state, after);
        st.state = (uint8_t)cases[k].from;
        after = cases[k].recv == H2_STREAM_OK ? H2_STREAM_STATE_CLOSED : cases[k].from;
        assert_int_equal(h2_stream_apply(&st, H2_RECV_RST_STREAM), cases[k].recv);
        assert_int_equal(st.state, after);
    }
}

/* ------------------------------------------------------------------ */
/* The pool                                                            */
/* ------------------------------------------------------------------ */

static h2_stream_pool pool;
static h2_stream_pool pool_copy;

static h2_stream *create_ok(uint32_t id)
{
    h2_stream *s = h2_stream_create(&pool, id, 65535u, 1000u + id % 7u);
    assert_non_null(s);
    assert_int_equal(s->id, id);
    return s;
}

static void test_create_find_release(void **state)
{
    h2_stream *a;
    h2_stream *b;
    h2_close_reason reason;
    (void)state;
    h2_stream_pool_init(&pool);
    assert_null(h2_stream_find(&pool, 1));
    assert_null(h2_stream_find(&pool, 0));
    assert_int_equal(h2_stream_closed_reason(&pool, 1, &reason), 0);

    a = h2_stream_create(&pool, 1, 65535u, 100000u);
    assert_non_null(a);
    assert_int_equal(a->id, 1);
    assert_int_equal(a->state, H2_STREAM_IDLE);
    assert_int_equal(a->flags, 0);
    assert_int_equal(a->send_window, 65535);
    assert_int_equal(a->recv_window.current, 100000);
    assert_int_equal(a->recv_window.max, 100000u);
    assert_int_equal(a->recv_window.processed, 0u);
    assert_true(a->content_length == 0u && a->data_length == 0u);
    assert_int_equal(pool.used, 1);

    b = h2_stream_create(&pool, 3, 0x7fffffffu, 0x7fffffffu);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(b->send_window, 0x7fffffff);
    assert_ptr_equal(h2_stream_find(&pool, 1), a);
    assert_ptr_equal(h2_stream_find(&pool, 3), b);
    assert_null(h2_stream_find(&pool, 5));
    assert_null(h2_stream_find(&pool, 0));

    a->state = H2_STREAM_OPEN;
    a->flags = H2_STREAM_F_HEADERS_SENT;
    h2_stream_release(&pool, a, H2_CLOSED_BY_RECV_RST_STREAM);
    assert_int_equal(pool.used, 1);
    assert_null(h2_stream_find(&pool, 1));
    assert_ptr_equal(h2_stream_find(&pool, 3), b);
    assert_int_equal(h2_stream_closed_reason(&pool, 1, &reason), 1);
    assert_int_equal(reason, H2_CLOSED_BY_RECV_RST_STREAM);
    assert_int_equal(h2_stream_closed_reason(&pool, 3, &reason), 0);

    /* A reused slot starts afresh. */
    a = h2_stream_create(&pool, 7, 10u, 20u);
    assert_non_null(a);
    assert_int_equal(a->state, H2_STREAM_IDLE);
    assert_int_equal(a->flags, 0);
    assert_int_equal(a->send_window, 10);
    assert_int_equal(a->recv_window.current, 20);
}

/* The index's hash (src/h2_stream.c), to build collisions on purpose. */
static uint32_t bucket_of(uint32_t id)
{
    uint64_t mixed = ((uint64_t)id * 2654435769u) % 4294967296u;
    return (uint32_t)((mixed * H2_STREAM_INDEX_SIZE) / 4294967296u);
}

/* The n-th smallest id (from 1) whose home is bucket. */
static uint32_t id_in_bucket(uint32_t bucket, size_t n)
{
    for (uint32_t id = 1u;; id++) {
        if (bucket_of(id) == bucket && n-- == 0) {
            return id;
        }
    }
}

static void test_colliding_ids_stay_reachable(void **state)
{
    /* Every id here has the same home bucket. */
    const uint32_t home = bucket_of(5u);
    uint32_t ids[8];
    h2_stream *streams[8];
    size_t k;
    (void)state;
    h2_stream_pool_init(&pool);
    for (k = 0; k < 8; k++) {
        ids[k] = id_in_bucket(home, k);
        streams[k] = create_ok(ids[k]);
    }
    /* Ids whose homes are the next buckets, placed after the run began. */
    uint32_t next1 = id_in_bucket((home + 1u) % H2_STREAM_INDEX_SIZE, 0);
    uint32_t next2 = id_in_bucket((home + 2u) % H2_STREAM_INDEX_SIZE, 0);
    assert_non_null(create_ok(next1));
    assert_non_null(create_ok(next2));
    for (k = 0; k < 8; k++) {
        assert_ptr_equal(h2_stream_find(&pool, ids[k]), streams[k]);
        assert_ptr_equal(h2_stream_find_const(&pool, ids[k]), streams[k]);
    }
    /* Release from the middle, the start and the end of the run. */
    h2_stream_release(&pool, streams[3], H2_CLOSED_BY_SEND_END_STREAM);
    h2_stream_release(&pool, streams[0], H2_CLOSED_BY_RECV_END_STREAM);
    h2_stream_release(&pool, streams[7], H2_CLOSED_BY_SEND_RST_STREAM);
    for (k = 0; k < 8; k++) {
        if (k == 0 || k == 3 || k == 7) {
            assert_null(h2_stream_find(&pool, ids[k]));
            assert_null(h2_stream_find_const(&pool, ids[k]));
        } else {
            assert_ptr_equal(h2_stream_find(&pool, ids[k]), streams[k]);
        }
    }
    assert_non_null(h2_stream_find(&pool, next1));
    assert_non_null(h2_stream_find(&pool, next2));
    assert_null(h2_stream_find(&pool, id_in_bucket(home, 8)));
    /* The probe run wraps around the end of the index too. */
    {
        uint32_t last = H2_STREAM_INDEX_SIZE - 1u;
        h2_stream *w[4];
        for (k = 0; k < 4; k++) {
            w[k] = create_ok(id_in_bucket(last, k));
        }
        h2_stream_release(&pool, w[0], H2_CLOSED_BY_SEND_END_STREAM);
        for (k = 1; k < 4; k++) {
            assert_ptr_equal(h2_stream_find(&pool, id_in_bucket(last, k)), w[k]);
        }
    }
}

/* Consecutive ids of a peer, and of both parities mixed, do not share
 * home buckets much: closing one walks a short run. */
static void test_consecutive_ids_spread_over_the_index(void **state)
{
    uint32_t taken[H2_STREAM_INDEX_SIZE] = { 0 };
    uint32_t shared = 0;
    (void)state;
    for (uint32_t id = 1u; id <= H2_MAX_STREAMS; id++) {
        uint32_t b = bucket_of(id);
        assert_true(b < H2_STREAM_INDEX_SIZE);
        shared += taken[b] != 0;
        taken[b]++;
    }
    /* At half load a random hash would share about a fifth of them. */
    assert_true(shared <= H2_MAX_STREAMS / 10u);
}

static void test_full_pool_refuses_and_changes_nothing(void **state)
{
    uint32_t k;
    (void)state;
    h2_stream_pool_init(&pool);
    for (k = 0; k < H2_MAX_STREAMS; k++) {
        /* Server-initiated (even) ids, some colliding. */
        create_ok(2u + k * 2u * (k % 3u == 0u ? H2_STREAM_INDEX_SIZE : 1u));
    }
    assert_int_equal(pool.used, H2_MAX_STREAMS);
    memcpy(&pool_copy, &pool, sizeof pool);
    assert_null(h2_stream_create(&pool, 100001u, 1u, 1u));
    assert_memory_equal(&pool_copy, &pool, sizeof pool);
    for (k = 0; k < H2_MAX_STREAMS; k++) {
        uint32_t id = 2u + k * 2u * (k % 3u == 0u ? H2_STREAM_INDEX_SIZE : 1u);
        h2_stream *s = h2_stream_find(&pool, id);
        assert_non_null(s);
        assert_int_equal(s->id, id);
    }
    /* One release makes room for exactly one more. */
    h2_stream_release(&pool, h2_stream_find(&pool, 2u), H2_CLOSED_BY_SEND_RST_STREAM);
    assert_non_null(h2_stream_create(&pool, 100001u, 1u, 1u));
    assert_null(h2_stream_create(&pool, 100003u, 1u, 1u));
}

/* A small deterministic generator for the model test. */
static uint32_t rng_state = 0x12345678u;

static uint32_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void test_random_operations_match_a_model(void **state)
{
    /* The model: which ids are in the pool, and where. Ids are drawn from
     * a range eight times the index so probe runs collide and wrap; phases
     * that mostly create and mostly release sweep the pool from empty to
     * full and back. */
    enum { ID_RANGE = 8 * H2_STREAM_INDEX_SIZE };
    static h2_stream *where[ID_RANGE + 1];
    static uint32_t live_ids[H2_MAX_STREAMS];
    uint32_t live = 0;
    uint32_t full_seen = 0;
    uint32_t empty_seen = 0;
    int op;
    (void)state;
    memset(where, 0, sizeof where);
    h2_stream_pool_init(&pool);
    for (op = 0; op < 60000; op++) {
        uint32_t creating = (op / 1500) % 2 == 0 ? 7u : 3u; /* out of 10 */
        if (rng_next() % 10u < creating) {
            uint32_t id = 1u + rng_next() % ID_RANGE;
            h2_stream *s;
            assert_ptr_equal(h2_stream_find(&pool, id), where[id]);
            if (where[id] != NULL) {
                continue;
            }
            s = h2_stream_create(&pool, id, id, id % 1000u);
            if (live == H2_MAX_STREAMS) {
                assert_null(s);
                full_seen++;
            } else {
                assert_non_null(s);
                assert_int_equal(s->id, id);
                assert_int_equal(s->send_window, (int32_t)id);
                where[id] = s;
                live_ids[live++] = id;
            }
        } else if (live > 0) {
            uint32_t pick = rng_next() % live;
            uint32_t id = live_ids[pick];
            h2_close_reason reason;
            h2_close_reason why = (h2_close_reason)(id % 4u);
            assert_ptr_equal(h2_stream_find(&pool, id), where[id]);
            h2_stream_release(&pool, where[id], why);
            where[id] = NULL;
            live_ids[pick] = live_ids[--live];
            assert_null(h2_stream_find(&pool, id));
            assert_int_equal(h2_stream_closed_reason(&pool, id, &reason), 1);
            assert_int_equal(reason, why);
            if (live == 0) {
                empty_seen++;
            }
        }
        assert_int_equal(pool.used, live);
        if (op % 61 == 0) {
            /* Every id is found exactly where the model has it. */
            uint32_t other;
            uint32_t seen = 0;
            for (other = 1; other <= ID_RANGE; other++) {
                assert_ptr_equal(h2_stream_find(&pool, other), where[other]);
                if (where[other] != NULL) {
                    assert_int_equal(where[other]->id, other);
                    seen++;
                }
            }
            assert_int_equal(seen, live);
        }
    }
    /* The run did sweep both ends. */
    assert_true(full_seen > 0);
    assert_true(empty_seen > 0);
}

static void test_closed_memory_keeps_the_newest(void **state)
{
    uint32_t total = H2_CLOSED_STREAMS_MEMORY + 37u;
    uint32_t k;
    h2_close_reason reason;
    (void)state;
    h2_stream_pool_init(&pool);
    for (k = 0; k < total; k++) {
        uint32_t id = 1u + 2u * k;
        h2_stream *s = create_ok(id);
        h2_stream_release(&pool, s, (h2_close_reason)(k % 4u));
    }
    assert_int_equal(pool.used, 0);
    for (k = 0; k < total; k++) {
        uint32_t id = 1u + 2u * k;
        int known = h2_stream_closed_reason(&pool, id, &reason);
        if (k < total - H2_CLOSED_STREAMS_MEMORY) {
            assert_int_equal(known, 0);
        } else {
            assert_int_equal(known, 1);
            assert_int_equal(reason, (h2_close_reason)(k % 4u));
        }
    }
    /* Never-seen ids are unknown. */
    assert_int_equal(h2_stream_closed_reason(&pool, 2, &reason), 0);
    assert_int_equal(h2_stream_closed_reason(&pool, 1u + 2u * total, &reason), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition_follows_the_rfc),
        cmocka_unit_test(test_apply_changes_state_only_on_ok),
        cmocka_unit_test(test_client_request_response_lifecycle),
        cmocka_unit_test(test_server_request_response_lifecycle),
        cmocka_unit_test(test_half_closed_remote_refuses_peer_frames),
        cmocka_unit_test(test_push_lifecycle),
        cmocka_unit_test(test_rst_stream_from_each_state),
        cmocka_unit_test(test_create_find_release),
        cmocka_unit_test(test_colliding_ids_stay_reachable),
        cmocka_unit_test(test_consecutive_ids_spread_over_the_index),
        cmocka_unit_test(test_full_pool_refuses_and_changes_nothing),
        cmocka_unit_test(test_random_operations_match_a_model),
        cmocka_unit_test(test_closed_memory_keeps_the_newest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
