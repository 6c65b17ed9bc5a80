/* Settings: identifiers, RFC 9113 6.5.2 validation, the pending-ACK queue. */
#include "test_util.h"

static void test_initial_values_follow_rfc9113(void **state)
{
    h2_settings s;
    (void)state;
    h2_settings_init(&s);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_HEADER_TABLE_SIZE), 4096);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_ENABLE_PUSH), 1);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_MAX_CONCURRENT_STREAMS), H2_SETTING_UNLIMITED);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_INITIAL_WINDOW_SIZE), 65535);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_MAX_FRAME_SIZE), 16384);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_MAX_HEADER_LIST_SIZE), H2_SETTING_UNLIMITED);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_ENABLE_CONNECT_PROTOCOL), 0);
    assert_int_equal(h2_settings_get(&s, H2_SETTINGS_NO_RFC7540_PRIORITIES), 0);
    assert_int_equal(h2_settings_get(&s, 0x7), 0);
    assert_int_equal(h2_settings_get(&s, 0xabcd), 0);
}

static void test_slots_and_ids_are_inverse(void **state)
{
    (void)state;
    for (uint32_t slot = 0; slot < H2_SETTINGS_KNOWN; slot++) {
        assert_int_equal(h2_settings_slot(h2_settings_id(slot)), (int)slot);
    }
    assert_int_equal(h2_settings_slot(0), -1);
    assert_int_equal(h2_settings_slot(7), -1);
    assert_int_equal(h2_settings_slot(10), -1);
    assert_int_equal(h2_settings_slot(0xffff), -1);
}

static void check_value(uint16_t id, uint32_t value, h2_status want, uint32_t want_code)
{
    uint32_t code = 0xdead;
    assert_int_equal(h2_setting_check(id, value, &code), want);
    assert_int_equal(code, want == H2_OK ? 0xdead : want_code);
}

static void test_validation_gives_the_rfc_error(void **state)
{
    (void)state;
    check_value(H2_SETTINGS_ENABLE_PUSH, 0, H2_OK, 0);
    check_value(H2_SETTINGS_ENABLE_PUSH, 1, H2_OK, 0);
    check_value(H2_SETTINGS_ENABLE_PUSH, 2, H2_E_INVALID_SETTINGS_VALUE, H2_PROTOCOL_ERROR);
    check_value(H2_SETTINGS_INITIAL_WINDOW_SIZE, 0x7fffffff, H2_OK, 0);
    check_value(H2_SETTINGS_INITIAL_WINDOW_SIZE, 0x80000000u, H2_E_INVALID_SETTINGS_VALUE,
                H2_FLOW_CONTROL_ERROR);
    check_value(H2_SETTINGS_MAX_FRAME_SIZE, 16383, H2_E_INVALID_SETTINGS_VALUE, H2_PROTOCOL_ERROR);
    check_value(H2_SETTINGS_MAX_FRAME_SIZE, 16384, H2_OK, 0);
    check_value(H2_SETTINGS_MAX_FRAME_SIZE, 16777215, H2_OK, 0);
    check_value(H2_SETTINGS_MAX_FRAME_SIZE, 16777216, H2_E_INVALID_SETTINGS_VALUE,
                H2_PROTOCOL_ERROR);
    check_value(H2_SETTINGS_ENABLE_CONNECT_PROTOCOL, 2, H2_E_INVALID_SETTINGS_VALUE,
                H2_PROTOCOL_ERROR);
    check_value(H2_SETTINGS_NO_RFC7540_PRIORITIES, 2, H2_E_INVALID_SETTINGS_VALUE,
                H2_PROTOCOL_ERROR);
    check_value(H2_SETTINGS_HEADER_TABLE_SIZE, 0xffffffffu, H2_OK, 0);
    check_value(H2_SETTINGS_MAX_CONCURRENT_STREAMS, 0, H2_OK, 0);
    check_value(H2_SETTINGS_MAX_HEADER_LIST_SIZE, 0xffffffffu, H2_OK, 0);
    check_value(0x7, 0xffffffffu, H2_OK, 0);
    check_value(0xff00, 12345, H2_OK, 0);
}

