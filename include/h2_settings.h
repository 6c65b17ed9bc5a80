/*
 * libh2 settings layer (RFC 9113 section 6.5, RFC 8441 section 3,
 * RFC 9218 section 2.1): setting identifiers, values and their validation,
 * and the queue of our own changes that wait for the peer's ACK.
 */
#ifndef H2_SETTINGS_H
#define H2_SETTINGS_H

#include <stdint.h>

#include "h2_status.h"

typedef enum h2_setting_id {
    H2_SETTINGS_HEADER_TABLE_SIZE = 0x1,
    H2_SETTINGS_ENABLE_PUSH = 0x2,
    H2_SETTINGS_MAX_CONCURRENT_STREAMS = 0x3,
    H2_SETTINGS_INITIAL_WINDOW_SIZE = 0x4,
    H2_SETTINGS_MAX_FRAME_SIZE = 0x5,
    H2_SETTINGS_MAX_HEADER_LIST_SIZE = 0x6,
    H2_SETTINGS_ENABLE_CONNECT_PROTOCOL = 0x8, /* RFC 8441 */
    H2_SETTINGS_NO_RFC7540_PRIORITIES = 0x9    /* RFC 9218 */
} h2_setting_id;

/* Number of settings libh2 knows; others are ignored (RFC 9113 6.5.2). */
#define H2_SETTINGS_KNOWN 8u
/* Value of MAX_CONCURRENT_STREAMS and MAX_HEADER_LIST_SIZE before any
 * SETTINGS sets them: RFC 9113 says "unlimited". */
#define H2_SETTING_UNLIMITED 0xffffffffu
/* Largest flow-control window, and largest SETTINGS_INITIAL_WINDOW_SIZE. */
#define H2_MAX_WINDOW_SIZE 0x7fffffffu
#define H2_DEFAULT_WINDOW_SIZE 65535u

/* Our changes sent but not yet acknowledged, at most. */
#ifndef H2_SETTINGS_MAX_PENDING
#define H2_SETTINGS_MAX_PENDING 4u
#endif

/* One setting, as given to h2_settings_queue_push or reported changed. */
typedef struct h2_setting {
    uint16_t id;
    uint32_t value;
} h2_setting;

/* A setting that changed, with its value before and after. */
typedef struct h2_changed_setting {
    uint16_t id;
    uint32_t old_value;
    uint32_t new_value;
} h2_changed_setting;

/* The values of every known setting, indexed by h2_settings_slot(). */
typedef struct h2_settings {
    uint32_t values[H2_SETTINGS_KNOWN];
} h2_settings;

/* private: one SETTINGS frame of ours waiting for its ACK. */
typedef struct h2_settings_change {
    uint32_t values[H2_SETTINGS_KNOWN];
    uint8_t changed[H2_SETTINGS_KNOWN]; /* 1 where the frame set it */
} h2_settings_change;

typedef struct h2_settings_queue {
    h2_settings_change items[H2_SETTINGS_MAX_PENDING]; /* private */
    uint32_t first; /* private: slot of the oldest */
    uint32_t count; /* changes waiting for an ACK */
} h2_settings_queue;

/* Slot of a known setting id in h2_settings.values, or -1 when unknown. */
int h2_settings_slot(uint16_t id);

/* Setting id of a slot (slot < H2_SETTINGS_KNOWN). */
uint16_t h2_settings_id(uint32_t slot);

/* The RFC 9113 initial values: table 4096, push 1, streams unlimited,
 * window 65535, frame 16384, header list unlimited, the RFC 8441 and
 * RFC 9218 settings 0. */
void h2_settings_init(h2_settings *settings);

/* Current value of a setting; an unknown id reads as 0. */
uint32_t h2_settings_get(const h2_settings *settings, uint16_t id);

/*
 * Checks a value against RFC 9113 section 6.5.2 (and RFC 8441, RFC 9218).
 * H2_OK, or H2_E_INVALID_SETTINGS_VALUE with *error_code set to the error a
 * peer sending it gets: FLOW_CONTROL_ERROR for an initial window above
 * 2^31 - 1, PROTOCOL_ERROR for the others. Unknown ids are always valid.
 */
h2_status h2_setting_check(uint16_t id, uint32_t value, uint32_t *error_code);

void h2_settings_queue_init(h2_settings_queue *queue);

/*
 * Queues our new values (count <= H2_SETTINGS_KNOWN entries; unknown ids
 * are skipped), to take effect when the peer acknowledges them. Nothing
 * changes on error: H2_E_INVALID_SETTINGS_VALUE for a bad value,
 * H2_E_WOULD_BLOCK when H2_SETTINGS_MAX_PENDING changes are waiting.
 * Later values of the same id in one call win.
 */
h2_status h2_settings_queue_push(h2_settings_queue *queue,
                                 const h2_settings *current,
                                 const h2_setting *list, uint32_t count);

/*
 * The peer acknowledged our oldest pending change: applies it to *current
 * and writes each setting it set to changed[0..*changed_count).
 * H2_E_PROTOCOL (nothing changed) when no change was waiting.
 */
h2_status h2_settings_queue_ack(h2_settings_queue *queue,
                                h2_settings *current,
                                h2_changed_setting *changed,
                                uint32_t *changed_count);

/* Value a setting will have once every pending change is acknowledged. */
uint32_t h2_settings_queue_latest(const h2_settings_queue *queue,
                                  const h2_settings *current, uint16_t id);

/* Largest value a setting has now or will take as the pending changes are
 * acknowledged one by one (what the peer may already be using). */
uint32_t h2_settings_queue_peak(const h2_settings_queue *queue,
                                const h2_settings *current, uint16_t id);

#endif
