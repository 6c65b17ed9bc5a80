/* Status names and their RFC 9113 wire codes. */
#include "test_util.h"

static void test_every_status_has_a_distinct_name(void **state)
{
    (void)state;
    for (int i = 0; i < (int)H2_STATUS_COUNT; i++) {
        const char *a = h2_status_name((h2_status)i);
        assert_non_null(a);
        assert_true(strncmp(a, "H2_", 3) == 0);
        assert_string_not_equal(a, "H2_E_UNKNOWN");
        for (int j = 0; j < i; j++) {
            assert_string_not_equal(a, h2_status_name((h2_status)j));
        }
    }
    assert_string_equal(h2_status_name(H2_STATUS_COUNT), "H2_E_UNKNOWN");
}

static void test_wire_codes_follow_rfc9113(void **state)
{
    (void)state;
    assert_int_equal(h2_status_error_code(H2_OK), 0x0);
    assert_int_equal(h2_status_error_code(H2_E_PROTOCOL), 0x1);
    assert_int_equal(h2_status_error_code(H2_E_FLOW_CONTROL), 0x3);
    assert_int_equal(h2_status_error_code(H2_E_STREAM_CLOSED), 0x5);
    assert_int_equal(h2_status_error_code(H2_E_FRAME_SIZE), 0x6);
    assert_int_equal(h2_status_error_code(H2_E_TOO_MANY_STREAMS), 0x7);
    assert_int_equal(h2_status_error_code(H2_E_COMPRESSION), 0x9);
    assert_int_equal(h2_status_error_code(H2_E_HPACK_INVALID_INDEX), 0x9);
    assert_int_equal(h2_status_error_code(H2_E_HPACK_INVALID_TABLE_SIZE), 0x9);
    assert_int_equal(h2_status_error_code(H2_E_DENIAL_OF_SERVICE), 0xb);
    assert_int_equal(h2_status_error_code(H2_E_HPACK_HEADER_LIST_TOO_LARGE), 0x1);
    assert_int_equal(h2_status_error_code(H2_E_INVALID_SETTINGS_VALUE), 0x1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_has_a_distinct_name),
        cmocka_unit_test(test_wire_codes_follow_rfc9113),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