static void test_changes_apply_in_order_on_ack(void **state)
{
    h2_settings cur;
    h2_settings_queue q;
    h2_changed_setting changed[H2_SETTINGS_KNOWN];
    uint32_t n = 99;
    (void)state;
    h2_settings_init(&cur);
    h2_settings_queue_init(&q);

    const h2_setting first[] = {
        { H2_SETTINGS_MAX_CONCURRENT_STREAMS, 100 },
        { H2_SETTINGS_INITIAL_WINDOW_SIZE, 1000 },
        { 0x55, 7 }, /* unknown: ignored */
    };
    const h2_setting second[] = {
        { H2_SETTINGS_INITIAL_WINDOW_SIZE, 2000 },
        { H2_SETTINGS_INITIAL_WINDOW_SIZE, 3000 }, /* later value wins */
    };
    assert_int_equal(h2_settings_queue_push(&q, &cur, first, 3), H2_OK);
    assert_int_equal(h2_settings_queue_push(&q, &cur, second, 2), H2_OK);
    assert_int_equal(q.count, 2);
    /* Nothing takes effect before the ACK. */
    assert_int_equal(h2_settings_get(&cur, H2_SETTINGS_INITIAL_WINDOW_SIZE), 65535);
    assert_int_equal(h2_settings_queue_latest(&q, &cur, H2_SETTINGS_INITIAL_WINDOW_SIZE), 3000);
    assert_int_equal(h2_settings_queue_latest(&q, &cur, H2_SETTINGS_MAX_CONCURRENT_STREAMS), 100);
    assert_int_equal(h2_settings_queue_latest(&q, &cur, H2_SETTINGS_MAX_FRAME_SIZE), 16384);

    assert_int_equal(h2_settings_queue_ack(&q, &cur, changed, &n), H2_OK);
    assert_int_equal(n, 2);
    assert_int_equal(changed[0].id, H2_SETTINGS_MAX_CONCURRENT_STREAMS);
    assert_int_equal(changed[0].old_value, H2_SETTING_UNLIMITED);
    assert_int_equal(changed[0].new_value, 100);
    assert_int_equal(changed[1].id, H2_SETTINGS_INITIAL_WINDOW_SIZE);
    assert_int_equal(changed[1].old_value, 65535);
    assert_int_equal(changed[1].new_value, 1000);
    assert_int_equal(h2_settings_get(&cur, H2_SETTINGS_INITIAL_WINDOW_SIZE), 1000);

    assert_int_equal(h2_settings_queue_ack(&q, &cur, changed, &n), H2_OK);
    assert_int_equal(n, 1);
    assert_int_equal(changed[0].id, H2_SETTINGS_INITIAL_WINDOW_SIZE);
    assert_int_equal(changed[0].old_value, 1000);
    assert_int_equal(changed[0].new_value, 3000);
    /* The second change was queued while the first was pending: it keeps
     * the streams limit the first one set. */
    assert_int_equal(h2_settings_get(&cur, H2_SETTINGS_MAX_CONCURRENT_STREAMS), 100);

    /* An ACK with nothing pending is the peer's protocol error. */
    assert_int_equal(h2_settings_queue_ack(&q, &cur, changed, &n), H2_E_PROTOCOL);
}

static void test_failed_push_changes_nothing(void **state)
{
    h2_settings cur;
    h2_settings_queue q, before;
    (void)state;
    h2_settings_init(&cur);
    h2_settings_queue_init(&q);
    const h2_setting bad[] = {
        { H2_SETTINGS_HEADER_TABLE_SIZE, 0 },
        { H2_SETTINGS_ENABLE_PUSH, 5 },
    };
    memcpy(&before, &q, sizeof q);
    assert_int_equal(h2_settings_queue_push(&q, &cur, bad, 2), H2_E_INVALID_SETTINGS_VALUE);
    assert_memory_equal(&before, &q, sizeof q);

    const h2_setting ok[] = { { H2_SETTINGS_ENABLE_PUSH, 0 } };
    for (uint32_t i = 0; i < H2_SETTINGS_MAX_PENDING; i++) {
        assert_int_equal(h2_settings_queue_push(&q, &cur, ok, 1), H2_OK);
    }
    memcpy(&before, &q, sizeof q);
    assert_int_equal(h2_settings_queue_push(&q, &cur, ok, 1), H2_E_WOULD_BLOCK);
    assert_memory_equal(&before, &q, sizeof q);
}

static void test_queue_wraps_around(void **state)
{
    h2_settings cur;
    h2_settings_queue q;
    h2_changed_setting changed[H2_SETTINGS_KNOWN];
    uint32_t n;
    (void)state;
    h2_settings_init(&cur);
    h2_settings_queue_init(&q);
    for (uint32_t v = 1; v <= 3 * H2_SETTINGS_MAX_PENDING; v++) {
        h2_setting s = { H2_SETTINGS_MAX_CONCURRENT_STREAMS, v };
        assert_int_equal(h2_settings_queue_push(&q, &cur, &s, 1), H2_OK);
        assert_int_equal(h2_settings_queue_ack(&q, &cur, changed, &n), H2_OK);
        assert_int_equal(n, 1);
        assert_int_equal(changed[0].new_value, v);
        assert_int_equal(h2_settings_get(&cur, H2_SETTINGS_MAX_CONCURRENT_STREAMS), v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial_values_follow_rfc9113),
        cmocka_unit_test(test_slots_and_ids_are_inverse),
        cmocka_unit_test(test_validation_gives_the_rfc_error),
        cmocka_unit_test(test_changes_apply_in_order_on_ack),
        cmocka_unit_test(test_failed_push_changes_nothing),
        cmocka_unit_test(test_queue_wraps_around),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
